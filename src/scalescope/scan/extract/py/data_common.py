"""Shared context of the Python data-access and slow-call extractors: loops (with the literal
size of the iterated collection and whether the item flows into a call), transaction blocks,
local variable assignments and literal SQL.

Transaction spans are computed once per file and shared through ``ctx.cache`` so that
:mod:`data_access` and :mod:`slow_calls` agree on what runs inside a transaction.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

import tree_sitter as ts

from scalescope.model.facts import Loc, Loop, Transaction
from scalescope.scan.extract.base import FileContext, captures
from scalescope.scan.extract.py.ast import (
    COMPREHENSIONS,
    FUNCTION_TYPES,
    LOOP_TYPES,
    arguments,
    callee_parts,
    decorators,
    dotted,
    enclosing_function,
    enclosing_function_id,
    enclosing_loop,
    function_id,
    int_value,
    iter_calls,
    string_value,
    unwrap,
)
from scalescope.scan.extract.py.loops import with_source

_WORD = re.compile(r"[A-Za-z_]\w*")


# ----------------------------------------------------------------------------- loops


def loop_node(node: ts.Node) -> ts.Node | None:
    """The ``for``/``while`` statement or comprehension :func:`enclosing_loop` reports."""
    child = node
    parent = node.parent
    while parent is not None:
        if parent.type in LOOP_TYPES:
            body = parent.child_by_field_name("body")
            if body is not None and body.start_byte <= node.start_byte < body.end_byte:
                return parent
        if parent.type in COMPREHENSIONS:
            first = parent.named_children[0] if parent.named_children else None
            if first is not None and first == child:
                return parent
        if parent.type in FUNCTION_TYPES:
            return None
        child = parent
        parent = parent.parent
    return None


def _module_constants(ctx: FileContext) -> dict[str, int]:
    """``NAME = [a, b]`` / ``(a, b)`` / ``{a, b}`` at module level -> element count."""
    cached = ctx.cache.get("py.data.consts")
    if cached is None:
        cached = {}
        for stmt in ctx.root.named_children:
            if stmt.type != "expression_statement" or not stmt.named_children:
                continue
            assign = stmt.named_children[0]
            if assign.type != "assignment":
                continue
            left = assign.child_by_field_name("left")
            right = unwrap(assign.child_by_field_name("right"))
            if left is None or right is None or left.type != "identifier":
                continue
            if right.type in {"list", "tuple", "set", "dictionary"}:
                cached[ctx.node_text(left)] = len(right.named_children)
        ctx.cache["py.data.consts"] = cached
    return cached


def literal_size(ctx: FileContext, collection: ts.Node | None) -> int | None:
    """Number of items of a literal collection (``[1, 2]``, ``range(3)``, a module constant)."""
    node = unwrap(collection)
    if node is None:
        return None
    if node.type in {"list", "tuple", "set", "dictionary"}:
        return len([c for c in node.named_children if c.type != "comment"])
    if node.type == "identifier":
        return _module_constants(ctx).get(ctx.node_text(node))
    if node.type == "call":
        parts = callee_parts(ctx, node)
        args = arguments(node)
        if parts == ("range",) and 1 <= len(args) <= 3:
            bounds = [int_value(ctx, a) for a in args[:2]]
            if all(b is not None for b in bounds):
                return bounds[-1] if len(bounds) == 1 else max(0, bounds[1] - bounds[0])  # type: ignore[operator]
            return None
        if parts in {("enumerate",), ("sorted",), ("reversed",), ("list",), ("tuple",)} and args:
            return literal_size(ctx, args[0])
        if len(parts) >= 2 and parts[-1] in {"items", "keys", "values"} and not args:
            fn = unwrap(node.child_by_field_name("function"))
            obj = fn.child_by_field_name("object") if fn is not None else None
            return literal_size(ctx, obj)
    return None


def _targets(ctx: FileContext, node: ts.Node | None, out: set[str]) -> None:
    node = unwrap(node)
    if node is None:
        return
    if node.type == "identifier":
        out.add(ctx.node_text(node))
        return
    for child in node.named_children:
        _targets(ctx, child, out)


def declared_names(ctx: FileContext, loop: ts.Node) -> set[str]:
    """Loop variables plus names assigned in a ``for`` body (values derived per item)."""
    names: set[str] = set()
    if loop.type in COMPREHENSIONS:
        for clause in loop.named_children:
            if clause.type == "for_in_clause":
                _targets(ctx, clause.child_by_field_name("left"), names)
        return names
    if loop.type != "for_statement":
        return names
    _targets(ctx, loop.child_by_field_name("left"), names)
    body = loop.child_by_field_name("body")
    if body is not None:
        found = captures(
            "python",
            "(assignment left: (_) @l) (named_expression name: (_) @l) (as_pattern_target) @l",
            body,
        )
        for left in found.get("l", []):
            _targets(ctx, left, names)
    return names


def loop_collection(loop: ts.Node) -> ts.Node | None:
    if loop.type == "for_statement":
        return loop.child_by_field_name("right")
    if loop.type in COMPREHENSIONS:
        for clause in loop.named_children:
            if clause.type == "for_in_clause":
                return clause.child_by_field_name("right")
    return None


def loop_context(ctx: FileContext, node: ts.Node, used: ts.Node | str | None = None) -> Loop | None:
    """The iteration around ``node`` with its literal size and whether the iterated item (or a
    name assigned in the loop body) appears in ``used`` (the query's source text/node)."""
    loop = enclosing_loop(ctx, node)
    if loop is None:
        return None
    lnode = loop_node(node)
    if lnode is None:
        return loop
    size = literal_size(ctx, loop_collection(lnode))
    uses: bool | None = None
    if lnode.type != "while_statement":
        names = declared_names(ctx, lnode)
        if names:
            text = used if isinstance(used, str) else ctx.node_text(used if used is not None else node)
            uses = bool(set(_WORD.findall(text)) & names)
    return with_source(ctx, replace(loop, literal_size=size, uses_item=uses), lnode, loop_collection(lnode))


# ----------------------------------------------------------------------------- variables


def assignments(ctx: FileContext) -> dict[str, list[ts.Node]]:
    """Assignments to plain names, by name, in file order (computed once per file)."""
    cached = ctx.cache.get("py.data.assign")
    if cached is None:
        cached = {}
        found = captures("python", "(assignment left: (identifier) @l)", ctx.root).get("l", [])
        for left in found:  # captures() lists nodes in document order
            parent = left.parent
            if parent is not None and parent.child_by_field_name("right") is not None:
                cached.setdefault(ctx.node_text(left), []).append(parent)
        ctx.cache["py.data.assign"] = cached
    return cached


def _same_scope(a: ts.Node, b: ts.Node) -> bool:
    fa, fb = enclosing_function(a), enclosing_function(b)
    if fa is None or fb is None:
        return fa is None and fb is None
    return fa.id == fb.id


def assignment_before(ctx: FileContext, name_node: ts.Node) -> ts.Node | None:
    """The last ``name = value`` of the same scope that ends before ``name_node`` (its value's
    most recent definition, textually)."""
    name = ctx.node_text(name_node)
    found = assignments(ctx).get(name)
    if not found:
        return None
    starts = ctx.cache.setdefault("py.data.assign_starts", {})
    keys = starts.get(name)
    if keys is None:
        keys = [a.start_byte for a in found]
        starts[name] = keys
    i = bisect.bisect_left(keys, name_node.start_byte) - 1
    steps = 0
    while i >= 0 and steps < 64:
        assign = found[i]
        if assign.end_byte <= name_node.start_byte and _same_scope(assign, name_node):
            return assign
        i -= 1
        steps += 1
    return None


def name_uses(ctx: FileContext, assign: ts.Node, name: str) -> list[ts.Node]:
    """Identifier nodes reading ``name`` after ``assign`` in its scope, until it is reassigned
    at the same nesting (uses under a later reassignment belong to that assignment)."""
    fn = enclosing_function(assign)
    end = fn.end_byte if fn is not None else ctx.root.end_byte
    start = assign.end_byte
    text = ctx.source[start:end]
    out: list[ts.Node] = []
    pattern = re.compile(rb"(?<![\w.])" + re.escape(name.encode()) + rb"\b")
    later = [a for a in assignments(ctx).get(name, ()) if start <= a.start_byte < end]
    for m in pattern.finditer(text):
        pos = start + m.start()
        node = ctx.root.descendant_for_byte_range(pos, pos + len(name))
        if node is None or node.type != "identifier" or ctx.node_text(node) != name:
            continue
        parent = node.parent
        if parent is not None and parent.type == "assignment" and parent.child_by_field_name("left") == node:
            continue
        owner = None
        for other in later:
            if other.end_byte <= node.start_byte:
                owner = other
        if owner is not None and owner.id != assign.id:
            continue
        if not _same_scope(node, assign):
            continue
        out.append(node)
    return out


# ----------------------------------------------------------------------------- SQL


def sql_text(ctx: FileContext, node: ts.Node | None, depth: int = 0) -> str | None:
    """Literal SQL carried by ``node``: a string, ``text("...")``, an implicit concatenation,
    or a local/module variable assigned one."""
    node = unwrap(node)
    if node is None or depth > 3:
        return None
    if node.type == "string":
        return string_value(ctx, node) if node.named_children else None
    if node.type == "concatenated_string":
        pieces = [string_value(ctx, c) for c in node.named_children if c.type == "string"]
        return "".join(p for p in pieces if p is not None) if all(p is not None for p in pieces) else None
    if node.type == "call":
        parts = callee_parts(ctx, node)
        if parts and parts[-1] in {"text", "SQL", "literal_column"} and arguments(node):
            return sql_text(ctx, arguments(node)[0], depth + 1)
        return None
    if node.type == "binary_operator":
        op = node.child_by_field_name("operator")
        if op is None or ctx.node_text(op) != "+":
            return None  # ``"... %s" % x``: formatted, not known as written
        left = sql_text(ctx, node.child_by_field_name("left"), depth + 1)
        right = sql_text(ctx, node.child_by_field_name("right"), depth + 1) if left is not None else None
        return left + right if left is not None and right is not None else None
    if node.type == "identifier":
        assign = assignment_before(ctx, node)
        if assign is not None:
            if _extended(ctx, ctx.node_text(node), assign.end_byte, node.start_byte):
                return None  # ``query += " WHERE ..."`` on the way: built at run time
            return sql_text(ctx, assign.child_by_field_name("right"), depth + 1)
        value = module_constant(ctx, node)
        if value is not None:
            return sql_text(ctx, value, depth + 1)
    return None


def _extended(ctx: FileContext, name: str, start: int, end: int) -> bool:
    """``name += ...`` between ``start`` and ``end`` (the statement grows after it is bound)."""
    return re.search(rf"\b{re.escape(name)}\s*\+=".encode(), ctx.source[start:end]) is not None


def module_constant(ctx: FileContext, ident: ts.Node) -> ts.Node | None:
    """The value of a name assigned exactly once, at module level, and nowhere in the function
    that reads it (``LIST_ORDERS = "SELECT ..."`` read by ``cursor.execute(LIST_ORDERS)``)."""
    name = ctx.node_text(ident)
    found = assignments(ctx).get(name, [])
    module = [a for a in found if a.parent is not None and a.parent.parent == ctx.root]
    if len(module) != 1 or len(found) != 1:
        return None
    fn = enclosing_function(ident)
    params = fn.child_by_field_name("parameters") if fn is not None else None
    if params is not None and re.search(rf"\b{re.escape(name)}\b", ctx.node_text(params)):
        return None
    return module[0].child_by_field_name("right")


def normalise_sql(sql: str) -> str:
    """Replace DB-API placeholders (``%s``, ``%(x)s``, ``$1``, ``:x``, ``?``) by literals."""
    return re.sub(r"%\(\w+\)s|%s|\$\d+|(?<!:):\w+|\?", "1", sql)


# ----------------------------------------------------------------------------- transactions


@dataclass(frozen=True, slots=True)
class TxSpan:
    """A transaction body: byte range and the fact describing it."""

    start: int
    end: int
    fact: Transaction


_TX_WITH = frozenset({"atomic", "begin", "begin_nested", "transaction"})


def _tx_orm(ctx: FileContext, parts: tuple[str, ...]) -> str:
    if parts[-1] == "atomic":
        return "django"
    if parts[-1] in {"begin", "begin_nested"}:
        return "sqlalchemy"
    text = ctx.text
    if "asyncpg" in text:
        return "asyncpg"
    if "psycopg" in text:
        return "psycopg"
    if "databases" in text:
        return "databases"
    if "sqlalchemy" in text:
        return "sqlalchemy"
    return "raw-sql"


def _tx_call(ctx: FileContext, node: ts.Node | None) -> tuple[str, ...] | None:
    """Callee parts when ``node`` opens a transaction (``transaction.atomic()``,
    ``session.begin()``, ``conn.transaction()``), else None."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "as_pattern" and node.named_children:
        return _tx_call(ctx, node.named_children[0])
    if node.type in {"attribute", "identifier"}:
        parts = dotted(ctx, node)
        if parts and parts[-1] == "atomic":
            return parts
        return None
    if node.type != "call":
        return None
    parts = callee_parts(ctx, node)
    if not parts or parts[-1] not in _TX_WITH:
        return None
    if parts[-1] == "atomic":
        return parts
    if len(parts) < 2:
        return None
    recv = parts[-2].lower()
    if parts[-1] == "transaction" and not re.search(r"conn|db|database|pool|session|tx|cur", recv):
        return None
    if parts[-1] in {"begin", "begin_nested"} and not re.search(r"session|conn|engine|db|maker", recv):
        return None
    return parts


def transaction_spans(ctx: FileContext) -> list[TxSpan]:
    """Transaction blocks of the file: ``with``/``async with`` blocks and functions decorated
    with ``@transaction.atomic`` / ``@atomic`` / ``@db.transaction()``."""
    cached = ctx.cache.get("py.data.tx")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    spans: list[TxSpan] = []
    if ctx.has_any("atomic", "begin", "transaction"):
        for stmt in captures("python", "(with_statement) @w", ctx.root).get("w", []):
            clause = next((c for c in stmt.named_children if c.type == "with_clause"), None)
            body = stmt.child_by_field_name("body")
            if clause is None or body is None:
                continue
            for item in clause.named_children:
                parts = _tx_call(ctx, item.child_by_field_name("value") or item)
                if parts is not None:
                    orm = _tx_orm(ctx, parts)
                    fact = Transaction(
                        Loc(ctx.path, stmt.start_point[0] + 1),
                        orm=orm,
                        body=ctx.loc(body),
                        function_id=enclosing_function_id(ctx, stmt),
                        handle=_with_handle(ctx, item, parts) if orm == "sqlalchemy" else "",
                        client=".".join(parts[:-1]),
                    )
                    spans.append(TxSpan(body.start_byte, body.end_byte, fact))
                    break
        for fn in captures(
            "python", "(decorated_definition definition: (function_definition) @f)", ctx.root
        ).get("f", []):
            for deco in decorators(ctx, fn):
                parts = _tx_call(ctx, deco)
                if parts is None:
                    continue
                body = fn.child_by_field_name("body")
                if body is None:
                    break
                fact = Transaction(
                    Loc(ctx.path, deco.start_point[0] + 1),
                    orm=_tx_orm(ctx, parts),
                    body=ctx.loc(body),
                    function_id=function_id(ctx, fn),
                )
                spans.append(TxSpan(body.start_byte, body.end_byte, fact))
                break
    spans.sort(key=lambda s: s.start)
    ctx.cache["py.data.tx"] = spans
    return spans


def _deferred_ranges(ctx: FileContext) -> list[tuple[int, int]]:
    """Code inside a transaction that does not run in it: ``on_commit(...)`` arguments and
    nested ``def`` bodies (defined there, run later)."""
    cached = ctx.cache.get("py.data.tx_deferred")
    if cached is None:
        cached = []
        spans = transaction_spans(ctx)
        if spans:
            for call, parts in iter_calls(ctx):
                if parts and parts[-1] == "on_commit":
                    args = call.child_by_field_name("arguments")
                    if args is not None:
                        cached.append((args.start_byte, args.end_byte))
            for fn in captures("python", "(function_definition) @f", ctx.root).get("f", []):
                for span in spans:
                    if span.start <= fn.start_byte < span.end:
                        cached.append((fn.start_byte, fn.end_byte))
                        break
        ctx.cache["py.data.tx_deferred"] = cached
    return cached


def in_transaction(ctx: FileContext, node: ts.Node) -> bool:
    """True when ``node`` runs inside a transaction block of its file."""
    spans = transaction_spans(ctx)
    if not spans:
        return False
    pos = node.start_byte
    starts = ctx.cache.get("py.data.tx_starts")
    if starts is None:
        starts = [s.start for s in spans]
        ctx.cache["py.data.tx_starts"] = starts
    i = bisect.bisect_right(starts, pos) - 1
    inside = any(spans[j].start <= pos < spans[j].end for j in range(max(0, i - 8), i + 1))
    if not inside:
        return False
    return not any(a <= pos < b for a, b in _deferred_ranges(ctx))


def emit_transactions(ctx: FileContext) -> None:
    for span in transaction_spans(ctx):
        ctx.emit(span.fact)


#: parent node types whose children run only on some calls of the function
_BRANCHES = frozenset(
    {"if_statement", "elif_clause", "else_clause", "conditional_expression", "except_clause", "case_clause"}
)


def is_conditional(node: ts.Node) -> bool:
    """True when ``node`` runs only on some calls of its function: in a branch of an
    ``if``/``elif``/``else``, a conditional expression, the right side of ``and``/``or``, an
    ``except`` clause or a ``match`` case (a lambda counts as the function it is written in)."""
    child = node
    parent = node.parent
    while parent is not None:
        kind = parent.type
        if kind == "function_definition":
            return False
        if kind in _BRANCHES:
            cond = parent.child_by_field_name("condition")
            if cond is None or cond.id != child.id:
                return True
        elif kind == "boolean_operator":
            right = parent.child_by_field_name("right")
            if right is not None and right.id == child.id:
                return True
        child = parent
        parent = parent.parent
    return False


# ----------------------------------------------------------------------------- pool escapes

_OPENS_CONNECTION = re.compile(r"(?:^|\.)(?:\w*[Ss]ession\w*|connect|begin)$")


def _with_handle(ctx: FileContext, item: ts.Node, parts: tuple[str, ...]) -> str:
    """The session or connection a ``with`` transaction runs on: the ``as`` name
    (``with engine.begin() as conn``), else the receiver (``with session.begin():``)."""
    value = unwrap(item.child_by_field_name("value") or item)
    if value is not None and value.type == "as_pattern":
        target = value.child_by_field_name("alias")
        kids = target.named_children if target is not None else []
        names = [c for c in kids if c.type == "identifier"]
        if names:
            return ctx.node_text(names[0])
    return parts[-2] if len(parts) >= 2 and parts[-2].isidentifier() else ""


def _opened_in(ctx: FileContext, body: ts.Node) -> frozenset[str]:
    """Names bound inside ``body`` to a newly opened session or connection (``with
    SessionLocal() as other``, ``other = Session(engine)``, ``conn = engine.connect()``)."""
    names: set[str] = set()
    for node in captures("python", "[(as_pattern) (assignment)] @b", body).get("b", []):
        if node.type == "as_pattern":
            value = node.named_children[0] if node.named_children else None
            target = node.child_by_field_name("alias")
            kids = target.named_children if target is not None else []
            bound = [c for c in kids if c.type == "identifier"]
        else:
            value = node.child_by_field_name("right")
            left = node.child_by_field_name("left")
            bound = [left] if left is not None and left.type == "identifier" else []
        value = unwrap(value)
        if value is None or value.type != "call" or not bound:
            continue
        callee = ".".join(callee_parts(ctx, value))
        if _OPENS_CONNECTION.search(callee):
            names.add(ctx.node_text(bound[0]))
    return frozenset(names)


def escapes_transaction(ctx: FileContext, node: ts.Node) -> bool:
    """True when ``node`` runs inside a SQLAlchemy transaction block on a session or
    connection opened inside that block (a second pooled connection while the first is held)."""
    inner: TxSpan | None = None
    for span in transaction_spans(ctx):
        if span.start <= node.start_byte < span.end and (inner is None or span.start > inner.start):
            inner = span
    if inner is None or not inner.fact.handle:
        return False
    text = ctx.node_text(node)
    root = re.match(r"\s*(\w+)", text)
    if root is None or root.group(1) == inner.fact.handle:
        return False
    key = f"py.data.tx_opened:{inner.start}"
    opened = ctx.cache.get(key)
    if opened is None:
        body = ctx.root.descendant_for_byte_range(inner.start, inner.end)
        opened = _opened_in(ctx, body) if body is not None else frozenset()
        ctx.cache[key] = opened
    return root.group(1) in opened
