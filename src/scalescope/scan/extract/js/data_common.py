"""Shared pieces of the Node data-access extractors: the per-call query description, loop and
transaction context, and small readers for ORM option objects and SQL strings.

The ORM matchers (``data_prisma``, ``data_models``, ``data_builders``) each turn a call into a
:class:`QuerySpec`; :mod:`data_access` adds the context every fact needs (function, loop,
transaction) and emits it. Transaction spans are computed once per file and shared with the
slow-call extractor through ``ctx.cache``.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field, replace

import tree_sitter as ts

from scalescope.model.facts import Loc, Loop
from scalescope.scan.extract.base import FileContext, captures
from scalescope.scan.extract.js.ast import (
    FUNCTION_TYPES,
    LOOP_TYPES,
    arguments,
    callee_parts,
    enclosing_function,
    enclosing_function_id,
    enclosing_loop,
    int_value,
    is_iteration_callback,
    iter_calls,
    object_pairs,
    string_value,
    unwrap,
)
from scalescope.scan.extract.js.loop_scope import item_is_batch, value_of
from scalescope.scan.extract.js.loops import with_source
from scalescope.scan.extract.selectivity import Searched

READ_KINDS = frozenset({"read-many", "read-one", "count", "aggregate"})


def lower_text(ctx: FileContext) -> str:
    """The file text lower-cased (computed once per file)."""
    low = ctx.cache.get("js.data.lower")
    if low is None:
        low = ctx.text.lower()
        ctx.cache["js.data.lower"] = low
    return str(low)


def calls_between(ctx: FileContext, start: int, end: int) -> list[tuple[ts.Node, tuple[str, ...]]]:
    """Calls of the file starting in ``[start, end)`` bytes (bisect on the shared call list)."""
    calls = iter_calls(ctx)
    starts = ctx.cache.get("js.data.call_starts")
    if starts is None or len(starts) != len(calls):
        starts = [c.start_byte for c, _ in calls]
        ctx.cache["js.data.call_starts"] = starts
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end)
    return calls[lo:hi]


@dataclass
class QuerySpec:
    """What a matcher learned about one query call (context is added by the caller)."""

    orm: str
    model: str | None
    operation: str
    kind: str
    anchor: ts.Node
    filter_fields: tuple[str, ...] = ()
    sort_fields: tuple[str, ...] = ()
    has_limit: bool | None = None
    include_paths: tuple[str, ...] = ()
    include_depth: int = 0
    selects_all: bool = True
    paginated: bool = False
    batchable: bool = False  # per-item lookup the ORM batches when issued in the same tick
    args: list[ts.Node] = field(default_factory=list)
    # query shape (see :class:`~scalescope.model.facts.DataAccess`)
    aggregate: str = ""
    limit_bound: str = ""
    limit_floor: bool | None = None
    limit_max: int | None = None
    # the limit expression as written, traced by ``_emit`` when its bound is ``param``
    limit_node: ts.Node | None = None
    peeks_next: bool = False
    in_list_bounded: bool = False
    in_fields: tuple[str, ...] = ()
    opaque_filter: bool = False
    range_fields: tuple[str, ...] = ()
    join_keys: tuple[tuple[str, str], ...] = ()
    related_filters: tuple[str, ...] = ()
    row_write: bool = False  # a write of one loaded row (``DataAccess.row_write``)
    include_strategy: str = ""
    unselective_fields: tuple[str, ...] = ()
    soft_delete_fields: tuple[str, ...] = ()
    or_fields: tuple[str, ...] = ()
    # columns searched by a leading-wildcard pattern, with the node of the searched text
    searches: tuple[Searched, ...] = ()


def with_kind(spec: QuerySpec, kind: str) -> QuerySpec:
    return replace(spec, kind=kind)


# ----------------------------------------------------------------------------- object readers


def keys_of(ctx: FileContext, node: ts.Node | None) -> tuple[str, ...]:
    """Keys of an object literal, descending into ``AND``/``OR``/``$and``/``$or``/``[Op.or]``."""
    out: list[str] = []
    _collect_keys(ctx, node, out, 0)
    return tuple(dict.fromkeys(out))


def _collect_keys(ctx: FileContext, node: ts.Node | None, out: list[str], depth: int) -> None:
    node = unwrap(node)
    if node is None or depth > 4:
        return
    if node.type == "array":
        for item in node.named_children:
            _collect_keys(ctx, item, out, depth + 1)
        return
    for key, value in object_pairs(ctx, node).items():
        bare = key.strip("[]$").rsplit(".", 1)[-1]
        if bare in {"AND", "OR", "NOT", "and", "or", "nor", "not"}:
            _collect_keys(ctx, value, out, depth + 1)
        elif key:
            out.append(key)


def sort_keys(ctx: FileContext, node: ts.Node | None) -> tuple[str, ...]:
    """Fields of ``{a: 'desc'}``, ``[{a: 'asc'}]``, ``[['a', 'DESC']]``, ``'a'`` or ``'-a b'``."""
    node = unwrap(node)
    if node is None:
        return ()
    value = string_value(ctx, node)
    if value is not None:
        return tuple(w.lstrip("-+") for w in value.split() if w.lstrip("-+"))
    if node.type == "object":
        return tuple(object_pairs(ctx, node))
    out: list[str] = []
    if node.type == "array":
        for child in node.named_children:
            item = unwrap(child)
            if item is None:
                continue
            if item.type == "array" and item.named_children:
                first = string_value(ctx, item.named_children[0])
                if first:
                    out.append(first)
            else:
                out.extend(sort_keys(ctx, item))
    return tuple(out)


def has_dynamic(ctx: FileContext, node: ts.Node | None) -> bool:
    """True when an options object is not a literal or spreads other objects in."""
    node = unwrap(node)
    if node is None:
        return False
    if node.type != "object":
        return True
    return any(c.type == "spread_element" for c in node.named_children)


def limit_state(ctx: FileContext, opts: ts.Node | None, *names: str) -> bool | None:
    """True when one of ``names`` is in the literal options, False when absent, None when the
    options are not a plain literal (a variable or a spread could carry the limit)."""
    pairs = object_pairs(ctx, opts)
    if any(n in pairs for n in names):
        return True
    if opts is not None and has_dynamic(ctx, opts):
        return None
    return False


def dotted_depth(paths: tuple[str, ...]) -> int:
    return max((p.count(".") + 1 for p in paths), default=0)


# ----------------------------------------------------------------------------- SQL strings

_SQL_START = re.compile(r"^\s*\(?\s*(select|insert|update|delete|with|upsert|replace|truncate)\b", re.I)


@dataclass(frozen=True, slots=True)
class SqlInfo:
    """What a literal SQL statement shows."""

    operation: str  # select | insert | update | delete | other
    table: str | None
    where: tuple[str, ...]
    order: tuple[str, ...]
    has_limit: bool
    paginated: bool
    aggregate: bool
    # what a non-list select computes: count | sum | avg | min | max | group | constant
    aggregate_kind: str = ""
    join_keys: tuple[tuple[str, str], ...] = ()
    ranges: tuple[str, ...] = ()
    in_fields: tuple[str, ...] = ()
    # the row count of a literal ``LIMIT 20`` (``None``: a placeholder, several limits, none)
    limit_value: int | None = None
    # ``WHERE`` columns of a joined table (``u.email`` in ``FROM orders o JOIN users u``), as
    # ``table.column``: the query is filtered through the join, not on its own table
    related: tuple[str, ...] = ()


_LIMIT_WORD = re.compile(r"\blimit\b", re.IGNORECASE)
_LIMIT_NUMBER = re.compile(r"\blimit\s+(\d+)\b", re.IGNORECASE)


def literal_limit(sql: str) -> int | None:
    """The row count of the one ``LIMIT 20`` of a statement as written (``None`` for a
    placeholder, ``LIMIT $1``, or several ``LIMIT`` clauses)."""
    numbers = _LIMIT_NUMBER.findall(sql)
    return int(numbers[0]) if len(numbers) == 1 and len(_LIMIT_WORD.findall(sql)) == 1 else None


def looks_like_sql(value: str) -> bool:
    return bool(_SQL_START.match(value))


def sql_of(ctx: FileContext, node: ts.Node | None, depth: int = 0) -> str | None:
    """Text of a SQL string/template (substitutions replaced by a placeholder), or ``None``
    when the statement is not known as written.

    The statement may be a string, a template (each substitution in a value position becomes
    a numbered placeholder ``$1``, ``$2``... in order; one that builds the statement itself,
    ``FROM ${table}``, ``ORDER BY ${col}``, ``${whereClause}``, a nested ``sql`...` `` or
    ``sql.raw(...)`` fragment, makes it unknown), a ``+`` concatenation of strings, or a name
    bound once to one of these (``const LIST = "SELECT ..."; pool.query(LIST, [id])``). Only
    the statement handed to the call may hold substitutions: their numbers are the positions
    of its template's substitutions."""
    node = unwrap(node)
    if node is None or depth > 4:
        return None
    if node.type == "string":
        return string_value(ctx, node)
    if node.type == "template_string":
        subs = [c for c in node.named_children if c.type == "template_substitution"]
        if subs and depth:
            return None  # a resolved constant or a part of a concatenation: not numbered
        parts: list[str] = []
        before = node.start_byte + 1
        for number, child in enumerate(subs, 1):
            text = ctx.source[before : child.start_byte].decode("utf-8", errors="replace")
            parts.append(text)
            if not _value_position("".join(parts), ctx, child):
                return None
            parts.append(f"${number}")
            before = child.end_byte
        parts.append(ctx.source[before : node.end_byte - 1].decode("utf-8", errors="replace"))
        return "".join(parts)
    if node.type == "binary_expression":
        op = node.child_by_field_name("operator")
        if op is None or ctx.node_text(op) != "+":
            return None
        left = sql_of(ctx, node.child_by_field_name("left"), depth + 1)
        right = sql_of(ctx, node.child_by_field_name("right"), depth + 1) if left is not None else None
        return left + right if left is not None and right is not None else None
    if node.type == "identifier":
        name = ctx.node_text(node)
        value = value_of(ctx, name, node, enclosing_function(node))
        if value is None or re.search(
            rf"\b{re.escape(name)}\s*\+=".encode(), ctx.source[value.end_byte : node.start_byte]
        ):
            return None  # unbound, or ``q += " WHERE ..."`` on the way: built at run time
        return sql_of(ctx, value, depth + 1)
    return None


