"""What a count's result feeds (SC-DB-017): an identifier, a limit check, or a response.

``countUse`` follows the value of one count query inside its function: the count expression
itself (``await prisma.order.count() + 1``, ``if (await X.count() >= max)``, ``return { total:
await X.count() }``) and, when it is bound to a name (``const n = await X.count()``), the
later uses of that name in the same function. No walk beyond the enclosing function.

- ``identifier``: the count plus a number (``n + 1``): the next number of a sequence
  (an invoice number, a position), built from a count.
- ``limit``: the count compared with a bound other than 0 or 1 (``n >= plan.maxProjects``):
  an availability or quota check. ``n > 0`` / ``n === 0`` / ``n >= 1`` test existence.
- ``returned``: the count goes into the function's result or the response
  (``return n``, ``return { unread: n }``, ``res.json({ total: n })``).
"""

from __future__ import annotations

import tree_sitter as ts

from scalescope.scan.extract.base import FileContext
from scalescope.scan.extract.js.ast import callee_parts, enclosing_function

_WRAP = frozenset(
    {
        "await_expression",
        "parenthesized_expression",
        "as_expression",
        "non_null_expression",
        "satisfies_expression",
    }
)
_ORDER = frozenset({"<", "<=", ">", ">="})
_EXISTS_BOUNDS = frozenset({"0", "1"})
#: calls that send a value as the response body
_SENDERS = frozenset({"json", "send", "ok", "status", "created", "respond", "end", "success"})
#: how far a value is followed up through object literals / arrays to a return or response
_CLIMB = 5
#: the most later uses of a bound name looked at
_MAX_USES = 40
_NUMBER_CASTS = frozenset({("Number",), ("parseInt",), ("BigInt",), ("parseFloat",)})
_RANK = {"identifier": 3, "limit": 2, "returned": 1, "": 0}


def count_use(ctx: FileContext, anchor: ts.Node) -> str:
    """``identifier`` | ``limit`` | ``returned`` | ``""`` for the count call ``anchor``."""
    node = _outer(_executor(anchor))
    best = _use(ctx, node)
    names = bound_names(ctx, node)
    if not names:
        return best
    fn = enclosing_function(anchor)
    scope = fn if fn is not None else anchor.parent
    if scope is None:
        return best
    seen = 0
    stack = [scope]
    while stack and seen < _MAX_USES:
        cur = stack.pop()
        if cur.start_byte >= node.end_byte and cur.type in {"identifier", "shorthand_property_identifier"}:
            if ctx.node_text(cur) in names:
                seen += 1
                found = _use(ctx, cur)
                if _RANK[found] > _RANK[best]:
                    best = found
            continue
        if cur.end_byte <= node.end_byte:
            continue
        stack.extend(reversed(cur.children))
    return best


def _executor(anchor: ts.Node) -> ts.Node:
    """The call that runs a SQL tag handed to it whole (slonik ``pool.oneFirst(sql`SELECT
    count(*) ...`)``, Drizzle ``db.execute(sql`...`)``): its result is the count's value."""
    args = anchor.child_by_field_name("arguments")
    holder = anchor.parent
    if (
        args is not None
        and args.type == "template_string"
        and holder is not None
        and holder.type == "arguments"
        and holder.named_child_count == 1
        and holder.parent is not None
        and holder.parent.type == "call_expression"
    ):
        return holder.parent
    return anchor


def _outer(node: ts.Node) -> ts.Node:
    while node.parent is not None and node.parent.type in _WRAP:
        node = node.parent
    return node


def bound_names(ctx: FileContext, node: ts.Node) -> set[str]:
    """The names a value is bound to (a count, a row read): ``const n = ...``, ``n = ...``,
    or a destructuring of its row (``const [{ count }] = ...``, ``const [row] = ...``)."""
    parent = node.parent
    if parent is None:
        return set()
    if parent.type == "variable_declarator" and parent.child_by_field_name("value") == node:
        target = parent.child_by_field_name("name")
    elif parent.type == "assignment_expression" and parent.child_by_field_name("right") == node:
        target = parent.child_by_field_name("left")
    else:
        return set()
    if target is None:
        return set()
    if target.type == "identifier":
        return {ctx.node_text(target)}
    names: set[str] = set()
    stack = [target]
    while stack:
        cur = stack.pop()
        if cur.type in {"identifier", "shorthand_property_identifier_pattern"}:
            names.add(ctx.node_text(cur))
        elif cur.type in {"array_pattern", "object_pattern", "pair_pattern", "assignment_pattern"}:
            value = cur.child_by_field_name("value") if cur.type == "pair_pattern" else None
            if cur.type == "assignment_pattern":
                value = cur.child_by_field_name("left")
            stack.extend([value] if value is not None else cur.named_children)
    return names


def _use(ctx: FileContext, node: ts.Node) -> str:
    """What the expression ``node`` (the count or a name holding it) feeds directly."""
    node = _outer(node)
    # ``row.n``, ``rows[0].count``, ``Number(count)``: still the count's value
    for _ in range(3):
        parent = node.parent
        if parent is None:
            break
        if parent.type in {"member_expression", "subscript_expression"} and (
            parent.child_by_field_name("object") == node
        ):
            node = _outer(parent)
        elif (
            parent.type == "arguments"
            and parent.parent is not None
            and parent.parent.type == "call_expression"
            and callee_parts(ctx, parent.parent) in _NUMBER_CASTS
        ):
            node = _outer(parent.parent)
        else:
            break
    parent = node.parent
    if parent is None:
        return ""
    if parent.type == "binary_expression":
        op = parent.child_by_field_name("operator")
        other = parent.child_by_field_name("right" if parent.child_by_field_name("left") == node else "left")
        op_text = ctx.node_text(op) if op is not None else ""
        other_text = ctx.node_text(other).strip() if other is not None else ""
        if op_text == "+" and other is not None and other.type == "number":
            return "identifier"
        if (
            op_text in _ORDER
            and other is not None
            and other_text not in _EXISTS_BOUNDS
            and not _size(ctx, other)
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
        if kind in {"arrow_function"} and parent.child_by_field_name("body") == cur:
            return True
        if kind == "arguments" and parent.parent is not None and parent.parent.type == "call_expression":
            parts = callee_parts(ctx, parent.parent)
            return bool(parts) and parts[-1] in _SENDERS
        if kind == "shorthand_property_identifier" or kind in {"object", "array", "spread_element"}:
            cur = parent
            continue
        if kind == "pair" and parent.child_by_field_name("value") == cur:
            cur = parent
            continue
        if kind in _WRAP:
            cur = parent
            continue
        return False
    return False


def _size(ctx: FileContext, node: ts.Node) -> bool:
    """``list.length`` / ``map.size``: the size of something in memory (a completeness check
    against a list the code holds), not a limit."""
    node = _outer(node)
    if node.type != "member_expression":
        return False
    prop = node.child_by_field_name("property")
    return prop is not None and ctx.node_text(prop) in {"length", "size"}


def count_guard(ctx: FileContext, anchor: ts.Node) -> str:
    """``lock`` / ``isolation`` when a lock or a strict isolation level serialises the count
    with its check or insert (the markers :class:`ReadModifyWrite` uses), else ``""``."""
    from scalescope.scan.extract.js.read_modify_write import protection

    fn = enclosing_function(anchor)
    return protection(ctx, anchor, fn if fn is not None else anchor)[1]
