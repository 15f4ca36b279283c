"""Prisma Client and Drizzle relational queries (``prisma.user.findMany({...})``,
``db.query.users.findMany({ with })``) as :class:`QuerySpec` descriptions."""

from __future__ import annotations

import tree_sitter as ts

from scalescope.scan.extract.base import FileContext
from scalescope.scan.extract.js.ast import arguments, callee_parts, object_pairs, unwrap
from scalescope.scan.extract.js.data_builders import is_sql_tag, raw_spec
from scalescope.scan.extract.js.data_common import (
    QuerySpec,
    has_dynamic,
    limit_state,
    sort_keys,
    sql_of,
)
from scalescope.scan.extract.js.data_flow import limit_bound
from scalescope.scan.extract.js.data_tables import LIMIT_OPTIONS
from scalescope.scan.extract.js.data_where import Conditions, WhereObject, shape_fields

PRISMA_KIND = {
    "findMany": "read-many",
    "findUnique": "read-one",
    "findUniqueOrThrow": "read-one",
    "findFirst": "read-one",
    "findFirstOrThrow": "read-one",
    "count": "count",
    "aggregate": "aggregate",
    "groupBy": "aggregate",
    "create": "write",
    "createMany": "write",
    "createManyAndReturn": "write",
    "update": "write",
    "updateMany": "write",
    "upsert": "write",
    "delete": "delete",
    "deleteMany": "delete",
}
PRISMA_ONLY = frozenset(
    {
        "findMany",
        "findUnique",
        "findUniqueOrThrow",
        "findFirst",
        "findFirstOrThrow",
        "createMany",
        "createManyAndReturn",
        "upsert",
        "groupBy",
        "aggregate",
        "updateMany",
        "deleteMany",
    }
)
PRISMA_RAW = frozenset({"$queryRaw", "$queryRawUnsafe", "$executeRaw", "$executeRawUnsafe"})
_PRISMA_ARG_KEYS = frozenset(
    {
        "where",
        "data",
        "select",
        "include",
        "take",
        "skip",
        "orderBy",
        "cursor",
        "distinct",
        "_count",
        "by",
        "create",
        "update",
    }
)
_CLIENTISH = frozenset(
    {
        "tx",
        "trx",
        "db",
        "client",
        "prismaClient",
        "database",
        "transaction",
        "t",
        "p",
        "ctx",
        "context",
        "orm",
        "dbClient",
        "prismaService",
        "this",
        "repo",
    }
)
_RELATION_ARGS = frozenset({"select", "include", "where", "orderBy", "take", "skip", "cursor", "distinct"})


def _is_prisma_client(ctx: FileContext, parts: tuple[str, ...], method: str, args: list[ts.Node]) -> bool:
    if len(parts) < 3 or parts[-2] in {"()", "[]", "?"} or parts[-3] in {"query", "()", "[]"}:
        return False
    client = parts[-3]
    if "prisma" in client.lower():
        return True
    if not ctx.cache.get("js.data.prisma_file"):
        return False
    if client not in _CLIENTISH and not client.lower().endswith(("db", "client", "tx")):
        return False
    if method in PRISMA_ONLY:
        return True
    pairs = object_pairs(ctx, args[0]) if args else {}
    return bool(pairs) and set(pairs) <= _PRISMA_ARG_KEYS


def include_tree(
    ctx: FileContext, node: ts.Node | None, prefix: str = "", depth: int = 0, in_select: bool = False
) -> list[str]:
    """Relation paths loaded by a Prisma ``include``/``select`` (or Drizzle ``with``) object.

    In an ``include``/``with`` every key is a relation; in a ``select`` only keys whose value is
    an object (``posts: { select: ... }``) are, ``true`` flags being taken for scalar columns.
    """
    node = unwrap(node)
    out: list[str] = []
    if node is None or node.type != "object" or depth > 8:
        return out
    for key, value in object_pairs(ctx, node).items():
        if key in {"_count", "_sum", "_avg", "_min", "_max", "columns", "extras"}:
            continue
        val = unwrap(value)
        path = f"{prefix}{key}"
        if val is not None and val.type == "object":
            out.append(path)
            nested = object_pairs(ctx, val)
            for sub in ("include", "with"):
                if sub in nested:
                    out.extend(include_tree(ctx, nested[sub], path + ".", depth + 1))
            if "select" in nested:
                out.extend(include_tree(ctx, nested["select"], path + ".", depth + 1, in_select=True))
        elif not in_select and ctx.node_text(val) == "true":
            out.append(path)
    return out


def _relation_paths(ctx: FileContext, opts: dict[str, ts.Node]) -> list[str]:
    paths: list[str] = []
    if "include" in opts:
        paths.extend(include_tree(ctx, opts["include"]))
    if "select" in opts:
        paths.extend(include_tree(ctx, opts["select"], in_select=True))
    if "with" in opts:
        paths.extend(include_tree(ctx, opts["with"]))
    return list(dict.fromkeys(paths))


