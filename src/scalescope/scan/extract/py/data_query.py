"""Symbolic evaluation of Python query expressions (SQLAlchemy 1.x/2.0, Flask-SQLAlchemy,
SQLModel, Django ORM, raw SQL through DB-API/asyncpg/``databases``).

:func:`state_of` turns an expression node into a :class:`QState` describing the query it
builds or runs, following method chains, subscripts and local variables (``stmt = select(User)``
... ``await session.execute(stmt)``). Only expressions rooted in something recognisably ORM
(``session.query(Model)``, ``select(Model)``, ``Model.objects``, ``Model.query``, a DB
connection with literal SQL) get a state, so ``dict.get``, ``requests.get`` or ``list.count``
never do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import tree_sitter as ts

from scalescope.scan.extract.base import FileContext, captures
from scalescope.scan.extract.js.data_common import literal_limit, parse_sql
from scalescope.scan.extract.py.ast import (
    arguments,
    call_chain,
    callee_parts,
    dict_pairs,
    dotted,
    int_value,
    kwargs,
    outermost_chain_call,
    string_value,
    unwrap,
)
from scalescope.scan.extract.py.data_common import assignment_before, normalise_sql, sql_text
from scalescope.scan.extract.py.data_flow import (
    Limit,
    bounded_values,
    calls_between,
    functions_by_name,
    limit_bound,
    limit_most,
    param_names,
)
from scalescope.scan.extract.py.data_tables import (
    AGGREGATE_FUNCTIONS,
    COLUMN_LOOKUPS,
    LOADER_STRATEGY,
    RANGE_LOOKUPS,
    SQLA_NEGATED_OPERATORS,
    SQLA_PATTERN_METHODS,
    SQLA_UNSELECTIVE_METHODS,
    UNSELECTIVE_LOOKUPS,
)
from scalescope.scan.extract.py.patterns import pattern, searched_text, spot_search
from scalescope.scan.extract.selectivity import Searched, Selectivity
from scalescope.scan.extract.sql_params import Placeholder, limit_placeholder
from scalescope.scan.extract.sql_search import like_spots

# QState.stage values
LAZY_QUERY = "query"  # SQLAlchemy 1.x Query / Flask-SQLAlchemy Model.query (runs when iterated)
LAZY_QS = "qs"  # Django QuerySet / manager (runs when evaluated)
STMT = "stmt"  # SQLAlchemy 2.0 select()/insert()/update()/delete() (runs when executed)
RESULT = "result"  # executed statement whose rows are not fetched yet
DONE = "done"  # evaluated: the DataAccess is complete

LAZY = frozenset({LAZY_QUERY, LAZY_QS})


@dataclass(frozen=True, slots=True)
class QState:
    """What is known about a query expression."""

    orm: str
    model: str | None
    stage: str
    kind: str = "read-many"  # DataAccess.kind once evaluated
    operation: str = ""
    filters: tuple[str, ...] = ()
    sorts: tuple[str, ...] = ()
    has_limit: bool | None = False
    paginated: bool = False
    includes: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # Django select_related/prefetch_related relation names
    selects_all: bool = True
    related_manager: bool = False  # ``user.orders.all()``
    in_filter: bool = False  # filters on an IN list (``id__in=ids``, ``.in_(ids)``, ``= ANY($1)``)
    # query shape (see :class:`~scalescope.model.facts.DataAccess`)
    aggregate: str = ""
    limit_bound: str = ""
    limit_floor: bool | None = None
    limit_max: int | None = None
    limit_node: ts.Node | None = None  # the limit expression, traced when its bound is ``param``
    peeks_next: bool = False
    in_lists: tuple[bool, ...] = ()  # per IN filter: its values are bounded by construction
    in_fields: tuple[str, ...] = ()
    opaque_filter: bool = False
    ranges: tuple[str, ...] = ()
    joins: tuple[tuple[str, str], ...] = ()
    related_filters: tuple[str, ...] = ()
    include_strategy: str = ""
    values: bool = False  # Django ``values()``/``values_list()`` applied (then annotate groups)
    # how selective each compared column's predicates are (see :mod:`..selectivity`):
    # compared by an unselective / a selective predicate, inside an OR across columns / not
    sel_weak: tuple[str, ...] = ()
    sel_strong: tuple[str, ...] = ()
    sel_or: tuple[str, ...] = ()
    sel_plain: tuple[str, ...] = ()
    # columns searched by a leading-wildcard pattern, with the node of the searched text
    searches: tuple[Searched, ...] = ()
    # compared by ``IS NULL`` on a soft-delete column / by any other predicate
    sel_live: tuple[str, ...] = ()
    sel_other: tuple[str, ...] = ()


#: names SQLAlchemy's statement constructs are reached through: ``sa.select(Model)``,
#: ``sql.select`` (``from sqlalchemy import sql``), Flask-SQLAlchemy's ``db.select``
SA_MODULES = frozenset({"db", "sa", "sqlalchemy", "sqlmodel", "sql"})
_SESSIONISH = re.compile(
    r"session|^db$|^sess$|^s$|^dbs$|^uow$|^tx$|^txn$|^conn(ection)?$|^async_session$", re.I
)
_DBISH = re.compile(r"conn|cursor|^cur$|^c$|^db$|database|pool|session|^tx$|^txn$|engine|^con$|^pg$", re.I)
_ENTITY_FUNCS = re.compile(r"^(func\.)?(count|sum|avg|min|max)$")
_COL_REF = re.compile(r"\b([A-Z]\w*)\.([a-z_]\w*)\b(?!\s*\()")
_SQLA_NON_COLUMNS = frozenset({"c", "columns", "query", "objects", "id_seq", "metadata"})
_RESULT_ONE = frozenset(
    {"first", "one", "one_or_none", "scalar", "scalar_one", "scalar_one_or_none", "fetchone", "fetchval"}
)
_RESULT_MANY = frozenset({"all", "fetchall", "partitions"})
_RESULT_PASS = frozenset({"scalars", "unique", "mappings", "tuples", "columns"})
_LOADERS = frozenset(
    {"joinedload", "selectinload", "subqueryload", "immediateload", "contains_eager", "defaultload"}
)
_EXECUTE = frozenset({"execute", "scalars", "scalar", "exec", "stream", "stream_scalars"})
_RAW_ONE = frozenset({"fetchrow", "fetchval", "fetch_one", "fetch_val", "scalar", "fetchone"})
_RAW_METHODS = frozenset(
    {
        "fetch",
        "fetchrow",
        "fetchval",
        "fetch_all",
        "fetch_one",
        "fetch_val",
        "execute",
        "iterate",
        "executemany",
    }
)

# Django QuerySet methods
_DJ_LAZY = frozenset(
    {
        "all",
        "filter",
        "exclude",
        "order_by",
        "distinct",
        "using",
        "reverse",
        "annotate",
        "alias",
        "select_for_update",
        "extra",
        "only",
        "defer",
        "values",
        "values_list",
        "select_related",
        "prefetch_related",
        "union",
        "intersection",
        "difference",
        "filter_by",
    }
)
_DJ_ONE = frozenset(
    {"get", "first", "last", "earliest", "latest", "exists", "contains", "aget", "afirst", "alast"}
)
_DJ_WRITE = frozenset(
    {
        "create",
        "get_or_create",
        "update_or_create",
        "bulk_create",
        "bulk_update",
        "update",
        "acreate",
        "aget_or_create",
        "aupdate_or_create",
        "abulk_create",
        "aupdate",
    }
)
# first call of a related-manager chain (``user.orders.all()``): methods no dict/list/str has
_DJ_RELATED_FIRST = frozenset(
    {
        "all",
        "filter",
        "exclude",
        "order_by",
        "select_related",
        "prefetch_related",
        "exists",
        "annotate",
        "aggregate",
    }
)
_MAX_DEPTH = 14


def is_model_name(text: str) -> bool:
    return bool(text) and text[0].isupper() and text.isidentifier() and not text.isupper()


def _cache(ctx: FileContext) -> dict[int, QState | None]:
    memo = ctx.cache.get("py.data.state")
    if memo is None:
        memo = {}
        ctx.cache["py.data.state"] = memo
    return memo


def is_django_file(ctx: FileContext) -> bool:
    flag = ctx.cache.get("py.data.django")
    if flag is None:
        flag = "django" in ctx.text or ".objects." in ctx.text
        ctx.cache["py.data.django"] = flag
    return bool(flag)


def state_of(ctx: FileContext, node: ts.Node | None, depth: int = 0) -> QState | None:
    """The query state of an expression, or None when it is not a query."""
    node = unwrap(node)
    if node is None or depth > _MAX_DEPTH:
        return None
    memo = _cache(ctx)
    key = node.id
    if key in memo:
        return memo[key]
    memo[key] = None  # guards cycles
    try:
        result = _state(ctx, node, depth)
    except RecursionError:
        result = None
    memo[key] = result
    return result


def _state(ctx: FileContext, node: ts.Node, depth: int) -> QState | None:
    if node.type == "identifier":
        assign = assignment_before(ctx, node)
        if assign is None:
            return None
        return state_of(ctx, assign.child_by_field_name("right"), depth + 1)
    if node.type == "attribute":
        return _attribute_root(ctx, node)
    if node.type == "subscript":
        base = state_of(ctx, node.child_by_field_name("value"), depth + 1)
        return _subscript(ctx, base, node) if base is not None else None
    if node.type != "call":
        return None
    fn = unwrap(node.child_by_field_name("function"))
    if fn is None:
        return None
    if fn.type == "attribute":
        method = ctx.node_text(fn.child_by_field_name("attribute"))
        obj = fn.child_by_field_name("object")
        base = state_of(ctx, obj, depth + 1)
        if base is not None:
            return _apply(ctx, base, method, node, depth)
        return _method_root(ctx, node, method, dotted(ctx, fn), depth)
    if fn.type == "identifier":
        return _function_root(ctx, node, ctx.node_text(fn), depth)
    return None


# ----------------------------------------------------------------------------- roots


def _attribute_root(ctx: FileContext, node: ts.Node) -> QState | None:
    """``User.query`` (Flask-SQLAlchemy) and ``User.objects`` (Django managers)."""
    attr = ctx.node_text(node.child_by_field_name("attribute"))
    obj = unwrap(node.child_by_field_name("object"))
    if obj is None or obj.type != "identifier":
        return None
    name = ctx.node_text(obj)
    if not is_model_name(name):
        return None
    if attr == "query" and node.parent is not None and node.parent.type == "attribute":
        return QState("sqlalchemy", name, LAZY_QUERY)
    if attr in {"objects", "_default_manager", "_base_manager", "all_objects"} and is_django_file(ctx):
        return QState("django", name, LAZY_QS)
    return None


def _entities(ctx: FileContext, args: list[ts.Node]) -> tuple[str | None, bool, str]:
    """Model, whether whole rows are selected, and the aggregate computed (``count``,
    ``sum``, ``avg``, ``min``, ``max``) or ``""``."""
    model: str | None = None
    whole = True
    special = ""
    for arg in args:
        node = unwrap(arg)
        if node is None:
            continue
        if node.type == "identifier" and is_model_name(ctx.node_text(node)):
            model = model or ctx.node_text(node)
            continue
        qualified = _MODULE_MODEL.fullmatch(ctx.node_text(node)) if node.type == "attribute" else None
        if qualified is not None and is_model_name(qualified.group(1)):
            model = model or qualified.group(1)  # ``models.User`` (``from app import models``)
            continue
        whole = False
        if node.type == "call":
            parts = callee_parts(ctx, node)
            label = ".".join(parts[-2:]) if len(parts) >= 2 else ".".join(parts)
            m = _ENTITY_FUNCS.match(label)
            if m:
                special = special or AGGREGATE_FUNCTIONS[m.group(2)]
        refs = _COL_REF.findall(ctx.node_text(node))
        if refs and model is None:
            model = refs[0][0]
    return model, whole, special


def _column_names(ctx: FileContext, nodes: list[ts.Node]) -> tuple[str, ...]:
    out: list[str] = []
    for node in nodes:
        text = ctx.node_text(node)
        for _model, col in _COL_REF.findall(text):
            if col not in _SQLA_NON_COLUMNS:
                out.append(col)
        value = string_value(ctx, node)
        if value:
            out.extend(w.lstrip("-+") for w in re.split(r"[,\s]+", value) if w.strip() and w.isidentifier())
    return tuple(dict.fromkeys(out))


def _agg_kind(aggregate: str) -> str:
    return "count" if aggregate == "count" else ("aggregate" if aggregate else "read-many")


def _method_root(
    ctx: FileContext, call: ts.Node, method: str, parts: tuple[str, ...], depth: int
) -> QState | None:
    recv = parts[-2] if len(parts) >= 2 else ""
    if recv == "()" and len(parts) >= 3 and parts[-3] == "cursor":
        recv = "cursor"  # ``connection.cursor().execute(...)``
    args = arguments(call)
    if not args and method in _RAW_METHODS:
        query = kwargs(ctx, call).get("query")  # encode/databases ``fetch_all(query=..., values=...)``
        args = [query] if query is not None else []
    if method == "query" and _SESSIONISH.search(recv) and args:
        model, whole, special = _entities(ctx, args)
        if model is None and not special:
            return None
        return QState(
            "sqlalchemy", model, LAZY_QUERY, kind=_agg_kind(special), selects_all=whole, aggregate=special
        )
    if method in {"select", "insert", "update", "delete"} and recv in SA_MODULES:
        return _function_root(ctx, call, method, depth)
    if method in {"get", "get_or_404", "aget"} and len(args) >= 2 and _SESSIONISH.search(recv):
        model, _whole, _ = _entities(ctx, args[:1])
        if model is None:
            return None
        return QState(
            "sqlalchemy", model, DONE, kind="read-one", operation="get", filters=("id",), has_limit=True
        )
    if method in _EXECUTE and args and _DBISH.search(recv):
        return _execute(ctx, call, method, args[0], recv, depth)
    if method in {"paginate", "first_or_404", "one_or_404"} and recv == "db" and args:
        stmt = state_of(ctx, args[0], depth + 1)
        if stmt is None or stmt.stage != STMT:
            return None
        if method == "paginate":
            return _paginate(ctx, stmt, call)
        return replace(stmt, stage=DONE, kind="read-one", operation=method, has_limit=True)
    if method in _RAW_METHODS and args and _DBISH.search(recv):
        return _raw(ctx, call, method, args[0], recv)
    if method == "raw" and recv in {"objects", "_default_manager"} and args:
        return _raw(ctx, call, method, args[0], recv)
    if is_django_file(ctx) and len(parts) >= 2:
        return _related_manager(ctx, call, method, parts, depth)
    return None


def _function_root(ctx: FileContext, call: ts.Node, name: str, depth: int) -> QState | None:
    args = arguments(call)
    if name == "select" and args:
        model, whole, special = _entities(ctx, args)
        if model is None and not special:
            return None
        return QState(
            "sqlalchemy",
            model,
            STMT,
            kind=_agg_kind(special),
            operation="select",
            selects_all=whole,
            aggregate=special,
        )
    if name in {"insert", "update", "delete"} and args:
        first = unwrap(args[0])
        if first is None or first.type != "identifier" or not is_model_name(ctx.node_text(first)):
            return None
        kind = "delete" if name == "delete" else "write"
        return QState("sqlalchemy", ctx.node_text(first), STMT, kind=kind, operation=name, has_limit=None)
    if name in {"get_object_or_404", "get_list_or_404", "aget_object_or_404"} and args:
        base = _django_source(ctx, args[0], depth)
        if base is None:
            return None
        st = _django_filter(ctx, base, call, skip_first=True)
        if name == "get_list_or_404":
            return replace(st, stage=DONE, operation=name)
        return replace(st, stage=DONE, kind="read-one", operation=name, has_limit=True)
    if name == "Paginator" and args:
        base = state_of(ctx, args[0], depth + 1)
        if base is None or base.stage not in LAZY:
            return None
        return _paginate(ctx, base, call)
    return _through_helper(ctx, call, name, depth)


def _through_helper(ctx: FileContext, call: ts.Node, name: str, depth: int) -> QState | None:
    """``q = paginate(q, page)`` with ``def paginate(query, page): return query.limit(...)``
    in the same file: the methods the helper applies to its parameter refine the query."""
    helper = functions_by_name(ctx).get(name)
    if helper is None:
        return None
    args = arguments(call)
    for index, arg in enumerate(args):
        if arg.type == "keyword_argument":
            break
        base = state_of(ctx, arg, depth + 1)
        if base is None or base.stage not in {LAZY_QUERY, LAZY_QS, STMT}:
            continue
        params = param_names(ctx, helper)
        if index >= len(params):
            return None
        st: QState | None = base
        body = helper.child_by_field_name("body")
        if body is None:
            return None
        for inner, parts in calls_between(ctx, body.start_byte, body.end_byte):
            if len(parts) < 2 or parts[0] != params[index] or outermost_chain_call(inner).id != inner.id:
                continue
            for method, node in call_chain(ctx, inner):
                st = _apply(ctx, st, method, node, depth + 1) if st is not None else None
                if st is None or st.stage == DONE:
                    return None  # run inside the helper: that query is reported there
        return st
    return None


def _django_source(ctx: FileContext, node: ts.Node, depth: int) -> QState | None:
    node_u = unwrap(node)
    if node_u is not None and node_u.type == "identifier" and is_model_name(ctx.node_text(node_u)):
        if is_django_file(ctx):
            return QState("django", ctx.node_text(node_u), LAZY_QS)
        return None
    base = state_of(ctx, node, depth + 1)
    return base if base is not None and base.stage == LAZY_QS else None


def _paginate(ctx: FileContext, base: QState, call: ts.Node) -> QState:
    kw = kwargs(ctx, call)
    counted = "count" not in kw or ctx.node_text(kw["count"]) != "False"
    st = replace(
        base,
        stage=DONE,
        kind="read-many",
        operation="paginate" if counted else "paginate_without_count",
        has_limit=True,
        paginated=True,
    )
    if callee_parts(ctx, call)[-1:] != ("Paginator",):
        # Flask-SQLAlchemy reads ``per_page`` from the request itself and caps it with
        # ``max_per_page`` (100 by default since 3.0): its bound is not shown here
        return st
    args = arguments(call)
    per_page = kw.get("per_page") or (args[1] if len(args) > 1 else None)
    if per_page is None:
        return st
    bound = limit_bound(ctx, per_page)
    # a paginator rejects a page size below one: a clamp needs no floor
    floor = True if bound[0] == "clamped" else bound[1]
    return replace(st, limit_bound=bound[0], limit_floor=floor, limit_node=per_page)


def _related_manager(
    ctx: FileContext, call: ts.Node, method: str, parts: tuple[str, ...], depth: int
) -> QState | None:
    """``user.orders.all()`` / ``request.user.groups.filter(...)``: a Django related manager."""
    rel = parts[-2]
    if (
        len(parts) < 3
        or method not in _DJ_RELATED_FIRST
        or not rel.isidentifier()
        or not rel.islower()
        or rel in {"objects", "self", "request", "data", "query_params", "session", "cache", "db", "os"}
        or (
            parts[0] in {"self", "cls", "os", "request", "settings", "np", "pd", "re", "json"}
            and len(parts) == 2
        )
        or any(p in {"()", "[]", "?"} for p in parts[:-1])
    ):
        return None
    if method in {"exists", "all", "order_by"} and arguments(call):
        return None
    if method in {"filter", "exclude"} and not any(k for k in kwargs(ctx, call) if k != "**"):
        return None  # ``x.filter(fn)`` on a non-manager
    base = QState("django", rel, LAZY_QS, related_manager=True, has_limit=None)
    return _apply(ctx, base, method, call, depth)


def _execute(
    ctx: FileContext, call: ts.Node, method: str, arg: ts.Node, recv: str, depth: int
) -> QState | None:
    stmt = state_of(ctx, arg, depth + 1)
    if stmt is None:
        return _raw(ctx, call, method, arg, recv)
    if stmt.stage != STMT:
        return None
    if stmt.kind in {"write", "delete"}:
        return replace(stmt, stage=DONE)
    if method == "scalar" or stmt.kind in {"count", "aggregate"}:
        kind = stmt.kind if stmt.kind in {"count", "aggregate"} else "read-one"
        return replace(stmt, stage=DONE, kind=kind, operation=method, has_limit=True)
    return replace(stmt, stage=RESULT, operation=method)


def _raw(ctx: FileContext, call: ts.Node, method: str, arg: ts.Node, recv: str) -> QState | None:
    sql = sql_text(ctx, arg)
    if sql is None:
        return None
    info = parse_sql(normalise_sql(sql))
    if info is None:
        return None
    text = ctx.text
    arg_u = unwrap(arg)
    if method == "raw":
        orm = "django"
    elif (arg_u is not None and arg_u.type == "call") or ("sqlalchemy" in text and "session" in recv.lower()):
        orm = "sqlalchemy"
    elif method in {"fetch", "fetchrow", "fetchval"} or "asyncpg" in text:
        orm = "asyncpg"
    elif "psycopg" in text:
        orm = "psycopg"
    elif "django" in text and "cursor" in recv.lower():
        orm = "django"
    else:
        orm = "raw-sql"
    one = method in _RAW_ONE
    low = sql.lower()
    limit_node = _sql_limit_node(ctx, call, arg, sql, method) if info.has_limit else None
    bound = limit_bound(ctx, limit_node) if limit_node is not None else None
    searches = []
    for spot in like_spots(sql):
        value = (
            _bound_param(ctx, call, arg, spot.placeholder, method) if spot.placeholder is not None else None
        )
        found = spot_search(ctx, spot, value)
        if found is not None:
            searches.append(found)
    return QState(
        orm,
        info.table,
        DONE,
        kind="raw",
        operation=info.operation,
        filters=info.where,
        sorts=info.order,
        has_limit=info.has_limit or info.aggregate or one or (info.operation == "select" and not info.table),
        limit_max=literal_limit(sql) if info.has_limit else None,  # before placeholders became 1
        paginated=info.paginated,
        in_filter=" in (" in low or "any(" in low.replace(" ", ""),
        aggregate=info.aggregate_kind
        or ("constant" if info.operation == "select" and not info.table else ""),
        ranges=info.ranges,
        joins=info.join_keys,
        in_fields=info.in_fields,
        related_filters=info.related,
        limit_bound=bound[0] if bound else "",
        limit_floor=bound[1] if bound else None,
        limit_node=limit_node,
        sel_weak=tuple(found.column for found in searches),
        searches=tuple(searches),
    )


def _sql_limit_node(ctx: FileContext, call: ts.Node, arg: ts.Node, sql: str, method: str) -> ts.Node | None:
    """The value bound to the statement's ``LIMIT`` placeholder: asyncpg ``fetch(sql, a, n)``
    (``$2`` is the second argument after the statement), DB-API ``execute(sql, (a, n))`` /
    ``execute(sql, {"limit": n})``, SQLAlchemy ``execute(text(sql), {"limit": n})`` or
    ``text(sql).bindparams(limit=n)``."""
    spot = limit_placeholder(sql)
    if spot is None:
        return None
    return _bound_param(ctx, call, arg, spot, method)


def _bound_param(
    ctx: FileContext, call: ts.Node, arg: ts.Node, spot: Placeholder, method: str
) -> ts.Node | None:
    """The expression a statement's placeholder is bound to (see :func:`_sql_limit_node`)."""
    args = arguments(call)
    rest = args[1:] if args and args[0].id == arg.id else args
    if spot.name:
        kw = kwargs(ctx, call)
        if spot.name in kw:
            return kw[spot.name]
        inner = unwrap(arg)
        if inner is not None and inner.type == "call" and callee_parts(ctx, inner)[-1:] == ("bindparams",):
            return kwargs(ctx, inner).get(spot.name)
        if not rest and "values" in kw:
            rest = [kw["values"]]  # encode/databases ``fetch_all(query=..., values={...})``
        return dict_pairs(ctx, rest[0]).get(spot.name) if rest else None
    if method in {"fetch", "fetchrow", "fetchval", "iterate"} and rest:
        values = rest  # asyncpg: the parameters follow the statement
    else:
        if not rest and "values" in kwargs(ctx, call):
            rest = [kwargs(ctx, call)["values"]]  # encode/databases ``values={...}``
        seq = unwrap(rest[0]) if rest else None
        if seq is None or seq.type not in {"tuple", "list"}:
            return None
        values = [c for c in seq.named_children if c.type != "comment"]
    return values[spot.position] if 0 <= spot.position < len(values) else None


