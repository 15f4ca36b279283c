"""Fluent query builders and SQL drivers: Knex, Drizzle's SQL builder, Supabase, TypeORM's
QueryBuilder, and literal SQL sent through node-postgres/mysql2/``sql`` tags, as
:class:`QuerySpec`. Each chain is judged once, on its outermost call; a builder kept in a
variable and refined by later statements (``const qb = repo.createQueryBuilder('a');
qb.where(...); qb.take(n); await qb.getMany()``) is merged within its function.
"""

from __future__ import annotations

import re
from typing import TypedDict

import tree_sitter as ts

from scalescope.scan.extract.base import FileContext
from scalescope.scan.extract.js.ast import (
    arguments,
    call_chain,
    call_receiver,
    callee_parts,
    enclosing_function,
    object_pairs,
    string_value,
    unwrap,
)
from scalescope.scan.extract.js.data_common import (
    QuerySpec,
    calls_between,
    keys_of,
    lower_text,
    parse_sql,
    sql_of,
)
from scalescope.scan.extract.js.data_flow import Limit, bounded_values, follow_builder, limit_bound
from scalescope.scan.extract.js.data_models import _model_from_name, _repo_models
from scalescope.scan.extract.js.data_tables import (
    AGGREGATE_FUNCTIONS,
    CHAIN_AGGREGATES,
    GROUP_METHODS,
    JOIN_METHODS,
    LIMIT_METHODS,
    PAGE_METHODS,
    SINGLE_ROW_METHODS,
)
from scalescope.scan.extract.js.data_where import (
    Conditions,
    ConditionText,
    WhereObject,
    named_binder,
    pattern,
    spot_search,
)
from scalescope.scan.extract.selectivity import Searched
from scalescope.scan.extract.sql_params import Placeholder, limit_placeholder
from scalescope.scan.extract.sql_search import like_spots

Chain = list[tuple[str, ts.Node]]

_KNEX_NAMES = frozenset({"knex", "db", "trx", "tx", "k", "database", "pg", "conn", "connection", "qb"})
_KNEX_WRITE = {
    "insert": "write",
    "update": "write",
    "increment": "write",
    "decrement": "write",
    "upsert": "write",
    "merge": "write",
    "del": "delete",
    "delete": "delete",
    "truncate": "delete",
}
_KNEX_AGG = {
    "count": "count",
    "countDistinct": "count",
    "sum": "aggregate",
    "avg": "aggregate",
    "min": "aggregate",
    "max": "aggregate",
}
_KNEX_BUILDER = frozenset(
    {
        "where",
        "andWhere",
        "orWhere",
        "whereIn",
        "whereNot",
        "whereNull",
        "whereNotNull",
        "whereBetween",
        "whereRaw",
        "whereILike",
        "whereLike",
        "select",
        "first",
        "pluck",
        "orderBy",
        "limit",
        "offset",
        "join",
        "leftJoin",
        "innerJoin",
        "returning",
        "groupBy",
        "having",
        "distinct",
        "paginate",
        "columns",
        "column",
        "from",
        "table",
        "into",
        "modify",
        "forUpdate",
        "then",
        "clone",
        "options",
        "timeout",
        *_KNEX_WRITE,
        *_KNEX_AGG,
    }
)
_WHERE_METHODS = frozenset(
    {
        "where",
        "andWhere",
        "orWhere",
        "whereIn",
        "whereNot",
        "whereNull",
        "whereNotNull",
        "whereBetween",
        "whereILike",
        "whereLike",
        "andWhereNot",
        "whereNotIn",
        "orWhereIn",
        "orWhereNot",
        "orWhereNull",
        "orWhereNotNull",
        "orWhereLike",
        "orWhereILike",
    }
)
#: Knex where methods whose condition is a negation (a b-tree index does not narrow it)
_KNEX_NEGATED = frozenset(
    {
        "whereNot",
        "andWhereNot",
        "orWhereNot",
        "whereNotNull",
        "orWhereNotNull",
        "whereNotIn",
        "whereNotBetween",
    }
)
_KNEX_NULL = frozenset({"whereNull", "andWhereNull", "orWhereNull"})
_KNEX_PATTERN = frozenset({"whereLike", "whereILike", "orWhereLike", "orWhereILike"})
_SQL_NEGATED_OPS = frozenset({"<>", "!=", "not in", "not like", "not ilike", "is not"})
_COND_COL = re.compile(
    r"(?:\b\w+\.)?\"?(\w+)\"?\s*(?:=|!=|<>|>=|<=|>|<|\bin\b|\bIN\b|\blike\b|\bLIKE\b|\bILIKE\b|\bilike\b|\bIS\b|\bis\b)"
)
_ALIAS_COL = re.compile(r"\b\w+\.(\w+)")


def _base(ctx: FileContext, chain: Chain) -> tuple[str, ...]:
    return callee_parts(ctx, chain[0][1]) if chain else ()


def _is_subquery(ctx: FileContext, outer: ts.Node) -> bool:
    """A builder passed as an argument of another builder call (``whereIn('id', knex('t')...)``)."""
    parent = outer.parent
    while parent is not None and parent.type in {"parenthesized_expression", "arrow_function"}:
        parent = parent.parent
    if parent is None or parent.type != "arguments":
        return False
    owner = parent.parent
    if owner is None or owner.type != "call_expression":
        return False
    parts = callee_parts(ctx, owner)
    return bool(parts) and (parts[-1] in _KNEX_BUILDER or parts[-1].startswith(("where", "union", "with")))


