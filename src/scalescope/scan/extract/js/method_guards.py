"""Request-method guards in JavaScript/TypeScript handlers (the twin of ``py/method_guards.py``).

:func:`request_methods` tells the methods a node runs for when a test of the request method
decides it: a branch of ``if (req.method === "POST")`` (``==``/``!=``/``!==``,
``["POST", "PUT"].includes(req.method)``, ``.toUpperCase()``, ``&&``/``||``/``!``, ``else``), a
ternary, the right side of ``&&``/``||``, a ``switch (req.method)`` case (with fall-through),
and the code after ``if (req.method === "GET") return ...``. Any object's ``.method`` (and a
name ``method``, as destructured from ``req``) compared with an HTTP verb literal counts.
"""

from __future__ import annotations

import tree_sitter as ts

from scalescope.scan.extract.base import FileContext
from scalescope.scan.extract.js.ast import string_value, unwrap
from scalescope.scan.extract.method_common import (
    HTTP_VERBS,
    UNKNOWN,
    Region,
    Regions,
    Test,
    equals,
    file_regions,
    verb_of,
)

_NEEDLE = b"method"
_TYPES = ("if_statement", "ternary_expression", "binary_expression", "switch_statement")
_CASE_FOLD = frozenset({"toUpperCase", "toLowerCase"})
_JUMPS = frozenset({"return_statement", "throw_statement"})
_CASE_ENDS = frozenset({"return_statement", "throw_statement", "break_statement", "continue_statement"})
_BLOCKS = frozenset({"statement_block", "program", "switch_case", "switch_default"})


def request_methods(ctx: FileContext, node: ts.Node) -> tuple[str, ...]:
    """The request methods ``node`` runs for by the method tests around it, sorted; ``()``
    when no method test restricts it."""
    return _regions(ctx).methods_at(node.start_byte)


def method_regions(ctx: FileContext) -> Regions:
    """The file's method-restricted regions (:func:`request_methods` for many nodes at once:
    ``method_regions(ctx).methods_at(node.start_byte)``)."""
    return _regions(ctx)


def _regions(ctx: FileContext) -> Regions:
    query = " ".join(f"({t}) @n" for t in _TYPES)
    return file_regions(ctx, "js.method_regions", (_NEEDLE,), query, _node_regions)


def _region(node: ts.Node, methods: frozenset[str]) -> Region:
    return Region(node.start_byte, node.end_byte, methods)


def _node_regions(ctx: FileContext, node: ts.Node) -> list[Region]:
    kind = node.type
    if kind in {"if_statement", "ternary_expression"}:
        test = _test(ctx, node.child_by_field_name("condition"))
        if not test.tests_method:
            return []
        out: list[Region] = []
        body = node.child_by_field_name("consequence")
        alt = node.child_by_field_name("alternative")
        if body is not None:
            out.append(_region(body, test.true))
        if alt is not None:
            out.append(_region(alt, test.false))  # an ``else if`` nests: its regions narrow this
        block = node.parent
        early_return = kind == "if_statement" and alt is None and _jumps(body)
        if early_return and block is not None and block.type in _BLOCKS:
            out.append(Region(node.end_byte, block.end_byte, test.false))
        return out
    if kind == "binary_expression":
        op = node.child_by_field_name("operator")
        right = node.child_by_field_name("right")
        symbol = ctx.node_text(op) if op is not None else ""
        if right is None or symbol not in {"&&", "||"}:
            return []
        test = _test(ctx, node.child_by_field_name("left"))
        return [_region(right, test.true if symbol == "&&" else test.false)]
    if kind == "switch_statement":
        return _switch_regions(ctx, node)
    return []


def _jumps(body: ts.Node | None) -> bool:
    """The branch is, or ends in, a ``return`` or ``throw``."""
    if body is None:
        return False
    if body.type in _JUMPS:
        return True
    stmts = [s for s in body.named_children if s.type != "comment"]
    return body.type == "statement_block" and bool(stmts) and stmts[-1].type in _JUMPS


