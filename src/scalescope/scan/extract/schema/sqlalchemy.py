"""SQLAlchemy / SQLModel / Flask-SQLAlchemy models and Alembic migration operations.

Declarative classes: ``__tablename__``, ``Column``/``mapped_column``/SQLModel ``Field`` with
``primary_key``, ``unique``, ``index``, ``ForeignKey('users.id')``; ``relationship()`` fields are
relations; ``__table_args__`` carries ``Index``/``UniqueConstraint``/``PrimaryKeyConstraint``.
Core ``Table('users', metadata, Column(...), Index(...))`` and Alembic ``op.create_table`` read
the same way; ``op.create_index`` / ``op.create_unique_constraint`` and module-level
``Index('ix', User.email)`` become :class:`IndexDef` facts.
"""

from __future__ import annotations

from dataclasses import replace

import tree_sitter as ts

from scalescope.model.facts import Column, Index, IndexDef, Table
from scalescope.scan.extract.base import FileContext, captures, extractor
from scalescope.scan.extract.py.ast import (
    arguments,
    callee_parts,
    dict_pairs,
    iter_calls,
    kwargs,
    string_value,
    unwrap,
)
from scalescope.scan.extract.schema._common import in_down, line_of, mark_keys, py_strings, py_true, snake

_COLUMN_CALLS = frozenset({"Column", "mapped_column", "column_property"})
_RELATION_CALLS = frozenset({"relationship", "Relationship", "relation", "backref", "association_proxy"})
_INDEX_CALLS = frozenset({"Index", "UniqueConstraint", "PrimaryKeyConstraint"})


def _last(ctx: FileContext, call: ts.Node) -> str:
    parts = callee_parts(ctx, call)
    return parts[-1] if parts else ""


def _call(node: ts.Node | None) -> ts.Node | None:
    node = unwrap(node)
    return node if node is not None and node.type == "call" else None


def column_from_call(ctx: FileContext, name: str, call: ts.Node, line: int) -> Column | None:
    """A :class:`Column` from ``Column(...)``/``mapped_column(...)``/``Field(...)`` (or a
    relation for ``relationship(...)``); ``None`` for anything else."""
    kind = _last(ctx, call)
    if kind in _RELATION_CALLS:
        args = arguments(call)
        target = (string_value(ctx, args[0]) or ctx.node_text(args[0])) if args else ""
        if not target and call.parent is not None:
            hint = ctx.node_text(call.parent.child_by_field_name("type"))  # Mapped["User"]
            target = hint.removeprefix("Mapped[").rstrip("]").strip("\"'").split("[")[-1].strip("\"'")
        return Column(name, line, references=target, is_relation=True)
    if kind not in _COLUMN_CALLS and kind != "Field":
        return None
    kw = kwargs(ctx, call)
    db_name = ""
    refs = on_delete = ""
    col_type = ""
    values, enum = 0, ""
    for arg in arguments(call):
        value = string_value(ctx, arg)
        if value is not None and not db_name and kind != "Field":
            db_name = value
            continue
        inner = _call(arg)
        if inner is not None and _last(ctx, inner) == "ForeignKey":
            fk_args = arguments(inner)
            refs = (string_value(ctx, fk_args[0]) or ctx.node_text(fk_args[0])) if fk_args else ""
            on_delete = (string_value(ctx, kwargs(ctx, inner).get("ondelete")) or "").lower()
        elif not col_type:
            col_type = ctx.node_text(arg)[:60]
            if inner is not None and _last(ctx, inner) == "Enum":  # Enum("a", "b") / Enum(Status)
                members = arguments(inner)
                if members and all(string_value(ctx, m) is not None for m in members):
                    values = len(members)
                else:
                    first = unwrap(members[0]) if members else None
                    if first is not None and first.type in {"identifier", "attribute"}:
                        enum = ctx.node_text(first).rsplit(".", 1)[-1]
    if kind == "Field":
        refs = string_value(ctx, kw.get("foreign_key")) or refs
        sa_col = _call(kw.get("sa_column"))
        if sa_col is not None:
            inner_col = column_from_call(ctx, name, sa_col, line)
            if inner_col is not None:
                return inner_col
    db_name = string_value(ctx, kw.get("name")) or db_name
    if not values and not enum:
        enum = _default_enum(ctx, kw.get("default") or kw.get("server_default"))
    return Column(
        name,
        line,
        db_name=db_name if db_name != name else "",
        type=col_type,
        primary_key=py_true(ctx, kw.get("primary_key")),
        unique=py_true(ctx, kw.get("unique")),
        indexed=py_true(ctx, kw.get("index")),
        references=refs,
        values=values,
        enum=enum,
        on_delete=on_delete,
    )


