"""Indexes and unique constraints created by migration operations of code-first ORMs.

- Sequelize (``queryInterface``): ``addIndex(table, fields, { unique, where })`` (or
  ``addIndex(table, { fields, unique, where })``), ``addConstraint(table, { fields, type:
  'unique' | 'primary key' })`` (and the older ``addConstraint(table, fields, { type })``),
  ``createTable(table, attrs)`` / ``addColumn`` / ``changeColumn`` with ``unique`` or
  ``primaryKey`` attributes.
- TypeORM (``queryRunner``): ``createIndex(table, new TableIndex({ columnNames, isUnique,
  where }))``, ``createIndices``, ``createUniqueConstraint(table, new TableUnique(...))``,
  ``createTable(new Table({ name, columns: [{ isUnique, isPrimary }], indices, uniques }))``.

Every one becomes an :class:`IndexDef` (a unique constraint is an index). Operations of a
migration's ``down`` (the reverse of ``up``) describe the schema before it, so they are not
read. A partial index keeps its predicate (:attr:`IndexDef.where`). Drops, renames, added
columns and created tables become :class:`SchemaChange` facts, so the schema the migrations
build can be replayed (:mod:`scalescope.model.migrations`); Django's operations are read by
:mod:`.django_migrations`, Alembic's by :mod:`.alembic`.
"""

from __future__ import annotations

import tree_sitter as ts

from scalescope.model.facts import Fact, IndexDef, SchemaChange
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, extractor
from scalescope.scan.extract.js import ast as jsa
from scalescope.scan.extract.schema._common import in_down, js_strings, js_true
from scalescope.scan.extract.schema.sequelize import sequelize_fields, sequelize_method
from scalescope.scan.extract.schema.sql import where_terms

_SEQUELIZE_COLUMN_OPS = frozenset({"createTable", "addColumn", "changeColumn"})
_TYPEORM_INDEX_OPS = frozenset(
    {"createIndex", "createIndices", "createUniqueConstraint", "createUniqueConstraints"}
)
_JS_OPS = _SEQUELIZE_COLUMN_OPS | _TYPEORM_INDEX_OPS | {"addIndex", "addConstraint"}


# --------------------------------------------------------------------------- JavaScript


def _js_table(ctx: FileContext, node: ts.Node | None) -> str:
    """``'Users'`` or ``{ tableName: 'Users', schema: 'public' }``."""
    name = jsa.string_value(ctx, node)
    if name is not None:
        return name
    return jsa.string_value(ctx, jsa.object_pairs(ctx, node).get("tableName")) or ""


def _js_fields(ctx: FileContext, node: ts.Node | None) -> list[str]:
    """``['a', { name: 'b', order: 'DESC' }, { attribute: 'c' }]`` -> ``[a, b, c]``; an
    expression (``sequelize.fn('lower', ...)``) leads nothing and ends the list."""
    node = jsa.unwrap(node)
    if node is None or node.type != "array":
        return js_strings(ctx, node)
    out: list[str] = []
    for item in node.named_children:
        value = jsa.string_value(ctx, item)
        if value is None:
            pairs = jsa.object_pairs(ctx, item)
            value = jsa.string_value(ctx, pairs.get("name") or pairs.get("attribute"))
        if value is None:
            out.append("?")
            break
        out.append(value)
    return out


def _js_where(ctx: FileContext, node: ts.Node | None) -> tuple[str, ...]:
    """A Sequelize ``where`` object (``{ deletedAt: null, x: { [Op.ne]: null } }``) or a SQL
    string (TypeORM ``where: '"deletedAt" IS NULL'``) as :attr:`IndexDef.where` terms."""
    node = jsa.unwrap(node)
    if node is None:
        return ()
    text = jsa.string_value(ctx, node)
    if text is not None:
        return where_terms(text)
    if node.type != "object":
        return ("?",)
    terms: list[str] = []
    for key, value in jsa.object_pairs(ctx, node).items():
        val = jsa.unwrap(value)
        if key.startswith("["):
            terms.append("?")
        elif val is not None and val.type == "null":
            terms.append(f"{key} IS NULL")
        elif val is not None and val.type == "object":
            ops = {
                k.strip("[]").rsplit(".", 1)[-1]: jsa.unwrap(v) for k, v in jsa.object_pairs(ctx, val).items()
            }
            if set(ops) <= {"ne", "not"} and all(v is not None and v.type == "null" for v in ops.values()):
                terms.append(f"{key} IS NOT NULL")
            elif set(ops) == {"is"} and all(v is not None and v.type == "null" for v in ops.values()):
                terms.append(f"{key} IS NULL")
            else:
                terms.append("?")
        else:
            terms.append("?")
    return tuple(terms)