# what a value (never a name or a clause) follows in a statement: an operator, an opening
# parenthesis or comma, or a keyword that takes a value
_VALUE_BEFORE = re.compile(
    r"(?:[=<>(,+\-*/%\[]|\|\||::|\b(?:like|ilike|in|limit|offset|any|all|between|then|else|when|"
    r"values|is|to|escape|interval|fetch\s+first|rows)\b)\s*$",
    re.IGNORECASE,
)
# substitutions that are statement fragments, not values
_FRAGMENT_CALLS = frozenset({"raw", "unsafe", "identifier", "fragment", "join", "literalValue"})


def _value_position(before: str, ctx: FileContext, sub: ts.Node) -> bool:
    """The substitution ``sub`` stands for a value: inside a quoted literal, or after an
    operator or a keyword that takes a value; and it is no SQL fragment (a nested tagged
    template, ``sql.raw(...)``, ``sql.identifier(...)``)."""
    expr = unwrap(sub.named_children[0]) if sub.named_children else None
    if expr is None:
        return False
    if expr.type == "call_expression":
        args = expr.child_by_field_name("arguments")
        if args is not None and args.type == "template_string":
            return False  # ``${sql`AND x = 1`}``
        parts = callee_parts(ctx, expr)
        if parts and parts[-1] in _FRAGMENT_CALLS and not (parts[-1] == "join" and len(parts) == 2):
            return False
    if before.count("'") % 2 == 1:
        return True  # ``'%${q}%'``: inside a string literal
    return bool(_VALUE_BEFORE.search(before))


