"""Where a JavaScript/TypeScript value comes from: the request, or a parameter of its function.

:func:`origin` follows an expression (a query's limit, a call argument) through the local data
flow of its function and the functions around it:

- **request**: ``req.query.limit`` / ``req.body.limit`` / ``req.params.limit`` (Express, Koa
  ``ctx.query``/``ctx.request.body``), ``searchParams.get("limit")`` (Next.js, any
  ``URLSearchParams`` of the request URL), Hono ``c.req.query("limit")``, a Nest
  ``@Query("limit")`` / ``@Query() dto`` / ``@Args()`` parameter, tRPC ``input``, GraphQL
  ``args``, Next.js ``searchParams`` props; through destructuring (``const { limit = 20 } =
  req.query``), validation (``ListQuery.parse(req.query)``, ``plainToInstance(Dto, req.query)``),
  ``Number``/``parseInt``/``+x``, ``x || 20`` / ``x ?? 20`` and ternaries;
- **parameter**: a parameter of a function (``list(limit)``, ``list({ take })``,
  ``options.take``), for :class:`~scalescope.model.facts.RequestArg` facts of its callers to
  say whether it is request input.

A value clamped on the way (``Math.min(n, 100)``, ``clamp``) or compared against a bound in
its function (``if (limit > 100) throw ...``) is bounded: no origin.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import tree_sitter as ts

from scalescope.model.facts import LimitInput
from scalescope.scan.extract.base import FileContext, captures
from scalescope.scan.extract.js.ast import (
    FUNCTION_TYPES,
    arguments,
    callee_parts,
    decorator_call,
    enclosing_function,
    function_id,
    string_value,
    unwrap,
)
from scalescope.scan.extract.js.data_tables import CLAMPS, NUMBER_WRAPPERS
from scalescope.scan.extract.js.loop_scope import declarators, destructured

#: member chains whose value is request data, with what part of the request they are
REQUEST_ROOTS = (
    "req.query",
    "req.body",
    "req.params",
    "request.query",
    "request.body",
    "request.params",
    "ctx.query",
    "ctx.params",
    "ctx.request.query",
    "ctx.request.body",
    "event.queryStringParameters",
    "event.pathParameters",
)
#: Nest parameter decorators that bind request data (``@Query("limit") limit``)
REQUEST_DECORATORS = frozenset({"Query", "Body", "Param", "Args"})
#: parameters that carry request input by convention: tRPC ``input``, GraphQL ``args``,
#: Next.js page ``searchParams``
REQUEST_PARAMS = frozenset({"input", "args", "searchParams"})
#: validation calls returning a typed copy of their argument -> the library they belong to
VALIDATORS = {
    "parse": "zod",
    "parseAsync": "zod",
    "safeParse": "zod",
    "validate": "joi",
    "validateAsync": "joi",
    "validateSync": "yup",
    "cast": "yup",
}
#: ``fn(Class, data)`` validators: class-transformer
CLASS_VALIDATORS = frozenset({"plainToInstance", "plainToClass"})
#: string methods whose result is the text they are called on, changed but still that input
STRING_METHODS = frozenset(
    {"trim", "trimStart", "trimEnd", "toLowerCase", "toUpperCase", "toLocaleLowerCase",
     "toLocaleUpperCase", "normalize", "toString", "replace", "replaceAll"}
)  # fmt: skip
#: reading one query-string value: ``searchParams.get("limit")``, Hono ``c.req.query("limit")``
_QUERY_READERS = frozenset({"get", "query", "param"})
_MAX_DEPTH = 8


class _Found(NamedTuple):
    source: str
    field: str = ""
    position: int = -1
    key: str = ""
    schema: str = ""
    via: str = ""
    fn: ts.Node | None = None
    at: ts.Node | None = None  # where the request is read (``req.query.limit``)


def origin(ctx: FileContext, node: ts.Node | None) -> LimitInput | None:
    """Where the value of expression ``node`` comes from (``None`` when not traced or bounded)."""
    found = _trace(ctx, node, 0)
    if found is None or node is None:
        return None
    read = found.at or node
    text = " ".join(ctx.node_text(read).split())
    return LimitInput(
        found.source,
        field=found.field,
        position=found.position,
        key=found.key,
        schema=found.schema,
        via=found.via,
        function_id=function_id(ctx, found.fn) if found.fn is not None else None,
        text=text if len(text) <= 60 else text[:57] + "...",
        line=read.start_point[0] + 1,
    )


def _trace(ctx: FileContext, expr: ts.Node | None, depth: int) -> _Found | None:
    node = unwrap(expr)
    if node is None or depth > _MAX_DEPTH:
        return None
    kind = node.type
    if kind in {"identifier", "shorthand_property_identifier"}:  # ``{ take }``
        return _identifier(ctx, node, depth)
    if kind == "member_expression":
        return _member(ctx, node, depth)
    if kind == "subscript_expression":  # ``req.query["limit"]``
        key = string_value(ctx, node.child_by_field_name("index"))
        inner = _trace(ctx, node.child_by_field_name("object"), depth + 1)
        return _field_of(inner, key, node) if key is not None else None
    if kind == "call_expression":
        return _call(ctx, node, depth)
    if kind == "binary_expression":
        op = node.child_by_field_name("operator")
        left = node.child_by_field_name("left")
        if op is not None and ctx.node_text(op) in {"||", "??"}:  # ``limit || 20``
            return _trace(ctx, left, depth + 1)
        return None
    if kind == "unary_expression" and ctx.node_text(node).startswith("+"):  # ``+req.query.limit``
        return _trace(ctx, node.named_children[0] if node.named_children else None, depth + 1)
    if kind == "ternary_expression":  # ``limit ? Number(limit) : 20``
        for branch in ("consequence", "alternative"):
            found = _trace(ctx, node.child_by_field_name(branch), depth + 1)
            if found is not None:
                return found
    return None


def _field_of(inner: _Found | None, prop: str, node: ts.Node | None = None) -> _Found | None:
    """``X.prop`` (``node``) where ``X`` is request data or a parameter."""
    if inner is None:
        return None
    if inner.source == "request":
        return inner._replace(field=prop, at=node or inner.at)
    if inner.key:
        return None  # ``options.pagination.limit``: deeper than callers are matched
    return inner._replace(key=prop)


def _member(ctx: FileContext, node: ts.Node, depth: int) -> _Found | None:
    raw = ctx.node_text(node).replace("?.", ".").replace(" ", "").replace("\n", "")
    prop = ctx.node_text(node.child_by_field_name("property"))
    for root in REQUEST_ROOTS:
        if raw == root:
            return _Found("request", at=node)
        if raw.startswith(root + "."):
            fieldname = raw[len(root) + 1 :].split(".", 1)[0]
            fn = enclosing_function(node)
            if fn is not None and fieldname in _compared(ctx, fn):
                return None  # ``if (req.query.limit > 100) return res.status(400)``
            return _Found("request", field=fieldname, at=node)
    return _field_of(_trace(ctx, node.child_by_field_name("object"), depth + 1), prop, node)


def _call(ctx: FileContext, node: ts.Node, depth: int) -> _Found | None:
    fn = node.child_by_field_name("function")
    # ``req.query.q.trim()``, ``(q ?? "").toLowerCase()``: still the request's text
    if (
        fn is not None
        and fn.type == "member_expression"
        and ctx.node_text(fn.child_by_field_name("property")) in STRING_METHODS
    ):
        return _trace(ctx, fn.child_by_field_name("object"), depth + 1)
    parts = callee_parts(ctx, node)
    if not parts:
        return None
    name = ".".join(parts)
    args = arguments(node)
    if name == "String" and args:
        return _trace(ctx, args[0], depth + 1)
    if name in CLAMPS:
        return None  # ``Math.min(limit, max)``: bounded by the other argument
    if (
        name in NUMBER_WRAPPERS or name in {"Math.abs", "Number.parseInt", "Number.parseFloat", "Math.max"}
    ) and args:
        # ``Math.max(1, n)`` is a floor only: the value is still the request's
        traced = [t for t in (_trace(ctx, a, depth + 1) for a in args) if t is not None]
        return traced[0] if traced else None
    method = parts[-1]
    if method in _QUERY_READERS and args and len(parts) >= 2:
        key = string_value(ctx, args[0])
        receiver = parts[-2]
        if key is not None and (
            (method == "get" and receiver == "searchParams")
            or (method in {"query", "param"} and receiver == "req")
        ):
            return _Found("request", field=key, at=node)
    if method in VALIDATORS and args and len(parts) >= 2:
        inner = _trace(ctx, args[0], depth + 1)
        if inner is not None and inner.source == "request":
            return inner._replace(schema=parts[-2], via=VALIDATORS[method])
    if name in CLASS_VALIDATORS and len(args) >= 2:
        inner = _trace(ctx, args[1], depth + 1)
        if inner is not None and inner.source == "request":
            return inner._replace(schema=ctx.node_text(args[0]), via="class-validator")
    return None


# ----------------------------------------------------------------------------- names


def _identifier(ctx: FileContext, node: ts.Node, depth: int) -> _Found | None:
    name = ctx.node_text(node)
    scope = enclosing_function(node)
    while scope is not None:
        if name in _compared(ctx, scope):
            return None  # ``if (limit > 100) throw``: checked against a bound
        found = _bound_in(ctx, scope, name, node, depth)
        if found is not None:
            return found if found.source else None
        scope = enclosing_function(scope)
    return None


def _bound_in(ctx: FileContext, fn: ts.Node, name: str, use: ts.Node, depth: int) -> _Found | None:
    """What ``name`` is bound to in function ``fn``: the last declaration or assignment before
    ``use``, else a parameter. ``_Found("")`` when bound to something untraced; ``None`` when
    ``fn`` does not bind it."""
    value: ts.Node | None = None
    key = ""
    for decl in declarators(ctx, fn):
        if decl.start_byte > use.start_byte or enclosing_function(decl) != fn:
            continue
        if decl.start_byte <= use.start_byte < decl.end_byte:
            continue  # ``limit = clamp(limit)``: the use is the assignment's own value
        target = decl.child_by_field_name("name") or decl.child_by_field_name("left")
        if target is None:
            continue
        if target.type == "identifier" and ctx.node_text(target) == name:
            value, key = decl.child_by_field_name("value") or decl.child_by_field_name("right"), ""
        elif target.type == "object_pattern":
            for ident, source_key in destructured(ctx, target):
                if ident == name:
                    value, key = decl.child_by_field_name("value"), source_key
    if value is None:
        params = _params(ctx, fn)
        return params.get(name)
    found = _trace(ctx, value, depth + 1)
    if found is None:
        return _Found("")
    return (_field_of(found, key) or _Found("")) if key else found


def _params(ctx: FileContext, fn: ts.Node) -> dict[str, _Found]:
    """The names ``fn``'s parameters bind -> where their value comes from: request input for a
    Nest ``@Query``/``@Body``/``@Args`` parameter, tRPC ``input``, GraphQL ``args``; else the
    parameter (position, key)."""
    memo: dict[tuple[int, int], Any] = ctx.cache.setdefault("js.reqvals.params", {})
    key = (fn.start_byte, fn.end_byte)
    cached = memo.get(key)
    if cached is not None:
        return dict(cached)
    out: dict[str, _Found] = {}
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is not None and params.type == "identifier":
        name = ctx.node_text(params)
        out[name] = (
            _Found("request", fn=fn) if name in REQUEST_PARAMS else _Found("parameter", name, 0, fn=fn)
        )
    for index, param in enumerate(
        params.named_children if params is not None and params.type == "formal_parameters" else []
    ):
        pattern = unwrap(param.child_by_field_name("pattern") or param) or param
        if pattern.type == "assignment_pattern":  # ``limit = 20``
            pattern = pattern.child_by_field_name("left") or pattern
        decorated = _request_decorator(ctx, param)
        if pattern.type == "identifier":
            name = ctx.node_text(pattern)
            if decorated is not None:
                out[name] = _Found(
                    "request", decorated[0], schema=decorated[1], via=decorated[2], fn=fn, at=param
                )
            elif name in REQUEST_PARAMS:
                out[name] = _Found("request", fn=fn)
            else:
                out[name] = _Found("parameter", name, index, fn=fn)
        elif pattern.type == "object_pattern":
            for ident, source_key in destructured(ctx, pattern):
                if ident in REQUEST_PARAMS:
                    out[ident] = _Found("request", fn=fn)
                elif decorated is not None:
                    out[ident] = _Found(
                        "request", source_key, schema=decorated[1], via=decorated[2], fn=fn, at=param
                    )
                else:
                    out[ident] = _Found("parameter", ident, index, key=source_key, fn=fn)
    memo[key] = out
    return dict(out)


def _request_decorator(ctx: FileContext, param: ts.Node) -> tuple[str, str, str] | None:
    """``@Query("limit") limit`` -> ("limit", "", ""); ``@Query() q: ListDto`` -> ("", "ListDto",
    "class-validator"); ``None`` for a parameter without a request decorator."""
    for child in param.children:
        if child.type != "decorator":
            continue
        name, args = decorator_call(ctx, child)
        if name not in REQUEST_DECORATORS:
            continue
        fieldname = string_value(ctx, args[0]) if args else None
        annotation = param.child_by_field_name("type")
        schema = ""
        if fieldname is None and annotation is not None:
            type_node = annotation.named_children[0] if annotation.named_children else None
            if type_node is not None and type_node.type == "type_identifier":
                schema = ctx.node_text(type_node)
        return fieldname or "", schema, "class-validator" if schema else ""
    return None


def _compared(ctx: FileContext, fn: ts.Node) -> frozenset[str]:
    """Names ``fn`` compares against an upper bound (``limit > 100``, ``MAX < limit``,
    ``limit >= max``); a comparison with 0 or 1 is a floor or a presence check, not a bound."""
    memo: dict[tuple[int, int], Any] = ctx.cache.setdefault("js.reqvals.compared", {})
    key = (fn.start_byte, fn.end_byte)
    cached = memo.get(key)
    if cached is not None:
        return frozenset(cached)
    names: set[str] = set()
    body = fn.child_by_field_name("body")
    if body is not None and any(op in ctx.node_text(body) for op in (">", "<")):
        for cmp in captures(ctx.language, "(binary_expression) @b", body).get("b", []):
            op = cmp.child_by_field_name("operator")
            if op is None or ctx.node_text(op) not in {">", ">=", "<", "<="}:
                continue
            if enclosing_function(cmp) is not fn and _inner_function(cmp, fn):
                continue
            left = unwrap(cmp.child_by_field_name("left"))
            right = unwrap(cmp.child_by_field_name("right"))
            upper = {">": left, ">=": left, "<": right, "<=": right}[ctx.node_text(op)]
            other = right if upper is left else left
            if upper is None or other is None or ctx.node_text(other).strip() in {"0", "1", "-1"}:
                continue
            names.update(_names_in(ctx, upper))
    memo[key] = frozenset(names)
    return frozenset(names)


def _inner_function(node: ts.Node, fn: ts.Node) -> bool:
    parent = node.parent
    while parent is not None and parent != fn:
        if parent.type in FUNCTION_TYPES:
            return True
        parent = parent.parent
    return False


def _names_in(ctx: FileContext, node: ts.Node) -> set[str]:
    """``limit`` of ``limit``, ``Number(limit)``, ``query.limit`` (both names)."""
    node = unwrap(node) or node
    if node.type == "identifier":
        return {ctx.node_text(node)}
    if node.type == "member_expression":
        return _names_in(ctx, node.child_by_field_name("object") or node) | {
            ctx.node_text(node.child_by_field_name("property"))
        }
    if node.type == "call_expression":
        args = arguments(node)
        return _names_in(ctx, args[0]) if args else set()
    return set()
