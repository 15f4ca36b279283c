"""Drizzle ORM tables: ``pgTable('users', { ... }, (t) => ({ ... }))`` (and ``mysqlTable``,
``sqliteTable``, ``schema.table``). Columns come from the builder chains (``.primaryKey()``,
``.unique()``, ``.references(() => orgs.id)``), indexes from the third argument
(``index('x').on(t.a, t.b)``, ``uniqueIndex``, ``primaryKey({ columns: [...] })``, ``unique().on``),
in the object or the array form. The model name is the variable the table is assigned to."""

from __future__ import annotations

import tree_sitter as ts

from scalescope.model.facts import Column, Index, Table
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, extractor
from scalescope.scan.extract.js.ast import (
    arguments,
    call_chain,
    iter_calls,
    object_pairs,
    string_value,
    unwrap,
)
from scalescope.scan.extract.schema._common import assigned_name, line_of, mark_keys

TABLE_FUNCS = frozenset({"pgTable", "mysqlTable", "sqliteTable", "singlestoreTable", "gelTable"})
#: Drizzle's own column builders; any other builder (``statusEnum('status')``) is a ``pgEnum``
#: constant the column takes its values from
COLUMN_BUILDERS = frozenset(
    {
        "text", "varchar", "char", "integer", "int", "smallint", "bigint", "serial", "smallserial",
        "bigserial", "boolean", "timestamp", "date", "time", "interval", "uuid", "json", "jsonb",
        "real", "doublePrecision", "double", "numeric", "decimal", "float", "blob", "tinyint",
        "mediumint", "datetime", "year", "binary", "varbinary", "tinytext", "mediumtext", "longtext",
        "inet", "cidr", "macaddr", "point", "line", "vector", "customType", "bit", "geometry",
    }
)  # fmt: skip


def _body(node: ts.Node | None) -> ts.Node | None:
    """The object/array a ``(t) => ({...})`` callback returns (or the node itself)."""
    node = unwrap(node)
    if node is not None and node.type == "arrow_function":
        body = unwrap(node.child_by_field_name("body"))
        if body is not None and body.type == "statement_block":
            for stmt in body.named_children:
                if stmt.type == "return_statement" and stmt.named_children:
                    return unwrap(stmt.named_children[0])
            return None
        return body
    return node


def _column(ctx: FileContext, key: str, value: ts.Node) -> Column:
    v = unwrap(value)
    chain = call_chain(ctx, v) if v is not None and v.type == "call_expression" else []
    col_type = chain[0][0] if chain else ""
    db_name = ""
    values = 0
    if chain:
        first_args = arguments(chain[0][1])
        db_name = (string_value(ctx, first_args[0]) or "") if first_args else ""
        # ``text('role', { enum: ['a', 'b'] })``
        listed = unwrap(object_pairs(ctx, first_args[-1]).get("enum")) if first_args else None
        values = len(listed.named_children) if listed is not None and listed.type == "array" else 0
    names = [name for name, _ in chain]
    refs = ""
    for name, call in chain:
        if name == "references":
            args = arguments(call)
            target = _body(args[0]) if args else None
            refs = ctx.node_text(target) if target is not None else ""
    return Column(
        key,
        line_of(value),
        db_name=db_name if db_name != key else "",
        type=col_type,
        primary_key="primaryKey" in names,
        unique="unique" in names,
        references=refs,
        values=values,
        # ``status: statusEnum('status')``: a ``pgEnum`` constant (an EnumType fact)
        enum=col_type if col_type and col_type not in COLUMN_BUILDERS else "",
    )


def _columns_of(ctx: FileContext, nodes: list[ts.Node]) -> tuple[str, ...]:
    out = []
    for node in nodes:
        n = unwrap(node)
        if n is not None and n.type == "member_expression":
            out.append(ctx.node_text(n.child_by_field_name("property")))
        elif n is not None and n.type == "array":
            out.extend(_columns_of(ctx, list(n.named_children)))
    return tuple(out)


def _index(ctx: FileContext, value: ts.Node) -> Index | None:
    v = unwrap(value)
    if v is None or v.type != "call_expression":
        return None
    chain = call_chain(ctx, v)
    if not chain:
        return None
    head, head_call = chain[0]
    name = ""
    head_args = arguments(head_call)
    if head_args:
        name = string_value(ctx, head_args[0]) or ""
    if head == "primaryKey":
        opts = object_pairs(ctx, head_args[0]) if head_args else {}
        pk = _columns_of(ctx, [opts["columns"]]) if "columns" in opts else _columns_of(ctx, head_args)
        return Index(pk, line_of(value), unique=True, primary=True) if pk else None
    if head not in {"index", "uniqueIndex", "unique"}:
        return None
    cols: tuple[str, ...] = ()
    for method, call in chain[1:]:
        if method == "on":
            cols = _columns_of(ctx, arguments(call))
    if not cols:
        return None
    return Index(cols, line_of(value), unique=head != "index", name=name)


@extractor(languages=JS_LANGUAGES, needs=("Table(",))
def drizzle_tables(ctx: FileContext) -> None:
    """Emit a :class:`Table` per Drizzle table definition."""
    for call, parts in iter_calls(ctx):
        if not parts or not (parts[-1] in TABLE_FUNCS or (len(parts) == 2 and parts[1] == "table")):
            continue
        args = arguments(call)
        if len(args) < 2:
            continue
        name = string_value(ctx, args[0])
        if not name:
            continue
        columns: dict[str, Column] = {}
        for key, value in object_pairs(ctx, _body(args[1])).items():
            columns[key] = _column(ctx, key, value)
        if not columns:
            continue
        indexes: list[Index] = []
        if len(args) > 2:
            extra = _body(args[2])
            items = (
                list(object_pairs(ctx, extra).values())
                if extra is not None and extra.type == "object"
                else list(extra.named_children)
                if extra is not None and extra.type == "array"
                else []
            )
            for item in items:
                idx = _index(ctx, item)
                if idx is not None:
                    indexes.append(idx)
        mark_keys(columns, indexes)
        ctx.emit(
            Table(
                loc=ctx.loc(call),
                name=name,
                source="drizzle",
                model=assigned_name(ctx, call) or name,
                columns=tuple(columns.values()),
                indexes=tuple(indexes),
            )
        )
