"""Where a Python value comes from: the request, or a parameter of its function (the twin of
``js/request_values.py``).

:func:`origin` follows an expression (a query's limit, a call argument) through the assignments
of its scope:

- **request**: ``request.GET.get("limit")``, ``request.args.get("limit", type=int)``,
  ``request.query_params["limit"]``, ``self.request.GET``, ``request.json["limit"]``; a query,
  path or body parameter of a FastAPI/Flask route function (``limit: int = Query(20)``,
  ``limit: int = 20``), a field of a request model parameter (``params.limit`` where
  ``params: Page`` or ``params: Page = Depends()``); through ``int(...)``, ``x or 20``,
  ``max(1, x)`` and conditional expressions;
- **parameter**: a parameter of a plain function (``def get_items(db, limit)``), for
  :class:`~scalescope.model.facts.RequestArg` facts of its callers to say whether it is request
  input.

A value clamped on the way (``min(limit, 100)``) or compared against a bound in its function
(``if limit > 100: raise``, ``assert limit <= 100``) is bounded: no origin.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import tree_sitter as ts

from scalescope.model.facts import LimitInput
from scalescope.scan.extract.base import FileContext, captures
from scalescope.scan.extract.py.ast import (
    arguments,
    callee_parts,
    decorators,
    enclosing_function,
    function_id,
    string_value,
    unwrap,
)
from scalescope.scan.extract.py.data_common import assignment_before
from scalescope.scan.extract.py.data_tables import CLAMPS, NUMBER_WRAPPERS

#: attribute chains whose value is request data (Django, DRF, Flask, Starlette)
REQUEST_ROOTS = (
    "request.GET",
    "request.POST",
    "request.data",
    "request.query_params",
    "request.path_params",
    "request.args",
    "request.form",
    "request.values",
    "request.json",
    "request.get_json",
    "self.request.GET",
    "self.request.POST",
    "self.request.data",
    "self.request.query_params",
)
#: str methods whose result is the text they are called on, changed but still that input
STRING_METHODS = frozenset({"strip", "lstrip", "rstrip", "lower", "upper", "casefold", "replace", "title"})
#: reading one field of request data: ``.get("limit")``, ``.getlist("ids")``
FIELD_READERS = frozenset({"get", "getlist", "pop"})
#: decorators of a route function: its parameters are the request's query, path and body
ROUTE_DECORATOR = re.compile(r"\.(?:get|post|put|patch|delete|api_route|route)\(|api_view|action\(")
#: FastAPI parameter declarations -> the part of the request they read
_PARAM_SOURCES = frozenset({"Query", "Path", "Body", "Form", "Header"})
#: parameter names and annotations that are never request input
_NOT_INPUT = frozenset({"self", "cls", "request", "req", "db", "session", "background_tasks", "response"})
_NOT_MODELS = frozenset(
    {"Request", "Response", "Session", "AsyncSession", "BackgroundTasks", "WebSocket", "HttpRequest", "User"}
)
_SCALARS = re.compile(
    r"^(?:Optional\[)?(?:int|float|str|Decimal|PositiveInt|NonNegativeInt)\]?(?:\s*\|\s*None)?$"
)
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
    if found is None or not found.source or node is None:
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


def _request_root(ctx: FileContext, node: ts.Node) -> str | None:
    """``"limit"`` for ``request.GET.limit``-like chains, ``""`` for the root itself."""
    raw = ctx.node_text(node).replace(" ", "")
    for root in REQUEST_ROOTS:
        if raw == root or raw.startswith(root + "("):
            return ""
        if raw.startswith(root + "."):
            return raw[len(root) + 1 :].split(".", 1)[0].split("(", 1)[0]
    return None


def _trace(ctx: FileContext, expr: ts.Node | None, depth: int) -> _Found | None:
    node = unwrap(expr)
    if node is None or depth > _MAX_DEPTH:
        return None
    kind = node.type
    if kind == "identifier":
        return _identifier(ctx, node, depth)
    if kind == "attribute":
        root = _request_root(ctx, node)
        if root is not None:
            return _Found("request", field=root, at=node)
        prop = ctx.node_text(node.child_by_field_name("attribute"))
        return _field_of(_trace(ctx, node.child_by_field_name("object"), depth + 1), prop, node)
    if kind == "subscript":  # ``request.GET["limit"]``
        key = string_value(ctx, node.child_by_field_name("subscript"))
        if key is None:
            return None
        return _field_of(_trace(ctx, node.child_by_field_name("value"), depth + 1), key, node)
    if kind == "call":
        return _call(ctx, node, depth)
    if kind == "boolean_operator":  # ``limit or 20``
        return _trace(ctx, node.child_by_field_name("left"), depth + 1)
    if kind == "conditional_expression":  # ``int(x) if x else 20``
        for branch in node.named_children[::2]:
            found = _trace(ctx, branch, depth + 1)
            if found is not None and found.source:
                return found
    return None


def _field_of(inner: _Found | None, prop: str, node: ts.Node | None = None) -> _Found | None:
    """``X.prop`` / ``X["prop"]`` / ``X.get("prop")`` (``node``) of request data or a parameter."""
    if inner is None or not inner.source:
        return None
    if inner.source == "request":
        return inner._replace(field=prop, at=node or inner.at)
    if inner.key:
        return None
    return inner._replace(key=prop)


def _call(ctx: FileContext, node: ts.Node, depth: int) -> _Found | None:
    fn = node.child_by_field_name("function")
    # ``request.GET.get("q", "").strip()``: still the request's text
    if (
        fn is not None
        and fn.type == "attribute"
        and ctx.node_text(fn.child_by_field_name("attribute")) in STRING_METHODS
    ):
        return _trace(ctx, fn.child_by_field_name("object"), depth + 1)
    parts = callee_parts(ctx, node)
    if not parts:
        return None
    name = ".".join(parts)
    args = arguments(node)
    if name == "str" and args:
        return _trace(ctx, args[0], depth + 1)
    if name in CLAMPS:
        return None  # ``min(limit, settings.MAX)``: bounded by the other argument
    if (name in NUMBER_WRAPPERS or name in {"float", "max"}) and args:
        traced = [t for t in (_trace(ctx, a, depth + 1) for a in args) if t is not None and t.source]
        return traced[0] if traced else None
    if parts[-1] in FIELD_READERS and len(parts) >= 2 and args:
        key = string_value(ctx, args[0])
        callee = node.child_by_field_name("function")
        obj = callee.child_by_field_name("object") if callee is not None else None
        if key is None or obj is None:
            return None
        return _field_of(_trace(ctx, obj, depth + 1), key, node)
    if parts[-1] in {"model_validate", "parse_obj"} and len(parts) >= 2 and args:
        inner = _trace(ctx, args[0], depth + 1)
        if inner is not None and inner.source == "request":
            return inner._replace(schema=parts[-2], via="pydantic")
    root = _request_root(ctx, node)
    if root is not None:  # ``request.get_json()``
        return _Found("request", field=root, at=node)
    return None


# ----------------------------------------------------------------------------- names


def _identifier(ctx: FileContext, node: ts.Node, depth: int) -> _Found | None:
    name = ctx.node_text(node)
    fn = enclosing_function(node)
    if fn is not None and name in _compared(ctx, fn):
        return None  # ``if limit > 100: raise ...``: checked against a bound
    assign = assignment_before(ctx, node)
    if assign is not None:
        left = assign.child_by_field_name("left")
        if left is None or left.type != "identifier":
            return None
        return _trace(ctx, assign.child_by_field_name("right"), depth + 1) or _Found("")
    scope = fn
    while scope is not None:
        if scope is not fn and name in _compared(ctx, scope):
            return None
        params = _params(ctx, scope)
        if name in params:
            return params[name]
        scope = enclosing_function(scope)
    return None


def _params(ctx: FileContext, fn: ts.Node) -> dict[str, _Found]:
    """The names ``fn``'s parameters bind -> where their value comes from: a query/path/body
    parameter or a request model of a route function; else the parameter (its index in
    :attr:`Function.params`)."""
    memo: dict[tuple[int, int], Any] = ctx.cache.setdefault("py.reqvals.params", {})
    mkey = (fn.start_byte, fn.end_byte)
    cached = memo.get(mkey)
    if cached is not None:
        return dict(cached)
    out: dict[str, _Found] = {}
    params = fn.child_by_field_name("parameters")
    route = fn.type == "function_definition" and any(
        ROUTE_DECORATOR.search(ctx.node_text(d)) for d in decorators(ctx, fn)
    )
    for index, param in enumerate(params.named_children if params is not None else []):
        ident = param if param.type == "identifier" else param.child_by_field_name("name")
        if ident is None and param.named_children:
            ident = param.named_children[0]
        if ident is None or ident.type != "identifier":
            continue
        name = ctx.node_text(ident)
        found = _route_param(ctx, param, name) if route else None
        if found is not None and found.source:
            found = found._replace(at=param)
        out[name] = found if found is not None else _Found("parameter", name, index, fn=fn)
    memo[mkey] = out
    return dict(out)


def _route_param(ctx: FileContext, param: ts.Node, name: str) -> _Found | None:
    """A route function's parameter as request input: ``limit: int = Query(20, alias=...)``,
    ``limit: int = 20``, ``params: Page = Depends()``, ``params: Page`` (a request model).
    ``_Found("")`` for a dependency or a framework object."""
    if name in _NOT_INPUT:
        return _Found("")
    annotation = param.child_by_field_name("type")
    value = unwrap(param.child_by_field_name("value"))
    type_text = " ".join(ctx.node_text(annotation).split()) if annotation is not None else ""
    declared = _declaration(ctx, value) or _declaration_in(ctx, annotation)
    if declared is not None:
        source, alias = declared
        if source == "Depends":
            model = type_text if re.fullmatch(r"[A-Z]\w*", type_text) else ""
            no_arg = value is not None and value.type == "call" and not arguments(value)
            if model and no_arg and model not in _NOT_MODELS:
                return _Found("request", schema=model, via="pydantic")  # class dependency
            return _Found("")
        return _Found("request", field=alias or name, via="fastapi")
    if re.fullmatch(r"[A-Z]\w*", type_text) and type_text not in _NOT_MODELS:
        return _Found("request", schema=type_text, via="pydantic")
    if not type_text or _SCALARS.match(type_text):
        return _Found("request", field=name, via="fastapi")
    return _Found("")


def _declaration(ctx: FileContext, node: ts.Node | None) -> tuple[str, str] | None:
    """``Query(20, alias="pageSize")`` -> ("Query", "pageSize"); ``Depends(...)`` -> ("Depends", "")."""
    if node is None or node.type != "call":
        return None
    parts = callee_parts(ctx, node)
    if not parts or (parts[-1] not in _PARAM_SOURCES and parts[-1] != "Depends"):
        return None
    alias = ""
    args = node.child_by_field_name("arguments")
    for kw in args.named_children if args is not None else []:
        if kw.type == "keyword_argument" and ctx.node_text(kw.child_by_field_name("name")) == "alias":
            alias = string_value(ctx, kw.child_by_field_name("value")) or ""
    return parts[-1], alias


def _declaration_in(ctx: FileContext, annotation: ts.Node | None) -> tuple[str, str] | None:
    """``Annotated[int, Query(le=100)]``: the declaration inside the annotation."""
    if annotation is None or "Annotated" not in ctx.node_text(annotation):
        return None
    for call in captures("python", "(call) @c", annotation).get("c", []):
        found = _declaration(ctx, call)
        if found is not None:
            return found
    return None


def _compared(ctx: FileContext, fn: ts.Node) -> frozenset[str]:
    """Names ``fn`` compares against an upper bound (``limit > 100``, ``limit <= MAX`` in an
    ``if``/``assert``); a comparison with 0 or 1 is a floor or a presence check."""
    memo: dict[tuple[int, int], Any] = ctx.cache.setdefault("py.reqvals.compared", {})
    key = (fn.start_byte, fn.end_byte)
    cached = memo.get(key)
    if cached is not None:
        return frozenset(cached)
    names: set[str] = set()
    body = fn.child_by_field_name("body")
    if body is not None and any(op in ctx.node_text(body) for op in (">", "<")):
        for cmp in captures("python", "(comparison_operator) @c", body).get("c", []):
            operands = [c for c in cmp.named_children]
            ops = [ctx.node_text(c) for c in cmp.children if not c.is_named]
            for i, op in enumerate(ops):
                if i + 1 >= len(operands) or op not in {">", ">=", "<", "<="}:
                    continue
                left, right = operands[i], operands[i + 1]
                upper, other = (left, right) if op in {">", ">="} else (right, left)
                if ctx.node_text(other).strip() in {"0", "1", "-1"}:
                    continue
                names.update(_names_in(ctx, upper))
    memo[key] = frozenset(names)
    return frozenset(names)


def _names_in(ctx: FileContext, node: ts.Node) -> set[str]:
    node = unwrap(node) or node
    if node.type == "identifier":
        return {ctx.node_text(node)}
    if node.type == "attribute":
        return _names_in(ctx, node.child_by_field_name("object") or node) | {
            ctx.node_text(node.child_by_field_name("attribute"))
        }
    if node.type == "call":
        args = arguments(node)
        return _names_in(ctx, args[0]) if args else set()
    return set()