def _switch_regions(ctx: FileContext, node: ts.Node) -> list[Region]:
    """``switch (req.method)``: a case's statements run for its verb and for the cases that
    fall through into it; ``default`` (and any case a non-verb label reaches) for any method."""
    if not _is_method(ctx, node.child_by_field_name("value")):
        return []
    body = node.child_by_field_name("body")
    out: list[Region] = []
    flowing: frozenset[str] = frozenset()
    for case in body.named_children if body is not None else []:
        if case.type == "switch_default":
            flowing = HTTP_VERBS
        elif case.type == "switch_case":
            verb = verb_of(string_value(ctx, case.child_by_field_name("value")))
            flowing = flowing | {verb} if verb is not None else HTTP_VERBS
        else:
            continue
        stmts = [s for s in case.children_by_field_name("body") if s.type != "comment"]
        if not stmts:
            continue  # falls through into the next case
        out.append(Region(stmts[0].start_byte, case.end_byte, flowing))
        last = stmts[-1]
        if last.type == "statement_block":
            inner = [s for s in last.named_children if s.type != "comment"]
            last = inner[-1] if inner else last
        if last.type in _CASE_ENDS:
            flowing = frozenset()
    return out


def _test(ctx: FileContext, node: ts.Node | None) -> Test:
    """What a condition says about the request method (:data:`UNKNOWN` when nothing)."""
    node = unwrap(node)
    if node is None:
        return UNKNOWN
    kind = node.type
    if kind == "unary_expression":
        op = node.child_by_field_name("operator")
        if op is not None and ctx.node_text(op) == "!":
            return _test(ctx, node.child_by_field_name("argument")).negate()
        return UNKNOWN
    if kind == "binary_expression":
        op = node.child_by_field_name("operator")
        symbol = ctx.node_text(op) if op is not None else ""
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if symbol == "&&":
            return _test(ctx, left).both(_test(ctx, right))
        if symbol == "||":
            return _test(ctx, left).either(_test(ctx, right))
        if symbol in {"===", "==", "!==", "!="}:
            if not _is_method(ctx, left):
                left, right = right, left
            verb = verb_of(string_value(ctx, right)) if _is_method(ctx, left) else None
            if verb is None:
                return UNKNOWN
            test = equals((verb,))
            return test if symbol in {"===", "=="} else test.negate()
        return UNKNOWN
    if kind == "call_expression":  # ["POST", "PUT"].includes(req.method)
        fn = unwrap(node.child_by_field_name("function"))
        args = node.child_by_field_name("arguments")
        if fn is None or fn.type != "member_expression" or args is None or len(args.named_children) != 1:
            return UNKNOWN
        if ctx.node_text(fn.child_by_field_name("property")) != "includes":
            return UNKNOWN
        if not _is_method(ctx, args.named_children[0]):
            return UNKNOWN
        items = unwrap(fn.child_by_field_name("object"))
        if items is None or items.type != "array":
            return UNKNOWN
        verbs = [verb_of(string_value(ctx, item)) for item in items.named_children]
        if not verbs or any(v is None for v in verbs):
            return UNKNOWN
        return equals(v for v in verbs if v is not None)
    return UNKNOWN


def _is_method(ctx: FileContext, node: ts.Node | None) -> bool:
    """``req.method``, ``request.method``, ``method``, ``req.method?.toUpperCase()``."""
    node = unwrap(node)
    if node is None:
        return False
    if node.type == "call_expression":
        fn = unwrap(node.child_by_field_name("function"))
        args = node.child_by_field_name("arguments")
        if fn is None or fn.type != "member_expression" or (args is not None and args.named_children):
            return False
        if ctx.node_text(fn.child_by_field_name("property")) not in _CASE_FOLD:
            return False
        return _is_method(ctx, fn.child_by_field_name("object"))
    if node.type == "member_expression":
        return ctx.node_text(node.child_by_field_name("property")) == "method"
    return node.type == "identifier" and ctx.node_text(node) == "method"
