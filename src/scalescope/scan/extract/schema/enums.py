"""Enumerated types declared in code, as :class:`EnumType` facts: how many values a column
typed by them can hold (a schema column names its enum in :attr:`Column.enum`).

- TypeScript ``enum Status { A, B }`` and Drizzle ``const statusEnum = pgEnum('status',
  ['a', 'b'])`` (also ``mysqlEnum``);
- Python ``class Status(Enum)`` (``IntEnum``, ``StrEnum``, ``Flag``, Django ``TextChoices`` /
  ``IntegerChoices``...) and module-level Django choices constants (``STATUS_CHOICES = [("a",
  "A"), ("b", "B")]``).

SQL ``CREATE TYPE ... AS ENUM`` is read by the SQL schema reader.
"""

from __future__ import annotations

import tree_sitter as ts

from scalescope.model.facts import EnumType
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.js import ast as jsa
from scalescope.scan.extract.py import ast as pya

#: base classes of Python enumerations (last dotted part)
_PY_ENUM_BASES = frozenset(
    {"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag", "TextChoices", "IntegerChoices", "Choices", "ReprEnum"}
)
_DRIZZLE_ENUMS = frozenset({"pgEnum", "mysqlEnum"})


@extractor(languages=JS_LANGUAGES, needs=("enum ", "Enum("))
def js_enums(ctx: FileContext) -> None:
    """Emit an :class:`EnumType` per TypeScript ``enum`` and Drizzle ``pgEnum`` constant."""
    if ctx.language != "javascript":
        for node in captures(ctx.language, "(enum_declaration) @e", ctx.root).get("e", []):
            name = node.child_by_field_name("name")
            body = node.child_by_field_name("body")
            if name is None or body is None:
                continue
            members = [
                c
                for c in body.named_children
                if c.type in {"property_identifier", "enum_assignment", "string"}
            ]
            if members:
                ctx.emit(EnumType(ctx.loc(node), name=ctx.node_text(name), members=len(members)))
    for call, parts in jsa.iter_calls(ctx):
        if not parts or parts[-1] not in _DRIZZLE_ENUMS:
            continue
        args = jsa.arguments(call)
        values = jsa.unwrap(args[1]) if len(args) > 1 else None
        parent = call.parent
        if values is None or values.type != "array" or parent is None or parent.type != "variable_declarator":
            continue
        ctx.emit(
            EnumType(
                ctx.loc(call),
                name=ctx.node_text(parent.child_by_field_name("name")),
                members=len(values.named_children),
            )
        )


def _py_enum_members(ctx: FileContext, body: ts.Node) -> int:
    count = 0
    for stmt in body.named_children:
        node = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
        if node is None or node.type != "assignment":
            continue
        left = node.child_by_field_name("left")
        name = ctx.node_text(left)
        if left is not None and left.type == "identifier" and not name.startswith("_"):
            count += 1
    return count


def _choices_constant(ctx: FileContext, node: ts.Node | None) -> int:
    """Number of ``(value, label)`` pairs of a list/tuple literal, or 0."""
    node = pya.unwrap(node)
    if node is None or node.type not in {"list", "tuple"} or not node.named_children:
        return 0
    items = node.named_children
    if all(i.type == "tuple" and len(i.named_children) == 2 for i in items):
        return len(items)
    return 0


@extractor(languages=("python",), needs=("Enum", "Choices", "CHOICES", "Flag"))
def py_enums(ctx: FileContext) -> None:
    """Emit an :class:`EnumType` per Python enumeration class and module-level choices
    constant."""
    for cls in captures("python", "(class_definition) @c", ctx.root).get("c", []):
        supers = cls.child_by_field_name("superclasses")
        bases = {
            ctx.node_text(b).rsplit(".", 1)[-1] for b in (supers.named_children if supers is not None else [])
        }
        body = cls.child_by_field_name("body")
        if not bases & _PY_ENUM_BASES or body is None:
            continue
        members = _py_enum_members(ctx, body)
        if members:
            ctx.emit(
                EnumType(ctx.loc(cls), name=ctx.node_text(cls.child_by_field_name("name")), members=members)
            )
    for stmt in ctx.root.named_children:
        node = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
        if node is None or node.type != "assignment":
            continue
        left = node.child_by_field_name("left")
        if left is None or left.type != "identifier":
            continue
        count = _choices_constant(ctx, node.child_by_field_name("right"))
        if count:
            ctx.emit(EnumType(ctx.loc(node), name=ctx.node_text(left), members=count))
