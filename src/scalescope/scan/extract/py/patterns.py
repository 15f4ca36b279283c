"""``LIKE`` patterns in Python query code: whether one starts with a wildcard, and which
expression holds the searched text (the twin of the pattern helpers in ``js/data_where.py``).

A pattern is a string literal (``"%@example.com"``), an f-string (``f"%{q}%"``), a
concatenation (``"%" + q + "%"``), ``"%{}%".format(q)``, ``"%%%s%%" % q``, or a name assigned
one of those earlier in its scope (``like = f"%{q}%"``).
"""

from __future__ import annotations

from typing import NamedTuple

import tree_sitter as ts

from scalescope.scan.extract.base import FileContext
from scalescope.scan.extract.py.ast import arguments, unwrap
from scalescope.scan.extract.py.data_common import assignment_before
from scalescope.scan.extract.py.request_values import STRING_METHODS
from scalescope.scan.extract.selectivity import Searched
from scalescope.scan.extract.sql_search import LikeSpot


class Pattern(NamedTuple):
    """A pattern as written: whether it starts with a wildcard and the expression substituted
    into it (``None`` for a literal)."""

    leading: bool
    value: ts.Node | None = None


def pattern(ctx: FileContext, node: ts.Node | None, depth: int = 0) -> Pattern | None:
    """The ``LIKE`` pattern ``node`` builds (see the module docstring), ``None`` when it is not
    visible."""
    node = unwrap(node)
    if node is None or depth > 4:
        return None
    if node.type == "string":
        parts = [c for c in node.named_children if c.type not in {"string_start", "string_end"}]
        if not parts:
            return Pattern(False)
        first = parts[0]
        leading = first.type == "string_content" and ctx.node_text(first)[:1] in {"%", "_"}
        inner = next((c for c in parts if c.type == "interpolation"), None)
        value = inner.named_children[0] if inner is not None and inner.named_children else None
        return Pattern(leading, searched_text(ctx, value))
    if node.type == "binary_operator":
        op = ctx.node_text(node.child_by_field_name("operator"))
        left = unwrap(node.child_by_field_name("left"))
        right = unwrap(node.child_by_field_name("right"))
        if op == "%" and left is not None and left.type == "string":  # ``"%%%s%%" % q``
            if right is not None and right.type == "tuple" and right.named_children:
                right = right.named_children[0]
            text = ctx.node_text(left).lstrip("rbfuRBFU")[1:3]  # ``%%`` renders as ``%``
            return Pattern(text == "%%" or text[:1] == "_", searched_text(ctx, right))
        if op != "+":
            return None
        operands = _concatenated(ctx, node)
        head = pattern(ctx, operands[0], depth + 1) if operands[0].type == "string" else None
        if head is None:
            return None
        value = next((o for o in operands if o.type != "string"), None)
        return Pattern(head.leading, head.value or searched_text(ctx, value))
    if node.type == "call":  # ``"%{}%".format(q)``
        fn = node.child_by_field_name("function")
        if (
            fn is not None
            and fn.type == "attribute"
            and ctx.node_text(fn.child_by_field_name("attribute")) == "format"
        ):
            obj = unwrap(fn.child_by_field_name("object"))
            head = pattern(ctx, obj, depth + 1) if obj is not None and obj.type == "string" else None
            args = arguments(node)
            if head is not None:
                return Pattern(head.leading, searched_text(ctx, args[0] if args else None))
        return None
    if node.type == "identifier":
        assign = assignment_before(ctx, node)
        if assign is None:
            return None
        left = assign.child_by_field_name("left")
        if left is None or left.type != "identifier":
            return None
        return pattern(ctx, assign.child_by_field_name("right"), depth + 1)
    return None


def _concatenated(ctx: FileContext, node: ts.Node) -> list[ts.Node]:
    """Operands of ``a + b + c`` in order."""
    out: list[ts.Node] = []
    stack = [node]
    while stack:
        cur = unwrap(stack.pop())
        if cur is None:
            continue
        if cur.type == "binary_operator" and ctx.node_text(cur.child_by_field_name("operator")) == "+":
            stack.extend(
                c
                for c in (cur.child_by_field_name("right"), cur.child_by_field_name("left"))
                if c is not None
            )
        else:
            out.append(cur)
    return out


def searched_text(ctx: FileContext, node: ts.Node | None) -> ts.Node | None:
    """The text a search looks for, without str methods applied to it (``q.strip()`` -> ``q``,
    ``str(q)`` -> ``q``)."""
    for _ in range(4):
        node = unwrap(node)
        if node is None or node.type != "call":
            return node
        fn = node.child_by_field_name("function")
        args = arguments(node)
        if fn is not None and fn.type == "attribute":
            if ctx.node_text(fn.child_by_field_name("attribute")) not in STRING_METHODS:
                return node
            node = fn.child_by_field_name("object")
        elif fn is not None and ctx.node_text(fn) == "str" and args:
            node = args[0]
        else:
            return node
    return node


def spot_search(ctx: FileContext, spot: LikeSpot, bound: ts.Node | None) -> Searched | None:
    """The search a ``LIKE`` of SQL text makes given the expression its placeholder is bound to
    (see ``js/data_where.spot_search``)."""
    if spot.negated or spot.leading is False:
        return None
    if spot.leading:
        return Searched(spot.column, spot.operator, searched_text(ctx, bound))
    shape = pattern(ctx, bound)
    return Searched(spot.column, spot.operator, shape.value) if shape is not None and shape.leading else None
