"""Django models: fields (``db_index``, ``unique``, ``primary_key``, ``db_column``), foreign keys
(Django indexes them: ``indexed=True`` unless ``db_index=False``), many-to-many relations, and
``class Meta`` (``db_table``, ``indexes``, ``unique_together``, ``index_together``,
``constraints``, ``ordering``, ``abstract``). Fields and indexes of abstract (or other) model
bases defined in the same file are inherited. The default table is ``<app>_<model>``, the app
being the directory holding ``models.py`` (or the ``models/`` package).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import tree_sitter as ts

from scalescope.model.facts import Column, Index, Loc, Table
from scalescope.scan.extract.base import FileContext, captures, extractor
from scalescope.scan.extract.py.ast import arguments, callee_parts, kwargs, string_value, unwrap
from scalescope.scan.extract.schema._common import django_index, line_of, mark_keys, py_strings, py_true

_FK = frozenset({"ForeignKey", "OneToOneField", "ParentalKey", "TreeForeignKey"})
_M2M = frozenset({"ManyToManyField", "ParentalManyToManyField", "GenericRelation", "TaggableManager"})
_NOT_COLUMNS = frozenset({"GenericForeignKey"})


@dataclass
class _Model:
    name: str
    node: ts.Node
    bases: list[str]
    columns: dict[str, Column] = field(default_factory=dict)
    indexes: list[Index] = field(default_factory=list)
    ordering: tuple[str, ...] = ()
    db_table: str = ""
    app_label: str = ""
    abstract: bool = False
    is_model: bool = False


def app_label(path: str) -> str:
    """``shop/orders/models.py`` -> ``orders``; ``shop/orders/models/order.py`` -> ``orders``."""
    parts = path.split("/")
    if len(parts) >= 3 and parts[-2] == "models":
        return parts[-3]
    return parts[-2] if len(parts) >= 2 else ""


def _field_kind(ctx: FileContext, call: ts.Node) -> str:
    parts = callee_parts(ctx, call)
    return parts[-1] if parts else ""


def _column(ctx: FileContext, name: str, call: ts.Node, kind: str) -> Column | None:
    kw = kwargs(ctx, call)
    line = line_of(call.parent if call.parent is not None else call)
    if kind in _M2M:
        args = arguments(call)
        target = (string_value(ctx, args[0]) or ctx.node_text(args[0])) if args else ""
        return Column(name, line, type=kind, references=target, is_relation=True)
    if kind in _NOT_COLUMNS or not (kind.endswith("Field") or kind in _FK):
        return None
    db_column = string_value(ctx, kw.get("db_column")) or ""
    if kind in _FK:
        args = arguments(call)
        target_node = args[0] if args else kw.get("to")
        target = (
            (string_value(ctx, target_node) or ctx.node_text(target_node)) if target_node is not None else ""
        )
        db_index = kw.get("db_index")
        # ``on_delete=models.CASCADE`` (keyword, or the second positional argument)
        action_node = kw.get("on_delete") or (args[1] if len(args) > 1 else None)
        action = ctx.node_text(action_node).rsplit(".", 1)[-1] if action_node is not None else ""
        return Column(
            name,
            line,
            db_name=db_column or f"{name}_id",
            type=kind,
            primary_key=py_true(ctx, kw.get("primary_key")),
            unique=kind == "OneToOneField" or py_true(ctx, kw.get("unique")),
            indexed=db_index is None or py_true(ctx, db_index),
            references=target.rsplit(".", 1)[-1],
            on_delete=action.replace("_", " ").lower() if action.isupper() or "_" in action else "",
        )
    values, enum = _choices(ctx, kw.get("choices"))
    return Column(
        name,
        line,
        db_name=db_column,
        type=kind,
        primary_key=py_true(ctx, kw.get("primary_key")),
        unique=py_true(ctx, kw.get("unique")),
        indexed=py_true(ctx, kw.get("db_index")),
        values=values,
        enum=enum,
    )


def _choices(ctx: FileContext, node: ts.Node | None) -> tuple[int, str]:
    """``choices=[("a", "A"), ...]`` -> (2, ""); ``choices=Status.choices`` / ``choices=STATUS``
    -> (0, "Status"/"STATUS"): the enum or constant that lists them."""
    node = unwrap(node)
    if node is None:
        return 0, ""
    if node.type in {"list", "tuple"}:
        return len(node.named_children), ""
    text = ctx.node_text(node)
    if node.type in {"identifier", "attribute"}:
        return 0, text.removesuffix(".choices").rsplit(".", 1)[-1]
    return 0, ""


def _meta(ctx: FileContext, meta: ts.Node, model: _Model) -> None:
    body = meta.child_by_field_name("body")
    for stmt in body.named_children if body is not None else []:
        node = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
        if node is None or node.type != "assignment":
            continue
        key = ctx.node_text(node.child_by_field_name("left"))
        value = unwrap(node.child_by_field_name("right"))
        if value is None:
            continue
        if key == "db_table":
            model.db_table = string_value(ctx, value) or model.db_table
        elif key == "app_label":
            model.app_label = string_value(ctx, value) or model.app_label
        elif key == "abstract":
            model.abstract = py_true(ctx, value)
        elif key == "ordering":
            model.ordering = tuple(py_strings(ctx, value))
        elif key in {"unique_together", "index_together"}:
            groups = (
                [value]
                if py_strings(ctx, value)
                and value.type in {"tuple", "list"}
                and all(c.type == "string" for c in value.named_children)
                else list(value.named_children)
                if value.type in {"tuple", "list"}
                else []
            )
            for group in groups:
                cols = py_strings(ctx, group)
                if cols:
                    model.indexes.append(Index(tuple(cols), line_of(group), unique=key == "unique_together"))
        elif key in {"indexes", "constraints"}:
            for item in _concatenated_items(value):
                idx = _meta_index(ctx, item)
                if idx is not None:
                    model.indexes.append(idx)


def _concatenated_items(value: ts.Node, depth: int = 0) -> list[ts.Node]:
    """Items of a list/tuple, also of one concatenated to another's (``indexes =
    Base.Meta.indexes + [models.Index(...)]``: the written list's items; a base's list kept in
    another file is not resolved)."""
    value = unwrap(value) or value
    if value.type in {"list", "tuple"}:
        return list(value.named_children)
    if value.type == "binary_operator" and depth < 8:
        return [
            item
            for side in (value.child_by_field_name("left"), value.child_by_field_name("right"))
            if side is not None
            for item in _concatenated_items(side, depth + 1)
        ]
    return []


def _meta_index(ctx: FileContext, item: ts.Node) -> Index | None:
    # GIN/GiST indexes sit on tsvector/jsonb/array columns, whose filters (@@, @>, &&) are
    # exactly what they serve: counting them avoids reporting a full-text search as a scan.
    # Expression indexes (``Lower("email")``) keep their expression, which leads no plain column.
    # CheckConstraint, ExclusionConstraint... are no indexes.
    return django_index(ctx, item)


def _read_class(ctx: FileContext, cls: ts.Node) -> _Model:
    name = ctx.node_text(cls.child_by_field_name("name"))
    supers = cls.child_by_field_name("superclasses")
    bases = [ctx.node_text(b) for b in supers.named_children] if supers is not None else []
    model = _Model(name, cls, bases, is_model=any(b.endswith("Model") for b in bases))
    body = cls.child_by_field_name("body")
    for stmt in body.named_children if body is not None else []:
        if stmt.type == "class_definition" and ctx.node_text(stmt.child_by_field_name("name")) == "Meta":
            _meta(ctx, stmt, model)
            continue
        node = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
        if node is None or node.type != "assignment":
            continue
        left = node.child_by_field_name("left")
        right = unwrap(node.child_by_field_name("right"))
        if left is None or left.type != "identifier" or right is None or right.type != "call":
            continue
        kind = _field_kind(ctx, right)
        col = _column(ctx, ctx.node_text(left), right, kind)
        if col is not None:
            model.columns[col.name] = col
            if "models." in ctx.node_text(right.child_by_field_name("function")) or kind in _FK:
                model.is_model = True
    return model


@extractor(languages=("python",), needs=("models.Model", "Field(", "ForeignKey("))
def django_models(ctx: FileContext) -> None:
    """Emit a :class:`Table` per concrete Django model (not for migrations)."""
    if "/migrations/" in f"/{ctx.path}" or not ctx.has_any("django", "models."):
        return
    classes = captures("python", "(class_definition) @c", ctx.root).get("c", [])
    models = {}
    for cls in classes:
        if cls.parent is not None and cls.parent.type == "block":
            continue  # nested (Meta, serializers' inner classes)
        model = _read_class(ctx, cls)
        models[model.name] = model
    for model in models.values():
        if model.name in models and any(b in models and models[b].is_model for b in model.bases):
            model.is_model = True
    label = app_label(ctx.path)
    for model in models.values():
        if not model.is_model or model.abstract:
            continue
        columns, indexes, ordering = _inherit(model, models, set())
        if not any(c.primary_key for c in columns.values()):
            columns = {"id": Column("id", line_of(model.node), primary_key=True), **columns}
        mark_keys(columns, indexes)
        node = model.node
        start = (
            node.parent if node.parent is not None and node.parent.type == "decorated_definition" else node
        )
        ctx.emit(
            Table(
                loc=Loc(ctx.path, line_of(node), start.end_point[0] + 1),
                name=model.db_table or f"{model.app_label or label}_{model.name.lower()}".lstrip("_"),
                source="django",
                model=model.name,
                columns=tuple(columns.values()),
                indexes=tuple(indexes),
                ordering=ordering,
            )
        )


def _inherit(
    model: _Model, models: dict[str, _Model], seen: set[str]
) -> tuple[dict[str, Column], list[Index], tuple[str, ...]]:
    """Columns, indexes and ordering including same-file bases (own definitions win)."""
    seen.add(model.name)
    columns: dict[str, Column] = {}
    indexes: list[Index] = []
    ordering: tuple[str, ...] = ()
    for base in model.bases:
        parent = models.get(base)
        if parent is None or base in seen:
            continue
        p_cols, p_idx, p_order = _inherit(parent, models, seen)
        columns.update({k: replace(v) for k, v in p_cols.items()})
        indexes.extend(p_idx)
        ordering = ordering or p_order
    columns.update(model.columns)
    indexes.extend(model.indexes)
    return columns, indexes, model.ordering or ordering