def _sequelize_index(ctx: FileContext, call: ts.Node, args: list[ts.Node]) -> IndexDef | None:
    table = _js_table(ctx, args[0])
    second = jsa.unwrap(args[1])
    opts = jsa.object_pairs(ctx, second) if second is not None and second.type == "object" else {}
    fields = _js_fields(ctx, opts["fields"]) if opts else _js_fields(ctx, second)
    if not opts and len(args) > 2:
        opts = jsa.object_pairs(ctx, args[2])
    if not table or not fields:
        return None
    kind = (jsa.string_value(ctx, opts.get("type")) or "").lower()
    if kind == "spatial":
        return None
    _cols, ops = sequelize_fields(ctx, opts.get("fields", second), opts.get("operator"))
    return IndexDef(
        ctx.loc(call),
        table=table,
        columns=tuple(fields),
        unique=js_true(ctx, opts.get("unique")) or kind == "unique",
        name=jsa.string_value(ctx, opts.get("name")) or "",
        source="sequelize",
        where=_js_where(ctx, opts.get("where")),
        method=sequelize_method(ctx, opts),
        opclasses=ops if len(ops) == len(fields) else (),
    )


def _sequelize_constraint(ctx: FileContext, call: ts.Node, args: list[ts.Node]) -> IndexDef | None:
    table = _js_table(ctx, args[0])
    second = jsa.unwrap(args[1])
    if second is not None and second.type == "object":
        opts = jsa.object_pairs(ctx, second)
        fields = _js_fields(ctx, opts.get("fields"))
    else:
        fields = _js_fields(ctx, second)
        opts = jsa.object_pairs(ctx, args[2]) if len(args) > 2 else {}
    kind = (jsa.string_value(ctx, opts.get("type")) or "").lower()
    if not table or not fields or kind not in {"unique", "primary key"}:
        return None
    return IndexDef(
        ctx.loc(call),
        table=table,
        columns=tuple(fields),
        unique=True,
        name=jsa.string_value(ctx, opts.get("name")) or "",
        source="sequelize",
        where=_js_where(ctx, opts.get("where")),
    )


def _sequelize_columns(ctx: FileContext, op: str, args: list[ts.Node]) -> list[IndexDef]:
    """Unique/primary-key columns of ``createTable(t, attrs)``, ``addColumn(t, col, attr)``,
    ``changeColumn(t, col, attr)``."""
    table = _js_table(ctx, args[0])
    if not table:
        return []
    if op == "createTable":
        attrs = jsa.object_pairs(ctx, args[1])
    else:
        name = jsa.string_value(ctx, args[1])
        attrs = {name: args[2]} if name and len(args) > 2 else {}
    out: list[IndexDef] = []
    for column, value in attrs.items():
        spec = jsa.object_pairs(ctx, value)
        if js_true(ctx, spec.get("unique")) or js_true(ctx, spec.get("primaryKey")):
            out.append(
                IndexDef(ctx.loc(value), table=table, columns=(column,), unique=True, source="sequelize")
            )
    return out


def _new_object(ctx: FileContext, node: ts.Node | None, cls: str = "") -> dict[str, ts.Node]:
    """Options of ``new TableIndex({...})`` (of any class when ``cls`` is empty), or of a
    plain object literal."""
    node = jsa.unwrap(node)
    if node is not None and node.type == "new_expression":
        ctor = node.child_by_field_name("constructor")
        if cls and ctx.node_text(ctor).rsplit(".", 1)[-1] != cls:
            return {}
        args = node.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        return jsa.object_pairs(ctx, first)
    return jsa.object_pairs(ctx, node)


def _typeorm_index(
    ctx: FileContext, anchor: ts.Node, table: str, spec: dict[str, ts.Node], unique: bool
) -> IndexDef | None:
    cols = js_strings(ctx, spec.get("columnNames"))
    if not table or not cols or js_true(ctx, spec.get("isSpatial")):
        return None
    return IndexDef(
        ctx.loc(anchor),
        table=table,
        columns=tuple(cols),
        unique=unique or js_true(ctx, spec.get("isUnique")),
        name=jsa.string_value(ctx, spec.get("name")) or "",
        source="typeorm",
        where=_js_where(ctx, spec.get("where")),
        method="fulltext" if js_true(ctx, spec.get("isFulltext")) else "",
    )


