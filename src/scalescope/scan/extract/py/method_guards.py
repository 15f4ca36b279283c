"""Request-method guards in Python handlers (the twin of ``js/method_guards.py``).

:func:`request_methods` tells the methods a node runs for when a test of the request method
decides it: a branch of ``if request.method == "POST":`` (``!=``, ``in (...)``, ``not in``,
``.upper()``, ``and``/``or``/``not``, ``elif``/``else``), a conditional expression, the right
side of ``and``/``or``, a ``match request.method:`` case, the code after ``if request.method
== "GET": return ...``, and WTForms' ``form.validate_on_submit()`` (true only on a submit).
Any object's ``.method`` (and a name ``method``) compared with an HTTP verb literal counts.
"""

from __future__ import annotations

import tree_sitter as ts

from scalescope.scan.extract.base import FileContext
from scalescope.scan.extract.method_common import (
    HTTP_VERBS,
    SUBMIT_VERBS,
    UNKNOWN,
    Region,
    Regions,
    Test,
    equals,
    file_regions,
    verb_of,
)
from scalescope.scan.extract.py.ast import string_value, unwrap

_NEEDLES = (b".method", b"method ==", b"method !=", b"method in", b"method not", b"validate_on_submit")
_QUERY = "(if_statement) @n (conditional_expression) @n (boolean_operator) @n (match_statement) @n"
_CASE_FOLD = frozenset({"upper", "lower", "casefold"})
_JUMPS = frozenset({"return_statement", "raise_statement"})


def request_methods(ctx: FileContext, node: ts.Node) -> tuple[str, ...]:
    """The request methods ``node`` runs for by the method tests around it, sorted; ``()``
    when no method test restricts it."""
    return _regions(ctx).methods_at(node.start_byte)


def method_regions(ctx: FileContext) -> Regions:
    """The file's method-restricted regions (:func:`request_methods` for many nodes at once:
    ``method_regions(ctx).methods_at(node.start_byte)``)."""
    return _regions(ctx)


def _regions(ctx: FileContext) -> Regions:
    return file_regions(ctx, "py.method_regions", _NEEDLES, _QUERY, _node_regions)


def _node_regions(ctx: FileContext, node: ts.Node) -> list[Region]:
    kind = node.type
    if kind == "if_statement":
        return _if_regions(ctx, node)
    if kind == "conditional_expression":
        kids = node.named_children
        if len(kids) != 3:
            return []
        test = _test(ctx, kids[1])
        return [_region(kids[0], test.true), _region(kids[2], test.false)]
    if kind == "boolean_operator":
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        op = node.child_by_field_name("operator")
        if left is None or right is None or op is None:
            return []
        test = _test(ctx, left)
        return [_region(right, test.true if ctx.node_text(op) == "and" else test.false)]
    if kind == "match_statement":
        return _match_regions(ctx, node)
    return []


def _region(node: ts.Node, methods: frozenset[str]) -> Region:
    return Region(node.start_byte, node.end_byte, methods)


def _if_regions(ctx: FileContext, node: ts.Node) -> list[Region]:
    """Each branch runs when its test is true and every earlier one false; code after an
    ``if`` with no ``else`` whose body returns or raises runs only when the test was false."""
    out: list[Region] = []
    test = _test(ctx, node.child_by_field_name("condition"))
    body = node.child_by_field_name("consequence")
    if body is not None:
        out.append(_region(body, test.true))
    earlier_false = test.false
    alternatives = node.children_by_field_name("alternative")
    for alt in alternatives:
        if alt.type == "elif_clause":
            alt_test = _test(ctx, alt.child_by_field_name("condition"))
            alt_body = alt.child_by_field_name("consequence")
            if alt_body is not None:
                out.append(_region(alt_body, earlier_false & alt_test.true))
            earlier_false = earlier_false & alt_test.false
        elif alt.type == "else_clause":
            alt_body = alt.child_by_field_name("body")
            if alt_body is not None:
                out.append(_region(alt_body, earlier_false))
    block = node.parent
    early_return = not alternatives and test.tests_method and _jumps(body)
    if early_return and block is not None and block.type == "block":
        out.append(Region(node.end_byte, block.end_byte, test.false))
    return out


def _jumps(body: ts.Node | None) -> bool:
    """The block ends in a ``return`` or ``raise``."""
    stmts = body.named_children if body is not None else []
    stmts = [s for s in stmts if s.type != "comment"]
    return bool(stmts) and stmts[-1].type in _JUMPS