def _where_cols(ctx: FileContext, method: str, args: list[ts.Node]) -> list[str]:
    if not args:
        return []
    first = unwrap(args[0])
    if first is None:
        return []
    value = string_value(ctx, first)
    if value is not None:
        if re.fullmatch(r"[\w.\"`]+", value.strip()) and (
            len(args) >= 2 or method.endswith(("In", "Null", "Between"))
        ):
            return [value.strip().strip('"`').rsplit(".", 1)[-1]]
        return [m.group(1) for m in _COND_COL.finditer(value) if not m.group(1).isdigit()]
    if first.type == "object":
        return [k.rsplit(".", 1)[-1] for k in keys_of(ctx, first)]
    if first.type == "template_string":
        text = ctx.node_text(first)
        found = [m.group(1) for m in _COND_COL.finditer(text)]
        # ``term.${col('projectId')} = :projectId``: the column is computed, the parameter
        # names it
        return found or _PARAM.findall(text)
    return []


_PARAM = re.compile(r"(?<![:\w]):(\w+)")


# ----------------------------------------------------------------------------- Knex


def match_knex(ctx: FileContext, outer: ts.Node, chain: Chain) -> QuerySpec | None:
    """``knex('users').where({...}).first()``, ``db.select('*').from('t').limit(10)``."""
    if not chain or not ctx.cache.get("js.data.knex_file"):
        return None
    first_name, first_call = chain[0]
    base = _base(ctx, chain)
    table: str | None = None
    fargs = arguments(first_call)
    if base and base[-1] in _KNEX_NAMES and (len(base) == 1 or base[:1] == ("this",)) and fargs:
        table = string_value(ctx, fargs[0])
        if table is None:
            return None
        methods = chain[1:]
    elif len(base) >= 2 and base[-2] in _KNEX_NAMES and first_name in _KNEX_BUILDER:
        methods = chain
    else:
        return None
    if first_name == "raw" or (not methods and not _awaited(outer)):
        return None
    if _is_subquery(ctx, outer):
        return None
    later, unknown = follow_builder(ctx, outer)
    methods = _dedupe(methods + later)
    names = [n for n, _ in methods]
    if any(n not in _KNEX_BUILDER for n in names[:1]):
        return None
    filters: list[str] = []
    branches: list[tuple[bool, ConditionText]] = []
    ranges: list[str] = []
    sort: list[str] = []
    joins: list[tuple[str, str]] = []
    in_lists: list[bool] = []
    in_fields: list[str] = []
    opaque = False
    limit: Limit | None = None
    limit_node: ts.Node | None = None
    kind = "read-many"
    op = "select"
    aggregate = ""
    for name, call in methods:
        args = arguments(call)
        if name in {"from", "table", "into"} and args and table is None:
            table = string_value(ctx, args[0])
        elif name in _WHERE_METHODS:
            cols = _where_cols(ctx, name, args)
            first = unwrap(args[0]) if args else None
            if first is not None and first.type == "object":
                where = WhereObject(relations=False)
                where.read(ctx, first)
                ranges.extend(where.ranges)
                in_lists.extend(where.in_lists)
                in_fields.extend(where.in_fields)
                opaque = opaque or where.opaque
            elif not cols and args:
                opaque = True  # ``where(builder => ...)``, ``where(filters)``
            filters.extend(cols)
            branches.append((name.startswith("or"), _knex_condition(ctx, name, args, cols, first)))
            if cols and (
                name == "whereBetween" or (len(args) == 3 and string_value(ctx, args[1]) in _RANGE_SQL)
            ):
                ranges.append(cols[0])
            if name == "whereIn" and len(args) > 1:
                in_lists.append(bounded_values(ctx, args[1]))
                in_fields.extend(cols[:1])
        elif name == "whereRaw":
            opaque = True
        elif name in JOIN_METHODS and len(args) >= 3:
            left = string_value(ctx, args[1])
            right = string_value(ctx, args[-1])
            if left and right:
                joins.append((left, right))
        elif name == "orderBy" and args:
            s = string_value(ctx, args[0])
            if s:
                sort.append(s.rsplit(".", 1)[-1])
        elif name in LIMIT_METHODS["knex"] and name != "first" and args:
            limit = limit_bound(ctx, args[0])
            limit_node = args[0]
        if name in _KNEX_WRITE:
            kind, op = _KNEX_WRITE[name], name
        elif name in CHAIN_AGGREGATES and kind == "read-many":
            aggregate = "group" if any(n in GROUP_METHODS for n in names) else CHAIN_AGGREGATES[name]
            if aggregate != "group":
                kind, op = _KNEX_AGG[name], name
            else:
                kind = "aggregate"
        elif name in SINGLE_ROW_METHODS["knex"] and kind == "read-many":
            kind, op = "read-one", "first"
    has_limit: bool | None = kind != "read-many" or any(n in LIMIT_METHODS["knex"] for n in names)
    if not has_limit and unknown:
        has_limit = None
    return QuerySpec(
        "knex",
        table,
        op,
        kind,
        outer,
        filter_fields=tuple(dict.fromkeys(filters)),
        sort_fields=tuple(sort),
        has_limit=has_limit,
        selects_all=not any(
            n in {"select", "pluck", "columns", "column"} and arguments(c) for n, c in methods
        ),
        paginated=any(n in PAGE_METHODS["knex"] for n in names),
        args=[a for _, c in methods for a in arguments(c)] + fargs,
        aggregate=aggregate,
        limit_bound=limit[0] if limit else "",
        limit_node=limit_node,
        limit_floor=limit[1] if limit else None,
        limit_max=limit.most if limit else None,
        peeks_next=bool(limit and limit[2]),
        in_list_bounded=bool(in_lists) and all(in_lists),
        in_fields=tuple(dict.fromkeys(in_fields)),
        opaque_filter=opaque,
        range_fields=tuple(dict.fromkeys(ranges)),
        join_keys=tuple(joins),
        **_selectivity(branches),
    )


_RANGE_SQL = frozenset({">", ">=", "<", "<="})