def _typeorm_ops(ctx: FileContext, call: ts.Node, op: str, args: list[ts.Node]) -> list[IndexDef]:
    out: list[IndexDef] = []
    if op == "createTable":
        spec = _new_object(ctx, args[0], "Table")
        table = jsa.string_value(ctx, spec.get("name")) or ""
        columns = jsa.unwrap(spec.get("columns"))
        for item in columns.named_children if columns is not None and columns.type == "array" else []:
            col = jsa.object_pairs(ctx, item)
            name = jsa.string_value(ctx, col.get("name"))
            if name and (js_true(ctx, col.get("isUnique")) or js_true(ctx, col.get("isPrimary"))):
                out.append(
                    IndexDef(ctx.loc(item), table=table, columns=(name,), unique=True, source="typeorm")
                )
        for key, unique in (("indices", False), ("uniques", True)):
            items = jsa.unwrap(spec.get(key))
            for item in items.named_children if items is not None and items.type == "array" else []:
                found = _typeorm_index(ctx, item, table, _new_object(ctx, item), unique)
                if found is not None:
                    out.append(found)
        return out
    table = (
        _js_table(ctx, args[0]) or jsa.string_value(ctx, _new_object(ctx, args[0], "Table").get("name")) or ""
    )
    unique = "Unique" in op
    cls = "TableUnique" if unique else "TableIndex"
    targets = [args[1]] if len(args) > 1 else []
    if op.endswith(("Indices", "Constraints")) and targets:
        arr = jsa.unwrap(targets[0])
        targets = list(arr.named_children) if arr is not None and arr.type == "array" else []
    for target in targets:
        found = _typeorm_index(ctx, target, table, _new_object(ctx, target, cls), unique)
        if found is not None:
            out.append(found)
    return out


def _named(ctx: FileContext, node: ts.Node | None) -> str:
    """A name given as a string or as ``new TableX({ name })`` / a ``{ name }`` object."""
    value = jsa.string_value(ctx, node)
    if value is not None:
        return value
    return jsa.string_value(ctx, _new_object(ctx, node).get("name")) or ""


def _js_changes(ctx: FileContext, call: ts.Node, parts: tuple[str, ...], args: list[ts.Node]) -> list[Fact]:
    """Drops, renames, added columns and created tables (with their columns) of TypeORM
    ``queryRunner`` and Sequelize ``queryInterface`` migrations, as :class:`SchemaChange`
    facts (and the unique index of a TypeORM ``addColumn(t, new TableColumn({ isUnique }))``)."""
    loc = ctx.loc(call)
    op = parts[-1]
    typeorm = op in _TYPEORM_CHANGES or "queryRunner" in parts or (len(args) == 2 and op == "addColumn")
    source = "typeorm" if typeorm else "sequelize"
    if op == "createTable":
        spec = _new_object(ctx, args[0], "Table")
        if spec:
            table = jsa.string_value(ctx, spec.get("name")) or ""
            items = jsa.unwrap(spec.get("columns"))
            names = [
                _named(ctx, c)
                for c in (items.named_children if items is not None and items.type == "array" else [])
            ]
            source = "typeorm"
        else:
            table = _js_table(ctx, args[0])
            names = list(jsa.object_pairs(ctx, args[1]).keys()) if len(args) > 1 else []
        cols = tuple(n for n in names if n)
        return (
            [SchemaChange(loc, op="create-table", table=table, columns=cols, source=source)] if table else []
        )
    if op in {"renameTable"}:
        old, new = _named(ctx, args[0]), (jsa.string_value(ctx, args[1]) or "") if len(args) > 1 else ""
        return (
            [SchemaChange(loc, op="rename-table", table=old, new_name=new, source=source)]
            if old and new
            else []
        )
    table = _js_table(ctx, args[0]) or _named(ctx, args[0])
    if op == "dropTable":
        return [SchemaChange(loc, op="drop-table", table=table, source=source)] if table else []
    if not table or len(args) < 2:
        return []
    if op == "renameColumn" and len(args) >= 3:
        old, new = _named(ctx, args[1]), _named(ctx, args[2])
        return (
            [SchemaChange(loc, op="rename-column", table=table, name=old, new_name=new, source=source)]
            if old and new
            else []
        )
    targets = [args[1]]
    if op in {"dropIndices", "dropColumns", "dropUniqueConstraints", "addColumns"}:
        arr = jsa.unwrap(args[1])
        targets = list(arr.named_children) if arr is not None and arr.type == "array" else []
    kind = _JS_CHANGE_KIND.get(op, "")
    out: list[Fact] = []
    for target in targets:
        if kind == "add-column":
            spec = _new_object(ctx, target)
            name = jsa.string_value(ctx, spec.get("name")) or ""
            if name:
                out.append(SchemaChange(loc, op=kind, table=table, name=name, source=source))
                if js_true(ctx, spec.get("isUnique")):
                    out.append(IndexDef(loc, table=table, columns=(name,), unique=True, source=source))
            continue
        name = _named(ctx, target)
        if kind == "drop-index" and not name:  # Sequelize ``removeIndex(t, ['a', 'b'])``
            cols = tuple(js_strings(ctx, target))
            if cols:
                out.append(SchemaChange(loc, op=kind, table=table, columns=cols, source=source))
            continue
        if name and kind:
            out.append(SchemaChange(loc, op=kind, table=table, name=name, source=source))
    return out