_STATEMENT_SPLIT = re.compile(r";\s*\S")


@functools.lru_cache(maxsize=2048)
def parse_sql(sql: str) -> SqlInfo | None:
    """Parse a literal statement with sqlglot (falls back to regexes when it cannot)."""
    if not looks_like_sql(sql) or len(sql) > 20_000:
        return None
    if _STATEMENT_SPLIT.search(sql.strip().rstrip(";")):
        return None  # several statements: which one the rows come from is not known
    text = re.sub(r"\$\d+|\?|:\w+", "1", sql)
    try:
        import sqlglot
        from sqlglot import exp

        tree = sqlglot.parse_one(text, read="postgres")
    except Exception:
        return _regex_sql(sql)
    if tree is None:
        return _regex_sql(sql)
    op = {
        "Select": "select",
        "Insert": "insert",
        "Update": "update",
        "Delete": "delete",
        "TruncateTable": "truncate",
    }.get(type(tree).__name__, "other")
    if isinstance(tree, exp.Union):
        op = "select"
    elif op == "insert" and tree.args.get("conflict") is not None:
        op = "upsert"  # ``ON CONFLICT ... DO UPDATE/NOTHING``, ``ON DUPLICATE KEY UPDATE``: one row per key
    with_node = tree.args.get("with_") or tree.args.get("with")
    ctes = {c.alias.lower() for c in with_node.expressions} if with_node is not None else set()
    # the statement's own table: the first one that is no CTE of the statement (``WITH x AS
    # (SELECT ... FROM orders) SELECT * FROM x`` reads orders)
    table_node = next((t for t in tree.find_all(exp.Table) if t.name.lower() not in ctes), None)
    table = table_node.name if table_node is not None else None
    own = {n.lower() for n in (table, table_node.alias_or_name if table_node is not None else None) if n}
    aliases = {t.alias_or_name.lower(): t.name for t in tree.find_all(exp.Table) if t.name}
    related: list[str] = []
    where: list[str] = []
    joins: list[tuple[str, str]] = []
    ranges: list[str] = []
    ins: list[str] = []
    where_node = tree.args.get("where") if op != "other" else None
    if where_node is not None:
        # ``a.x = b.y`` in WHERE is an implicit join, not a filter
        paired: set[int] = set()
        for cmp in where_node.find_all(exp.EQ):
            left, right = cmp.args.get("this"), cmp.args.get("expression")
            if isinstance(left, exp.Column) and isinstance(right, exp.Column):
                joins.append((left.sql(), right.sql()))
                paired.update((id(left), id(right)))
        for cmp in where_node.find_all(exp.In):
            col = cmp.args.get("this")
            if isinstance(col, exp.Column) and col.name and col.name not in ins:
                ins.append(col.name)
        for cmp in where_node.find_all(exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between):
            col = cmp.args.get("this")
            if isinstance(col, exp.Column) and col.name and col.name not in ranges:
                ranges.append(col.name)
        for col in where_node.find_all(exp.Column):
            inner = col.find_ancestor(exp.Select)
            if not col.name or id(col) in paired or (inner is not None and inner is not tree):
                continue  # a join condition, or a column of a subquery
            if col.table and col.table.lower() not in own:
                name = f"{aliases.get(col.table.lower(), col.table)}.{col.name}"
                if name not in related:
                    related.append(name)
            elif col.name not in where:
                where.append(col.name)
    for join in tree.find_all(exp.Join):
        on = join.args.get("on")
        if on is None:
            continue
        for cmp in on.find_all(exp.EQ):
            left, right = cmp.args.get("this"), cmp.args.get("expression")
            if isinstance(left, exp.Column) and isinstance(right, exp.Column):
                joins.append((left.sql(), right.sql()))
    if not where and with_node is not None and op == "select":
        # ``WITH RECURSIVE tree AS (... WHERE id = $1 ...) SELECT * FROM tree``: the CTEs bound it
        for cte_where in with_node.find_all(exp.Where):
            for col in cte_where.find_all(exp.Column):
                if col.name and col.name not in where:
                    where.append(col.name)
    order = [c.name for o in tree.find_all(exp.Order) for c in o.find_all(exp.Column) if c.name]
    has_limit = tree.args.get("limit") is not None or tree.args.get("fetch") is not None
    limit_value = literal_limit(sql) if has_limit else None
    paginated = tree.args.get("offset") is not None
    aggregate = False
    kind = ""
    if isinstance(tree, exp.Select):
        funcs = [
            f
            for e in tree.expressions
            for f in ([e] if isinstance(e, exp.AggFunc) else e.find_all(exp.AggFunc))
        ]
        aggregate = bool(funcs) and tree.args.get("group") is None
        if tree.args.get("group") is not None:
            kind = "group"
        elif funcs:
            kind = _AGG_NAMES.get(type(funcs[0]).__name__, "aggregate")
        elif table is None or (tree.args.get("from_") or tree.args.get("from")) is None:
            # ``SELECT 1``, ``SELECT now()``, ``SELECT EXISTS (SELECT ... FROM t)``: one row
            kind = "constant"
    return SqlInfo(
        op,
        table,
        tuple(where),
        tuple(dict.fromkeys(order)),
        has_limit,
        paginated,
        aggregate or kind == "constant",
        kind,
        tuple(dict.fromkeys(joins)),
        tuple(ranges),
        tuple(ins),
        limit_value,
        tuple(related),
    )


