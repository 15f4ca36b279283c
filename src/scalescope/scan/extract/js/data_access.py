"""DataAccess and Transaction facts for Node ORMs and drivers.

Prisma, TypeORM (repositories, managers, QueryBuilder), Sequelize, Knex, Mongoose/MongoDB,
Drizzle, Supabase and literal SQL through node-postgres/mysql2 are recognised by the shape of
the call (receiver + method + ORM-shaped arguments), never by a method name alone, so
``users.find(u => ...)`` on an array or ``cache.get(k)`` on a Map is not a query. The matchers
live in ``data_prisma``, ``data_models`` and ``data_builders``; this module adds the context
every fact carries (function, loop, transaction, same-tick batching) and emits.
"""

from __future__ import annotations

import dataclasses

import tree_sitter as ts

from scalescope.model.facts import DataAccess, PatternSearch, Transaction
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, extractor
from scalescope.scan.extract.js.ast import (
    FUNCTION_TYPES,
    ancestors,
    arguments,
    call_chain,
    callee_parts,
    enclosing_function,
    enclosing_function_id,
    iter_calls,
    outermost_chain_call,
    unwrap,
)
from scalescope.scan.extract.js.check_then_insert import find_check_then_inserts
from scalescope.scan.extract.js.count_use import count_guard, count_use
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
from scalescope.scan.extract.js.loop_scope import loop_variables, param_names, value_of
from scalescope.scan.extract.js.loops import Source, query_rows
from scalescope.scan.extract.js.method_guards import request_methods
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
    "slonik",
    "unsafe`",
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
        soft_delete_fields=spec.soft_delete_fields,
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
        methods=request_methods(ctx, anchor),
        escapes_transaction=escapes_transaction(ctx, anchor),
        row_write=spec.row_write,
        count_use=count_use(ctx, anchor) if spec.kind == "count" or spec.aggregate == "count" else "",
    )
    if access.count_use in {"identifier", "limit"}:
        access = dataclasses.replace(access, count_guard=count_guard(ctx, anchor))
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
    find_check_then_inserts(ctx, emitted)
    # writes through a loaded row: after the read-modify-write search, which finds its own saves
    for call, parts in calls:
        if call.id not in handled:
            spec = _instance_write(ctx, call, parts)
            if spec is not None:
                handled.add(call.id)
                _emit(ctx, spec, [])
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


#: methods that delete the one row/document they are called on (Sequelize ``destroy``, Mongoose
#: ``deleteOne``/``remove``, TypeORM ``BaseEntity.remove``/``softRemove``)
INSTANCE_DELETES = frozenset({"destroy", "remove", "deleteOne", "softRemove", "delete"})
#: methods that write the one loaded row they are called on (Sequelize/Mongoose/TypeORM
#: ``save``, Sequelize ``update``/``increment``, Mongoose document ``updateOne``)
INSTANCE_UPDATES = frozenset({"save", "update", "increment", "decrement", "updateOne"})


def _instance_write(ctx: FileContext, call: ts.Node, parts: tuple[str, ...]) -> QuerySpec | None:
    """``row.destroy()`` / ``doc.deleteOne()`` (a delete) or ``row.save()`` / ``row.update({...})``
    (an update) where ``row`` is a row a recognised query returned (a variable assigned from
    it, or an item of a loop over its rows): a write to that query's table."""
    if len(parts) != 2 or parts[1] not in INSTANCE_DELETES | INSTANCE_UPDATES:
        return None
    args = arguments(call)
    first = unwrap(args[0]) if args else None
    deletes = parts[1] in INSTANCE_DELETES
    if deletes and (len(args) > 1 or (first is not None and first.type != "object")):
        return None  # ``cache.delete(key)``, ``list.remove(x)``: not a row deleting itself
    callee = unwrap(call.child_by_field_name("function"))
    receiver = unwrap(callee.child_by_field_name("object")) if callee is not None else None
    if receiver is None or receiver.type != "identifier":
        return None
    found = query_rows(ctx, receiver) or _loop_item_rows(ctx, receiver) or _created_row(ctx, receiver)
    if found is None or not found.model:
        return None
    kind, op = ("delete", parts[1]) if deletes else ("write", "update")  # ``save()`` of a row: an update
    return QuerySpec(found.orm or "", found.model, op, kind, call, args=args, row_write=True)


def _created_row(ctx: FileContext, name_node: ts.Node) -> Source | None:
    """The row a ``create`` returned: ``const log = await SyncLog.create({...})``."""
    value = unwrap(value_of(ctx, ctx.node_text(name_node), name_node, enclosing_function(name_node)))
    if value is None or value.type != "call_expression":
        return None
    parts = callee_parts(ctx, value)
    spec = (
        match_prisma(ctx, value, parts) or match_typeorm(ctx, value, parts) or match_model(ctx, value, parts)
    )
    if spec is None or spec.kind != "write" or spec.operation != "create" or not spec.model:
        return None
    return Source("query", model=spec.model, orm=spec.orm)


def _loop_item_rows(ctx: FileContext, name_node: ts.Node) -> Source | None:
    """The rows a loop iterates when ``name_node`` is that loop's item: ``for (const s of
    stale)``, ``stale.forEach((s) => ...)``."""
    name = ctx.node_text(name_node)
    for node in ancestors(name_node):
        if node.type == "for_in_statement" and name in loop_variables(ctx, node):
            right = node.child_by_field_name("right")
            return query_rows(ctx, right) if right is not None else None
        if node.type in FUNCTION_TYPES:
            parent = node.parent.parent if node.parent is not None else None
            callback = parent is not None and parent.type == "call_expression"
            if callback and parent is not None and name in loop_variables(ctx, parent):
                callee = unwrap(parent.child_by_field_name("function"))
                coll = callee.child_by_field_name("object") if callee is not None else None
                return query_rows(ctx, coll) if coll is not None else None
            if name in param_names(ctx, node):
                return None
    return None


def _is_outermost(call: ts.Node) -> bool:
    top = outermost_chain_call(call)
    return top.id == call.id
