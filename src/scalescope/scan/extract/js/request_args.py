"""Calls that hand request input to another function -> :class:`RequestArg`.

In a function that reads the request (``req.query``, a Nest ``@Query()`` parameter, tRPC
``input``, ``searchParams``...), every call argument, and every property of an object-literal
argument, that :func:`~scalescope.scan.extract.js.request_values.origin` traces to the request is
recorded with the callee, its position and key: ``this.service.list(query.take)``,
``listOrders({ limit, cursor })``. A query in the callee whose limit is that parameter then
takes its page size from the request, one call away.
"""

from __future__ import annotations

import bisect
import re

import tree_sitter as ts

from scalescope.model.facts import Call, RequestArg
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, extractor
from scalescope.scan.extract.js.ast import arguments, enclosing_function, function_id, iter_calls, unwrap
from scalescope.scan.extract.js.functions import call_of
from scalescope.scan.extract.js.loop_scope import declarators
from scalescope.scan.extract.js.request_values import (
    REQUEST_DECORATORS,
    REQUEST_PARAMS,
    REQUEST_ROOTS,
    origin,
)

#: argument shapes that can carry a traced value (literals and callbacks cannot)
_TRACEABLE = frozenset(
    {
        "identifier",
        "member_expression",
        "subscript_expression",
        "call_expression",
        "binary_expression",
        "unary_expression",
        "ternary_expression",
        "shorthand_property_identifier",
    }
)
#: conversions and logging: they transform or print the value, they do not pass it on
_NOT_CALLEES = frozenset(
    {
        "Number",
        "parseInt",
        "parseFloat",
        "String",
        "Boolean",
        "min",
        "max",
        "log",
        "debug",
        "info",
        "warn",
        "error",
    }
)
_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_CLIENT = re.compile(r"""^\s*(?://[^\n]*\n\s*)*['"]use client['"]""")
_MARKERS = (
    *REQUEST_ROOTS,
    "searchParams",
    "req.query(",
    "req.param(",
    *(f"@{d}(" for d in REQUEST_DECORATORS),
)


@extractor(
    languages=JS_LANGUAGES,
    needs=("req", "ctx.", "@Query", "@Body", "@Param", "@Args", "input", "args", "searchParams"),
)
def request_args(ctx: FileContext) -> None:
    starts, ends = _reading_spans(ctx)
    if not starts:
        return
    for call, parts in iter_calls(ctx):
        i = bisect.bisect_right(starts, call.start_byte) - 1
        if i < 0 or call.start_byte >= ends[i]:
            continue  # outside every function that reads the request
        if not parts or parts[-1] in _NOT_CALLEES:
            continue
        args = arguments(call)
        if not args:
            continue
        fn = enclosing_function(call)
        if fn is None:
            continue
        tainted = _tainted(ctx, fn)
        if tainted is None:
            continue
        callee = call_of(ctx, parts)
        if callee is None:
            continue
        caller = function_id(ctx, fn)
        for position, arg in enumerate(args):
            node = unwrap(arg)
            if node is None:
                continue
            if node.type == "object":
                for child in node.named_children:
                    if child.type == "pair":
                        key = child.child_by_field_name("key")
                        value = child.child_by_field_name("value")
                        if key is not None and key.type == "property_identifier":
                            _emit(ctx, call, callee, caller, position, ctx.node_text(key), value, tainted)
                    elif child.type == "shorthand_property_identifier":
                        _emit(ctx, call, callee, caller, position, ctx.node_text(child), child, tainted)
            elif node.type in _TRACEABLE:
                _emit(ctx, call, callee, caller, position, "", node, tainted)


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
    if not any(m in text for m in _MARKERS) and tainted.isdisjoint(_NAME.findall(text)):
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
    """Byte spans of the outermost functions that read the request somewhere (a request
    member chain, a request decorator, a tRPC/GraphQL/Next.js request parameter), sorted: calls
    elsewhere pass no request input and are skipped without a walk up the tree."""
    spans: list[tuple[int, int]] = []
    if _CLIENT.search(ctx.text[:500]):
        return [], []  # a client component: it sends requests, it never serves one
    source = ctx.source
    for marker in (*_MARKERS, *REQUEST_PARAMS):
        if marker not in ctx.words:
            continue
        needle = marker.encode()
        pos = source.find(needle)
        while pos >= 0:
            node = ctx.root.descendant_for_byte_range(pos, pos + len(needle))
            if marker in REQUEST_PARAMS and not _in_parameters(node):
                pos = source.find(needle, pos + 1)
                continue
            fn = enclosing_function(node) if node is not None else None
            while fn is not None:
                outer = enclosing_function(fn)
                if outer is None:
                    break
                fn = outer
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


def _in_parameters(node: ts.Node | None) -> bool:
    """``node`` is (in) a function's parameter list: ``({ input }) =>``, ``(_, args) =>``."""
    for _ in range(4):
        if node is None:
            return False
        if node.type == "formal_parameters":
            return True
        node = node.parent
    return False


def _tainted(ctx: FileContext, fn: ts.Node) -> frozenset[str] | None:
    """Names that may hold request data in ``fn`` and the functions around it (request
    parameters, and names declared from an expression that reads the request or one of
    those names, in document order); ``None`` when neither ``fn`` nor a function around it
    reads the request, so no argument of its calls needs tracing."""
    memo: dict[tuple[int, int], frozenset[str] | None] = ctx.cache.setdefault("js.reqargs.tainted", {})
    key = (fn.start_byte, fn.end_byte)
    if key in memo:
        return memo[key]
    outer = enclosing_function(fn)
    inherited = _tainted(ctx, outer) if outer is not None else None
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    params_text = ctx.node_text(params) if params is not None else ""
    fn_text = ctx.node_text(fn)
    reads = any(m in fn_text for m in _MARKERS) or any(n in params_text for n in REQUEST_PARAMS)
    if inherited is None and not reads:
        memo[key] = None
        return None
    names: set[str] = set(inherited or ())
    names.update(n for n in _NAME.findall(params_text) if n in REQUEST_PARAMS)
    if params is not None and any(f"@{d}(" in params_text for d in REQUEST_DECORATORS):
        names.update(_NAME.findall(params_text))  # decorated parameters (a superset is fine)
    for decl in declarators(ctx, fn):
        if enclosing_function(decl) != fn:
            continue
        value = decl.child_by_field_name("value") or decl.child_by_field_name("right")
        target = decl.child_by_field_name("name") or decl.child_by_field_name("left")
        if value is None or target is None:
            continue
        text = ctx.node_text(value)
        if any(m in text for m in _MARKERS) or not names.isdisjoint(_NAME.findall(text)):
            names.update(_NAME.findall(ctx.node_text(target)))
    memo[key] = frozenset(names)
    return memo[key]
