"""Django migrations as schema steps, so the schema they build can be replayed
(:mod:`scalescope.model.migrations`) and the indexes they create are known (SC-DB-006).

- ``CreateModel``: the table and its fields (:class:`SchemaChange` ``create-table``), an
  :class:`IndexDef` for every field Django indexes (``db_index=True``, ``unique=True``, a
  ``ForeignKey`` unless ``db_index=False``; read exactly as :mod:`.django_models` reads a
  model, so both agree), and ``options`` ``indexes`` / ``constraints`` / ``unique_together`` /
  ``index_together``. A ``managed=False`` or proxy model creates no table.
- ``AddField`` (``add-column`` + its index), ``AlterField`` (``alter-column``: the field's own
  index is replaced by the new definition's), ``RemoveField``, ``RenameField``,
  ``DeleteModel``, ``RenameModel``.
- ``AddIndex`` / ``AddIndexConcurrently`` / ``AddConstraint`` (``UniqueConstraint``) /
  ``AlterUniqueTogether`` / ``AlterIndexTogether`` as :class:`IndexDef`; ``RemoveIndex`` /
  ``RemoveIndexConcurrently`` / ``RemoveConstraint`` / ``RenameIndex`` as changes.

The table is the migration's lower-case model name (``model_name``); the app is the folder
holding ``migrations/``.
"""

from __future__ import annotations

import tree_sitter as ts

from scalescope.model.facts import Fact, IndexDef, Loc, SchemaChange
from scalescope.scan.extract.base import FileContext, extractor
from scalescope.scan.extract.py import ast as pya
from scalescope.scan.extract.schema._common import django_index, py_strings, py_true
from scalescope.scan.extract.schema.django_models import _column, _field_kind

_INDEX_OPS = frozenset({"AddIndex", "AddIndexConcurrently", "AddConstraint"})
_TOGETHER_OPS = frozenset({"AlterUniqueTogether", "AlterIndexTogether"})
_FIELD_OPS = frozenset({"AddField", "AlterField"})
_OPS = (
    _INDEX_OPS
    | _TOGETHER_OPS
    | _FIELD_OPS
    | {
        "CreateModel",
        "RemoveField",
        "RenameField",
        "DeleteModel",
        "RenameModel",
        "RemoveIndex",
        "RemoveIndexConcurrently",
        "RemoveConstraint",
        "RenameIndex",
    }
)
_SOURCE = "django"


def _index_fact(ctx: FileContext, loc: Loc, table: str, node: ts.Node | None) -> IndexDef | None:
    """``models.Index(...)`` / ``UniqueConstraint(...)`` / ``GinIndex(...)`` of a migration
    (read as a model's ``Meta`` reads it) as an index fact; ``condition=`` makes it partial."""
    spec = django_index(ctx, node)
    if spec is None:
        return None
    inner = pya.unwrap(node)
    partial = inner is not None and inner.type == "call" and "condition" in pya.kwargs(ctx, inner)
    return IndexDef(
        loc,
        table=table,
        columns=spec.columns,
        unique=spec.unique,
        name=spec.name,
        source=_SOURCE,
        where=("?",) if partial else (),
        method=spec.method,
        opclasses=spec.opclasses,
    )


#: builtins that wrap a literal collection (``set([...])``)
_COLLECTIONS = frozenset({("set",), ("frozenset",), ("list",), ("tuple",)})


def _together(ctx: FileContext, table: str, groups: ts.Node | None, unique: bool) -> list[IndexDef]:
    """``unique_together={("a", "b")}`` / ``("a", "b")`` (one group) as index facts; also
    ``set([("a", "b"), ...])``, as older Django versions wrote them."""
    groups = pya.unwrap(groups)
    if groups is not None and groups.type == "call" and pya.callee_parts(ctx, groups) in _COLLECTIONS:
        inner = pya.arguments(groups)
        groups = pya.unwrap(inner[0]) if len(inner) == 1 else None
    if groups is None or groups.type not in {"set", "list", "tuple"}:
        return []
    items: list[ts.Node] = list(groups.named_children)
    if items and all(pya.string_value(ctx, i) is not None for i in items):
        items = [groups]
    out = []
    for group in items:
        cols = tuple(py_strings(ctx, group))
        if cols:
            out.append(IndexDef(ctx.loc(group), table=table, columns=cols, unique=unique, source=_SOURCE))
    return out


def _field(ctx: FileContext, table: str, name: str, node: ts.Node | None) -> tuple[str, IndexDef | None]:
    """A field definition of a migration: its column name (``""`` when it has none: a
    many-to-many relation) and the index Django creates for it."""
    call = pya.unwrap(node)
    if call is None or call.type != "call":
        return "", None
    col = _column(ctx, name, call, _field_kind(ctx, call))
    if col is None or col.is_relation:
        return "", None
    if col.primary_key or not (col.unique or col.indexed):
        return col.name, None
    return col.name, IndexDef(
        ctx.loc(call), table=table, columns=(col.name,), unique=col.unique, source=_SOURCE
    )