def _knex_condition(
    ctx: FileContext, name: str, args: list[ts.Node], cols: list[str], first: ts.Node | None
) -> ConditionText:
    """One Knex ``where*`` call's columns and how selective each comparison is."""
    cond = ConditionText()
    if first is not None and first.type == "object":
        where = WhereObject(relations=False)
        where.read(ctx, first)
        live = set(where.soft_deleted)
        for col in where.fields:
            cond.compared(
                col.rsplit(".", 1)[-1],
                weak=name in _KNEX_NEGATED or (col in where.unselective and col not in live),
                null=col in live,
            )
        return cond
    text = string_value(ctx, first)
    if text is not None and len(args) == 1 and not name.endswith(("In", "Null", "Between")):
        cond.read_sql(text)  # ``where("a <> 1")``-style raw condition
        return cond
    op = (string_value(ctx, args[1]) or "").strip().lower() if len(args) == 3 else ""
    value = args[-1] if len(args) >= 2 else None
    found = pattern(ctx, value) if name in _KNEX_PATTERN or op in {"like", "ilike"} else None
    leading = found is not None and found.leading
    # ``whereNull("deleted_at")``, ``where("deleted_at", null)``, ``where("deleted_at", "is", null)``
    literal = unwrap(value)
    null = name in _KNEX_NULL or (
        len(args) >= 2 and op in {"", "=", "is"} and literal is not None and literal.type == "null"
    )
    for col in cols:
        cond.compared(col, weak=name in _KNEX_NEGATED or op in _SQL_NEGATED_OPS or leading, null=null)
        if found is not None and leading:
            cond.searched(col, op or name, found.value)
    return cond


class _Selective(TypedDict):
    unselective_fields: tuple[str, ...]
    soft_delete_fields: tuple[str, ...]
    or_fields: tuple[str, ...]
    searches: tuple[Searched, ...]


def _selectivity(branches: list[tuple[bool, ConditionText]]) -> _Selective:
    """``unselective_fields`` / ``or_fields`` of a builder's ``where*`` calls: with an
    ``orWhere*`` call every call is a branch of one ``OR``."""
    total = ConditionText()
    if any(is_or for is_or, _ in branches):
        total.branches([c for _, c in branches])
    else:
        for _, c in branches:
            total.columns.extend(c.columns)
            total.merge_selectivity(c, negated=False, disjunction=False)
    return _Selective(
        unselective_fields=tuple(total.unselective),
        soft_delete_fields=tuple(total.soft_deleted),
        or_fields=tuple(total.or_only),
        searches=tuple(total.searches),
    )


def _dedupe(chain: Chain) -> Chain:
    seen: set[int] = set()
    out: Chain = []
    for item in chain:
        if item[1].id not in seen:
            seen.add(item[1].id)
            out.append(item)
    return out


def _awaited(node: ts.Node) -> bool:
    parent = node.parent
    return parent is not None and parent.type in {"await_expression", "return_statement"}


# ----------------------------------------------------------------------------- Drizzle


def match_drizzle(ctx: FileContext, outer: ts.Node, chain: Chain) -> QuerySpec | None:
    """``db.select().from(users).where(eq(users.id, id)).limit(1)`` and writes; a builder
    held in a variable and refined later (``q = q.where(...)``, ``q.limit(n)``) is followed."""
    if len(chain) < 2 or not ctx.cache.get("js.data.drizzle_file"):
        return None
    first_name, first_call = chain[0]
    base = _base(ctx, chain)
    if len(base) < 2 or base[-2] in {"()", "[]"}:
        return None
    names = [n for n, _ in chain]
    table: str | None = None
    kind = op = ""
    if first_name in {"select", "selectDistinct", "selectDistinctOn"} and "from" in names:
        from_call = chain[names.index("from")][1]
        fargs = arguments(from_call)
        if not fargs or string_value(ctx, fargs[0]) is not None:
            return None
        table, kind, op = ctx.node_text(fargs[0]), "read-many", "select"
    elif first_name in {"insert", "update", "delete"} and arguments(first_call):
        arg0 = arguments(first_call)[0]
        if string_value(ctx, arg0) is not None:
            return None
        table = ctx.node_text(arg0)
        kind, op = ("delete" if first_name == "delete" else "write"), first_name
    else:
        return None
    later, unknown = follow_builder(ctx, outer)
    full = chain + later
    names = [n for n, _ in full]
    tables = {table}
    for name, call in full:
        if name in JOIN_METHODS and arguments(call):
            tables.add(ctx.node_text(arguments(call)[0]))
    cond = Conditions(tables, base=table)
    sort: list[str] = []
    joined: list[str] = []
    limit: Limit | None = None
    limit_node: ts.Node | None = None
    for name, call in full:
        args = arguments(call)
        if name == "where" and args:
            cond.read(ctx, args[0])
        elif name in JOIN_METHODS and args:
            joined.append(ctx.node_text(args[0]))
            if len(args) > 1:
                cond.read_join(ctx, args[1], inner=JOIN_METHODS[name], joined=ctx.node_text(args[0]))
        elif name == "orderBy":
            sort.extend(ctx.node_text(a).rsplit(".", 1)[-1].rstrip(")") for a in args)
        elif name == "limit" and args:
            limit = limit_bound(ctx, args[0])
            limit_node = args[0]
    select_args = arguments(first_call) if first_name.startswith("select") else []
    aggregate = ""
    if kind == "read-many":
        aggregate = _drizzle_aggregate(ctx, select_args[0] if select_args else None)
        if any(n in GROUP_METHODS for n in names):
            aggregate = "group"  # one row per group, not per table row
        if aggregate == "count":
            kind, op = "count", "count"
        elif aggregate:
            kind = "aggregate"
        elif any(n in SINGLE_ROW_METHODS["drizzle"] for n in names[1:]):
            kind = "read-one"
    has_limit: bool | None = kind != "read-many" or limit is not None
    if not has_limit and unknown:
        has_limit = None
    return QuerySpec(
        "drizzle",
        table,
        op,
        kind,
        outer,
        filter_fields=cond.fields(),
        sort_fields=tuple(sort),
        has_limit=has_limit,
        include_paths=tuple(joined),
        selects_all=not select_args,
        paginated=any(n in PAGE_METHODS["drizzle"] for n in names),
        args=[a for _, c in full for a in arguments(c)],
        aggregate=aggregate,
        limit_bound=limit[0] if limit else "",
        limit_node=limit_node,
        limit_floor=limit[1] if limit else None,
        limit_max=limit.most if limit else None,
        peeks_next=bool(limit and limit[2]),
        in_list_bounded=cond.in_bounded(),
        in_fields=tuple(cond.in_fields),
        opaque_filter=cond.opaque,
        range_fields=tuple(cond.ranges),
        join_keys=tuple(cond.joins),
        related_filters=tuple(cond.related),
        include_strategy="join" if joined else "",
        unselective_fields=tuple(cond.unselective),
        soft_delete_fields=tuple(cond.soft_deleted),
        or_fields=tuple(cond.or_only),
        searches=tuple(cond.searches),
    )