def match_prisma(ctx: FileContext, call: ts.Node, parts: tuple[str, ...]) -> QuerySpec | None:
    """A Prisma Client model call or raw query, else ``None``."""
    method = parts[-1] if parts else ""
    args = arguments(call)
    if method in PRISMA_RAW and len(parts) >= 2:
        if "prisma" not in parts[-2].lower() and not ctx.cache.get("js.data.prisma_file"):
            return None
        arg_node = call.child_by_field_name("arguments")
        tagged = arg_node is not None and arg_node.type == "template_string"
        first = unwrap(args[0]) if args and not tagged else None
        if first is not None and first.type == "call_expression":
            # ``$queryRaw(Prisma.sql`...`)``: the statement is the tag's template
            inner = first.child_by_field_name("arguments")
            if inner is not None and inner.type == "template_string" and is_sql_tag(callee_parts(ctx, first)):
                arg_node, tagged = inner, True
        sql = sql_of(ctx, arg_node if tagged else first)
        template = arg_node if tagged else None
        spec = raw_spec(ctx, "prisma", call, sql, template, args, spread=not tagged) if sql else None
        return spec or QuerySpec("prisma", None, method, "raw", call, args=args)
    if method not in PRISMA_KIND or not _is_prisma_client(ctx, parts, method, args):
        return None
    return _model_query("prisma", parts[-2], method, PRISMA_KIND[method], call, args, ctx)


def _model_query(
    orm: str, model: str, method: str, kind: str, call: ts.Node, args: list[ts.Node], ctx: FileContext
) -> QuerySpec:
    opts_node = args[0] if args else None
    opts = object_pairs(ctx, opts_node)
    limit_keys = LIMIT_OPTIONS[orm]
    has_limit: bool | None = True
    if kind == "read-many":
        has_limit = limit_state(ctx, opts_node, *limit_keys)
    limit_node = next((opts[k] for k in limit_keys if k in opts), None)
    bound = limit_bound(ctx, limit_node) if limit_node is not None else None
    paths = tuple(_relation_paths(ctx, opts))
    paginated = any(k in opts for k in ("skip", "cursor", "offset"))
    selects_all = not ("select" in opts or "columns" in opts or "omit" in opts)
    where = WhereObject()
    if "where" in opts:
        where.read(ctx, opts["where"])
    elif has_dynamic(ctx, opts_node) and opts_node is not None:
        where.opaque = True  # ``findMany(args)`` / ``{ ...filters }``: the filter is built elsewhere
    aggregate = ""
    if kind == "count":
        aggregate = "count"
    elif method == "groupBy":
        aggregate = "group"
    elif method == "aggregate":
        aggregate = next((PRISMA_AGGREGATES[k] for k in opts if k in PRISMA_AGGREGATES), "aggregate")
    return QuerySpec(
        orm,
        model,
        method,
        kind,
        call,
        filter_fields=tuple(dict.fromkeys(where.fields)),
        sort_fields=sort_keys(ctx, opts.get("orderBy")),
        has_limit=has_limit,
        include_paths=paths,
        include_depth=max((p.count(".") + 1 for p in paths), default=0),
        selects_all=selects_all,
        paginated=paginated,
        batchable=orm == "prisma" and method == "findUnique",
        args=args,
        aggregate=aggregate,
        **shape_fields(where, bound),
        limit_node=limit_node,
        related_filters=tuple(dict.fromkeys(where.related)),
    )


PRISMA_AGGREGATES = {"_count": "count", "_sum": "sum", "_avg": "avg", "_min": "min", "_max": "max"}
DRIZZLE_KIND = {"findMany": "read-many", "findFirst": "read-one"}


def match_drizzle_relational(ctx: FileContext, call: ts.Node, parts: tuple[str, ...]) -> QuerySpec | None:
    """``db.query.users.findMany({ where, with, limit })``."""
    if len(parts) < 4 or parts[-3] != "query" or parts[-1] not in DRIZZLE_KIND:
        return None
    args = arguments(call)
    spec = _model_query("drizzle", parts[-2], parts[-1], DRIZZLE_KIND[parts[-1]], call, args, ctx)
    where = object_pairs(ctx, args[0] if args else None).get("where")
    if where is not None:
        cond = Conditions({parts[-2]}, base=parts[-2])
        cond.read(ctx, where)
        spec.filter_fields = cond.fields()
        spec.range_fields = tuple(cond.ranges)
        spec.join_keys = tuple(cond.joins)
        spec.in_list_bounded = cond.in_bounded()
        spec.in_fields = tuple(cond.in_fields)
        spec.opaque_filter = cond.opaque
        spec.related_filters = tuple(cond.related)
        spec.unselective_fields = tuple(cond.unselective)
        spec.soft_delete_fields = tuple(cond.soft_deleted)
        spec.or_fields = tuple(cond.or_only)
        spec.searches = tuple(cond.searches)
    return spec