def _default_enum(ctx: FileContext, node: ts.Node | None) -> str:
    """``default=Role.USER`` / ``default=Role.USER.value``: the column holds ``Role``'s values."""
    node = unwrap(node)
    if node is None or node.type != "attribute":
        return ""
    parts = ctx.node_text(node).split(".")
    if parts[-1] in {"value", "name"}:
        parts = parts[:-1]
    return parts[-2] if len(parts) >= 2 and parts[-2][:1].isupper() else ""


_PY_BUILTIN_TYPES = frozenset(
    {
        "int",
        "str",
        "bool",
        "float",
        "bytes",
        "dict",
        "list",
        "Decimal",
        "datetime",
        "date",
        "time",
        "UUID",
        "Any",
    }
)


def _with_hint(col: Column, annotation: str) -> Column:
    """``x: Mapped[bool] = mapped_column()``: the annotation types a column with no type
    argument; ``Mapped[Status]`` names the enum listing its values."""
    if not annotation.startswith("Mapped[") or col.is_relation:
        return col
    inner = annotation[7:-1].strip()
    inner = inner.removeprefix("Optional[").removesuffix("]") if inner.startswith("Optional[") else inner
    inner = inner.split("|", 1)[0].strip()
    col = replace(col, type=col.type or annotation)
    if not col.enum and not col.values and inner.isidentifier() and inner not in _PY_BUILTIN_TYPES:
        col = replace(col, enum=inner)
    return col


def index_from_call(ctx: FileContext, call: ts.Node) -> Index | None:
    """``Index('ix', 'a', User.b)`` / ``UniqueConstraint('a', 'b', name=...)`` /
    ``PrimaryKeyConstraint('a')`` -> :class:`Index`."""
    kind = _last(ctx, call)
    if kind not in _INDEX_CALLS:
        return None
    args = arguments(call)
    kw = kwargs(ctx, call)
    name = string_value(ctx, kw.get("name")) or ""
    if kind == "Index" and args:
        name = string_value(ctx, args[0]) or ctx.node_text(args[0])
        args = args[1:]
    cols: list[str] = []
    for arg in args:
        value = string_value(ctx, arg)
        node = unwrap(arg)
        if value is not None:
            cols.append(value)
        elif node is not None and node.type == "identifier":
            cols.append(ctx.node_text(node))
        elif node is not None and node.type == "attribute":
            cols.append(ctx.node_text(node.child_by_field_name("attribute")))
        else:
            cols.append(ctx.node_text(arg))  # an expression (func.lower(email)): leads nothing
    if not cols:
        return None
    unique = kind != "Index" or py_true(ctx, kw.get("unique"))
    method, ops = _dialect_options(ctx, kw, cols)
    return Index(
        tuple(cols),
        line_of(call),
        unique=unique,
        name=name,
        primary=kind == "PrimaryKeyConstraint",
        method=method,
        opclasses=ops,
    )


