"""Calls that hand request input to another function -> :class:`RequestArg` (the twin of
``js/request_args.py``).

In a route function (or one that reads ``request.GET``/``request.args``/...), every positional
and keyword argument that :func:`~scalescope.scan.extract.py.request_values.origin` traces to
the request is recorded with the callee, its position or keyword: the FastAPI handler
``def read_items(skip: int = 0, limit: int = 100)`` calling ``crud.get_items(db, skip=skip,
limit=limit)`` hands its ``limit`` query parameter to ``get_items``'s ``limit``.

Only calls inside functions that read the request are looked at, and only arguments that
mention the request or a name assigned from it are traced (:func:`_tainted`).
"""

from __future__ import annotations

import bisect
import re

import tree_sitter as ts

from scalescope.model.facts import Call, RequestArg
from scalescope.scan.extract.base import FileContext, captures, extractor
from scalescope.scan.extract.py.ast import decorators, enclosing_function, function_id, iter_calls, unwrap
from scalescope.scan.extract.py.request_values import REQUEST_ROOTS, ROUTE_DECORATOR, origin

_TRACEABLE = frozenset(
    {"identifier", "attribute", "subscript", "call", "boolean_operator", "conditional_expression"}
)
_SKIP_RECEIVERS = frozenset({"self", "cls", "()", "[]", "?"})
#: conversions and logging: they transform or print the value, they do not pass it on
_NOT_CALLEES = frozenset(
    {"int", "float", "str", "bool", "min", "max", "abs", "round", "len", "print", "isinstance"}
)
_NAME = re.compile(r"[A-Za-z_]\w*")
#: where a function reads the request: the roots, and route decorators
_MARKERS = (*REQUEST_ROOTS, "@app.", "@router.", "@api_view", "@action(", ".route(", "api_route(")


@extractor(languages=("python",), needs=("request", "Query(", "@app.", "@router.", "route("))
def request_args(ctx: FileContext) -> None:
    starts, ends = _reading_spans(ctx)
    if not starts:
        return
    for call, parts in iter_calls(ctx):
        i = bisect.bisect_right(starts, call.start_byte) - 1
        if i < 0 or call.start_byte >= ends[i]:
            continue  # outside every function that reads the request
        if not parts or parts[-1] in {"()", "[]", "?"} or parts[-1] in _NOT_CALLEES:
            continue
        args = call.child_by_field_name("arguments")
        if args is None or args.type != "argument_list" or not args.named_children:
            continue
        fn = enclosing_function(call)
        tainted = _tainted(ctx, fn) if fn is not None else None
        if fn is None or tainted is None:
            continue
        receiver = parts[-2] if len(parts) >= 2 and parts[-2] not in _SKIP_RECEIVERS else ""
        callee = Call(parts[-1], receiver)
        caller = function_id(ctx, fn)
        position = 0
        for arg in args.named_children:
            if arg.type == "comment":
                continue
            if arg.type == "keyword_argument":
                name = arg.child_by_field_name("name")
                if name is not None:
                    value = arg.child_by_field_name("value")
                    _emit(ctx, call, callee, caller, -1, ctx.node_text(name), value, tainted)
                continue
            if arg.type in {"list_splat", "dictionary_splat"}:
                break  # positions after a splat are unknown
            _emit(ctx, call, callee, caller, position, "", arg, tainted)
            position += 1


def _emit(
    ctx: FileContext,
    call: ts.Node,
    callee: Call,
    caller: str,
    position: int,
    key: str,
    value: ts.Node | None,
    tainted: frozenset[str],
) -> None:
    node = unwrap(value)
    if node is None or node.type not in _TRACEABLE:
        return
    text = ctx.node_text(node)
    if not any(root in text for root in REQUEST_ROOTS) and tainted.isdisjoint(_NAME.findall(text)):
        return  # no request read and no name bound to one: nothing to trace
    found = origin(ctx, node)
    if found is None or found.source != "request":
        return
    ctx.emit(
        RequestArg(
            ctx.loc(call),
            call=callee,
            function_id=caller,
            position=position,
            key=key,
            field=found.field,
            schema=found.schema,
            via=found.via,
            text=found.text,
        )
    )


def _reading_spans(ctx: FileContext) -> tuple[list[int], list[int]]:
    """Byte spans of the outermost functions that read the request or are routes, sorted."""
    spans: list[tuple[int, int]] = []
    source = ctx.source
    for marker in _MARKERS:
        if marker not in ctx.text:
            continue
        needle = marker.encode()
        pos = source.find(needle)
        while pos >= 0:
            node = ctx.root.descendant_for_byte_range(pos, pos + len(needle))
            fn = _outermost(node) if node is not None else None
            if fn is not None:
                spans.append((fn.start_byte, fn.end_byte))
                pos = source.find(needle, max(fn.end_byte, pos + 1))
            else:
                pos = source.find(needle, pos + 1)
    spans.sort()
    starts: list[int] = []
    ends: list[int] = []
    for start, end in spans:
        if starts and start < ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _outermost(node: ts.Node) -> ts.Node | None:
    """The outermost function around ``node``, or the function a decorator decorates."""
    fn = enclosing_function(node)
    if fn is None:
        cur: ts.Node | None = node
        while cur is not None and cur.type != "decorated_definition":
            cur = cur.parent
        return cur.child_by_field_name("definition") if cur is not None else None
    while True:
        outer = enclosing_function(fn)
        if outer is None:
            return fn
        fn = outer


def _tainted(ctx: FileContext, fn: ts.Node) -> frozenset[str] | None:
    """Names that may hold request data in ``fn`` and the functions around it (a route
    function's parameters, and names assigned from an expression that reads the request or one
    of those names, in document order); ``None`` when neither ``fn`` nor a function around it
    reads the request."""
    memo: dict[tuple[int, int], frozenset[str] | None] = ctx.cache.setdefault("py.reqargs.tainted", {})
    key = (fn.start_byte, fn.end_byte)
    if key in memo:
        return memo[key]
    outer = enclosing_function(fn)
    inherited = _tainted(ctx, outer) if outer is not None else None
    text = ctx.node_text(fn)
    route = fn.type == "function_definition" and any(
        ROUTE_DECORATOR.search(ctx.node_text(d)) for d in decorators(ctx, fn)
    )
    if inherited is None and not route and not any(root in text for root in REQUEST_ROOTS):
        memo[key] = None
        return None
    names: set[str] = set(inherited or ())
    params = fn.child_by_field_name("parameters")
    if route and params is not None:
        names.update(_NAME.findall(ctx.node_text(params)))
    body = fn.child_by_field_name("body")
    for assign in captures("python", "(assignment) @a", body).get("a", []) if body is not None else []:
        right = assign.child_by_field_name("right")
        left = assign.child_by_field_name("left")
        if right is None or left is None:
            continue
        value = ctx.node_text(right)
        if any(root in value for root in REQUEST_ROOTS) or not names.isdisjoint(_NAME.findall(value)):
            names.update(_NAME.findall(ctx.node_text(left)))
    memo[key] = frozenset(names)
    return memo[key]