def _drizzle_aggregate(ctx: FileContext, fields: ts.Node | None) -> str:
    """Aggregate a Drizzle select list computes (``{ n: count() }``, ``sql<number>`count(*)` ``,
    ``sum(t.x)``): the first aggregate found, ``""`` when a plain column is selected too."""
    pairs = object_pairs(ctx, fields)
    found = ""
    for value in pairs.values():
        kind = _drizzle_aggregate_value(ctx, value)
        if not kind:
            return ""
        found = found or kind
    return found


def _drizzle_aggregate_value(ctx: FileContext, node: ts.Node | None) -> str:
    """``count()``, ``sum(t.x)``, ``sql<number>`count(*)` `` (tree-sitter reads the type
    argument of a tagged template as comparisons, so the value's text is matched),
    ``sql`...`.mapWith(Number)``."""
    node = unwrap(node)
    if node is None:
        return ""
    m = _SQL_AGG.match(ctx.node_text(node))
    if m is not None:
        return m.group(1).lower()
    if node.type != "call_expression":
        return ""
    parts = callee_parts(ctx, node)
    name = parts[-1] if parts else ""
    if name in AGGREGATE_FUNCTIONS and len(parts) == 1:
        return AGGREGATE_FUNCTIONS[name]
    if name in {"as", "mapWith"}:
        fn = unwrap(node.child_by_field_name("function"))
        if fn is not None and fn.type == "member_expression":
            return _drizzle_aggregate_value(ctx, fn.child_by_field_name("object"))
    return ""


_SQL_AGG = re.compile(r"(?i)sql\s*(?:<[^`]*>)?\s*`\s*(count|sum|avg|min|max)\s*\(")


# ----------------------------------------------------------------------------- Supabase

_SUPA_FILTERS = frozenset(
    {
        "eq",
        "neq",
        "gt",
        "gte",
        "lt",
        "lte",
        "like",
        "ilike",
        "in",
        "is",
        "contains",
        "match",
        "filter",
        "textSearch",
        "containedBy",
        "overlaps",
    }
)


def match_supabase(ctx: FileContext, outer: ts.Node, chain: Chain) -> QuerySpec | None:
    """``supabase.from('t').select('*', { count: 'exact' }).eq('a', x).range(0, 9)``; a query
    held in a variable and refined later (``query = query.eq(...)``) is followed."""
    if len(chain) < 2 or chain[0][0] != "from":
        return None
    base = _base(ctx, chain)
    if not any("supabase" in p.lower() for p in base[:-1]) and not (
        ctx.cache.get("js.data.supabase_file") and len(base) >= 2 and base[-2] in {"client", "db", "sb"}
    ):
        return None
    fargs = arguments(chain[0][1])
    table = string_value(ctx, fargs[0]) if fargs else None
    later, unknown = follow_builder(ctx, outer)
    full = _dedupe(chain + later)
    names = [n for n, _ in full]
    kind, op = "read-many", "select"
    filters: list[str] = []
    ranges: list[str] = []
    in_lists: list[bool] = []
    in_fields: list[str] = []
    sort: list[str] = []
    selects_all = True
    opaque = False
    unselective: list[str] = []
    searches: list[Searched] = []
    limit: Limit | None = None
    limit_node: ts.Node | None = None
    for name, call in full[1:]:
        args = arguments(call)
        if name in {"insert", "upsert", "update"}:
            kind, op = "write", name
        elif name == "delete":
            kind, op = "delete", name
        elif name == "select" and op == "select":
            cols = string_value(ctx, args[0]) if args else "*"
            selects_all = cols in {None, "*", ""}
            opts = object_pairs(ctx, args[1]) if len(args) > 1 else {}
            if "count" in opts:
                op = "select.count"
                if ctx.node_text(opts.get("head")) == "true":
                    kind, op = "count", "count"
        elif name in _SUPA_FILTERS and args:
            col = string_value(ctx, args[0])
            if col:
                filters.append(col)
                if name in {"gt", "gte", "lt", "lte"}:
                    ranges.append(col)
                if name == "in" and len(args) > 1:
                    in_lists.append(bounded_values(ctx, args[1]))
                    in_fields.append(col)
                found = pattern(ctx, args[1]) if name in {"like", "ilike"} and len(args) > 1 else None
                if found is not None and found.leading:
                    unselective.append(col)
                    searches.append(Searched(col, name, found.value))
            elif name in {"match", "filter"}:
                opaque = True
        elif name in {"or", "not"}:
            opaque = True
        elif name == "order" and args:
            col = string_value(ctx, args[0])
            if col:
                sort.append(col)
        elif name == "limit" and args:
            limit = limit_bound(ctx, args[0])
            limit_node = args[0]
    if kind == "read-many" and any(n in SINGLE_ROW_METHODS["supabase"] for n in names):
        kind = "read-one"
    has_limit: bool | None = kind != "read-many" or any(n in LIMIT_METHODS["supabase"] for n in names)
    if not has_limit and unknown:
        has_limit = None
    return QuerySpec(
        "supabase",
        table,
        op,
        kind,
        outer,
        filter_fields=tuple(filters),
        sort_fields=tuple(sort),
        has_limit=has_limit,
        selects_all=selects_all,
        paginated="range" in names,
        args=[a for _, c in full for a in arguments(c)],
        aggregate="count" if kind == "count" else "",
        limit_bound=limit[0] if limit else ("param" if "range" in names else ""),
        limit_node=limit_node,
        limit_floor=limit[1] if limit else None,
        limit_max=limit.most if limit else None,
        peeks_next=bool(limit and limit[2]),
        in_list_bounded=bool(in_lists) and all(in_lists),
        in_fields=tuple(dict.fromkeys(in_fields)),
        opaque_filter=opaque,
        range_fields=tuple(dict.fromkeys(ranges)),
        # a column compared only by leading-wildcard patterns
        unselective_fields=tuple(
            c for c in dict.fromkeys(unselective) if filters.count(c) == unselective.count(c)
        ),
        searches=tuple(searches),
    )