_AGG_NAMES = {"Count": "count", "Sum": "sum", "Avg": "avg", "Min": "min", "Max": "max"}


def _regex_sql(sql: str) -> SqlInfo:
    low = sql.lower()
    m = _SQL_START.match(sql)
    op = m.group(1).lower() if m else "other"
    if op == "with":
        op = "select"
    table = re.search(r"\b(?:from|into|update)\s+[\"`]?(\w+)", low)
    where = (
        re.findall(r"\b(\w+)\s*(?:=|<|>|\bin\b|\blike\b)", low.split(" where ", 1)[1])
        if " where " in low
        else []
    )
    counted = "count(" in low
    return SqlInfo(
        op,
        table.group(1) if table else None,
        tuple(dict.fromkeys(where)),
        (),
        " limit " in f" {low} ",
        " offset " in f" {low} ",
        counted or (op == "select" and table is None),
        "count" if counted else ("constant" if op == "select" and table is None else ""),
    )


# ----------------------------------------------------------------------------- loops


def _loop_node(ctx: FileContext, node: ts.Node) -> ts.Node | None:
    """The statement or iteration call :func:`enclosing_loop` reports, as a node."""
    parent = node.parent
    while parent is not None:
        if parent.type in LOOP_TYPES:
            body = parent.child_by_field_name("body")
            if body is not None and body.start_byte <= node.start_byte < body.end_byte:
                return parent
        if parent.type in FUNCTION_TYPES:
            if is_iteration_callback(ctx, parent) is None:
                return None
            return parent.parent.parent if parent.parent is not None else None
        parent = parent.parent
    return None


