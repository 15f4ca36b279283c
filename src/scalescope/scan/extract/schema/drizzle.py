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
    refs = on_delete = ""
    for name, call in chain:
        if name == "references":
            args = arguments(call)
            target = _body(args[0]) if args else None
            refs = ctx.node_text(target) if target is not None else ""
            action = string_value(ctx, object_pairs(ctx, args[1]).get("onDelete")) if len(args) > 1 else None
            on_delete = action.lower() if action else ""
    return Column(
        key,
        line_of(value),
        db_name=db_name if db_name != key else "",
        type=col_type,
        primary_key="primaryKey" in names,
        unique="unique" in names,
        references=refs,
        on_delete=on_delete,
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
    ops: tuple[str, ...] = ()
    using = ""
    for method, call in chain[1:]:
        args = arguments(call)
        if method == "on":
            cols, ops = _index_parts(ctx, args)
        elif method == "using" and args:
            using = (string_value(ctx, args[0]) or "").lower()
            if len(args) > 1:
                cols, ops = _index_parts(ctx, args[1:])
    if not cols:
        return None
    return Index(
        cols,
        line_of(value),
        unique=head != "index",
        name=name,
        method="" if using == "btree" else using,
        opclasses=ops if any(ops) else (),
    )


def _index_parts(ctx: FileContext, nodes: list[ts.Node]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Columns of ``.on(t.a, t.b)`` / ``.using('gin', ...)`` with their operator classes:
    ``t.name.op('gin_trgm_ops')``, ``sql`${t.name} gin_trgm_ops` ``, and an expression such as
    ``sql`to_tsvector('english', ${t.title})` `` kept as SQL with the column names filled in."""
    cols: list[str] = []
    ops: list[str] = []
    for node in nodes:
        n = unwrap(node)
        if n is None:
            continue
        if n.type == "call_expression":
            callee = n.child_by_field_name("function")
            if (
                callee is not None
                and callee.type == "member_expression"
                and ctx.node_text(callee.child_by_field_name("property")) == "op"
            ):  # ``t.name.op('gin_trgm_ops')``
                target = callee.child_by_field_name("object")
                found = _columns_of(ctx, [target]) if target is not None else ()
                op_args = arguments(n)
                if found:
                    cols.append(found[0])
                    ops.append((string_value(ctx, op_args[0]) or "").lower() if op_args else "")
                continue
            tagged = n.child_by_field_name("arguments")
            if ctx.node_text(callee) == "sql" and tagged is not None and tagged.type == "template_string":
                text = _template_sql(ctx, tagged).strip()
                head, _, rest = text.partition(" ")
                if "(" not in text and rest.strip().endswith("_ops"):
                    cols.append(head)
                    ops.append(rest.strip().lower())
                else:
                    cols.append(text)
                    ops.append("")
            continue
        found = _columns_of(ctx, [n])
        cols.extend(found)
        ops.extend("" for _ in found)
    return tuple(cols), tuple(ops)


def _template_sql(ctx: FileContext, node: ts.Node) -> str:
    """A ``sql`...` `` template with each ``${t.col}`` replaced by the column's name."""
    out: list[str] = []
    before = node.start_byte + 1
    for child in node.named_children:
        if child.type != "template_substitution":
            continue
        out.append(ctx.source[before : child.start_byte].decode("utf-8", errors="replace"))
        inner = child.named_children[0] if child.named_children else None
        found = _columns_of(ctx, [inner]) if inner is not None else ()
        out.append(found[0] if found else "?")
        before = child.end_byte
    out.append(ctx.source[before : node.end_byte - 1].decode("utf-8", errors="replace"))
    return "".join(out)


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
