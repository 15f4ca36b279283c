"""Sequelize models (``sequelize.define('User', attrs, opts)``, ``User.init(attrs, opts)``) and
Knex schema builders (``knex.schema.createTable('users', (t) => { ... })``, ``alterTable``).

Sequelize: attributes with ``primaryKey``/``unique``/``field``/``references``, and
``opts.indexes: [{ fields, unique }]``; the table is ``tableName`` or the pluralised model name,
plus the implicit ``id`` key. Knex: ``t.string('email').unique()``, ``t.index(['a', 'b'])``,
``t.unique([...])``, ``t.primary([...])``, ``t.increments()``; ``alterTable`` gives
:class:`IndexDef` facts.
"""

from __future__ import annotations

import tree_sitter as ts

from scalescope.model.facts import Column, Index, IndexDef, Table
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, extractor
from scalescope.scan.extract.js.ast import (
    arguments,
    call_chain,
    iter_calls,
    object_pairs,
    string_value,
    unwrap,
)
from scalescope.scan.extract.schema._common import js_strings, js_true, line_of, mark_keys


def _enum_values(ctx: FileContext, opts: dict[str, ts.Node], value: ts.Node) -> tuple[int, str]:
    """``DataTypes.ENUM('a', 'b')`` / ``values: ['a', 'b']`` -> (2, "");
    ``DataTypes.ENUM(...Object.values(Status))`` -> (0, "Status")."""
    type_node = unwrap(opts.get("type")) if opts else unwrap(value)
    listed = unwrap(opts.get("values")) if opts else None
    if listed is not None and listed.type == "array":
        return len(listed.named_children), ""
    if (
        type_node is None
        or type_node.type != "call_expression"
        or ctx.node_text(type_node).split("(", 1)[0].rsplit(".", 1)[-1] != "ENUM"
    ):
        return 0, ""
    args = arguments(type_node)
    if args and all(string_value(ctx, a) is not None for a in args):
        return len(args), ""
    text = ctx.node_text(args[0]) if args else ""
    if "Object.values(" in text:
        return 0, text.split("Object.values(", 1)[1].split(")", 1)[0].rsplit(".", 1)[-1]
    return 0, ""


def _attr_column(ctx: FileContext, key: str, value: ts.Node) -> Column:
    opts = object_pairs(ctx, value)
    values, enum = _enum_values(ctx, opts, value)
    refs = ""
    if "references" in opts:
        ref = object_pairs(ctx, opts["references"])
        model = ref.get("model")
        refs = (string_value(ctx, model) or ctx.node_text(model)) if model is not None else ""
    action = string_value(ctx, opts.get("onDelete")) if opts else None
    return Column(
        key,
        line_of(value.parent if value.parent is not None and value.parent.type == "pair" else value),
        db_name=string_value(ctx, opts.get("field")) or "",
        type=ctx.node_text(opts.get("type")) if opts else ctx.node_text(value),
        primary_key=js_true(ctx, opts.get("primaryKey")),
        unique=js_true(ctx, opts.get("unique")),
        references=refs,
        values=values,
        enum=enum,
        on_delete=action.lower() if action else "",
    )


def _sequelize(
    ctx: FileContext, call: ts.Node, model: str, attrs: ts.Node, opts_node: ts.Node | None
) -> None:
    columns = {k: _attr_column(ctx, k, v) for k, v in object_pairs(ctx, attrs).items()}
    if not columns:
        return
    if not any(c.primary_key for c in columns.values()):
        columns.setdefault("id", Column("id", line_of(call), primary_key=True))
    opts = object_pairs(ctx, opts_node)
    indexes: list[Index] = []
    idx_list = unwrap(opts.get("indexes"))
    for item in idx_list.named_children if idx_list is not None and idx_list.type == "array" else []:
        spec = object_pairs(ctx, item)
        cols, ops = sequelize_fields(ctx, spec.get("fields"), spec.get("operator"))
        if cols:
            indexes.append(
                Index(
                    tuple(cols),
                    line_of(item),
                    unique=js_true(ctx, spec.get("unique")),
                    name=string_value(ctx, spec.get("name")) or "",
                    method=sequelize_method(ctx, spec),
                    opclasses=ops,
                )
            )
    table = string_value(ctx, opts.get("tableName")) or ""
    if not table:
        frozen = ctx.node_text(opts.get("freezeTableName")) == "true"
        table = model if frozen else model + ("" if model.endswith("s") else "s")
    mark_keys(columns, indexes)
    ctx.emit(
        Table(
            loc=ctx.loc(call),
            name=table,
            source="sequelize",
            model=model,
            columns=tuple(columns.values()),
            indexes=tuple(indexes),
        )
    )


def _knex_callback(call: ts.Node) -> tuple[str, ts.Node] | None:
    args = arguments(call)
    if len(args) < 2:
        return None
    fn = unwrap(args[1])
    if fn is None or fn.type not in {"arrow_function", "function_expression", "function"}:
        return None
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return None
    ident = params if params.type == "identifier" else next((p for p in params.named_children), None)
    if ident is None:
        return None
    pattern = ident.child_by_field_name("pattern") if ident.type == "required_parameter" else ident
    name = pattern.text.decode() if pattern is not None and pattern.text else ""
    return (name, fn) if name else None