def _const_arrays(ctx: FileContext) -> dict[str, int]:
    """``const NAME = [a, b, c]`` / ``as const`` declarations of the file -> element count."""
    cached = ctx.cache.get("js.data.const_arrays")
    if cached is None:
        cached = {}
        for decl in captures(ctx.language, "(variable_declarator) @d", ctx.root).get("d", []):
            value = unwrap(decl.child_by_field_name("value"))
            name = decl.child_by_field_name("name")
            if value is not None and name is not None and value.type == "array":
                cached[ctx.node_text(name)] = len(value.named_children)
        ctx.cache["js.data.const_arrays"] = cached
    return cached


def _literal_size(ctx: FileContext, collection: ts.Node | None) -> int | None:
    node = unwrap(collection)
    if node is None:
        return None
    if node.type == "array":
        return len(node.named_children)
    if node.type == "identifier" and node.parent is not None:
        return _const_arrays(ctx).get(ctx.node_text(node))
    if node.type == "call_expression":  # Object.values({...}) / Object.entries(CONST)
        parts = callee_parts(ctx, node)
        if parts[:1] == ("Object",) and arguments(node):
            arg = unwrap(arguments(node)[0])
            if arg is not None and arg.type == "object":
                return len(arg.named_children)
    return None


def _loop_collection(ctx: FileContext, loop: ts.Node) -> ts.Node | None:
    if loop.type == "for_in_statement":
        return loop.child_by_field_name("right")
    if loop.type == "call_expression":
        fn = unwrap(loop.child_by_field_name("function"))
        if fn is not None and fn.type == "member_expression":
            obj = fn.child_by_field_name("object")
            if ctx.node_text(obj) in {"Promise", "Bluebird"} and arguments(loop):
                return arguments(loop)[0]
            return obj
        args = arguments(loop)
        return args[0] if args else None
    return None


def _for_bound(ctx: FileContext, loop: ts.Node) -> int | None:
    cond = loop.child_by_field_name("condition")
    cond = unwrap(cond.named_children[0]) if cond is not None and cond.named_children else unwrap(cond)
    if cond is not None and cond.type == "binary_expression":
        right = cond.child_by_field_name("right")
        n = int_value(ctx, right)
        if n is not None:
            return n + (1 if "<=" in ctx.node_text(cond) else 0)
    return None


def _steps_by_chunk(ctx: FileContext, loop: ts.Node) -> bool:
    """A counting loop that steps by more than one (``for (let i = 0; i < n; i += BATCH)``):
    each pass handles a chunk (``xs.slice(i, i + BATCH)``), not one item."""
    if loop.type != "for_statement":
        return False
    update = loop.child_by_field_name("increment")
    if update is None or update.type != "augmented_assignment_expression":
        return False
    step = update.child_by_field_name("right")
    return ctx.node_text(update.child_by_field_name("operator")) == "+=" and ctx.node_text(step) != "1"