def _dialect_options(
    ctx: FileContext, kw: dict[str, ts.Node], cols: list[str]
) -> tuple[str, tuple[str, ...]]:
    """The access method and operator classes of an ``Index(...)`` / ``op.create_index(...)``:
    ``postgresql_using="gin"``, ``postgresql_ops={"name": "gin_trgm_ops"}``,
    ``mysql_prefix="FULLTEXT"``."""
    method = (string_value(ctx, kw.get("postgresql_using")) or "").lower()
    if (string_value(ctx, kw.get("mysql_prefix")) or "").upper() == "FULLTEXT":
        method = "fulltext"
    pairs = dict_pairs(ctx, kw.get("postgresql_ops"))
    ops = tuple((string_value(ctx, pairs.get(c)) or "").lower() for c in cols)
    return ("" if method == "btree" else method), (ops if any(ops) else ())


def _class_table(ctx: FileContext, cls: ts.Node) -> Table | None:
    """The :class:`Table` of a mapped class, or ``None`` (not mapped, a mixin, abstract)."""
    body = cls.child_by_field_name("body")
    if body is None:
        return None
    supers = ctx.node_text(cls.child_by_field_name("superclasses"))
    sqlmodel = "table=True" in supers.replace(" ", "")
    table_name = ""
    columns: dict[str, Column] = {}
    indexes: list[Index] = []
    for stmt in body.named_children:
        node = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
        if node is None or node.type != "assignment":
            continue
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        annotation = ctx.node_text(node.child_by_field_name("type"))
        if left is None or left.type != "identifier":
            continue
        name = ctx.node_text(left)
        line = line_of(left)
        if name == "__tablename__":
            table_name = string_value(ctx, right) or table_name
            continue
        if name == "__table_args__":
            for item in _table_args(right):
                idx = index_from_call(ctx, item)
                if idx is not None:
                    indexes.append(idx)
            continue
        call = _call(right)
        col = column_from_call(ctx, name, call, line) if call is not None else None
        if col is not None and (col.is_relation or _last(ctx, call) != "Field" or sqlmodel):  # type: ignore[arg-type]
            columns[name] = _with_hint(col, annotation)
        elif right is None and annotation.startswith("Mapped["):
            inner = annotation[7:-1]
            relation = any(t in inner for t in ("List[", "list[", "Set[", "set[", '"', "'"))
            columns[name] = Column(name, line, type=inner, is_relation=relation)
        elif sqlmodel and annotation and col is None and not name.startswith("_"):
            columns[name] = Column(name, line, type=annotation)
    abstract = any(
        ctx.node_text(n.child_by_field_name("left")) == "__abstract__"
        and py_true(ctx, n.child_by_field_name("right"))
        for stmt in body.named_children
        for n in stmt.named_children[:1]
        if stmt.type == "expression_statement" and n.type == "assignment"
    )
    # no ``__tablename__``: still a mapped table when the declarative base names tables itself
    # (Flask-SQLAlchemy's ``db.Model``, a base with a ``__tablename__`` ``declared_attr``) and the
    # class declares its primary key; a class without one is a mixin or an abstract base
    implicit = not abstract and any(c.primary_key for c in columns.values())
    if not table_name and not (sqlmodel and columns) and not implicit:
        return None
    if not any(not c.is_relation for c in columns.values()):
        return None
    model = ctx.node_text(cls.child_by_field_name("name"))
    mark_keys(columns, indexes)
    return Table(
        loc=ctx.loc(cls),
        name=table_name or (model.lower() if sqlmodel else snake(model)),
        source="sqlalchemy",
        model=model,
        columns=tuple(columns.values()),
        indexes=tuple(indexes),
    )


def _table_args(node: ts.Node | None) -> list[ts.Node]:
    node = unwrap(node)
    if node is None:
        return []
    if node.type == "call":
        return [node]
    if node.type in {"tuple", "list"}:
        return [c for c in node.named_children if c.type == "call"]
    return []


