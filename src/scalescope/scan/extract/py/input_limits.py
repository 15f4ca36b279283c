"""Declared maximums of request fields (pydantic, FastAPI, DRF, marshmallow) -> :class:`InputLimit`.

- list lengths (``measure="items"``): ``items: list[Item] = Field(max_length=50)``
  (``max_items`` in pydantic 1), ``items: conlist(Item, max_length=50)``,
  ``Annotated[list[Item], Field(max_length=50)]`` and DRF ``ListField(max_length=50)`` /
  ``ListSerializer(max_length=50)``, in a class body.
- number values (``measure="value"``): pydantic ``limit: int = Field(20, le=100)`` (``lt=``),
  ``conint(le=100)``, ``Annotated[int, Field(le=100)]`` / ``Le(100)``; FastAPI route parameters
  ``limit: int = Query(20, le=100)`` (the schema is the route function; ``alias=`` names the
  field); DRF/Django ``IntegerField(max_value=100)``; marshmallow/webargs
  ``fields.Int(validate=Range(max=100))``; a DRF pagination class's ``max_page_size`` /
  ``max_limit`` (the maximum of its page-size parameter; schema = the class).
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import InputLimit
from scalescope.scan.extract.base import FileContext, captures, extractor
from scalescope.scan.extract.py.ast import callee_parts, int_value, kwargs, string_value, unwrap

# a field line: ``name: <annotation> = <value>`` or ``name = serializers.ListField(...)``
_FIELD = re.compile(r"^\s*([A-Za-z_]\w*)\s*(?::\s*([^=\n]+))?(?:=\s*(.+))?$")
_MAX = re.compile(r"\bmax_(?:length|items)\s*=\s*(\d[\d_]*)")
_LISTISH = re.compile(r"\b(?:list|List|Sequence|set|Set|tuple|conlist|conset|ListField|ListSerializer)\b")

# calls declaring a number's bounds -> (library, keyword of the upper bound -> offset below it)
_VALUE_CALLS: dict[str, tuple[str, dict[str, int]]] = {
    "Field": ("pydantic", {"le": 0, "lt": 1}),
    "conint": ("pydantic", {"le": 0, "lt": 1}),
    "confloat": ("pydantic", {"le": 0, "lt": 1}),
    "condecimal": ("pydantic", {"le": 0, "lt": 1}),
    "Query": ("fastapi", {"le": 0, "lt": 1}),
    "Path": ("fastapi", {"le": 0, "lt": 1}),
    "Body": ("fastapi", {"le": 0, "lt": 1}),
    "Form": ("fastapi", {"le": 0, "lt": 1}),
    "Header": ("fastapi", {"le": 0, "lt": 1}),
    "IntegerField": ("drf", {"max_value": 0}),
    "FloatField": ("drf", {"max_value": 0}),
    "DecimalField": ("drf", {"max_value": 0}),
    "Range": ("marshmallow", {"max": 0}),
}
# annotated-types markers: ``Annotated[int, Le(100)]``
_POSITIONAL_MAX = {"Le": 0, "Lt": 1}
# text a statement declaring a number's maximum contains (a cheap test before the tree walk)
_VALUE_MARKERS = ("le=", "lt=", "Le(", "Lt(", "max_value", "max=", "max_page_size", "max_limit")
# DRF pagination attributes holding the maximum of a page-size parameter -> (the attribute
# naming that parameter, its default)
_PAGINATION_MAX = {
    "max_page_size": ("page_size_query_param", ""),
    "max_limit": ("limit_query_param", "limit"),
}


@extractor(
    languages=("python",),
    needs=(
        "max_length",
        "max_items",
        "le=",
        "lt=",
        "Le(",
        "Lt(",
        "max_value",
        "max_page_size",
        "max_limit",
        "max=",
    ),
)
def input_limits(ctx: FileContext) -> None:
    for cls in captures("python", "(class_definition) @c", ctx.root).get("c", []):
        body = cls.child_by_field_name("body")
        name = cls.child_by_field_name("name")
        if body is None or name is None:
            continue
        schema = ctx.node_text(name)
        for stmt in body.named_children:
            if stmt.type != "expression_statement":
                continue
            text = ctx.node_text(stmt)
            if "max_" in text:
                _list_field(ctx, stmt, schema)
            if any(m in text for m in _VALUE_MARKERS):
                _value_field(ctx, stmt, schema, body)
    for fn in captures("python", "(function_definition) @f", ctx.root).get("f", []):
        _route_params(ctx, fn)


def _list_field(ctx: FileContext, stmt: ts.Node, schema: str) -> None:
    text = ctx.node_text(stmt)
    m = _FIELD.match(" ".join(text.split()))
    bound = _MAX.search(text)
    if m is None or bound is None or not _LISTISH.search(text):
        return
    if "conlist" not in text and "Field" not in text:
        return
    ctx.emit(
        InputLimit(
            ctx.loc(stmt),
            name=m.group(1),
            maximum=int(bound.group(1).replace("_", "")),
            schema=schema,
            library="drf" if "ListField" in text or "ListSerializer" in text else "pydantic",
        )
    )


def _class_strings(ctx: FileContext, body: ts.Node) -> dict[str, str]:
    """``name = "literal"`` assignments of a class body (``page_size_query_param = "size"``)."""
    out: dict[str, str] = {}
    for stmt in body.named_children:
        assign = (
            stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
        )
        if assign is None or assign.type != "assignment":
            continue
        left = assign.child_by_field_name("left")
        value = string_value(ctx, assign.child_by_field_name("right"))
        if left is not None and left.type == "identifier" and value is not None:
            out[ctx.node_text(left)] = value
    return out


def _value_field(ctx: FileContext, stmt: ts.Node, schema: str, body: ts.Node) -> None:
    assign = stmt.named_children[0] if stmt.named_children else None
    if assign is None or assign.type != "assignment":
        return
    left = assign.child_by_field_name("left")
    if left is None or left.type != "identifier":
        return
    name = ctx.node_text(left)
    right = assign.child_by_field_name("right")
    if name in _PAGINATION_MAX:
        bound = int_value(ctx, right)
        if bound is not None:
            attr, default = _PAGINATION_MAX[name]
            ctx.emit(
                InputLimit(
                    ctx.loc(stmt),
                    name=_class_strings(ctx, body).get(attr, default),
                    maximum=bound,
                    schema=schema,
                    library="drf",
                    measure="value",
                )
            )
        return
    found = _declared_max(ctx, [assign.child_by_field_name("type"), right])
    if found is None:
        return
    bound, library, alias = found
    ctx.emit(
        InputLimit(
            ctx.loc(stmt), name=alias or name, maximum=bound, schema=schema, library=library, measure="value"
        )
    )


def _route_params(ctx: FileContext, fn: ts.Node) -> None:
    """``def items(limit: int = Query(20, le=100))``: the maximum of a query parameter."""
    params = fn.child_by_field_name("parameters")
    if params is None:
        return
    text = ctx.node_text(params)
    if not any(m in text for m in _VALUE_MARKERS):
        return
    schema = ctx.node_text(fn.child_by_field_name("name"))
    for param in params.named_children:
        if param.type not in {"typed_parameter", "typed_default_parameter", "default_parameter"}:
            continue
        ident = param.child_by_field_name("name") or (
            param.named_children[0] if param.named_children else None
        )
        if ident is None or ident.type != "identifier":
            continue
        found = _declared_max(ctx, [param.child_by_field_name("type"), param.child_by_field_name("value")])
        if found is None:
            continue
        bound, library, alias = found
        ctx.emit(
            InputLimit(
                ctx.loc(param),
                name=alias or ctx.node_text(ident),
                maximum=bound,
                schema=schema,
                library=library,
                measure="value",
            )
        )


def _declared_max(ctx: FileContext, nodes: list[ts.Node | None]) -> tuple[int, str, str] | None:
    """``(maximum, library, alias)`` of the first bound-declaring call in an annotation or a
    default value (``Field(le=100)``, ``conint(lt=101)``, ``Query(alias="pageSize", le=100)``,
    ``Le(100)``, ``Range(max=100)``)."""
    alias = ""
    for node in nodes:
        if node is None:
            continue
        calls = [node] if node.type == "call" else []
        calls += captures("python", "(call) @c", node).get("c", [])
        for call in calls:
            parts = callee_parts(ctx, call)
            if not parts:
                continue
            kws = kwargs(ctx, call)
            alias = alias or (string_value(ctx, kws.get("alias")) or "")
            if parts[-1] in _POSITIONAL_MAX:
                args = [c for c in (call.child_by_field_name("arguments") or call).named_children]
                bound = int_value(ctx, unwrap(args[0])) if args else None
                if bound is not None:
                    return bound - _POSITIONAL_MAX[parts[-1]], "pydantic", alias
            spec = _VALUE_CALLS.get(parts[-1])
            if spec is None:
                continue
            library, keys = spec
            for key, offset in keys.items():
                bound = int_value(ctx, kws.get(key))
                if bound is not None:
                    return bound - offset, library, alias
    return None
