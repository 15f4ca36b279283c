"""Small helpers shared by the code-defined schema extractors (TypeORM, Mongoose, Drizzle,
Sequelize, Knex, SQLAlchemy, Django)."""

from __future__ import annotations

import re
from dataclasses import replace

import tree_sitter as ts

from scalescope.model.facts import Column, Index
from scalescope.scan.extract.base import FileContext
from scalescope.scan.extract.js import ast as jsa
from scalescope.scan.extract.py import ast as pya

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake(name: str) -> str:
    """``UserProfile`` -> ``user_profile``."""
    return _CAMEL.sub("_", name).lower()


def js_true(ctx: FileContext, node: ts.Node | None) -> bool:
    """A JS ``true`` literal (or a truthy object/array/string, e.g. ``unique: 'name'``)."""
    node = jsa.unwrap(node)
    if node is None:
        return False
    return node.type in {"true", "object", "array", "string"}


def py_true(ctx: FileContext, node: ts.Node | None) -> bool:
    node = pya.unwrap(node)
    return node is not None and node.type == "true"


def js_strings(ctx: FileContext, node: ts.Node | None) -> list[str]:
    """Strings of an array literal (or one string): ``['a', 'b']`` -> ["a", "b"]."""
    node = jsa.unwrap(node)
    if node is None:
        return []
    if node.type == "array":
        out = []
        for item in node.named_children:
            value = jsa.string_value(ctx, item)
            if value is not None:
                out.append(value)
        return out
    value = jsa.string_value(ctx, node)
    return [value] if value is not None else []


def py_strings(ctx: FileContext, node: ts.Node | None) -> list[str]:
    """Strings of a list/tuple literal (or one string)."""
    node = pya.unwrap(node)
    if node is None:
        return []
    if node.type in {"list", "tuple", "set"}:
        out = []
        for item in node.named_children:
            value = pya.string_value(ctx, item)
            if value is not None:
                out.append(value)
        return out
    value = pya.string_value(ctx, node)
    return [value] if value is not None else []


def line_of(node: ts.Node) -> int:
    return node.start_point[0] + 1


def mark_keys(columns: dict[str, Column], indexes: list[Index]) -> None:
    """A one-column unique/primary index makes that column unique/primary (in place); columns
    are matched by field or database name."""
    by_db = {c.db_name: k for k, c in columns.items() if c.db_name}
    for idx in indexes:
        if len(idx.columns) != 1 or not idx.unique:
            continue
        key = idx.columns[0]
        key = key if key in columns else by_db.get(key, "")
        if key in columns:
            col = columns[key]
            columns[key] = replace(
                col, unique=col.unique or not idx.primary, primary_key=col.primary_key or idx.primary
            )


def assigned_name(ctx: FileContext, node: ts.Node) -> str:
    """Name a JS expression is assigned to (``const x = ...`` / ``obj.x = ...``), or ``""``."""
    parent = node.parent
    while parent is not None and parent.type in {
        "await_expression",
        "parenthesized_expression",
        "as_expression",
    }:
        parent = parent.parent
    if parent is not None and parent.type == "variable_declarator":
        return ctx.node_text(parent.child_by_field_name("name"))
    if parent is not None and parent.type == "assignment_expression":
        return ctx.node_text(parent.child_by_field_name("left")).rsplit(".", 1)[-1]
    return ""


# --------------------------------------------------------------------------- Django indexes

#: Django index classes -> access method (``""`` = b-tree)
DJANGO_INDEXES = {
    "Index": "",
    "UniqueConstraint": "",
    "BTreeIndex": "",
    "HashIndex": "hash",
    "BrinIndex": "brin",
    "GinIndex": "gin",
    "GistIndex": "gist",
    "SpGistIndex": "spgist",
    "BloomIndex": "bloom",
}
#: expression wrappers whose first argument names the column (``Upper("name")``)
_DJANGO_TRANSFORMS = frozenset({"Upper", "Lower", "F", "Unaccent", "Cast", "Coalesce"})