# ----------------------------------------------------------------------------- methods


def _apply(ctx: FileContext, st: QState, method: str, call: ts.Node, depth: int) -> QState | None:
    if st.stage == LAZY_QS:
        return _apply_django(ctx, st, method, call)
    if st.stage in {LAZY_QUERY, STMT}:
        return _apply_sqla(ctx, st, method, call)
    if st.stage == RESULT:
        if method in _RESULT_PASS:
            return st
        if method in _RESULT_MANY:
            return replace(st, stage=DONE)
        if method in _RESULT_ONE:
            return replace(st, stage=DONE, kind="read-one", has_limit=True)
        if method in {"fetchmany", "yield_per"}:
            return replace(st, stage=DONE, has_limit=True)
    rows = method in _RESULT_MANY or method in _RESULT_PASS
    if st.stage == DONE and st.kind == "raw" and rows and not arguments(call):
        return st  # ``conn.execute("SELECT ...").fetchall()``: the statement's rows
    return None


def _apply_sqla(ctx: FileContext, st: QState, method: str, call: ts.Node) -> QState | None:
    args = arguments(call)
    if method in {"filter", "where"}:
        return _sqla_filter(ctx, st, args)
    if method == "filter_by":
        keys = kwargs(ctx, call)
        sel = _Compared()
        for key, value in keys.items():
            if key != "**":
                literal = unwrap(value)
                sel.compared(key, weak=False, null=literal is not None and literal.type == "none")
        return replace(
            _with_selectivity(st, sel),
            filters=st.filters + tuple(k for k in keys if k != "**"),
            opaque_filter=st.opaque_filter or "**" in keys,
        )
    if method == "order_by":
        return replace(st, sorts=st.sorts + _column_names(ctx, args))
    if method in {"join", "outerjoin", "join_from"} and len(args) > 1:
        joins = _conditions(ctx, args[1:])[2]
        return replace(st, joins=st.joins + joins)
    if method == "group_by":
        return replace(st, aggregate="group", kind="aggregate")
    if method in {"limit", "fetch"}:
        bound = limit_bound(ctx, args[0]) if args else Limit("param", None, False)
        return replace(
            st,
            has_limit=True,
            limit_bound=bound.bound,
            limit_floor=bound.floor,
            limit_max=bound.most,
            peeks_next=bound.plus_one,
            limit_node=args[0] if args else None,
        )
    if method == "offset":
        return replace(st, paginated=True)
    if method == "slice":
        return replace(st, has_limit=True, paginated=True)
    if method == "options":
        includes, whole, strategy = _loader_paths(ctx, args)
        return replace(
            st,
            includes=st.includes + includes,
            selects_all=st.selects_all and whole,
            include_strategy=_merge_strategy(st.include_strategy, strategy),
        )
    if method in {"with_entities", "add_columns", "with_only_columns", "load_only"}:
        return replace(st, selects_all=False)
    if method == "select_from" and args and st.model is None:
        model, _whole, _ = _entities(ctx, args[:1])
        return replace(st, model=model)
    if method in {
        "join",
        "outerjoin",
        "join_from",
        "having",
        "distinct",
        "execution_options",
        "with_for_update",
        "correlate",
        "params",
        "enable_eagerloads",
        "populate_existing",
        "autoflush",
        "order_by",
        "returning",
        "values",
        "prefix_with",
        "suffix_with",
        "union",
        "union_all",
        "with_hint",
        "yield_per",
    }:
        if method == "values" and st.stage == LAZY_QUERY:
            return replace(st, stage=DONE, selects_all=False, operation="values")
        return st
    if st.stage != LAZY_QUERY:
        return None
    op = method
    if method == "all":
        return replace(st, stage=DONE, operation=op)
    if method in {"first", "one", "one_or_none", "scalar", "first_or_404", "one_or_404"}:
        kind = st.kind if st.kind in {"count", "aggregate"} else "read-one"
        return replace(st, stage=DONE, kind=kind, operation=op, has_limit=True)
    if method == "count":
        return replace(st, stage=DONE, kind="count", operation=op, has_limit=True)
    if method in {"get", "get_or_404"} and args:
        return replace(st, stage=DONE, kind="read-one", operation=op, filters=("id",), has_limit=True)
    if method == "paginate":
        return _paginate(ctx, st, call)
    if method == "delete":
        return replace(st, stage=DONE, kind="delete", operation=op, has_limit=None)
    if method == "update":
        return replace(st, stage=DONE, kind="write", operation=op, has_limit=None)
    return None