def _declared_names(ctx: FileContext, loop: ts.Node) -> set[str]:
    """Loop variables and names declared in the loop body (values derived per item)."""
    names: set[str] = set()
    if loop.type == "for_in_statement":
        left = loop.child_by_field_name("left")
        names.update(_identifiers(ctx, left))
        body = loop.child_by_field_name("body")
    elif loop.type == "call_expression":
        args = arguments(loop)
        fn = next((a for a in args if a.type in FUNCTION_TYPES), None)
        if fn is None:
            return names
        params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
        names.update(_identifiers(ctx, params))
        body = fn.child_by_field_name("body")
    else:
        init = loop.child_by_field_name("initializer")
        names.update(_identifiers(ctx, init, declarators_only=True))
        body = loop.child_by_field_name("body")
    if body is not None:
        for decl in captures(ctx.language, "(variable_declarator name: (_) @n)", body).get("n", []):
            names.update(_identifiers(ctx, decl))
    return names


def _identifiers(ctx: FileContext, node: ts.Node | None, declarators_only: bool = False) -> set[str]:
    if node is None:
        return set()
    if declarators_only:
        return {
            ctx.node_text(n)
            for n in captures(ctx.language, "(variable_declarator name: (identifier) @n)", node).get("n", [])
        }
    found = captures(
        ctx.language,
        "[(identifier) (shorthand_property_identifier_pattern)] @n",
        node,
    ).get("n", [])
    out = {ctx.node_text(n) for n in found}
    if node.type in {"identifier", "shorthand_property_identifier_pattern"}:
        out.add(ctx.node_text(node))
    return out


_WORD = re.compile(r"[A-Za-z_$][\w$]*")


def loop_context(ctx: FileContext, call: ts.Node, args: list[ts.Node]) -> Loop | None:
    """The iteration around ``call`` with the literal size of its collection and whether the
    item flows into ``args`` (the query's arguments)."""
    loop = enclosing_loop(ctx, call)
    if loop is None:
        return None
    node = _loop_node(ctx, call)
    if node is None:
        return loop
    size: int | None = None
    if node.type == "for_statement":
        size = _for_bound(ctx, node)
    elif node.type in {"for_in_statement", "call_expression"}:
        size = _literal_size(ctx, _loop_collection(ctx, node))
    uses: bool | None = None
    if loop.kind != "while":
        names = _declared_names(ctx, node)
        if names:
            words: set[str] = set()
            for arg in args:
                words.update(_WORD.findall(ctx.node_text(arg)))
            uses = bool(words & names)
        if uses and (item_is_batch(ctx, node, args) or _steps_by_chunk(ctx, node)):
            uses = False  # one IN query per chunk of keys, not one query per item
    return with_source(
        ctx, replace(loop, literal_size=size, uses_item=uses), node, _loop_collection(ctx, node)
    )


def in_promise_all(ctx: FileContext, call: ts.Node) -> bool:
    """True when ``call`` runs in a ``xs.map(...)`` callback whose result goes to
    ``Promise.all`` (all calls are issued in the same tick)."""
    node = _loop_node(ctx, call)
    if node is None or node.type != "call_expression":
        return False
    parent = node.parent
    while parent is not None and parent.type in {
        "parenthesized_expression",
        "arguments",
        "array",
        "spread_element",
        "await_expression",
    }:
        if parent.type == "arguments":
            owner = parent.parent
            if owner is not None and owner.type == "call_expression":
                parts = callee_parts(ctx, owner)
                return len(parts) >= 2 and parts[-1] in {"all", "allSettled"}
        parent = parent.parent
    if node.parent is not None and node.parent.type == "variable_declarator":
        # const ps = ids.map(...); await Promise.all(ps)
        name = ctx.node_text(node.parent.child_by_field_name("name"))
        fn = enclosing_function(node)
        scope_text = ctx.node_text(fn) if fn is not None else ctx.text
        return re.search(rf"Promise\.(all|allSettled)\(\s*{re.escape(name)}\s*\)", scope_text) is not None
    return False


# ----------------------------------------------------------------------------- transactions

TX_METHODS = frozenset({"$transaction", "transaction", "withTransaction"})
_TX_START = frozenset({"startTransaction", "beginTransaction"})
_TX_END = frozenset({"commitTransaction", "commit", "rollbackTransaction"})


@dataclass(frozen=True, slots=True)
class TxSpan:
    """A transaction body: byte range plus the facts' fields."""

    start: int
    end: int
    orm: str
    loc: Loc
    body: Loc
    function_id: str | None
    handle: str = ""
    client: str = ""


