"""DataAccess and Transaction facts for Node ORMs and drivers.

Prisma, TypeORM (repositories, managers, QueryBuilder), Sequelize, Knex, Mongoose/MongoDB,
Drizzle, Supabase and literal SQL through node-postgres/mysql2 are recognised by the shape of
the call (receiver + method + ORM-shaped arguments), never by a method name alone, so
``users.find(u => ...)`` on an array or ``cache.get(k)`` on a Map is not a query. The matchers
live in ``data_prisma``, ``data_models`` and ``data_builders``; this module adds the context
every fact carries (function, loop, transaction, same-tick batching) and emits.
"""

from __future__ import annotations

import tree_sitter as ts

from scalescope.model.facts import DataAccess, PatternSearch, Transaction
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, extractor
from scalescope.scan.extract.js.ast import (
    call_chain,
    enclosing_function_id,
    iter_calls,
    outermost_chain_call,
)
from scalescope.scan.extract.js.data_builders import (
    match_drizzle,
    match_knex,
    match_query_builder,
    match_sql,
    match_supabase,
)
from scalescope.scan.extract.js.data_common import (
    QuerySpec,
    escapes_transaction,
    in_promise_all,
    in_transaction,
    is_conditional,
    loop_context,
    lower_text,
    transaction_spans,
)
from scalescope.scan.extract.js.data_flow import in_cache_loader
from scalescope.scan.extract.js.data_models import match_model, match_typeorm
from scalescope.scan.extract.js.data_prisma import match_drizzle_relational, match_prisma
from scalescope.scan.extract.js.data_tables import BULK_WRITES, SERVER_ROW_CAPS
from scalescope.scan.extract.js.read_modify_write import find_read_modify_writes
from scalescope.scan.extract.js.request_values import origin

NEEDS = (
    "prisma",
    "Prisma",
    "Repository",
    "repository",
    "typeorm",
    "TypeORM",
    "sequelize",
    "Sequelize",
    "knex",
    "Knex",
    "mongoose",
    "Model",
    "model",
    "drizzle",
    "supabase",
    ".query(",
    "query`",
    "sql`",
    "findAll",
    "findMany",
    "findOne",
    "collection(",
    "createQueryBuilder",
    "execute(",
    "countDocuments",
    "ransaction",
)


def _set_flags(ctx: FileContext) -> None:
    low = lower_text(ctx)
    ctx.cache["js.data.prisma_file"] = "prisma" in low
    ctx.cache["js.data.typeorm_file"] = (
        "typeorm" in low or "Repository<" in ctx.text or "InjectRepository" in ctx.text
    )
    ctx.cache["js.data.sequelize_file"] = "sequelize" in low
    ctx.cache["js.data.mongoose_file"] = (
        "mongoose" in low or "InjectModel" in ctx.text or "Model<" in ctx.text
    )
    ctx.cache["js.data.knex_file"] = "knex" in low
    ctx.cache["js.data.drizzle_file"] = "drizzle" in low
    ctx.cache["js.data.supabase_file"] = "supabase" in low
    ctx.cache["js.data.schemaish"] = "Schema" in ctx.text or "model" in low


def _emit(ctx: FileContext, spec: QuerySpec, emitted: list[tuple[ts.Node, DataAccess]]) -> None:
    anchor = spec.anchor
    loop = loop_context(ctx, anchor, spec.args)
    batched = spec.batchable and loop is not None and in_promise_all(ctx, anchor)
    first_line = anchor.start_point[0] + 1
    loc = ctx.line_loc(first_line, anchor.end_point[0] + 1)
    access = DataAccess(
        loc,
        orm=spec.orm,
        model=spec.model,
        operation=spec.operation,
        kind=spec.kind,
        filter_fields=spec.filter_fields,
        sort_fields=spec.sort_fields,
        has_limit=spec.has_limit,
        include_depth=spec.include_depth,
        include_paths=spec.include_paths,
        selects_all=spec.selects_all,
        loop=loop,
        function_id=enclosing_function_id(ctx, anchor),
        in_transaction=in_transaction(ctx, anchor),
        batched=batched,
        paginated=spec.paginated,
        aggregate=spec.aggregate,
        limit_bound=spec.limit_bound if spec.kind == "read-many" or spec.kind == "raw" else "",
        limit_floor=spec.limit_floor,
        limit_max=spec.limit_max if spec.kind == "read-many" or spec.kind == "raw" else None,
        limit_input=(
            origin(ctx, spec.limit_node)
            if spec.limit_bound == "param"
            and spec.kind in {"read-many", "raw"}
            and spec.orm not in SERVER_ROW_CAPS
            else None
        ),
        peeks_next=spec.peeks_next,
        in_list_bounded=spec.in_list_bounded,
        in_fields=spec.in_fields,
        opaque_filter=spec.opaque_filter,
        range_fields=spec.range_fields,
        unselective_fields=spec.unselective_fields,
        or_fields=spec.or_fields,
        searches=tuple(
            PatternSearch(found.column, found.operator, origin(ctx, found.value) if found.value else None)
            for found in spec.searches
        ),
        join_keys=spec.join_keys,
        related_filters=spec.related_filters,
        include_strategy=spec.include_strategy,
        in_cache_loader=in_cache_loader(ctx, anchor),
        bulk=spec.operation in BULK_WRITES,
        conditional=is_conditional(ctx, anchor),
        escapes_transaction=escapes_transaction(ctx, anchor),
    )
    ctx.emit(access)
    emitted.append((anchor, access))


@extractor(languages=JS_LANGUAGES, needs=NEEDS)
def data_access(ctx: FileContext) -> None:
    """Emit a :class:`DataAccess` per recognised query and a :class:`Transaction` per
    transaction block of the file."""
    _set_flags(ctx)
    handled: set[int] = set()
    emitted: list[tuple[ts.Node, DataAccess]] = []
    calls = iter_calls(ctx)
    for call, parts in calls:
        spec = (
            match_prisma(ctx, call, parts)
            or match_drizzle_relational(ctx, call, parts)
            or match_typeorm(ctx, call, parts)
        )
        if spec is not None:
            handled.add(call.id)
            _emit(ctx, spec, emitted)
    for call, parts in calls:
        if call.id in handled:
            continue
        if _is_outermost(call):
            chain = call_chain(ctx, call)
            if chain and not any(c.id in handled for _, c in chain):
                spec = (
                    match_query_builder(ctx, call, chain)
                    or match_drizzle(ctx, call, chain)
                    or match_knex(ctx, call, chain)
                    or match_supabase(ctx, call, chain)
                    or match_model(ctx, call, parts)
                )
                if spec is not None:
                    handled.update(c.id for _, c in chain)
                    _emit(ctx, spec, emitted)
                    continue
        spec = match_sql(ctx, call, parts)
        if spec is not None:
            handled.add(call.id)
            _emit(ctx, spec, emitted)
    find_read_modify_writes(ctx, emitted)
    for span in transaction_spans(ctx):
        ctx.emit(
            Transaction(
                span.loc,
                orm=span.orm,
                body=span.body,
                function_id=span.function_id,
                handle=span.handle,
                client=span.client,
            )
        )


def _is_outermost(call: ts.Node) -> bool:
    top = outermost_chain_call(call)
    return top.id == call.id