def _merge_strategy(a: str, b: str) -> str:
    """``join`` wins: a joined level multiplies the rows of the whole query."""
    return "join" if "join" in {a, b} else (a or b)


def _sqla_filter(ctx: FileContext, st: QState, args: list[ts.Node]) -> QState:
    refs, ranges, joins, in_lists, in_cols = _conditions(ctx, args)
    own = st.model
    filters = tuple(
        dict.fromkeys(r.rpartition(".")[2] for r in refs if not own or r.partition(".")[0] == own)
    )
    related = tuple(r for r in refs if own and r.partition(".")[0] != own)
    sel = _Compared()
    for arg in args:
        _sqla_selectivity(ctx, arg, sel, own, 0)
    return replace(
        _with_selectivity(st, sel),
        filters=st.filters + filters,
        related_filters=st.related_filters + related,
        ranges=st.ranges + ranges,
        joins=st.joins + joins,
        in_lists=st.in_lists + in_lists,
        in_fields=st.in_fields + in_cols,
        in_filter=st.in_filter or bool(in_lists),
        opaque_filter=st.opaque_filter or (bool(args) and not refs and not joins),
    )


_COMPARISON = "(comparison_operator) @c"
_RANGE_OPS = frozenset({"<", "<=", ">", ">="})


def _conditions(
    ctx: FileContext, args: list[ts.Node]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...], tuple[bool, ...], tuple[str, ...]]:
    """Columns (``Model.column``) compared in SQLAlchemy conditions (``User.email == x``,
    ``Post.id.in_(ids)``),
    with range comparisons, column-to-column comparisons (join keys, not filters) and, per
    ``in_`` list, whether its values are bounded."""
    joins: list[tuple[str, str]] = []
    ranges: list[str] = []
    join_only: set[str] = set()
    in_lists: list[bool] = []
    in_cols: list[str] = []
    for arg in args:
        for cmp in captures("python", _COMPARISON, arg).get("c", []):
            operands = cmp.named_children
            if len(operands) != 2:
                continue
            left, right = (_unqualified(ctx.node_text(o)) for o in operands)
            ops = [ctx.node_text(c) for c in cmp.children if not c.is_named]
            if _COL_REF.fullmatch(left) and _COL_REF.fullmatch(right):
                joins.append((left, right))
                join_only.update({left, right})
            elif ops and ops[0] in _RANGE_OPS:
                ranges.extend(col for _m, col in _COL_REF.findall(left))
        for call in captures("python", "(call function: (attribute attribute: (identifier) @m)) @c", arg).get(
            "c", []
        ):
            fn = call.child_by_field_name("function")
            name = ctx.node_text(fn.child_by_field_name("attribute")) if fn is not None else ""
            if name == "in_" and arguments(call):
                in_lists.append(_bounded_in(ctx, arguments(call)[0]))
                if fn is not None:
                    in_cols.extend(
                        col for _m, col in _COL_REF.findall(ctx.node_text(fn.child_by_field_name("object")))
                    )
            elif name == "between" and fn is not None:
                ranges.extend(
                    col for _m, col in _COL_REF.findall(ctx.node_text(fn.child_by_field_name("object")))
                )
    cols: list[str] = []
    for arg in args:
        text = ctx.node_text(arg)
        for model, col in _COL_REF.findall(text):
            if col in _SQLA_NON_COLUMNS:
                continue
            if f"{model}.{col}" in join_only and text.count(f"{model}.{col}") == 1:
                continue
            cols.append(f"{model}.{col}")
    return (
        tuple(dict.fromkeys(cols)),
        tuple(dict.fromkeys(ranges)),
        tuple(joins),
        tuple(in_lists),
        tuple(dict.fromkeys(in_cols)),
    )