def _core_table(ctx: FileContext, call: ts.Node, source: str) -> None:
    """``Table('users', metadata, Column(...), ...)`` / ``op.create_table('users', ...)``."""
    args = arguments(call)
    name = string_value(ctx, args[0]) if args else None
    if not name:
        return
    columns: dict[str, Column] = {}
    indexes: list[Index] = []
    for arg in args[1:]:
        inner = _call(arg)
        if inner is None:
            continue
        kind = _last(ctx, inner)
        if kind == "Column":
            col_args = arguments(inner)
            col_name = string_value(ctx, col_args[0]) if col_args else None
            col = column_from_call(ctx, col_name or "", inner, line_of(inner)) if col_name else None
            if col is not None:
                columns[col.name] = Column(
                    col.name,
                    col.line,
                    type=col.type,
                    primary_key=col.primary_key,
                    unique=col.unique,
                    indexed=col.indexed,
                    references=col.references,
                    on_delete=col.on_delete,
                )
        elif kind == "ForeignKeyConstraint":
            continue
        else:
            idx = index_from_call(ctx, inner)
            if idx is not None:
                indexes.append(idx)
    if columns:
        mark_keys(columns, indexes)
        ctx.emit(
            Table(
                loc=ctx.loc(call),
                name=name,
                source=source,
                columns=tuple(columns.values()),
                indexes=tuple(indexes),
            )
        )


@extractor(
    languages=("python",),
    needs=(
        "__tablename__",
        "mapped_column",
        "Column(",
        "table=True",
        "Table(",
        "create_index",
        "create_table",
        "create_unique_constraint",
        "Index(",
    ),
    migrations=True,
)
def sqlalchemy_schema(ctx: FileContext) -> None:
    """Emit :class:`Table` / :class:`IndexDef` facts for SQLAlchemy models and Alembic ops."""
    # ORM classes inside a migration are snapshots a data migration works with, not the schema
    if ctx.has_any("__tablename__", "mapped_column", "Column(", "table=True") and not ctx.is_migration:
        for cls in captures("python", "(class_definition) @c", ctx.root).get("c", []):
            table = _class_table(ctx, cls)
            if table is not None:
                ctx.emit(table)
    for call, parts in iter_calls(ctx):
        if not parts:
            continue
        last = parts[-1]
        if parts[0] == "op" and ctx.is_migration and in_down(call):
            continue  # ``downgrade()`` describes the schema before the revision
        if last == "Table" and len(arguments(call)) >= 2:
            _core_table(ctx, call, "sqlalchemy")
        elif last == "create_table" and parts[0] == "op":
            _core_table(ctx, call, "alembic")
        elif last in {"create_index", "create_unique_constraint", "create_primary_key"} and parts[0] == "op":
            args = arguments(call)
            kw = kwargs(ctx, call)
            if len(args) < 3:
                continue
            table_name = string_value(ctx, args[1]) or string_value(ctx, kw.get("table_name")) or ""
            cols = py_strings(ctx, args[2])
            if table_name and cols:
                method, ops = _dialect_options(ctx, kw, cols)
                name_node = _call(args[0])
                name = string_value(ctx, args[0]) or (
                    string_value(ctx, arguments(name_node)[0])
                    if name_node is not None and arguments(name_node)
                    else ""
                )
                ctx.emit(
                    IndexDef(
                        ctx.loc(call),
                        table=table_name,
                        columns=tuple(cols),
                        unique=last != "create_index" or py_true(ctx, kw.get("unique")),
                        name=name or "",
                        source="alembic",
                        method=method,
                        opclasses=ops,
                    )
                )
        elif last == "Index" and len(parts) <= 2 and _module_level(call):
            idx = index_from_call(ctx, call)
            args = arguments(call)
            owner = unwrap(args[1]) if len(args) > 1 else None
            if idx is not None and owner is not None and owner.type == "attribute":
                owner_name = ctx.node_text(owner.child_by_field_name("object")).rsplit(".", 1)[-1]
                ctx.emit(
                    IndexDef(
                        ctx.loc(call),
                        table=owner_name,
                        columns=idx.columns,
                        unique=idx.unique,
                        name=idx.name,
                        source="sqlalchemy",
                        method=idx.method,
                        opclasses=idx.opclasses,
                    )
                )


def _module_level(call: ts.Node) -> bool:
    parent = call.parent
    while parent is not None:
        if parent.type in {"class_definition", "function_definition", "call"}:
            return False
        parent = parent.parent
    return True
