"""Alembic revisions as schema steps, besides the ``op.create_table`` / ``op.create_index`` that
:mod:`.sqlalchemy` reads: drops (``op.drop_index``, ``drop_constraint``, ``drop_table``,
``drop_column``), renames (``op.rename_table``, ``op.alter_column(new_column_name=)``), added
columns (``op.add_column``, with the index a ``Column(index=True)`` / ``unique=True`` asks
for), the same operations inside ``with op.batch_alter_table("t") as batch_op:`` (the form
autogenerate writes for SQLite), and the revision's place in the history (``revision`` /
``down_revision``, as :class:`MigrationRevision`). Nothing of ``downgrade()`` is read.
"""

from __future__ import annotations

import tree_sitter as ts

from scalescope.model.facts import Fact, IndexDef, MigrationRevision, SchemaChange
from scalescope.scan.extract.base import FileContext, captures, extractor
from scalescope.scan.extract.py import ast as pya
from scalescope.scan.extract.schema._common import in_down, line_of, py_strings, py_true
from scalescope.scan.extract.schema.sqlalchemy import column_from_call

_SOURCE = "alembic"
_BATCH_OPS = frozenset(
    {
        "create_index",
        "create_unique_constraint",
        "drop_index",
        "drop_constraint",
        "drop_column",
        "add_column",
        "alter_column",
    }
)
_OPS = _BATCH_OPS | {"drop_table", "rename_table"}


def _name(ctx: FileContext, node: ts.Node | None) -> str:
    """``"ix_a"`` or ``op.f("ix_a")``."""
    value = pya.string_value(ctx, node)
    if value is not None:
        return value
    call = pya.unwrap(node)
    if call is not None and call.type == "call":
        args = pya.arguments(call)
        return (pya.string_value(ctx, args[0]) or "") if args else ""
    return ""