class _Compared(Selectivity):
    """Columns one filter call compares, with how selective each comparison is."""

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[str] = []

    def _columns(self) -> list[str]:
        return self.columns

    def compared(self, column: str, *, weak: bool, null: bool = False) -> None:
        self.columns.append(column)
        self.compared_as(column, weak=weak, null=null)

    def fold(self, subs: list[_Compared], *, how: str) -> None:
        """``how``: ``and`` / ``or`` / ``not`` over the sub-conditions."""
        union = _Compared()
        for sub in subs:
            union.columns.extend(sub.columns)
            union.merge_selectivity(sub, negated=False, disjunction=False)
        common = set.intersection(*(set(b.columns) for b in subs)) if how == "or" and len(subs) > 1 else set()
        self.columns.extend(union.columns)
        self.merge_selectivity(union, negated=how == "not", disjunction=how == "or", common=common)


def _with_selectivity(st: QState, sel: _Compared) -> QState:
    """``st`` with one more (AND-ed) filter call's selectivity folded in."""
    return replace(
        st,
        sel_weak=st.sel_weak + tuple(sel._weak),
        sel_strong=st.sel_strong + tuple(sel._strong),
        sel_or=st.sel_or + tuple(sel._or),
        sel_plain=st.sel_plain + tuple(sel._plain),
        searches=st.searches + tuple(sel.searches),
        sel_live=st.sel_live + tuple(sel._live),
        sel_other=st.sel_other + tuple(sel._other),
    )


