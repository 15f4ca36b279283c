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
