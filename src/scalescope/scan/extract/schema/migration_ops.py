"""Indexes and unique constraints created by migration operations of code-first ORMs.

- Sequelize (``queryInterface``): ``addIndex(table, fields, { unique, where })`` (or
  ``addIndex(table, { fields, unique, where })``), ``addConstraint(table, { fields, type:
  'unique' | 'primary key' })`` (and the older ``addConstraint(table, fields, { type })``),
  ``createTable(table, attrs)`` / ``addColumn`` / ``changeColumn`` with ``unique`` or
  ``primaryKey`` attributes.
- TypeORM (``queryRunner``): ``createIndex(table, new TableIndex({ columnNames, isUnique,
  where }))``, ``createIndices``, ``createUniqueConstraint(table, new TableUnique(...))``,
  ``createTable(new Table({ name, columns: [{ isUnique, isPrimary }], indices, uniques }))``.
- Django: ``migrations.AddIndex`` / ``AddConstraint`` (``UniqueConstraint``) /
  ``AlterUniqueTogether`` / ``AlterIndexTogether``.

Every one becomes an :class:`IndexDef` (a unique constraint is an index). Operations of a
migration's ``down`` (the reverse of ``up``) describe the schema before it, so they are not
read. A partial index keeps its predicate (:attr:`IndexDef.where`).
"""

from __future__ import annotations

import tree_sitter as ts

from scalescope.model.facts import IndexDef
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, extractor
from scalescope.scan.extract.js import ast as jsa
from scalescope.scan.extract.py import ast as pya
from scalescope.scan.extract.schema._common import django_index, js_strings, js_true, py_strings
from scalescope.scan.extract.schema.sequelize import sequelize_fields, sequelize_method
from scalescope.scan.extract.schema.sql import where_terms

_SEQUELIZE_COLUMN_OPS = frozenset({"createTable", "addColumn", "changeColumn"})
_TYPEORM_INDEX_OPS = frozenset(
    {"createIndex", "createIndices", "createUniqueConstraint", "createUniqueConstraints"}
)
_JS_OPS = _SEQUELIZE_COLUMN_OPS | _TYPEORM_INDEX_OPS | {"addIndex", "addConstraint"}


def _in_down(node: ts.Node, names: frozenset[str] = frozenset({"down", "downgrade", "backwards"})) -> bool:
    """Inside a migration's reverse step (``down()``, ``down: async () => {}``)."""
    parent = node.parent
    while parent is not None:
        if parent.type in {"method_definition", "function_declaration", "function_definition"}:
            name = parent.child_by_field_name("name")
            if name is not None and name.text is not None and name.text.decode() in names:
                return True
        elif parent.type in {"pair", "variable_declarator", "assignment_expression"}:
            key = (
                parent.child_by_field_name("key")
                or parent.child_by_field_name("name")
                or parent.child_by_field_name("left")
            )
            text = key.text.decode() if key is not None and key.text is not None else ""
            if text.strip("'\"").rsplit(".", 1)[-1] in names:
                return True
        parent = parent.parent
    return False


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


@extractor(
    languages=JS_LANGUAGES,
    needs=(
        "addIndex",
        "addConstraint",
        "createIndex",
        "createIndices",
        "createUniqueConstraint",
        "createTable",
    ),
    migrations=True,
)
def js_migration_indexes(ctx: FileContext) -> None:
    """Emit :class:`IndexDef` facts for Sequelize ``queryInterface`` and TypeORM
    ``queryRunner`` migration operations (not those of ``down``)."""
    for call, parts in jsa.iter_calls(ctx):
        if len(parts) < 2:
            continue
        op = parts[-1]
        if op not in _JS_OPS:
            continue
        args = jsa.arguments(call)
        if not args or _in_down(call):
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


# --------------------------------------------------------------------------- Django


@extractor(
    languages=("python",),
    needs=("AddIndex", "AddConstraint", "AlterUniqueTogether", "AlterIndexTogether"),
    migrations=True,
)
def django_migration_indexes(ctx: FileContext) -> None:
    """Emit :class:`IndexDef` facts for Django migration operations that add indexes or
    unique constraints (the table is the migration's lower-case ``model_name``)."""
    for call, parts in pya.iter_calls(ctx):
        op = parts[-1] if parts else ""
        if op not in {"AddIndex", "AddConstraint", "AlterUniqueTogether", "AlterIndexTogether"}:
            continue
        kw = pya.kwargs(ctx, call)
        args = pya.arguments(call)
        model = pya.string_value(ctx, kw.get("model_name") or kw.get("name") or (args[0] if args else None))
        if not model:
            continue
        if op in {"AddIndex", "AddConstraint"}:
            node = kw.get("index") or kw.get("constraint") or (args[1] if len(args) > 1 else None)
            spec = django_index(ctx, node)
            inner = pya.unwrap(node)
            partial = inner is not None and inner.type == "call" and "condition" in pya.kwargs(ctx, inner)
            if spec is not None:
                ctx.emit(
                    IndexDef(
                        ctx.loc(call),
                        table=model,
                        columns=spec.columns,
                        unique=spec.unique,
                        name=spec.name,
                        source="django",
                        where=("?",) if partial else (),
                        method=spec.method,
                        opclasses=spec.opclasses,
                    )
                )
            continue
        groups = pya.unwrap(
            kw.get("unique_together") or kw.get("index_together") or (args[1] if len(args) > 1 else None)
        )
        if groups is None or groups.type not in {"set", "list", "tuple"}:
            continue
        items: list[ts.Node] = list(groups.named_children)
        if items and all(pya.string_value(ctx, i) is not None for i in items):
            items = [groups]  # ``unique_together=("a", "b")``: one group
        for group in items:
            cols = tuple(py_strings(ctx, group))
            if cols:
                ctx.emit(
                    IndexDef(
                        ctx.loc(group),
                        table=model,
                        columns=tuple(cols),
                        unique=op == "AlterUniqueTogether",
                        source="django",
                    )
                )
