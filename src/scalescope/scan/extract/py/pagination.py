"""DRF pagination policies that let the request choose the page size -> :class:`PageSizeParam`.

Definitions: a class deriving from a pagination class (``PageNumberPagination``,
``LimitOffsetPagination``, ``CursorPagination`` or a project class named ``...Pagination``) with
the parameter it reads the page size from: ``page_size_query_param = "page_size"`` in its
body, ``limit`` for a ``LimitOffsetPagination`` (on by default), ``""`` when the body does not
say (a base class may). Uses: ``pagination_class = X`` in a view class, and the
``DEFAULT_PAGINATION_CLASS`` setting (a use of a DRF class itself carries the parameter that
class reads: ``limit`` for ``LimitOffsetPagination``). The maximum (``max_page_size`` / ``max_limit``) is an
:class:`~scalescope.model.facts.InputLimit` of the class (``py/input_limits.py``).
"""

from __future__ import annotations

import tree_sitter as ts

from scalescope.model.facts import PageSizeParam
from scalescope.scan.extract.base import FileContext, captures, extractor
from scalescope.scan.extract.py.ast import dict_pairs, string_value

#: DRF pagination classes -> the page-size parameter they read by default ("" = none: fixed size)
LIBRARY_CLASSES = {"PageNumberPagination": "", "LimitOffsetPagination": "limit", "CursorPagination": ""}
#: class attributes naming the page-size parameter
_PARAM_ATTRS = ("page_size_query_param", "limit_query_param")


@extractor(languages=("python",), needs=("Pagination", "pagination_class"))
def pagination(ctx: FileContext) -> None:
    paginators: set[str] = set()  # pagination classes of this file, so far
    for cls in captures("python", "(class_definition) @c", ctx.root).get("c", []):
        name = cls.child_by_field_name("name")
        body = cls.child_by_field_name("body")
        if name is None or body is None:
            continue
        bases = _bases(ctx, cls)
        attrs = _assignments(ctx, body)
        if any(b in LIBRARY_CLASSES or b.endswith("Pagination") or b in paginators for b in bases):
            paginators.add(ctx.node_text(name))
            _definition(ctx, cls, ctx.node_text(name), bases, attrs)
        used = attrs.get("pagination_class")
        if used is not None and used[1].type in {"identifier", "attribute"}:
            target = ctx.node_text(used[1]).rsplit(".", 1)[-1]
            param = LIBRARY_CLASSES.get(target, "")
            ctx.emit(PageSizeParam(ctx.loc(used[0]), name=target, param=param, used=ctx.node_text(name)))
    if "DEFAULT_PAGINATION_CLASS" in ctx.text:
        _setting(ctx)


def _bases(ctx: FileContext, cls: ts.Node) -> tuple[str, ...]:
    supers = cls.child_by_field_name("superclasses")
    if supers is None:
        return ()
    return tuple(
        ctx.node_text(b).rsplit(".", 1)[-1]
        for b in supers.named_children
        if b.type in {"identifier", "attribute"}
    )


def _assignments(ctx: FileContext, body: ts.Node) -> dict[str, tuple[ts.Node, ts.Node]]:
    """``name = value`` statements of a class body -> (statement, value)."""
    out: dict[str, tuple[ts.Node, ts.Node]] = {}
    for stmt in body.named_children:
        assign = (
            stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
        )
        if assign is None or assign.type != "assignment":
            continue
        left = assign.child_by_field_name("left")
        right = assign.child_by_field_name("right")
        if left is not None and right is not None and left.type == "identifier":
            out[ctx.node_text(left)] = (stmt, right)
    return out


def _definition(
    ctx: FileContext,
    cls: ts.Node,
    name: str,
    bases: tuple[str, ...],
    attrs: dict[str, tuple[ts.Node, ts.Node]],
) -> None:
    param = ""
    anchor: ts.Node = cls
    for attr in _PARAM_ATTRS:
        found = attrs.get(attr)
        if found is None:
            continue
        value = string_value(ctx, found[1])
        # ``page_size_query_param = None`` turns the parameter off: the size is fixed
        param = value if value is not None else "-"
        anchor = found[0]
        break
    if not param and "LimitOffsetPagination" in bases:
        param = LIBRARY_CLASSES["LimitOffsetPagination"]
    ctx.emit(PageSizeParam(ctx.loc(anchor), name=name, param=param, bases=bases))


def _setting(ctx: FileContext) -> None:
    """``REST_FRAMEWORK = {"DEFAULT_PAGINATION_CLASS": "app.pagination.Standard", ...}``."""
    for assign in captures("python", "(assignment) @a", ctx.root).get("a", []):
        left = assign.child_by_field_name("left")
        if left is None or ctx.node_text(left) != "REST_FRAMEWORK":
            continue
        value = dict_pairs(ctx, assign.child_by_field_name("right")).get("DEFAULT_PAGINATION_CLASS")
        dotted = string_value(ctx, value)
        if value is None or not dotted:
            continue
        target = dotted.rsplit(".", 1)[-1]
        ctx.emit(
            PageSizeParam(ctx.loc(value), name=target, param=LIBRARY_CLASSES.get(target, ""), used="settings")
        )