# ----------------------------------------------------------------------------- TypeORM QueryBuilder

_QB_TERMINAL = {
    "getMany": "read-many",
    "getRawMany": "read-many",
    "getManyAndCount": "read-many",
    "stream": "read-many",
    "getOne": "read-one",
    "getRawOne": "read-one",
    "getOneOrFail": "read-one",
    "getRawAndEntities": "read-many",
    "getCount": "count",
    "getExists": "count",
    "execute": "write",
}


def match_query_builder(ctx: FileContext, outer: ts.Node, chain: Chain) -> QuerySpec | None:
    """``repo.createQueryBuilder('a').leftJoinAndSelect('a.author', 'u').take(20).getMany()``."""
    names = [n for n, _ in chain]
    terminal = next((n for n in reversed(names) if n in _QB_TERMINAL), None)
    if terminal is None:
        return None
    if "createQueryBuilder" in names:
        start = names.index("createQueryBuilder")
        full = chain[start:]
        root_call = chain[start][1]
    else:
        base = _base(ctx, chain)
        if len(base) != 2:
            return None
        found = _qb_declaration(ctx, outer, base[0])
        if found is None:
            return None
        root_call, decl_chain, stmts = found
        full = decl_chain + stmts + chain
    model = _qb_model(ctx, root_call)
    root_args = arguments(root_call)
    root_alias = string_value(ctx, root_args[-1]) if root_args else None
    alias_path: dict[str, str] = {}
    paths: list[str] = []
    filters: list[str] = []
    sort: list[str] = []
    fnames = [n for n, _ in full]
    kind = _QB_TERMINAL[terminal]
    if terminal == "execute":
        kind = (
            "delete"
            if "delete" in fnames or "softDelete" in fnames
            else ("write" if any(n in fnames for n in ("insert", "update")) else "read-many")
        )
    joins: list[tuple[str, str]] = []
    related: list[str] = []
    ranges: list[str] = []
    in_lists: list[bool] = []
    in_fields: list[str] = []
    opaque = False
    branches: list[tuple[bool, ConditionText]] = []
    limit: Limit | None = None
    limit_node: ts.Node | None = None
    for name, call in full:
        args = arguments(call)
        if name in JOIN_METHODS and args:
            rel = string_value(ctx, args[0]) or ""
            new_alias = string_value(ctx, args[1]) if len(args) > 1 else None
            if "." in rel and new_alias:
                joins.append((rel, new_alias))
            condition = string_value(ctx, args[2]) if len(args) > 2 else None
            if condition:
                pairs = _COL_PAIR.findall(condition)
                joins.extend(pairs)
                if JOIN_METHODS[name]:  # an inner join's condition on a value filters the rows
                    related.extend(f"{new_alias or rel}.{c}" for c in _VALUE_COND.findall(condition))
        if name.endswith("AndSelect") and args:
            rel = string_value(ctx, args[0]) or ""
            new_alias = string_value(ctx, args[1]) if len(args) > 1 else None
            if "." in rel:
                owner, _, field = rel.partition(".")
                prefix = alias_path.get(owner)
                path = f"{prefix}.{field}" if prefix else field
                paths.append(path)
                if new_alias:
                    alias_path[new_alias] = path
        elif name in {"where", "andWhere", "orWhere"}:
            cols = _where_cols(ctx, name, args)
            text = string_value(ctx, args[0]) if args else None
            if text and root_alias:
                # ``translation.value = ''`` on a joined alias filters through the join;
                # ``term.project.id = :id`` filters on the root's relation ``project``
                other: list[str] = []
                via: list[str] = []
                for path, col in _ALIASED.findall(text):
                    head = path.rstrip(".").split(".")
                    if head[0] != root_alias:
                        other.append(f"{head[-1]}.{col}")
                    elif len(head) > 1:
                        via.append(head[1])
                related.extend(other)
                gone = {o.rpartition(".")[2] for o in other} | ({"id"} if via else set())
                cols = [c for c in cols if c not in gone] + via
            filters.extend(cols)
            first = unwrap(args[0]) if args else None
            where = WhereObject(relations=False)
            if first is not None and first.type == "object":
                where.read(ctx, first)
                ranges.extend(where.ranges)
                in_lists.extend(where.in_lists)
                in_fields.extend(where.in_fields)
            elif not cols and args:
                opaque = True  # ``where(new Brackets(...))``, ``where(conditions)``
            branch = ConditionText()
            if text:
                branch.read_sql(text, bind=named_binder(ctx, args[1] if len(args) > 1 else None))
            else:
                live = set(where.soft_deleted)  # ``where({ deletedAt: IsNull(), ownerId })``
                for col in cols:
                    branch.compared(col, weak=col in where.unselective and col not in live, null=col in live)
            branches.append((name == "orWhere", branch))
            cond = string_value(ctx, first) if first is not None else None
            if cond:
                ranges.extend(m.group(1) for m in _RANGE_COND.finditer(cond))
                in_fields.extend(_IN_COND.findall(cond))
        elif name in {"orderBy", "addOrderBy"} and args:
            col = string_value(ctx, args[0])
            if col:
                sort.append(col.rsplit(".", 1)[-1])
            else:
                sort.extend(k.rsplit(".", 1)[-1] for k in object_pairs(ctx, args[0]))
        elif name == "from" and model is None and args:
            model = ctx.node_text(args[0])
        elif name in LIMIT_METHODS["typeorm"] and args:
            limit = limit_bound(ctx, args[0])
            limit_node = args[0]
    aggregate = ""
    if kind == "count":
        aggregate = "count" if terminal == "getCount" else "exists"
    elif kind in {"read-many", "read-one"} and any(n in GROUP_METHODS for n in fnames):
        aggregate, kind = "group", "aggregate"
    return QuerySpec(
        "typeorm",
        model,
        terminal,
        kind,
        outer,
        filter_fields=tuple(dict.fromkeys(filters)),
        sort_fields=tuple(dict.fromkeys(sort)),
        has_limit=kind != "read-many" or any(n in {"take", "limit"} for n in fnames) or terminal == "stream",
        include_paths=tuple(paths),
        include_depth=max((p.count(".") + 1 for p in paths), default=0),
        selects_all=not any(n in {"select", "addSelect"} and arguments(c) for n, c in full),
        paginated=any(n in {"skip", "offset"} for n in fnames),
        args=[a for _, c in full for a in arguments(c)],
        aggregate=aggregate,
        limit_bound=limit[0] if limit else "",
        limit_node=limit_node,
        limit_floor=limit[1] if limit else None,
        limit_max=limit.most if limit else None,
        peeks_next=bool(limit and limit[2]),
        in_list_bounded=bool(in_lists) and all(in_lists),
        in_fields=tuple(dict.fromkeys(in_fields)),
        opaque_filter=opaque,
        range_fields=tuple(dict.fromkeys(ranges)),
        join_keys=tuple(dict.fromkeys(joins)),
        related_filters=tuple(related),
        include_strategy="join" if paths else "",
        **_selectivity(branches),
    )