#: a model class reached through its module (``models.User``, ``app.models.User``)
_MODULE_MODEL = re.compile(r"(?:[a-z_]\w*\.)+([A-Z]\w*)")
#: a module prefix before a model class (``model.Directory.ctime``, ``app.models.User.email``)
_MODULE_PREFIX = re.compile(r"^(?:[a-z_]\w*\.)+(?=[A-Z])")


def _unqualified(text: str) -> str:
    """``model.Directory.ctime`` -> ``Directory.ctime``: a model class reached through its
    module is the same column reference."""
    return _MODULE_PREFIX.sub("", text.strip())


def _own_column(text: str, own: str | None) -> str | None:
    m = _COL_REF.fullmatch(_unqualified(text))
    if m is None or m.group(2) in _SQLA_NON_COLUMNS or (own and m.group(1) != own):
        return None
    return m.group(2)


#: SQLAlchemy column methods that search a substring or a suffix (SQLAlchemy adds the wildcards)
_SQLA_SEARCH = frozenset({"contains", "icontains", "endswith", "iendswith"})


def _lowered_column(ctx: FileContext, node: ts.Node | None, own: str | None) -> str | None:
    """The column of ``func.lower(User.name)`` / ``func.upper(...)`` (a case-insensitive search
    written by hand)."""
    node = unwrap(node)
    if node is None or node.type != "call":
        return None
    parts = callee_parts(ctx, node)
    args = arguments(node)
    if parts[-1:] not in {("lower",), ("upper",)} or len(args) != 1:
        return None
    return _own_column(ctx.node_text(args[0]), own)