def django_index(ctx: FileContext, call: ts.Node | None) -> Index | None:
    """``models.Index(fields=[...])``, ``UniqueConstraint(fields=[...])``, ``GinIndex(fields=["name"],
    opclasses=["gin_trgm_ops"])``, ``GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"))``,
    ``GinIndex(SearchVector("title", "body"))`` as an :class:`Index` (``line`` its line; a
    ``condition=`` sets ``name`` only: callers read it from the call). Expression columns are kept
    as SQL-like text (``to_tsvector(title, body)``, ``UPPER(name)``); ``None`` for other calls."""
    call = pya.unwrap(call)
    if call is None or call.type != "call":
        return None
    parts = pya.callee_parts(ctx, call)
    kind = parts[-1] if parts else ""
    if kind not in DJANGO_INDEXES:
        return None
    kw = pya.kwargs(ctx, call)
    cols = [c.lstrip("-") for c in py_strings(ctx, kw.get("fields"))]
    ops = py_strings(ctx, kw.get("opclasses"))
    if not cols:
        for arg in pya.arguments(call):
            column, opclass = _django_expression(ctx, arg)
            if column:
                cols.append(column)
                ops.append(opclass)
    if not cols:
        return None
    return Index(
        tuple(cols),
        line_of(call),
        unique=kind == "UniqueConstraint" or py_true(ctx, kw.get("unique")),
        name=pya.string_value(ctx, kw.get("name")) or "",
        method=DJANGO_INDEXES[kind],
        opclasses=tuple(o.lower() for o in ops) if len(ops) == len(cols) and any(ops) else (),
    )


def _django_expression(ctx: FileContext, node: ts.Node | None, depth: int = 0) -> tuple[str, str]:
    """An index expression as (column text, operator class): ``OpClass(Upper("name"),
    name="gin_trgm_ops")`` -> (``UPPER(name)``, ``gin_trgm_ops``), ``SearchVector("a", "b")`` ->
    (``to_tsvector(a, b)``, ""), ``F("name")`` / ``"name"`` -> (``name``, "")."""
    node = pya.unwrap(node)
    if node is None or depth > 4:
        return "", ""
    value = pya.string_value(ctx, node)
    if value is not None:
        return value.lstrip("-"), ""
    if node.type != "call":
        return "", ""
    parts = pya.callee_parts(ctx, node)
    name = parts[-1] if parts else ""
    args = pya.arguments(node)
    if name == "OpClass" and args:
        column, _ = _django_expression(ctx, args[0], depth + 1)
        return column, (pya.string_value(ctx, pya.kwargs(ctx, node).get("name")) or "").lower()
    if name == "SearchVector":
        fields = [c for c in (_django_expression(ctx, a, depth + 1)[0] for a in args) if c]
        return (f"to_tsvector({', '.join(fields)})" if fields else ""), ""
    if name in _DJANGO_TRANSFORMS and args:
        column, _ = _django_expression(ctx, args[0], depth + 1)
        return (column if name == "F" else f"{name.upper()}({column})") if column else "", ""
    return "", ""


DOWN_STEPS = frozenset({"down", "downgrade", "backwards", "rollback"})


def in_down(node: ts.Node, names: frozenset[str] = DOWN_STEPS) -> bool:
    """Inside a migration's reverse step (``down()``, ``down: async () => {}``, ``def
    downgrade()``, ``exports.down = ...``), or the reverse SQL of a Django ``RunSQL`` (its
    second argument or ``reverse_sql=``)."""
    child = node
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
        elif parent.type == "keyword_argument":
            key = parent.child_by_field_name("name")
            if key is not None and key.text in {b"reverse_sql", b"reverse_code"}:
                return True
        elif parent.type == "argument_list" and child.type != "keyword_argument":
            call = parent.parent
            func = call.child_by_field_name("function") if call is not None else None
            callee = func.text.decode() if func is not None and func.text is not None else ""
            positional = [c for c in parent.named_children if c.type != "keyword_argument"]
            if callee.rsplit(".", 1)[-1] in {"RunSQL", "RunPython"} and child in positional[1:2]:
                return True
        child = parent
        parent = parent.parent
    return False