def _batches(ctx: FileContext) -> dict[str, list[tuple[int, int, str]]]:
    """``with op.batch_alter_table("t") as batch_op:`` blocks: alias -> (start, end byte, table)."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    for stmt in captures("python", "(with_statement) @w", ctx.root).get("w", []):
        for item in (c for c in stmt.named_children if c.type == "with_clause"):
            for with_item in item.named_children:
                value = with_item.child_by_field_name("value")
                if value is None or value.type != "as_pattern":
                    continue
                call = pya.unwrap(value.named_children[0]) if value.named_children else None
                alias = value.child_by_field_name("alias")
                if call is None or call.type != "call" or alias is None:
                    continue
                if pya.callee_parts(ctx, call)[-1:] != ("batch_alter_table",):
                    continue
                args = pya.arguments(call)
                kw = pya.kwargs(ctx, call)
                table = pya.string_value(ctx, args[0] if args else kw.get("table_name")) or ""
                if table:
                    key = ctx.node_text(alias).strip()
                    out.setdefault(key, []).append((stmt.start_byte, stmt.end_byte, table))
    return out


def _column_step(ctx: FileContext, call: ts.Node, table: str, node: ts.Node | None) -> list[Fact]:
    """``add_column(sa.Column("c", ..., index=True))``: the column and the index it asks for."""
    column = pya.unwrap(node)
    if column is None or column.type != "call":
        return []
    col_args = pya.arguments(column)
    name = pya.string_value(ctx, col_args[0]) if col_args else None
    if not name:
        return []
    loc = ctx.loc(call)
    out: list[Fact] = [SchemaChange(loc, op="add-column", table=table, name=name, source=_SOURCE)]
    col = column_from_call(ctx, name, column, line_of(column))
    if col is not None and (col.unique or col.indexed) and not col.primary_key:
        out.append(IndexDef(loc, table=table, columns=(name,), unique=col.unique, source=_SOURCE))
    return out


def _step(ctx: FileContext, call: ts.Node, op: str, table: str, args: list[ts.Node]) -> list[Fact]:
    """One operation; ``table`` is given for a batch operation (whose arguments omit it)."""
    kw = pya.kwargs(ctx, call)
    loc = ctx.loc(call)
    batch = bool(table)

    def arg(key: str, pos: int) -> ts.Node | None:
        return kw.get(key) or (args[pos] if len(args) > pos else None)

    if not batch and op not in {"drop_index", "drop_table", "rename_table"}:
        table = (
            pya.string_value(
                ctx, arg("table_name", 0 if op in {"add_column", "drop_column", "alter_column"} else 1)
            )
            or ""
        )
        if not table:
            return []
    shift = (
        0
        if batch or op in {"drop_index", "drop_constraint", "create_index", "create_unique_constraint"}
        else 1
    )
    if op in {"create_index", "create_unique_constraint"}:
        if not batch:
            return []  # read by the SQLAlchemy extractor
        cols = tuple(py_strings(ctx, arg("columns", 1)))
        unique = op == "create_unique_constraint" or py_true(ctx, kw.get("unique"))
        if not cols:
            return []
        return [
            IndexDef(
                loc,
                table=table,
                columns=cols,
                unique=unique,
                name=_name(ctx, arg("index_name", 0)),
                source=_SOURCE,
            )
        ]
    if op == "drop_index":
        name = _name(ctx, arg("index_name", 0))
        if not batch:
            table = pya.string_value(ctx, arg("table_name", 1)) or ""
        return [SchemaChange(loc, op="drop-index", table=table, name=name, source=_SOURCE)] if name else []
    if op == "drop_constraint":
        name = _name(ctx, arg("constraint_name", 0))
        return (
            [SchemaChange(loc, op="drop-constraint", table=table, name=name, source=_SOURCE)] if name else []
        )
    if op == "drop_table":
        name = pya.string_value(ctx, arg("table_name", 0)) or ""
        return [SchemaChange(loc, op="drop-table", table=name, source=_SOURCE)] if name else []
    if op == "rename_table":
        old = pya.string_value(ctx, arg("old_table_name", 0)) or ""
        new = pya.string_value(ctx, arg("new_table_name", 1)) or ""
        return (
            [SchemaChange(loc, op="rename-table", table=old, new_name=new, source=_SOURCE)]
            if old and new
            else []
        )
    if op == "add_column":
        return _column_step(ctx, call, table, arg("column", shift))
    column = pya.string_value(ctx, arg("column_name", shift)) or ""
    if not column:
        return []
    if op == "drop_column":
        return [SchemaChange(loc, op="drop-column", table=table, name=column, source=_SOURCE)]
    new = pya.string_value(ctx, kw.get("new_column_name")) or ""
    if new and new != column:
        return [SchemaChange(loc, op="rename-column", table=table, name=column, new_name=new, source=_SOURCE)]
    return []


def _revision(ctx: FileContext) -> MigrationRevision | None:
    """Module-level ``revision = "x"`` and ``down_revision = "y"`` (``None``, or a tuple for a
    merge), type annotations allowed."""
    revision = ""
    parents: tuple[str, ...] = ()
    line = 0
    for stmt in ctx.root.named_children:
        node = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
        if node is None or node.type != "assignment":
            continue
        key = ctx.node_text(node.child_by_field_name("left"))
        right = node.child_by_field_name("right")
        if key == "revision":
            revision = pya.string_value(ctx, right) or ""
            line = line_of(node)
        elif key == "down_revision":
            parents = tuple(py_strings(ctx, right))
    return MigrationRevision(ctx.line_loc(line), revision=revision, parents=parents) if revision else None


@extractor(
    languages=("python",),
    needs=(
        "down_revision",
        "drop_index",
        "drop_constraint",
        "drop_table",
        "drop_column",
        "add_column",
        "rename_table",
        "alter_column",
        "batch_alter_table",
    ),
    migrations=True,
)
def alembic_steps(ctx: FileContext) -> None:
    """Emit :class:`SchemaChange` / :class:`IndexDef` facts for the Alembic operations
    :mod:`.sqlalchemy` does not read, and the revision's :class:`MigrationRevision`."""
    if not ctx.is_migration:
        return
    revision = _revision(ctx)
    if revision is not None:
        ctx.emit(revision)
    batches = _batches(ctx) if "batch_alter_table" in ctx.text else {}
    for call, parts in pya.iter_calls(ctx):
        if len(parts) != 2 or parts[-1] not in _OPS:
            continue
        table = ""
        if parts[0] != "op":
            inside = [t for s, e, t in batches.get(parts[0], ()) if s <= call.start_byte < e]
            if not inside or parts[-1] not in _BATCH_OPS:
                continue
            table = inside[-1]
        if in_down(call):
            continue
        for fact in _step(ctx, call, parts[-1], table, pya.arguments(call)):
            ctx.emit(fact)
