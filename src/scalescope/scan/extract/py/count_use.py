"""What a count's result feeds (SC-DB-017): an identifier, a limit check, or a response.

The Python twin of :mod:`scalescope.scan.extract.js.count_use`: the count expression itself
(``Order.objects.count() + 1``, ``if qs.count() >= MAX``, ``return {"total": qs.count()}``)
and, when it is bound to a name (``n = qs.count()``), that name's later uses in the same
function. A count read through ``session.scalar(...)`` / ``.scalar()`` / ``.scalar_one()`` is
followed from that call.

- ``identifier``: the count plus a number (``n + 1``, ``f"INV-{n + 1:05d}"``).
- ``limit``: compared with a bound other than 0 or 1 (``n >= settings.MAX_SEATS``).
- ``returned``: returned or handed to a response (``return {"unread": n}``,
  ``Response({"count": n})``, ``jsonify(total=n)``).
"""

from __future__ import annotations

import tree_sitter as ts

from scalescope.scan.extract.base import FileContext
from scalescope.scan.extract.py.ast import callee_parts, enclosing_function

_WRAP = frozenset({"await", "parenthesized_expression"})
#: calls that read the count's value out of a statement or result
_VALUE_CALLS = frozenset(
    {"scalar", "scalar_one", "scalar_one_or_none", "first", "one", "execute", "fetchval", "fetchone", "count"}
)
_ORDER = frozenset({"<", "<=", ">", ">="})
_EXISTS_BOUNDS = frozenset({"0", "1"})
#: response constructors and helpers that send a value as the body
_SENDERS = frozenset(
    {"Response", "JsonResponse", "jsonify", "JSONResponse", "ORJSONResponse", "json", "make_response"}
)
_CLIMB = 6
_MAX_USES = 40
_RANK = {"identifier": 3, "limit": 2, "returned": 1, "": 0}


def count_use(ctx: FileContext, anchor: ts.Node) -> str:
    """``identifier`` | ``limit`` | ``returned`` | ``""`` for the count query at ``anchor``."""
    node = _value(ctx, anchor)
    best = _use(ctx, node)
    name = _bound_name(ctx, node)
    if name is None:
        return best
    fn = enclosing_function(anchor)
    scope = fn if fn is not None else anchor.parent
    if scope is None:
        return best
    seen = 0
    stack = [scope]
    while stack and seen < _MAX_USES:
        cur = stack.pop()
        if cur.end_byte <= node.end_byte:
            continue
        if cur.type == "identifier" and cur.start_byte >= node.end_byte:
            if ctx.node_text(cur) == name:
                seen += 1
                found = _use(ctx, cur)
                if _RANK[found] > _RANK[best]:
                    best = found
            continue
        stack.extend(reversed(cur.children))
    return best


def _value(ctx: FileContext, node: ts.Node) -> ts.Node:
    """The expression holding the count's value: up through awaits, parentheses, chained
    calls (``q.count()`` of a builder, ``.scalar()``) and ``session.scalar(stmt)``."""
    while node.parent is not None:
        parent = node.parent
        if parent.type in _WRAP:
            node = parent
        elif (
            parent.type == "attribute"
            and parent.child_by_field_name("object") == node
            and parent.parent is not None
            and parent.parent.type == "call"
            and ctx.node_text(parent.child_by_field_name("attribute")) in _VALUE_CALLS
        ) or (
            parent.type == "argument_list"
            and parent.parent is not None
            and parent.parent.type == "call"
            and (callee_parts(ctx, parent.parent) or ("",))[-1] in _VALUE_CALLS
        ):
            node = parent.parent
        else:
            break
    return node


def _bound_name(ctx: FileContext, node: ts.Node) -> str | None:
    parent = node.parent
    if parent is None or parent.type != "assignment" or parent.child_by_field_name("right") != node:
        return None
    target = parent.child_by_field_name("left")
    return ctx.node_text(target) if target is not None and target.type == "identifier" else None


def _use(ctx: FileContext, node: ts.Node) -> str:
    while node.parent is not None and node.parent.type in _WRAP:
        node = node.parent
    parent = node.parent
    if parent is None:
        return ""
    if parent.type == "binary_operator":
        op = parent.child_by_field_name("operator")
        other = parent.child_by_field_name("right" if parent.child_by_field_name("left") == node else "left")
        if op is not None and ctx.node_text(op) == "+" and other is not None and other.type == "integer":
            return "identifier"
        return ""
    if parent.type == "comparison_operator":
        ops = {ctx.node_text(c) for c in parent.children if not c.is_named}
        others = [c for c in parent.named_children if c != node]
        if (
            ops & _ORDER
            and others
            and all(ctx.node_text(o).strip() not in _EXISTS_BOUNDS and not _size(ctx, o) for o in others)
        ):
            return "limit"
        return ""
    return "returned" if _returned(ctx, node) else ""


def _returned(ctx: FileContext, node: ts.Node) -> bool:
    cur = node
    for _ in range(_CLIMB):
        parent = cur.parent
        if parent is None:
            return False
        kind = parent.type
        if kind == "return_statement":
            return True
        if kind == "argument_list" and parent.parent is not None and parent.parent.type == "call":
            parts = callee_parts(ctx, parent.parent)
            if parts and parts[-1] in _SENDERS:
                return True
            cur = parent.parent  # ``dict(total=n)``, ``Schema(count=n)`` built for the return
            continue
        if kind == "keyword_argument" and parent.child_by_field_name("value") == cur:
            cur = parent
            continue
        if kind == "pair" and parent.child_by_field_name("value") == cur:
            cur = parent
            continue
        if kind in {"dictionary", "list", "tuple", "expression_list"} | _WRAP:
            cur = parent
            continue
        return False
    return False


def _size(ctx: FileContext, node: ts.Node) -> bool:
    """``len(rows)``: the size of something in memory, not a limit."""
    return node.type == "call" and callee_parts(ctx, node) == ("len",)


def count_guard(ctx: FileContext, anchor: ts.Node) -> str:
    """``lock`` / ``isolation`` when a lock or a strict isolation level serialises the count
    with its check or insert (the markers :class:`ReadModifyWrite` uses), else ``""``."""
    from scalescope.scan.extract.py.read_modify_write import protection

    fn = enclosing_function(anchor)
    return protection(ctx, anchor, fn if fn is not None else anchor)[1]