def _tx_orm(ctx: FileContext, parts: tuple[str, ...]) -> str:
    recv = " ".join(parts[:-1]).lower()
    if parts[-1] == "$transaction" or "prisma" in recv:
        return "prisma"
    if parts[-1] == "withTransaction" or "session" in recv:
        return "mongoose"
    for orm in ("sequelize", "knex", "typeorm", "drizzle", "mongoose", "prisma"):
        if orm in recv:
            return orm
    if "datasource" in recv or "manager" in recv or "queryrunner" in recv:
        return "typeorm"
    for orm, marker in (
        ("sequelize", "sequelize"),
        ("knex", "knex"),
        ("typeorm", "typeorm"),
        ("drizzle", "drizzle"),
        ("mongoose", "mongoose"),
        ("prisma", "prisma"),
    ):
        if marker in lower_text(ctx):
            return orm
    return "unknown"


def transaction_spans(ctx: FileContext) -> list[TxSpan]:
    """Transaction bodies of the file (callback, array form, or begin..commit in a function)."""
    cached = ctx.cache.get("js.data.tx")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    spans: list[TxSpan] = []
    if not ctx.has_any("ransaction", "BEGIN", "begin"):
        ctx.cache["js.data.tx"] = spans
        return spans
    calls = iter_calls(ctx)
    for call, parts in calls:
        if len(parts) < 2 or parts[-1] not in TX_METHODS:
            continue
        args = arguments(call)
        body = next((a for a in args if a.type in FUNCTION_TYPES or a.type == "array"), None)
        if body is None:
            continue
        if body.type == "array" and parts[-1] != "$transaction":
            continue  # IndexedDB ``db.transaction(['store'])`` and the like
        spans.append(
            TxSpan(
                body.start_byte,
                body.end_byte,
                _tx_orm(ctx, parts),
                ctx.loc(call),
                ctx.loc(body),
                enclosing_function_id(ctx, call),
                handle=_first_param(ctx, body) if body.type in FUNCTION_TYPES else "",
                client=".".join(parts[:-1]),
            )
        )
    # imperative: queryRunner.startTransaction() ... commitTransaction(); BEGIN ... COMMIT
    starts: list[tuple[ts.Node, tuple[str, ...]]] = []
    for call, parts in calls:
        if not parts:
            continue
        if (
            parts[-1] in _TX_START
            or (parts[-1] == "query" and _sql_word(ctx, call) == "BEGIN")
            or (
                parts[-1] == "transaction"
                and len(parts) >= 2
                and not arguments(call)
                and call.parent is not None
                and call.parent.type == "await_expression"
            )
        ):
            starts.append((call, parts))
    for call, parts in starts:
        fn = enclosing_function(call)
        if fn is None:
            continue
        end_node: ts.Node | None = None
        for other, oparts in calls_between(ctx, call.end_byte, fn.end_byte):
            if oparts and (
                oparts[-1] in _TX_END
                or (oparts[-1] == "query" and _sql_word(ctx, other) in {"COMMIT", "ROLLBACK"})
            ):
                end_node = other
                break
        if end_node is None:
            continue
        span_loc = Loc(ctx.path, call.start_point[0] + 1, end_node.end_point[0] + 1)
        spans.append(
            TxSpan(
                call.start_byte,
                end_node.end_byte,
                _tx_orm(ctx, parts),
                ctx.loc(call),
                span_loc,
                enclosing_function_id(ctx, call),
            )
        )
    ctx.cache["js.data.tx"] = spans
    return spans


def _sql_word(ctx: FileContext, call: ts.Node) -> str:
    args = arguments(call)
    value = string_value(ctx, args[0]) if args else None
    return value.strip().split(" ")[0].upper().rstrip(";") if value else ""


def in_transaction(ctx: FileContext, node: ts.Node) -> bool:
    """True when ``node`` starts inside a transaction body of its file."""
    merged = ctx.cache.get("js.data.tx_merged")
    if merged is None:
        merged = []
        for span in sorted(transaction_spans(ctx), key=lambda s: s.start):
            if merged and span.start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], span.end))
            else:
                merged.append((span.start, span.end))
        ctx.cache["js.data.tx_merged"] = merged
        ctx.cache["js.data.tx_starts"] = [m[0] for m in merged]
    if not merged:
        return False
    pos = node.start_byte
    i = bisect.bisect_right(ctx.cache["js.data.tx_starts"], pos) - 1
    return i >= 0 and merged[i][0] <= pos < merged[i][1]