_TYPEORM_CHANGES = frozenset(
    {
        "dropIndex",
        "dropIndices",
        "dropUniqueConstraint",
        "dropUniqueConstraints",
        "dropColumn",
        "dropColumns",
        "addColumns",
    }
)
_JS_CHANGE_KIND = {
    "dropIndex": "drop-index",
    "dropIndices": "drop-index",
    "removeIndex": "drop-index",
    "dropUniqueConstraint": "drop-constraint",
    "dropUniqueConstraints": "drop-constraint",
    "removeConstraint": "drop-constraint",
    "dropColumn": "drop-column",
    "dropColumns": "drop-column",
    "removeColumn": "drop-column",
    "addColumn": "add-column",
    "addColumns": "add-column",
}
_JS_CHANGE_OPS = frozenset(_JS_CHANGE_KIND) | {"dropTable", "renameTable", "renameColumn", "createTable"}


@extractor(
    languages=JS_LANGUAGES,
    needs=(
        "addIndex",
        "addConstraint",
        "createIndex",
        "createIndices",
        "createUniqueConstraint",
        "createTable",
        "dropIndex",
        "dropIndices",
        "removeIndex",
        "dropUniqueConstraint",
        "removeConstraint",
        "dropColumn",
        "removeColumn",
        "addColumn",
        "dropTable",
        "renameTable",
        "renameColumn",
    ),
    migrations=True,
)
def js_migration_indexes(ctx: FileContext) -> None:
    """Emit :class:`IndexDef` facts for Sequelize ``queryInterface`` and TypeORM
    ``queryRunner`` migration operations, and :class:`SchemaChange` facts for their drops,
    renames, added columns and created tables (not those of ``down``; not Knex's
    ``knex.schema`` builders)."""
    for call, parts in jsa.iter_calls(ctx):
        if len(parts) < 2:
            continue
        op = parts[-1]
        if op not in _JS_OPS and op not in _JS_CHANGE_OPS:
            continue
        args = jsa.arguments(call)
        if not args or in_down(call):
            continue
        if op in _JS_CHANGE_OPS and "schema" not in parts:
            if op == "addColumn" and len(args) == 2:
                for fact in _js_changes(ctx, call, parts, args):
                    ctx.emit(fact)
            elif op == "addColumn":
                name = jsa.string_value(ctx, args[1])
                table = _js_table(ctx, args[0])
                if name and table:
                    ctx.emit(
                        SchemaChange(
                            ctx.loc(call), op="add-column", table=table, name=name, source="sequelize"
                        )
                    )
            else:
                for fact in _js_changes(ctx, call, parts, args):
                    ctx.emit(fact)
        if op not in _JS_OPS:
            continue
        if op == "addIndex" and len(args) >= 2:
            found = _sequelize_index(ctx, call, args)
            if found is not None:
                ctx.emit(found)
        elif op == "addConstraint" and len(args) >= 2:
            found = _sequelize_constraint(ctx, call, args)
            if found is not None:
                ctx.emit(found)
        elif op in _TYPEORM_INDEX_OPS or (op == "createTable" and _new_object(ctx, args[0], "Table")):
            for fact in _typeorm_ops(ctx, call, op, args):
                ctx.emit(fact)
        elif op in _SEQUELIZE_COLUMN_OPS and len(args) >= 2 and "schema" not in parts:
            for fact in _sequelize_columns(ctx, op, args):
                ctx.emit(fact)