def _knex(ctx: FileContext, call: ts.Node, parts: tuple[str, ...]) -> None:
    args = arguments(call)
    table = string_value(ctx, args[0]) if args else None
    found = _knex_callback(call)
    if not table or found is None:
        return
    param, fn = found
    columns: dict[str, Column] = {}
    indexes: list[Index] = []
    for inner, inner_parts in iter_calls(ctx):
        if not (fn.start_byte <= inner.start_byte < fn.end_byte) or len(inner_parts) != 2:
            continue
        if inner_parts[0] != param:
            continue
        method = inner_parts[1]
        inner_args = arguments(inner)
        line = line_of(inner)
        if method in {"index", "unique", "primary"}:
            cols = js_strings(ctx, inner_args[0]) if inner_args else []
            if cols:
                name = string_value(ctx, inner_args[1]) if len(inner_args) > 1 else None
                # ``t.index(cols, name, { indexType: 'FULLTEXT' })`` / ``t.index(cols, name, 'GIN')``
                third = inner_args[2] if len(inner_args) > 2 else None
                kind = string_value(ctx, third) or string_value(
                    ctx, object_pairs(ctx, third).get("indexType")
                )
                using = (kind or "").lower()
                indexes.append(
                    Index(
                        tuple(cols),
                        line,
                        unique=method != "index",
                        primary=method == "primary",
                        name=name or "",
                        method="" if using == "btree" else using,
                    )
                )
            continue
        if method in {"foreign", "timestamps", "dropColumn", "dropIndex", "dropUnique"}:
            continue
        col_name = string_value(ctx, inner_args[0]) if inner_args else None
        if method in {"increments", "bigIncrements"}:
            col_name = col_name or "id"
        if not col_name:
            continue
        top = inner
        while (
            top.parent is not None
            and top.parent.type == "member_expression"
            and top.parent.parent is not None
            and top.parent.parent.type == "call_expression"
        ):
            top = top.parent.parent
        chain = [name for name, _ in call_chain(ctx, top)]
        refs = on_delete = ""
        for name, link in call_chain(ctx, top):
            if name in {"references", "inTable"}:
                link_args = arguments(link)
                refs = (string_value(ctx, link_args[0]) or "") if link_args else refs
            elif name == "onDelete":
                link_args = arguments(link)
                on_delete = ((string_value(ctx, link_args[0]) or "") if link_args else "").lower()
        columns[col_name] = Column(
            col_name,
            line,
            type=method,
            primary_key=method in {"increments", "bigIncrements"} or "primary" in chain,
            unique="unique" in chain,
            indexed="index" in chain,
            references=refs,
            on_delete=on_delete,
        )
    if parts[-1] in {"createTable", "createTableIfNotExists"}:
        mark_keys(columns, indexes)
        ctx.emit(
            Table(
                loc=ctx.loc(call),
                name=table,
                source="knex",
                columns=tuple(columns.values()),
                indexes=tuple(indexes),
            )
        )
        return
    for idx in indexes:
        ctx.emit(
            IndexDef(
                ctx.line_loc(idx.line),
                table=table,
                columns=idx.columns,
                unique=idx.unique,
                name=idx.name,
                source="knex",
            )
        )
    for col in columns.values():
        if col.indexed or col.unique or col.primary_key:
            ctx.emit(
                IndexDef(
                    ctx.line_loc(col.line),
                    table=table,
                    columns=(col.name,),
                    unique=col.unique or col.primary_key,
                    source="knex",
                )
            )


@extractor(
    languages=JS_LANGUAGES,
    needs=(".define(", ".init(", "createTable", "alterTable", "schema.table("),
    migrations=True,
)
def sequelize_and_knex(ctx: FileContext) -> None:
    """Emit :class:`Table` / :class:`IndexDef` facts for Sequelize models and Knex schemas."""
    for call, parts in iter_calls(ctx):
        if not parts:
            continue
        last = parts[-1]
        args = arguments(call)
        if last == "define" and len(args) >= 2 and len(parts) == 2:
            model = string_value(ctx, args[0])
            attrs = unwrap(args[1])
            if model and attrs is not None and attrs.type == "object":
                _sequelize(ctx, call, model, attrs, args[2] if len(args) > 2 else None)
        elif last == "init" and len(parts) == 2 and len(args) >= 2 and parts[0][:1].isupper():
            attrs = unwrap(args[0])
            opts = object_pairs(ctx, args[1])
            if attrs is not None and attrs.type == "object" and "sequelize" in opts:
                _sequelize(ctx, call, parts[0], attrs, args[1])
        elif last in {"createTable", "createTableIfNotExists", "alterTable", "table"} and "schema" in parts:
            _knex(ctx, call, parts)


def sequelize_fields(
    ctx: FileContext, fields: ts.Node | None, operator: ts.Node | None = None
) -> tuple[list[str], tuple[str, ...]]:
    """Columns of a Sequelize index's ``fields`` (names or ``{ name, operator }`` objects)
    with their operator classes (``operator`` of the field, else of the whole index)."""
    node = unwrap(fields)
    default = (string_value(ctx, operator) or "").lower()
    cols: list[str] = []
    ops: list[str] = []
    for f in node.named_children if node is not None and node.type == "array" else []:
        value = string_value(ctx, f)
        op = default
        if value is None:
            pairs = object_pairs(ctx, f)
            value = string_value(ctx, pairs.get("name")) or string_value(ctx, pairs.get("attribute")) or ""
            op = (string_value(ctx, pairs.get("operator")) or default).lower()
        if value:
            cols.append(value)
            ops.append(op)
    return cols, (tuple(ops) if any(ops) else ())


def sequelize_method(ctx: FileContext, spec: dict[str, ts.Node]) -> str:
    """A Sequelize index's access method: ``using: 'gin'``, ``type: 'FULLTEXT'``."""
    if (string_value(ctx, spec.get("type")) or "").upper() == "FULLTEXT":
        return "fulltext"
    using = (string_value(ctx, spec.get("using")) or "").lower()
    return "" if using == "btree" else using