_COL_PAIR = re.compile(r"\b(\w+\.\w+)\s*=\s*(\w+\.\w+)\b")
_VALUE_COND = re.compile(
    r"(?:\b\w+\.)?\"?(\w+)\"?\s*(?:=|!=|<>|>=|<=|>|<|\b(?:IN|in|LIKE|like|ILIKE|ilike)\b)\s*(?=[:'\d(])"
)
_ALIASED = re.compile(
    r"\b((?:\w+\.)+)\"?(\w+)\"?\s*(?:=|!=|<>|>=|<=|>|<|\b(?:IN|in|LIKE|like|ILIKE|ilike|IS|is)\b)"
)
_IN_COND = re.compile(r"(?:\b\w+\.)?\"?(\w+)\"?\s+(?:IN|in)\s*\(")
_RANGE_COND = re.compile(r"(?:\b\w+\.)?\"?(\w+)\"?\s*(?:>=|<=|>|<)\s*:")


def _qb_model(ctx: FileContext, root_call: ts.Node) -> str | None:
    parts = callee_parts(ctx, root_call)
    args = arguments(root_call)
    if len(args) >= 2:  # manager.createQueryBuilder(User, 'u')
        return ctx.node_text(args[0])
    if len(parts) >= 2:
        recv = parts[-2]
        if recv == "()":
            chain = call_chain(ctx, root_call)
            if len(chain) >= 2:
                inner_args = arguments(chain[-2][1])
                # ``getRepository(User)``; wrappers pass a context first: ``getRepository(ctx, User)``
                named = [a for a in inner_args if ctx.node_text(a)[:1].isupper()]
                return ctx.node_text(named[0] if named else inner_args[-1]) if inner_args else None
            return None
        repos = _repo_models(ctx)
        if recv in repos:
            return repos[recv]
        if re.search(r"(?i)repo(sitory)?$", recv):
            return _model_from_name(recv, "Repository", "Repo")
        if recv[:1].isupper():
            return recv
    return None


def _qb_declaration(ctx: FileContext, outer: ts.Node, name: str) -> tuple[ts.Node, Chain, Chain] | None:
    fn = enclosing_function(outer)
    if fn is None:
        return None
    root: ts.Node | None = None
    decl_chain: Chain = []
    stmts: Chain = []
    for call, parts in calls_between(ctx, fn.start_byte, outer.start_byte):
        if parts and parts[-1] == "createQueryBuilder" and root is None:
            holder = call.parent
            while holder is not None and holder.type in {
                "member_expression",
                "call_expression",
                "await_expression",
                "arguments",
            }:
                holder = holder.parent
            if holder is not None and holder.type in {"variable_declarator", "assignment_expression"}:
                target = holder.child_by_field_name("name") or holder.child_by_field_name("left")
                if ctx.node_text(target) == name:
                    root = call
                    from scalescope.scan.extract.js.ast import outermost_chain_call

                    decl_chain = call_chain(ctx, outermost_chain_call(call))
                    names = [n for n, _ in decl_chain]
                    decl_chain = (
                        decl_chain[names.index("createQueryBuilder") :]
                        if "createQueryBuilder" in names
                        else decl_chain
                    )
        elif root is not None and len(parts) >= 2 and parts[0] == name:
            stmts.extend(item for item in call_chain(ctx, call) if item not in stmts)
    if root is None:
        return None
    return root, decl_chain, stmts


# ----------------------------------------------------------------------------- literal SQL

_SQL_METHODS = frozenset(
    {"query", "execute", "raw", "unsafe", "none", "one", "oneOrNone", "many", "any", "manyOrNone", "queryRaw"}
)


#: methods of the query executors that run a SQL statement handed in (Prisma's are matched
#: by ``data_prisma``, which reads the ``Prisma.sql`...` `` handed to them)
_RAW_EXECUTORS = frozenset({"$queryRaw", "$queryRawUnsafe", "$executeRaw", "$executeRawUnsafe"})