def _sqla_selectivity(
    ctx: FileContext, node: ts.Node | None, sel: _Compared, own: str | None, depth: int
) -> None:
    """How selective each comparison of a SQLAlchemy condition is: ``!=``/``notin_``/
    ``isnot(None)``/``contains``/``like('%x')`` and a column wrapped in a function
    (``func.lower(User.email) == e``: a plain index does not serve it) are unselective;
    ``or_(...)``/``a | b`` are ORs, ``not_(...)``/``~x`` negations."""
    node = unwrap(node)
    if node is None or depth > 8:
        return
    if node.type == "parenthesized_expression":
        for child in node.named_children:
            _sqla_selectivity(ctx, child, sel, own, depth + 1)
        return
    if node.type in {"binary_operator", "unary_operator", "call"}:
        how = ""
        parts: list[ts.Node] = []
        if node.type == "binary_operator":
            op = ctx.node_text(node.child_by_field_name("operator"))
            how = {"|": "or", "&": "and"}.get(op, "")
            parts = [
                c
                for c in (node.child_by_field_name("left"), node.child_by_field_name("right"))
                if c is not None
            ]
        elif node.type == "unary_operator":
            if ctx.node_text(node).lstrip().startswith("~"):
                how = "not"
                arg = node.child_by_field_name("argument")
                parts = [arg] if arg is not None else []
        else:
            names = callee_parts(ctx, node)
            name = names[-1] if names else ""
            how = {"or_": "or", "and_": "and", "not_": "not"}.get(name, "")
            parts = arguments(node)
            if not how:
                fn = node.child_by_field_name("function")
                col = (
                    _own_column(ctx.node_text(fn.child_by_field_name("object")), own)
                    if fn is not None and fn.type == "attribute"
                    else None
                )
                if col is None and fn is not None and fn.type == "attribute":
                    col = _lowered_column(ctx, fn.child_by_field_name("object"), own)
                if col is not None and fn is not None:
                    method = ctx.node_text(fn.child_by_field_name("attribute"))
                    args = arguments(node)
                    shape = pattern(ctx, args[0]) if method in SQLA_PATTERN_METHODS and args else None
                    leading = shape is not None and shape.leading
                    literal = unwrap(args[0]) if len(args) == 1 else None
                    null = method == "is_" and literal is not None and literal.type == "none"
                    sel.compared(col, weak=method in SQLA_UNSELECTIVE_METHODS or leading, null=null)
                    if shape is not None and leading:
                        sel.searched(col, method, shape.value)
                    elif method in _SQLA_SEARCH and args:
                        sel.searched(col, method, searched_text(ctx, args[0]))
                return
        if how:
            subs = []
            for part in parts:
                sub = _Compared()
                _sqla_selectivity(ctx, part, sub, own, depth + 1)
                subs.append(sub)
            sel.fold(subs, how=how)
        return
    if node.type == "comparison_operator":
        operands = node.named_children
        if len(operands) != 2:
            return
        ops = " ".join(ctx.node_text(c) for c in node.children if not c.is_named)
        left, right = (_unqualified(ctx.node_text(o)) for o in operands)
        if _COL_REF.fullmatch(left) and _COL_REF.fullmatch(right):
            return  # a join condition
        col = _own_column(left, own) or _own_column(right, own)
        if col is not None:
            # ``Model.deleted_at == None`` / ``is None`` (SQLAlchemy reads both as IS NULL)
            null = ops in {"==", "is"} and "None" in {left, right}
            sel.compared(col, weak=ops in SQLA_NEGATED_OPERATORS, null=null)
            return
        for side in operands:  # ``func.lower(User.email) == e``: an expression of the column
            for _model, name in _COL_REF.findall(ctx.node_text(side)):
                if _own_column(f"{_model}.{name}", own) is not None:
                    sel.compared(name, weak=True)


def _django_selectivity(ctx: FileContext, node: ts.Node | None, sel: _Compared, depth: int) -> None:
    """Django ``Q`` objects: ``~Q(...)`` negates, ``Q(a) | Q(b)`` is an OR; a lookup that no
    b-tree index narrows (``__icontains``, ``__isnull=False``) is unselective."""
    node = unwrap(node)
    if node is None or depth > 8:
        return
    if node.type == "parenthesized_expression":
        for child in node.named_children:
            _django_selectivity(ctx, child, sel, depth + 1)
        return
    how = ""
    parts: list[ts.Node] = []
    if node.type == "binary_operator":
        how = {"|": "or", "&": "and"}.get(ctx.node_text(node.child_by_field_name("operator")), "")
        parts = [
            c for c in (node.child_by_field_name("left"), node.child_by_field_name("right")) if c is not None
        ]
    elif node.type == "unary_operator" and ctx.node_text(node).lstrip().startswith("~"):
        how = "not"
        arg = node.child_by_field_name("argument")
        parts = [arg] if arg is not None else []
    elif node.type == "call" and callee_parts(ctx, node)[-1:] == ("Q",):
        _django_lookups(ctx, kwargs(ctx, node), sel)
        return
    if how:
        subs = []
        for part in parts:
            sub = _Compared()
            _django_selectivity(ctx, part, sub, depth + 1)
            subs.append(sub)
        sel.fold(subs, how=how)