def _match_regions(ctx: FileContext, node: ts.Node) -> list[Region]:
    """``match request.method:``: each case runs for its verbs; a wildcard for the rest."""
    if not _is_method(ctx, node.child_by_field_name("subject")):
        return []
    body = node.child_by_field_name("body")
    out: list[Region] = []
    rest = HTTP_VERBS
    for case in body.named_children if body is not None else []:
        if case.type != "case_clause":
            continue
        verbs = _case_verbs(ctx, case)
        consequence = case.child_by_field_name("consequence")
        if consequence is None:
            continue
        if verbs is None:  # a wildcard or a pattern that is no verb literal
            out.append(_region(consequence, rest))
            break
        out.append(_region(consequence, verbs & rest))
        rest = rest - verbs
    return out


def _case_verbs(ctx: FileContext, case: ts.Node) -> frozenset[str] | None:
    patterns = [c for c in case.named_children if c.type == "case_pattern"]
    if len(patterns) != 1 or any(c.type == "if_clause" for c in case.named_children):
        return None
    leaves: list[ts.Node] = []
    stack = list(patterns[0].named_children)
    while stack:
        cur = stack.pop()
        if cur.type == "union_pattern":
            stack.extend(cur.named_children)
        else:
            leaves.append(cur)
    verbs = [verb_of(string_value(ctx, leaf)) for leaf in leaves]
    if not verbs or any(v is None for v in verbs):
        return None
    return frozenset(v for v in verbs if v is not None)


def _test(ctx: FileContext, node: ts.Node | None) -> Test:
    """What a condition says about the request method (:data:`UNKNOWN` when nothing)."""
    node = unwrap(node)
    if node is None:
        return UNKNOWN
    kind = node.type
    if kind == "not_operator":
        return _test(ctx, node.child_by_field_name("argument")).negate()
    if kind == "boolean_operator":
        left = _test(ctx, node.child_by_field_name("left"))
        right = _test(ctx, node.child_by_field_name("right"))
        op = node.child_by_field_name("operator")
        return left.both(right) if op is not None and ctx.node_text(op) == "and" else left.either(right)
    if kind == "comparison_operator":
        return _comparison(ctx, node)
    if kind == "call":
        fn = node.child_by_field_name("function")
        if fn is not None and fn.type == "attribute":
            name = ctx.node_text(fn.child_by_field_name("attribute"))
            if name == "validate_on_submit":  # WTForms: a submitted and valid form
                return Test(SUBMIT_VERBS, HTTP_VERBS)
    return UNKNOWN


def _comparison(ctx: FileContext, node: ts.Node) -> Test:
    operands = node.named_children
    ops = node.children_by_field_name("operators")
    if len(operands) != 2 or len(ops) != 1:
        return UNKNOWN
    op = " ".join(ctx.node_text(ops[0]).split())
    left, right = operands
    if not _is_method(ctx, left):
        left, right = right, left
        if op in {"in", "not in"} or not _is_method(ctx, left):
            return UNKNOWN
    verbs = _verbs(ctx, right)
    if verbs is None:
        return UNKNOWN
    if op in {"==", "is"}:
        return equals(verbs)
    if op in {"!=", "is not"}:
        return equals(verbs).negate()
    if op == "in":
        return equals(verbs)
    if op == "not in":
        return equals(verbs).negate()
    return UNKNOWN


def _verbs(ctx: FileContext, node: ts.Node | None) -> frozenset[str] | None:
    """The verbs a literal names: ``"POST"``, ``("POST", "PUT")``, ``["GET"]``, ``{"GET"}``."""
    node = unwrap(node)
    if node is None:
        return None
    items = node.named_children if node.type in {"tuple", "list", "set"} else [node]
    verbs = [verb_of(string_value(ctx, item)) for item in items]
    if not verbs or any(v is None for v in verbs):
        return None
    return frozenset(v for v in verbs if v is not None)


def _is_method(ctx: FileContext, node: ts.Node | None) -> bool:
    """``request.method``, ``self.request.method``, ``method``, ``request.method.upper()``."""
    node = unwrap(node)
    if node is None:
        return False
    if node.type == "call":
        fn = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        if fn is None or fn.type != "attribute" or (args is not None and args.named_children):
            return False
        if ctx.node_text(fn.child_by_field_name("attribute")) not in _CASE_FOLD:
            return False
        return _is_method(ctx, fn.child_by_field_name("object"))
    if node.type == "attribute":
        return ctx.node_text(node.child_by_field_name("attribute")) == "method"
    return node.type == "identifier" and ctx.node_text(node) == "method"