def is_sql_tag(parts: tuple[str, ...]) -> bool:
    """The callee of a tagged template that holds a SQL statement: ``sql`...` ``,
    ``Prisma.sql`...` ``, ``sql.unsafe`...` ``, postgres-js ``sql`...` ``, slonik
    ``sql.type(Row)`...` `` / ``sql.typeAlias("row")`...` ``."""
    if not parts:
        return False
    if parts[-1] == "()":
        return len(parts) >= 3 and parts[-2] in {"type", "typeAlias"} and "sql" in parts[-3].lower()
    return parts[-1] in {"sql", "query", "unsafe"} or "sql" in parts[-1].lower()


#: calls that run the SQL statement handed to them: the driver and ORM executors above, Drizzle's
#: SQLite/libSQL ``db.run/all/get/values(sql`...`)``, slonik's result-shape methods and Kysely's
#: ``sql`...`.execute(db)`` / ``db.executeQuery(...)``
_STATEMENT_RUNNERS = (
    _SQL_METHODS
    | _RAW_EXECUTORS
    | {"run", "all", "get", "values", "maybeOne", "oneFirst", "maybeOneFirst", "manyFirst", "anyFirst"}
    | {"executeQuery", "executeTakeFirst", "executeTakeFirstOrThrow", "stream"}
)
#: nodes a value passes through unchanged on its way to where it is used
_VALUE_CARRIERS = frozenset(
    {
        "await_expression",
        "parenthesized_expression",
        "non_null_expression",
        "as_expression",
        "satisfies_expression",
        "array",
        "spread_element",
        "ternary_expression",
        "binary_expression",
        "sequence_expression",
    }
)


def sql_fragment(ctx: FileContext, tag: ts.Node) -> bool:
    """True when the tagged template ``tag`` (``sql`...` ``) is a fragment of another statement
    rather than a statement: the statement it is part of runs it, it runs no query itself.

    Followed outwards as a value (through its own ``.as("x")`` / ``.mapWith(...)``, parentheses,
    arrays, ternaries, and the arguments of any call that does not run SQL: ``eq(col, sql`...`)``
    inside ``and(...)``), it is a fragment when it lands in a substitution of another template
    (``sql`... ${sql`AND x`}` ``), as a property value of an object literal handed to a call
    (Drizzle ``.set({ key: sql`REPLACE(...)` })``, ``.values({...})``,
    ``select({ n: sql`count(*)` })``: a column value, even for a call named like a runner), or
    in the arguments of a method of a fluent chain
    (``db.update(t).set(...).where(sql`...`)``, ``.orderBy(sql`...`)``). It is a statement
    when a call that runs SQL takes it first (``db.execute(sql`...`)``, ``pool.query(...)``,
    ``sql`...`.execute(db)``) or when it reaches a statement, a declaration, a return or a
    function body on its own (``await sql`...` ``, ``const rows = sql`...` ``,
    ``runQuery(sql`...`)``): a function boundary ends the walk."""
    node = tag
    in_object = False
    while True:
        parent = node.parent
        if parent is None:
            return False
        kind = parent.type
        if kind == "member_expression" and parent.child_by_field_name("object") == node:
            grand = parent.parent
            if grand is None or grand.type != "call_expression":
                return False
            if ctx.node_text(parent.child_by_field_name("property")) in _STATEMENT_RUNNERS:
                return False  # ``sql`...`.execute(db)``
            node = grand  # ``sql`...`.as("x")``: the value goes on
            continue
        if kind == "template_substitution":
            return True
        if kind == "pair" and parent.child_by_field_name("value") == node and parent.parent is not None:
            in_object = True  # ``{ key: sql`...` }``: a column value, once handed to a call
            node = parent.parent
            continue
        if kind in _VALUE_CARRIERS:
            if kind == "ternary_expression" and parent.child_by_field_name("condition") == node:
                return False
            node = parent
            continue
        if kind != "arguments" or parent.parent is None or parent.parent.type != "call_expression":
            return False
        holder = parent.parent
        parts = callee_parts(ctx, holder)
        if in_object:
            return True  # ``.set({ key: sql`...` })``, ``.values({ ... })``, ``select({ n: sql`count(*)` })``
        if parts and parts[-1] in _STATEMENT_RUNNERS:
            return False  # ``db.execute(sql`...`)``: the statement of that call
        receiver = call_receiver(holder)
        if receiver is not None and receiver.type == "call_expression":
            return True  # a clause of a fluent builder: ``.where(sql`...`)``, ``.orderBy(...)``
        node = holder  # ``eq(col, sql`...`)``: a value built from it goes on


def match_sql(ctx: FileContext, call: ts.Node, parts: tuple[str, ...]) -> QuerySpec | None:
    """``pool.query('SELECT ...', [id])``, ``sql`SELECT ...` `` tags, ``knex.raw(...)``; a tag
    that is a fragment of another statement (:func:`sql_fragment`) is no query."""
    if not parts:
        return None
    args = arguments(call)
    node = call.child_by_field_name("arguments")
    if node is not None and node.type == "template_string":  # tagged template: sql`...`
        if not is_sql_tag(parts) or sql_fragment(ctx, call):
            return None
        holder = call.parent.parent if call.parent is not None and call.parent.type == "arguments" else None
        if holder is not None and holder.type == "call_expression":
            outer = callee_parts(ctx, holder)
            if outer and outer[-1] in _RAW_EXECUTORS:
                return None  # ``prisma.$queryRaw(Prisma.sql`...`)``: the Prisma call is the query
        sql = sql_of(ctx, node)
    else:
        if parts[-1] not in _SQL_METHODS or len(parts) < 2 or not args:
            return None
        first = unwrap(args[0])
        if first is not None and first.type == "object":
            text = object_pairs(ctx, first).get("text") or object_pairs(ctx, first).get("sql")
            sql = sql_of(ctx, text)
        else:
            sql = sql_of(ctx, first)
    if not sql:
        return None
    markers = ctx.cache.get("js.data.sql_markers")
    if markers is None:
        low = lower_text(ctx)
        markers = {m for m in ("mysql", "postgres", "typeorm", "sequelize", "drizzle") if m in low}
        ctx.cache["js.data.sql_markers"] = markers
    orm = "pg"
    if "mysql" in markers:
        orm = "mysql2"
    elif parts and parts[-1] == "raw":
        orm = "knex"
    elif parts[-1] == "query" and len(parts) >= 2 and parts[-2] == "sequelize":
        orm = "sequelize"
    elif "drizzle" in markers and node is not None and node.type == "template_string":
        orm = "drizzle"
    elif "postgres" in markers and node is not None and node.type == "template_string":
        orm = "postgres"
    elif "typeorm" in markers:
        orm = "typeorm"
    elif "sequelize" in markers:
        orm = "sequelize"
    return raw_spec(ctx, orm, call, sql, node, args)