def _create_model(ctx: FileContext, call: ts.Node, kw: dict[str, ts.Node], args: list[ts.Node]) -> list[Fact]:
    name = pya.string_value(ctx, kw.get("name") or (args[0] if args else None))
    if not name:
        return []
    table = name.lower()
    options = pya.dict_pairs(ctx, kw.get("options"))
    if (options.get("managed") is not None and not py_true(ctx, options.get("managed"))) or py_true(
        ctx, options.get("proxy")
    ):
        return []
    fields = pya.unwrap(kw.get("fields") or (args[1] if len(args) > 1 else None))
    columns: list[str] = []
    indexes: list[Fact] = []
    for item in fields.named_children if fields is not None and fields.type in {"list", "tuple"} else []:
        if item.type != "tuple" or len(item.named_children) < 2:
            continue
        field_name = pya.string_value(ctx, item.named_children[0])
        if not field_name:
            continue
        column, index = _field(ctx, table, field_name, item.named_children[1])
        if column:
            columns.append(column)
        if index is not None:
            indexes.append(index)
    out: list[Fact] = [
        SchemaChange(ctx.loc(call), op="create-table", table=table, columns=tuple(columns), source=_SOURCE)
    ]
    out.extend(indexes)
    for key in ("indexes", "constraints"):
        listed = pya.unwrap(options.get(key))
        for item in listed.named_children if listed is not None and listed.type in {"list", "tuple"} else []:
            found = _index_fact(ctx, ctx.loc(item), table, item)
            if found is not None:
                out.append(found)
    out.extend(_together(ctx, table, options.get("unique_together"), True))
    out.extend(_together(ctx, table, options.get("index_together"), False))
    return out


def _operation(ctx: FileContext, call: ts.Node, op: str) -> list[Fact]:
    kw = pya.kwargs(ctx, call)
    args = pya.arguments(call)
    if op == "CreateModel":
        return _create_model(ctx, call, kw, args)

    def arg(key: str, pos: int) -> ts.Node | None:
        return kw.get(key) or (args[pos] if len(args) > pos else None)

    loc = ctx.loc(call)
    if op in {"DeleteModel", "RenameModel"} or op in _TOGETHER_OPS:
        model = pya.string_value(ctx, arg("old_name" if op == "RenameModel" else "name", 0))
    else:
        model = pya.string_value(ctx, arg("model_name", 0))
    if not model:
        return []
    table = model.lower()
    if op in _INDEX_OPS:
        found = _index_fact(ctx, loc, table, arg("constraint" if op == "AddConstraint" else "index", 1))
        return [found] if found is not None else []
    if op in _TOGETHER_OPS:
        key = "unique_together" if op == "AlterUniqueTogether" else "index_together"
        return list(_together(ctx, table, arg(key, 1), op == "AlterUniqueTogether"))
    if op in _FIELD_OPS:
        name = pya.string_value(ctx, arg("name", 1)) or ""
        if not name:
            return []
        column, index = _field(ctx, table, name, arg("field", 2))
        if not column:
            return []
        step = "add-column" if op == "AddField" else "alter-column"
        out: list[Fact] = [SchemaChange(loc, op=step, table=table, name=column, source=_SOURCE)]
        return out + ([index] if index is not None else [])
    if op == "DeleteModel":
        return [SchemaChange(loc, op="drop-table", table=table, source=_SOURCE)]
    if op == "RenameModel":
        new = pya.string_value(ctx, arg("new_name", 1)) or ""
        return (
            [SchemaChange(loc, op="rename-table", table=table, new_name=new.lower(), source=_SOURCE)]
            if new
            else []
        )
    if op == "RemoveField":
        name = pya.string_value(ctx, arg("name", 1)) or ""
        return [SchemaChange(loc, op="drop-column", table=table, name=name, source=_SOURCE)] if name else []
    if op == "RenameField":
        before = pya.string_value(ctx, arg("old_name", 1)) or ""
        after = pya.string_value(ctx, arg("new_name", 2)) or ""
        if not before or not after:
            return []
        return [
            SchemaChange(loc, op="rename-column", table=table, name=before, new_name=after, source=_SOURCE)
        ]
    if op in {"RemoveIndex", "RemoveIndexConcurrently", "RemoveConstraint"}:
        name = pya.string_value(ctx, arg("name", 1)) or ""
        kind = "drop-constraint" if op == "RemoveConstraint" else "drop-index"
        return [SchemaChange(loc, op=kind, table=table, name=name, source=_SOURCE)] if name else []
    if op == "RenameIndex":
        after = pya.string_value(ctx, arg("new_name", 1)) or ""
        before = pya.string_value(ctx, kw.get("old_name")) or ""
        if not before or not after:
            return []  # ``old_fields=``: names an unnamed index, whose columns do not change
        return [
            SchemaChange(loc, op="rename-index", table=table, name=before, new_name=after, source=_SOURCE)
        ]
    return []


@extractor(
    languages=("python",),
    needs=(
        "CreateModel",
        "AddField",
        "AlterField",
        "RemoveField",
        "RenameField",
        "DeleteModel",
        "RenameModel",
        "AddIndex",
        "RemoveIndex",
        "RenameIndex",
        "AddConstraint",
        "RemoveConstraint",
        "AlterUniqueTogether",
        "AlterIndexTogether",
    ),
    migrations=True,
)
def django_migration_steps(ctx: FileContext) -> None:
    """Emit :class:`SchemaChange` and :class:`IndexDef` facts for the schema operations of a
    Django migration (only in migration files: ``operations = [migrations.X(...)]``)."""
    if not ctx.is_migration:
        return
    for call, parts in pya.iter_calls(ctx):
        op = parts[-1] if parts else ""
        if op in _OPS and (len(parts) == 1 or parts[-2] in {"migrations", "operations"}):
            for fact in _operation(ctx, call, op):
                ctx.emit(fact)