#: Django lookups that search a substring or a suffix (``LIKE '%x%'``; Django adds the wildcards)
_DJANGO_SEARCH = frozenset({"contains", "icontains", "endswith", "iendswith"})
#: transforms that may stand between a text column and its lookup (``name__unaccent__icontains``)
_TEXT_TRANSFORMS = frozenset({"unaccent", "lower", "upper"})


def _django_lookups(ctx: FileContext, keys: dict[str, ts.Node], sel: _Compared) -> None:
    for key, value in keys.items():
        if key == "**":
            continue
        head, _, rest = key.partition("__")
        lookup = rest.rsplit("__", 1)[-1] if rest else ""
        literal = unwrap(value)
        not_null = lookup == "isnull" and literal is not None and literal.type == "false"
        # ``deleted_at__isnull=True``, ``deleted_at=None``: IS NULL
        null = literal is not None and (
            (lookup == "isnull" and literal.type == "true")
            or (lookup in {"", "exact"} and literal.type == "none")
        )
        sel.compared(head, weak=lookup in UNSELECTIVE_LOOKUPS or not_null, null=null)
        between = rest.split("__")[:-1]
        if (
            lookup in _DJANGO_SEARCH
            and all(t in _TEXT_TRANSFORMS for t in between)
            and not (literal is not None and literal.type in {"list", "tuple", "dictionary", "set"})
        ):
            sel.searched(head, lookup, searched_text(ctx, value))


def _bounded_in(ctx: FileContext, node: ts.Node) -> bool:
    def limited(expr: ts.Node) -> bool:
        st = state_of(ctx, expr)
        return st is not None and st.stage in {DONE, RESULT} and bool(st.has_limit) and st.kind != "count"

    return bounded_values(ctx, node, limited)


def _loader_paths(ctx: FileContext, args: list[ts.Node]) -> tuple[tuple[str, ...], bool, str]:
    """Relation paths of ``options(selectinload(A.b).joinedload(B.c), ...)`` (every prefix),
    whether no ``load_only`` restricts columns, and how the relations are fetched."""
    paths: list[str] = []
    whole = True
    strategy = ""
    for arg in args:
        node = unwrap(arg)
        if node is None or node.type != "call":
            continue
        prefix: list[str] = []
        for name, call in call_chain(ctx, node):
            if name in {"load_only", "defer", "undefer"}:
                whole = whole and name != "load_only"
                continue
            if name not in _LOADERS:
                continue
            strategy = _merge_strategy(strategy, LOADER_STRATEGY.get(name, ""))
            for rel_arg in arguments(call):
                rel = unwrap(rel_arg)
                if rel is None:
                    continue
                if rel.type == "attribute":
                    seg = ctx.node_text(rel.child_by_field_name("attribute"))
                else:
                    seg = string_value(ctx, rel) or ""
                if seg and seg != "*":
                    prefix.append(seg)
                    paths.append(".".join(prefix))
    return tuple(dict.fromkeys(paths)), whole, strategy


def _django_fields(ctx: FileContext, call: ts.Node) -> tuple[str, ...]:
    out = [k.split("__", 1)[0] for k in kwargs(ctx, call) if k != "**"]
    for arg in arguments(call):
        text = ctx.node_text(arg)
        if "Q(" in text:
            out.extend(m.split("__", 1)[0] for m in re.findall(r"[(,]\s*([a-z_]\w*)\s*=(?!=)", text))
    return tuple(dict.fromkeys(out))


def _django_filter(ctx: FileContext, st: QState, call: ts.Node, skip_first: bool = False) -> QState:
    fields = _django_fields(ctx, call)
    keys = kwargs(ctx, call)
    in_list = any(k.endswith("__in") for k in keys) or "__in=" in ctx.node_text(call)
    ranges: list[str] = []
    related: list[str] = []
    in_lists: list[bool] = []
    in_cols: list[str] = []
    for key, value in keys.items():
        head, _, rest = key.partition("__")
        lookups = rest.split("__") if rest else []
        if lookups and lookups[-1] in RANGE_LOOKUPS:
            ranges.append(head)
        if lookups and lookups[0] not in COLUMN_LOOKUPS:
            related.append(f"{head}.{lookups[0]}")
        if lookups and lookups[-1] == "in":
            in_lists.append(_bounded_in(ctx, value))
            in_cols.append(head)
    positional = arguments(call)[1 if skip_first else 0 :]
    sel = _Compared()
    _django_lookups(ctx, keys, sel)
    for arg in positional:
        _django_selectivity(ctx, arg, sel, 0)
    st = _with_selectivity(st, sel)
    opaque = "**" in keys or any(
        a.type in {"list_splat", "dictionary_splat"}
        or (unwrap(a) is not None and unwrap(a).type in {"identifier", "attribute"})  # type: ignore[union-attr]
        for a in positional
    )
    return replace(
        st,
        filters=st.filters + fields,
        in_filter=st.in_filter or in_list,
        ranges=st.ranges + tuple(ranges),
        related_filters=st.related_filters + tuple(related),
        in_lists=st.in_lists + tuple(in_lists),
        in_fields=st.in_fields + tuple(in_cols),
        opaque_filter=st.opaque_filter or opaque,
    )


def _string_args(ctx: FileContext, call: ts.Node) -> tuple[str, ...]:
    """String arguments (``Prefetch("x")`` counts as ``"x"``); ``*`` for an argument that is not
    a literal (``*fields``, a variable): the relations it names are unknown. A
    ``Prefetch("x", to_attr="y")`` caches the rows in a list ``y``, not in the relation ``x``:
    reading ``x`` still queries, so it is left out."""
    out = []
    for arg in arguments(call):
        value = string_value(ctx, arg)
        if arg.type == "list_splat" or (unwrap(arg) is not None and unwrap(arg).type == "identifier"):  # type: ignore[union-attr]
            out.append("*")
        elif value:
            out.append(value)
        elif unwrap(arg) is not None and unwrap(arg).type == "call":  # type: ignore[union-attr]
            first = arguments(unwrap(arg))  # type: ignore[arg-type]
            inner = string_value(ctx, first[0]) if first else None
            if inner and "to_attr" not in kwargs(ctx, unwrap(arg)):  # type: ignore[arg-type]
                out.append(inner)  # Prefetch("items", queryset=...)
    return tuple(out)


_EAGER = frozenset({"select_related", "prefetch_related"})


