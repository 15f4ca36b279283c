"""What a Python loop iterates (:attr:`Loop.iterates`): the rows of a query, a list taken from
the request, a collection bounded by construction, or unknown (the twin of ``js/loops.py``).

The iterated expression is followed through local assignments and size-preserving wrappers
(``list``, ``sorted``, ``set``, ``enumerate``, ``zip``, ``filter``) to where it comes from:

- **query**: an ORM/SQL read (:func:`~scalescope.scan.extract.py.data_query.state_of` gives it
  a state), directly or through a variable;
- **request**: ``request.data["items"]``, ``request.json.get("items")``,
  ``request.POST.getlist("ids")``, or a list field of a request model parameter of a route
  handler (``payload.items`` where ``payload: OrderIn``). The field name is kept so rules can
  look up a declared maximum (:class:`~scalescope.model.facts.InputLimit`);
- **bounded**: parsed from one value (``re.findall``/``finditer``, ``pattern.findall(text)``,
  ``text.split()``, a parser named for mentions/links/tags...), a literal list, an ``Enum``
  class of the file, ``range(k)``, ``xs[:n]``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, NamedTuple

import tree_sitter as ts

from scalescope.model.facts import Loop
from scalescope.scan.extract.base import FileContext, captures
from scalescope.scan.extract.iteration import parsed_items, pattern_items, splits_lines
from scalescope.scan.extract.py.ast import (
    arguments,
    callee_parts,
    decorators,
    enclosing_function,
    int_value,
    string_value,
    unwrap,
)

# attribute chains whose value is the request's data (a prefix of the written chain)
REQUEST_ROOTS = (
    "request.data",
    "request.json",
    "request.get_json",
    "request.POST",
    "request.GET",
    "request.args",
    "request.form",
    "request.query_params",
    "request.values",
    "self.request.data",
    "self.request.POST",
    "self.request.GET",
    "self.request.query_params",
)
# reading one field of request data: ``.get("items")``, ``.getlist("ids")``, ``["items"]``
FIELD_READERS = frozenset({"get", "getlist", "pop"})
# wrappers that keep (a subset of) their argument's items
PRESERVING = frozenset(
    {("list",), ("sorted",), ("set",), ("tuple",), ("enumerate",), ("reversed",), ("frozenset",), ("filter",)}
)
# ``re`` functions and compiled-pattern methods that return the matches in one string
REGEX_ITERATORS = frozenset({"findall", "finditer"})
# decorators of a route handler (FastAPI/Flask/Django Ninja): its annotated parameters are the body
_ROUTE_DECORATOR = re.compile(r"\.(?:get|post|put|patch|delete|api_route|route)\(|api_view|action\(")
# annotations of route parameters that are not request models
_NOT_MODELS = frozenset(
    {"Request", "Response", "Session", "AsyncSession", "BackgroundTasks", "WebSocket", "HttpRequest", "User"}
)
_MAX_DEPTH = 6


def with_source(ctx: FileContext, loop: Loop, lnode: ts.Node, collection: ts.Node | None) -> Loop:
    """``loop`` with what it iterates filled in (:attr:`Loop.iterates` and friends)."""
    if collection is None:
        return loop
    text = " ".join(ctx.node_text(collection).split())
    text = text if len(text) <= 60 else text[:57] + "..."
    found = _classify(ctx, collection, enclosing_function(lnode), 0)
    if found is None and loop.literal_size is not None:
        found = Found("bounded", f"{loop.literal_size} items written in the code", loop.literal_size)
    if found is None:
        return replace(loop, iterates_text=text)
    return replace(
        loop,
        iterates=found.iterates,
        iterates_text=text,
        iterates_why=found.why,
        max_items=found.max_items,
        request_field=found.request_field,
        iterates_model=_query_model(ctx, collection) if found.iterates == "query" else "",
        source_line=found.line,
    )


class Found(NamedTuple):
    """What a loop iterates (see :class:`~scalescope.model.facts.Loop`); ``line``: where the
    query whose rows it iterates is."""

    iterates: str
    why: str
    max_items: int | None = None
    request_field: str = ""
    line: int = 0


def _classify(ctx: FileContext, expr: ts.Node | None, fn: ts.Node | None, depth: int) -> Found | None:
    node = unwrap(expr)
    if node is None or depth > _MAX_DEPTH:
        return None
    kind = node.type
    if kind in {"list", "tuple", "set"}:
        items = [c for c in node.named_children if c.type != "comment"]
        if any(c.type in {"list_splat", "dictionary_splat"} for c in items):
            return None
        return Found("bounded", "a constant list", len(items), "")
    if kind == "identifier":
        return _identifier(ctx, node, fn, depth)
    if kind == "attribute":
        return _attribute(ctx, node, fn, depth)
    if kind == "subscript":
        return _subscript(ctx, node, fn, depth)
    if kind == "call":
        return _call(ctx, node, fn, depth)
    if kind == "boolean_operator":  # ``items or []``
        return _classify(ctx, node.child_by_field_name("left"), fn, depth + 1)
    return None


def _request_root(ctx: FileContext, node: ts.Node) -> bool:
    raw = ctx.node_text(node).replace(" ", "")
    return any(raw == root or raw.startswith((root + ".", root + "(", root + "[")) for root in REQUEST_ROOTS)


def _identifier(ctx: FileContext, node: ts.Node, fn: ts.Node | None, depth: int) -> Found | None:
    name = ctx.node_text(node)
    enums = _enums(ctx)
    if name in enums:
        return Found("bounded", f"the members of enum {name}", enums[name], "")
    models = _model_params(ctx, fn)
    if name in models:
        return Found("request", "", None, models[name])
    from scalescope.scan.extract.py.data_common import assignment_before, assignments  # imports us

    assign = assignment_before(ctx, node)
    if assign is None:
        return None
    left = assign.child_by_field_name("left")
    if left is None or left.type != "identifier":
        return None
    # one value only: not a parameter of the function, assigned once in it
    owner = enclosing_function(assign)
    if owner is not None and name in _parameters(ctx, owner):
        return None
    if sum(1 for a in assignments(ctx).get(name, ()) if enclosing_function(a) == owner) > 1:
        return None
    return _classify(ctx, assign.child_by_field_name("right"), fn, depth + 1)


def _parameters(ctx: FileContext, fn: ts.Node) -> set[str]:
    params = fn.child_by_field_name("parameters")
    out: set[str] = set()
    for param in params.named_children if params is not None else []:
        ident = (
            param
            if param.type == "identifier"
            else (param.named_children[0] if param.named_children else None)
        )
        if ident is not None and ident.type == "identifier":
            out.add(ctx.node_text(ident))
    return out


def _attribute(ctx: FileContext, node: ts.Node, fn: ts.Node | None, depth: int) -> Found | None:
    attr = ctx.node_text(node.child_by_field_name("attribute"))
    if _request_root(ctx, node):
        return Found("request", "", None, "")
    obj = unwrap(node.child_by_field_name("object"))
    if obj is not None and obj.type == "identifier" and _model_params(ctx, fn).get(ctx.node_text(obj)) == "":
        return Found("request", "", None, attr)  # ``payload.items`` of a request model parameter
    inner = _classify(ctx, obj, fn, depth + 1)
    if inner is not None and inner[0] == "request":
        return Found("request", "", None, attr)
    return _query(ctx, node)


def _subscript(ctx: FileContext, node: ts.Node, fn: ts.Node | None, depth: int) -> Found | None:
    value = node.child_by_field_name("value")
    sub = node.child_by_field_name("subscript")
    if sub is not None and sub.type == "slice":
        bound = _slice_bound(ctx, sub)
        if bound is not None:
            return Found("bounded", f"at most {bound} items ([:{bound}])", bound, "")
        return _classify(ctx, value, fn, depth + 1)
    key = string_value(ctx, sub)
    inner = _classify(ctx, value, fn, depth + 1)
    if inner is not None and inner[0] == "request" and key is not None:
        return Found("request", "", None, key)
    return _query(ctx, node)


def _slice_bound(ctx: FileContext, sub: ts.Node) -> int | None:
    """``[:n]`` / ``[a:b]`` with literal bounds -> the item count."""
    raw = ctx.node_text(sub).replace(" ", "")
    m = re.fullmatch(r"(-?\d*):(-?\d+)", raw)
    if m is None:
        names = [c for c in sub.named_children]
        if len(names) == 1 and raw.startswith(":"):
            value = int_value(ctx, names[0]) or _int_constants(ctx).get(ctx.node_text(names[0]))
            return value if value is not None and value >= 0 else None
        return None
    start = int(m.group(1) or 0)
    end = int(m.group(2))
    if start >= 0 and end >= start:
        return end - start
    return None


def _call(ctx: FileContext, node: ts.Node, fn: ts.Node | None, depth: int) -> Found | None:
    parts = callee_parts(ctx, node)
    if not parts:
        return None
    method = parts[-1]
    args = arguments(node)
    if parts == ("range",) and 1 <= len(args) <= 3:
        bounds = [int_value(ctx, a) for a in args[:2]]
        if all(b is not None for b in bounds):
            size = bounds[0] if len(bounds) == 1 else max(0, bounds[1] - bounds[0])  # type: ignore[operator]
            return Found("bounded", f"range of {size}", size, "")
        return None
    if parts in PRESERVING and args:
        return _classify(ctx, args[-1] if parts == ("filter",) else args[0], fn, depth + 1)
    if parts == ("zip",) and args:
        return _classify(ctx, args[0], fn, depth + 1)
    if method in REGEX_ITERATORS and args:
        return Found("bounded", pattern_items(_regex_source(ctx, node, parts, args)), None, "")
    if method == "splitlines" and len(parts) >= 2:
        return None  # the lines of a text: a file or an upload can hold any number
    if method == "split" and len(parts) >= 2:
        callee = node.child_by_field_name("function")
        obj = callee.child_by_field_name("object") if callee is not None else None
        inner = _classify(ctx, obj, fn, depth + 1)
        sep = string_value(ctx, args[0]) if args else None
        if args and splits_lines(ctx.node_text(args[0])):
            return None
        if inner is not None and inner[0] == "request" and sep is not None and sep.strip() in {",", ";", "|"}:
            return inner
        return Found("bounded", "the parts of one string (.split)", None, "")
    parsed = parsed_items(method) if 1 <= len(args) <= 2 else None
    if parsed is not None:
        return Found("bounded", parsed, None, "")
    if method in FIELD_READERS and len(parts) >= 2 and args:
        callee = node.child_by_field_name("function")
        obj = callee.child_by_field_name("object") if callee is not None else None
        key = string_value(ctx, args[0])
        if obj is not None and key is not None:
            inner = _classify(ctx, obj, fn, depth + 1)
            if inner is not None and inner[0] == "request":
                return Found("request", "", None, key)
    if method in {"items", "keys", "values"} and not args:
        callee = node.child_by_field_name("function")
        return _classify(
            ctx, callee.child_by_field_name("object") if callee is not None else None, fn, depth + 1
        )
    if _request_root(ctx, node):
        return Found("request", "", None, "")
    return _query(ctx, node)


def _regex_source(ctx: FileContext, call: ts.Node, parts: tuple[str, ...], args: list[ts.Node]) -> str:
    """The pattern of ``re.findall(p, s)`` or of ``PATTERN.findall(s)`` (through a module
    constant ``PATTERN = re.compile(...)``)."""
    if parts[0] == "re":
        return ctx.node_text(args[0])
    if len(parts) == 2:
        from scalescope.scan.extract.py.data_common import assignments  # data_common imports us

        for assign in assignments(ctx).get(parts[0], ()):
            return ctx.node_text(assign.child_by_field_name("right"))
    return ""


def _query_model(ctx: FileContext, collection: ts.Node) -> str:
    """The model a loop over query rows reads (the state of the collection or its value)."""
    from scalescope.scan.extract.py.data_query import state_of  # data_query imports data_common

    node = unwrap(collection)
    seen = 0
    while node is not None and seen < _MAX_DEPTH:
        st = state_of(ctx, node)
        if st is not None:
            return st.model or ""
        if node.type == "call" and callee_parts(ctx, node) in PRESERVING:
            args = arguments(node)
            node = unwrap(args[0]) if args else None
        elif node.type == "subscript":
            node = unwrap(node.child_by_field_name("value"))
        else:
            return ""
        seen += 1
    return ""


def _query(ctx: FileContext, node: ts.Node) -> Found | None:
    from scalescope.scan.extract.py.data_query import state_of  # data_query imports data_common

    st = state_of(ctx, node)
    if st is None or st.kind in {"write", "delete"}:
        return None
    rows = f"the {st.model} rows" if st.model else "the rows"
    line = node.start_point[0] + 1
    # a declared limit bounds the rows (``.limit(10)``, ``[:20]``, a constant): the loop too
    most = st.limit_max if st.has_limit and st.kind in {"read-many", "raw"} else None
    return Found("query", f"{rows} read at line {line}", most, "", line)


# ----------------------------------------------------------------------------- file tables


def _enums(ctx: FileContext) -> dict[str, int | None]:
    """``class X(Enum)`` / ``(StrEnum)`` / ``(models.TextChoices)`` of the file -> member count."""
    cached = ctx.cache.get("py.loops.enums")
    if cached is None:
        cached = {}
        for cls in captures("python", "(class_definition) @c", ctx.root).get("c", []):
            bases = cls.child_by_field_name("superclasses")
            if bases is None or not re.search(r"Enum\b|Choices\b|\bFlag\b", ctx.node_text(bases)):
                continue
            body = cls.child_by_field_name("body")
            members = (
                sum(1 for s in body.named_children if s.type == "expression_statement")
                if body is not None
                else None
            )
            cached[ctx.node_text(cls.child_by_field_name("name"))] = members
        ctx.cache["py.loops.enums"] = cached
    return dict(cached)


def _int_constants(ctx: FileContext) -> dict[str, int]:
    cached = ctx.cache.get("py.loops.ints")
    if cached is None:
        cached = {}
        for stmt in ctx.root.named_children:
            assign = (
                stmt.named_children[0]
                if stmt.type == "expression_statement" and stmt.named_children
                else None
            )
            if assign is None or assign.type != "assignment":
                continue
            left = assign.child_by_field_name("left")
            value = int_value(ctx, assign.child_by_field_name("right"))
            if left is not None and left.type == "identifier" and value is not None:
                cached[ctx.node_text(left)] = value
        ctx.cache["py.loops.ints"] = cached
    return dict(cached)


def _model_params(ctx: FileContext, fn: ts.Node | None) -> dict[str, str]:
    """Parameters of a route handler annotated with a class (a request model, -> ``""``):
    FastAPI ``def create(payload: OrderIn)``, or with a list (a list body or query parameter,
    -> its name): ``ids: list[int]``. Framework types (``Request``, ``Session``) are not."""
    if fn is None:
        return {}
    memo: dict[tuple[int, ...], Any] = ctx.cache.setdefault("py.loops.models", {})
    key = (fn.start_byte,)
    cached = memo.get(key)
    if cached is not None:
        return dict(cached)
    names: dict[str, str] = {}
    if fn.type == "function_definition" and any(
        _ROUTE_DECORATOR.search(ctx.node_text(d)) for d in decorators(ctx, fn)
    ):
        params = fn.child_by_field_name("parameters")
        for param in params.named_children if params is not None else []:
            if param.type not in {"typed_parameter", "typed_default_parameter"}:
                continue
            name = param.named_children[0] if param.named_children else None
            annotation = param.child_by_field_name("type")
            if name is None or annotation is None or name.type != "identifier":
                continue
            type_name = ctx.node_text(annotation).strip()
            if re.fullmatch(r"[A-Z]\w*", type_name) and type_name not in _NOT_MODELS:
                names[ctx.node_text(name)] = ""
            elif re.match(r"(?:list|List|Sequence|set|Set)\[", type_name):
                names[ctx.node_text(name)] = ctx.node_text(name)
    memo[key] = names
    return dict(names)