def _first_param(ctx: FileContext, fn: ts.Node) -> str:
    """The name of a callback's first parameter (``tx`` in ``async (tx) => ...``), ``""``
    when it takes none or destructures it."""
    single = fn.child_by_field_name("parameter")
    if single is not None:
        return ctx.node_text(single) if single.type == "identifier" else ""
    params = fn.child_by_field_name("parameters")
    if params is None or not params.named_children:
        return ""
    first = params.named_children[0]
    if first.type in {"required_parameter", "optional_parameter"}:
        first = first.child_by_field_name("pattern") or first
    return ctx.node_text(first) if first.type == "identifier" else ""


#: transactions that hold one pooled SQL connection for the callback (a query on the global
#: client inside it needs a second one)
_POOLED_TX_ORMS = frozenset({"prisma", "drizzle", "knex", "sequelize", "typeorm"})
_DECLARED = "(variable_declarator name: (identifier) @n value: (_) @v)"


def _handle_names(ctx: FileContext, span: TxSpan) -> frozenset[str]:
    """The handle and the names declared in the callback from it (``const repo =
    manager.getRepository(User)``, ``const users = tx.user``)."""
    key = f"js.data.tx_handles:{span.start}"
    cached = ctx.cache.get(key)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    names = {span.handle}
    body = ctx.root.descendant_for_byte_range(span.start, span.end)
    pairs: list[tuple[str, set[str]]] = []
    if body is not None:
        got = captures(ctx.language, _DECLARED, body)
        for name_node, value in zip(got.get("n", []), got.get("v", []), strict=False):
            pairs.append((ctx.node_text(name_node), set(_WORD.findall(ctx.node_text(value)))))
    for _ in range(3):  # aliases of aliases
        grew = False
        for alias, words in pairs:
            if alias not in names and words & names:
                names.add(alias)
                grew = True
        if not grew:
            break
    out = frozenset(names)
    ctx.cache[key] = out
    return out


def _is_sql_text(node: ts.Node) -> bool:
    """A statement's text rather than a query: a string, a template literal or a tagged
    template (``sql`...```, ``Prisma.sql`...```)."""
    if node.type in {"string", "template_string"}:
        return True
    args = node.child_by_field_name("arguments") if node.type == "call_expression" else None
    return args is not None and args.type == "template_string"


def escapes_transaction(ctx: FileContext, call: ts.Node) -> bool:
    """True when ``call`` runs inside a pooled SQL transaction callback that hands it a handle
    (``async (tx) => ...``) and uses neither the handle nor a name derived from it: the query
    goes to another pooled connection while the transaction holds one."""
    inner: TxSpan | None = None
    for span in transaction_spans(ctx):
        if span.start <= call.start_byte < span.end and (inner is None or span.start > inner.start):
            inner = span
    if inner is None or not inner.handle or inner.orm not in _POOLED_TX_ORMS:
        return False
    top = call
    while True:
        while top.parent is not None and top.parent.type in {"member_expression", "call_expression"}:
            top = top.parent
        # raw SQL (`sql\`...\``, a string) handed to a call runs on that call's receiver:
        # `tx.execute(sql\`UPDATE ...\`)` uses the handle
        holder = top.parent.parent if top.parent is not None and top.parent.type == "arguments" else None
        if holder is None or holder.type != "call_expression" or not _is_sql_text(top):
            break
        top = holder
    words = set(_WORD.findall(ctx.node_text(top)))
    return not words & _handle_names(ctx, inner)


#: parent node types whose children run only on some calls of the function
_BRANCHES = frozenset(
    {"if_statement", "else_clause", "ternary_expression", "catch_clause", "switch_case", "switch_default"}
)


def is_conditional(ctx: FileContext, node: ts.Node) -> bool:
    """True when ``node`` runs only on some calls of its function: in a branch of an ``if``,
    a ternary, the right side of ``&&``/``||``/``??``, a ``catch`` or a ``switch`` case
    (callbacks passed as arguments count as the function they are passed in)."""
    child = node
    parent = node.parent
    while parent is not None:
        kind = parent.type
        if kind in FUNCTION_TYPES:
            if parent.parent is None or parent.parent.type != "arguments":
                return False
        elif kind in _BRANCHES:
            cond = parent.child_by_field_name("condition")
            if cond is None or cond.id != child.id:
                return True
        elif kind == "binary_expression":
            op = parent.child_by_field_name("operator")
            right = parent.child_by_field_name("right")
            short_circuit = op is not None and ctx.node_text(op) in {"&&", "||", "??"}
            if short_circuit and right is not None and right.id == child.id:
                return True
        child = parent
        parent = parent.parent
    return False