def raw_spec(
    ctx: FileContext,
    orm: str,
    call: ts.Node,
    sql: str,
    node: ts.Node | None,
    args: list[ts.Node],
    spread: bool = False,
) -> QuerySpec | None:
    """The query a literal statement runs (the one path from SQL text to a query, for every
    raw-SQL form): table, filter and sort columns, limit and where its value comes from,
    joins, aggregate and leading-wildcard searches. ``node`` is a tagged template's
    ``template_string`` (its substitutions are the parameters), else the parameters are in
    ``args`` (after the statement: an array, ``{ values }``, Sequelize ``{ replacements }`` /
    ``{ bind }``, or with ``spread`` the arguments themselves)."""
    info = parse_sql(sql)
    if info is None:
        return None
    searches, searched_columns = sql_searches(ctx, sql, node, args, spread)
    limit_node = _sql_limit_node(ctx, node, args, sql, spread) if info.has_limit else None
    limit = limit_bound(ctx, limit_node) if limit_node is not None else None
    return QuerySpec(
        orm,
        info.table,
        info.operation,
        "raw",
        call,
        filter_fields=info.where,
        sort_fields=info.order,
        has_limit=info.has_limit or info.aggregate,
        limit_max=info.limit_value,
        paginated=info.paginated,
        args=args,
        aggregate=info.aggregate_kind,
        limit_bound=limit[0] if limit else "",
        limit_floor=limit[1] if limit else None,
        limit_node=limit_node,
        range_fields=info.ranges,
        join_keys=info.join_keys,
        in_fields=info.in_fields,
        unselective_fields=searched_columns,
        searches=searches,
        related_filters=info.related,
    )


_TEMPLATE_LIMIT = re.compile(r"\blimit\s*$", re.IGNORECASE)


def _sql_limit_node(
    ctx: FileContext, node: ts.Node | None, args: list[ts.Node], sql: str, spread: bool = False
) -> ts.Node | None:
    """The expression filling the statement's ``LIMIT``: a tagged template's ``${n}`` after
    ``LIMIT``, or the bound value of ``LIMIT $2`` / ``?`` / ``:limit`` in the parameter array
    or object (``pool.query(sql, [a, n])``, ``{ text, values }``, ``knex.raw(sql, { limit })``)."""
    if node is not None and node.type == "template_string":
        before = node.start_byte + 1
        for child in node.named_children:
            if child.type != "template_substitution":
                continue
            text = ctx.source[before : child.start_byte].decode("utf-8", errors="replace")
            if _TEMPLATE_LIMIT.search(text):
                return child.named_children[0] if child.named_children else None
            before = child.end_byte
        return None
    spot = limit_placeholder(sql)
    if spot is None:
        return None
    return _bound_param(ctx, node, args, spot, spread)


def _bound_param(
    ctx: FileContext, node: ts.Node | None, args: list[ts.Node], spot: Placeholder, spread: bool = False
) -> ts.Node | None:
    """The expression a statement's placeholder is bound to: a tagged template's substitution
    (numbered ``$1``, ``$2``... by :func:`sql_of`), or the parameter array / object of the call
    (``pool.query(sql, [a, n])``, ``{ text, values }``, ``knex.raw(sql, { q })``); with
    ``spread``, the arguments after the statement (Prisma ``$queryRawUnsafe(sql, a, n)``)."""
    if node is not None and node.type == "template_string":
        subs = [c for c in node.named_children if c.type == "template_substitution"]
        if 0 <= spot.position < len(subs) and subs[spot.position].named_children:
            return subs[spot.position].named_children[0]
        return None
    if spread:
        rest = args[1:]
        return rest[spot.position] if 0 <= spot.position < len(rest) else None
    if not args:
        return None
    first = unwrap(args[0])
    values = object_pairs(ctx, first).get("values") if first is not None and first.type == "object" else None
    params = unwrap(values if values is not None else (args[1] if len(args) > 1 else None))
    if params is not None and params.type == "object":
        # Sequelize ``{ replacements: {...}, type }`` / ``{ bind: [...] }``
        options = object_pairs(ctx, params)
        if "replacements" in options or "bind" in options:
            params = unwrap(options.get("replacements") or options.get("bind"))
    if params is None:
        return None
    if spot.name:
        return object_pairs(ctx, params).get(spot.name)
    items = [c for c in params.named_children if c.type != "comment"] if params.type == "array" else []
    return items[spot.position] if 0 <= spot.position < len(items) else None


def sql_searches(
    ctx: FileContext, sql: str, node: ts.Node | None, args: list[ts.Node], spread: bool = False
) -> tuple[tuple[Searched, ...], tuple[str, ...]]:
    """Columns a literal statement searches with a leading wildcard (``ILIKE '%' || $1 ||
    '%'``, ``LIKE $1`` bound to `` `%${q}%` ``), with the searched text; and the columns
    compared only so (``unselective_fields``)."""
    found: list[Searched] = []
    for spot in like_spots(sql):
        bound = (
            _bound_param(ctx, node, args, spot.placeholder, spread) if spot.placeholder is not None else None
        )
        search = spot_search(ctx, spot, bound)
        if search is not None:
            found.append(search)
    return tuple(found), tuple(dict.fromkeys(s.column for s in found))