def prefetched_paths(ctx: FileContext, node: ts.Node | None, depth: int = 0) -> tuple[str, ...] | None:
    """Relation paths (``a.b`` for ``"a__b"``) a Django queryset expression loads with its rows
    (``select_related``/``prefetch_related``, ``Prefetch`` objects), read from its chain and
    through the variables it was built in, also when the chain's root is not a recognised
    query (a queryset handed in as a parameter: ``qs.prefetch_related("permissions")``).
    ``None`` when nothing on the way loads a relation."""
    node = unwrap(node)
    found: list[str] = []
    seen_any = False
    steps = 0
    while node is not None and depth <= _MAX_DEPTH and steps < 32:
        steps += 1
        if node.type == "identifier":
            assign = assignment_before(ctx, node)
            node = unwrap(assign.child_by_field_name("right")) if assign is not None else None
            depth += 1
        elif node.type == "call":
            fn = unwrap(node.child_by_field_name("function"))
            if fn is None or fn.type != "attribute":
                break
            if ctx.node_text(fn.child_by_field_name("attribute")) in _EAGER:
                seen_any = True
                found.extend(p.replace("__", ".") for p in _string_args(ctx, node))
            node = unwrap(fn.child_by_field_name("object"))
        elif node.type in {"attribute", "subscript"}:
            node = unwrap(node.child_by_field_name("object" if node.type == "attribute" else "value"))
        else:
            break
    return tuple(dict.fromkeys(found)) if seen_any else None


def _apply_django(ctx: FileContext, st: QState, method: str, call: ts.Node) -> QState | None:
    if method == "raw" and not st.related_manager and not st.filters and arguments(call):
        return _raw(ctx, call, method, arguments(call)[0], "objects")  # ``Order.objects.raw(sql, params)``
    if method == "exclude":
        return st  # a negative predicate narrows little and no B-tree index serves it
    if method in {"filter", "get", "aget"}:
        st = _django_filter(ctx, st, call)
        if method == "filter":
            return st
        return replace(st, stage=DONE, kind="read-one", operation=method, has_limit=True)
    if method in _DJ_LAZY:
        if method == "order_by":
            sorts = tuple(s.lstrip("-?").split("__", 1)[0] for s in _string_args(ctx, call))
            return replace(st, sorts=st.sorts + sorts)
        if method in {"values", "values_list"}:
            return replace(st, selects_all=False, values=True)
        if method in {"only", "defer"}:
            return replace(st, selects_all=False)
        if method == "annotate" and st.values:
            # ``values("status").annotate(n=Count("id"))``: GROUP BY status, one row per group
            return replace(st, aggregate="group", kind="aggregate")
        if method == "annotate" and any(
            (parts := callee_parts(ctx, v)) and parts[-1] in AGGREGATE_FUNCTIONS
            for v in kwargs(ctx, call).values()
            if v.type == "call"
        ):
            # ``Tag.objects.annotate(n=Count("documents"))``: grouped by the row, one row per
            # object with its aggregate (kept a list, but no longer a plain table read)
            return replace(st, aggregate="group")
        if method in {"select_related", "prefetch_related"}:
            paths = tuple(p.replace("__", ".") for p in _string_args(ctx, call))
            related = st.related + paths
            if method == "prefetch_related":
                expanded: list[str] = []
                for path in paths:
                    if path == "*":
                        continue
                    segs = path.split(".")
                    expanded.extend(".".join(segs[: i + 1]) for i in range(len(segs)))
                return replace(
                    st,
                    related=related,
                    includes=tuple(dict.fromkeys(st.includes + tuple(expanded))),
                    include_strategy=st.include_strategy or "separate",
                )
            return replace(st, related=related)
        return st
    if method in _DJ_ONE:
        return replace(
            st,
            stage=DONE,
            kind="read-one",
            operation=method,
            has_limit=True,
            aggregate="exists" if method == "exists" else "",
        )
    if method in {"count", "acount"}:
        return replace(st, stage=DONE, kind="count", operation=method, has_limit=True, aggregate="count")
    if method in {"aggregate", "aaggregate"}:
        funcs = [callee_parts(ctx, v) for v in kwargs(ctx, call).values() if v.type == "call"]
        agg = next((AGGREGATE_FUNCTIONS[p[-1]] for p in funcs if p and p[-1] in AGGREGATE_FUNCTIONS), "sum")
        return replace(st, stage=DONE, kind="aggregate", operation=method, has_limit=True, aggregate=agg)
    if method in {"in_bulk"}:
        return replace(st, stage=DONE, operation=method, filters=(*st.filters, "id"), has_limit=True)
    if method in {"iterator", "aiterator"}:
        return replace(st, stage=DONE, operation=method)
    if method in _DJ_WRITE:
        return replace(st, stage=DONE, kind="write", operation=method, has_limit=None)
    if method in {"delete", "adelete"}:
        return replace(st, stage=DONE, kind="delete", operation=method, has_limit=None)
    return None


def _subscript(ctx: FileContext, st: QState, node: ts.Node) -> QState | None:
    if st.stage not in LAZY:
        return None
    index = next((c for c in node.children_by_field_name("subscript")), None)
    if index is None:
        return None
    if index.type == "slice":
        colon = next((i for i, c in enumerate(index.children) if c.type == ":"), None)
        if colon is None:
            return None
        start = [c for c in index.children[:colon] if c.is_named]
        stop_nodes = index.children[colon + 1 :]
        stop = next((c for c in stop_nodes if c.is_named and c.type != ":"), None)
        # the stop expression is before any second colon
        second = next((i for i, c in enumerate(stop_nodes) if c.type == ":"), None)
        if second is not None and stop is not None and stop_nodes.index(stop) > second:
            stop = None
        paginated = bool(start) and int_value(ctx, start[0]) != 0
        bound = limit_bound(ctx, stop) if stop is not None else None
        if bound is not None and bound[0] == "param" and start and not bound[2]:
            bound = Limit("param", None, False)  # ``[offset:offset + size]``: as bounded as ``size``
        first = limit_most(ctx, start[0]) if start else 0
        last = bound.most if bound is not None else None
        most = last - first if last is not None and first is not None else None
        return replace(
            st,
            stage=DONE,
            operation="slice",
            has_limit=stop is not None or st.has_limit,
            paginated=paginated,
            limit_bound=bound[0] if bound else st.limit_bound,
            limit_floor=bound[1] if bound else st.limit_floor,
            limit_max=max(0, most) if most is not None else (st.limit_max if bound is None else None),
            limit_node=_page_size(ctx, start[0] if start else None, stop) if bound else st.limit_node,
            peeks_next=bound[2] if bound else st.peeks_next,
        )
    return replace(st, stage=DONE, kind="read-one", operation="index", has_limit=True)


def _page_size(ctx: FileContext, start: ts.Node | None, stop: ts.Node | None) -> ts.Node | None:
    """The page size of a slice: ``n`` of ``[:n]``, ``size`` of ``[offset:offset + size]``."""
    stop = unwrap(stop)
    if stop is None or start is None or stop.type != "binary_operator":
        return stop
    left, right = stop.child_by_field_name("left"), stop.child_by_field_name("right")
    if left is not None and right is not None and ctx.node_text(left) == ctx.node_text(start):
        return right
    return stop
