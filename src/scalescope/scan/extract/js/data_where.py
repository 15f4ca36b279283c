"""Conditions of a Node query read into facts: which columns it filters on (and which by a
range), which pairs of columns join tables (never filters), which filters an inner join or a
relation filter carries, whether ``IN`` lists are bounded, and whether a condition was built
somewhere the extractor cannot see (``opaque``).

:class:`WhereObject` reads option-object filters (Prisma ``where``, Sequelize ``where`` with
``[Op.x]`` keys, Mongo ``$x`` operators, TypeORM ``In()``/``MoreThan()``); :class:`Conditions`
reads Drizzle's condition calls (``and(eq(t.a, x), gt(t.b, y))``).
"""

from __future__ import annotations

from typing import TypedDict

import tree_sitter as ts

from scalescope.scan.extract.base import FileContext
from scalescope.scan.extract.js.ast import arguments, callee_parts, object_pairs, string_value, unwrap
from scalescope.scan.extract.js.data_flow import Limit, bounded_values
from scalescope.scan.extract.js.data_tables import DRIZZLE_COMPARISONS, RANGE_OPERATORS

#: operator keys of a Prisma scalar filter (``{ id: { in: ids } }``); any other key of a
#: nested object names a relation field (``{ author: { id } }``)
_SCALAR_OPERATORS = frozenset(
    {
        "equals", "not", "in", "notIn", "lt", "lte", "gt", "gte", "contains", "startsWith",
        "endsWith", "mode", "search", "has", "hasSome", "hasEvery", "isEmpty", "path",
        "string_contains", "array_contains", "isSet",
    }
)  # fmt: skip
_RELATION_OPERATORS = frozenset({"some", "every", "none", "is", "isNot"})
_LOGICAL = frozenset({"AND", "OR", "NOT", "NOR"})


_TYPEORM_RANGE = frozenset({"MoreThan", "MoreThanOrEqual", "LessThan", "LessThanOrEqual", "Between"})
_OPAQUE_VALUES = frozenset({"identifier", "member_expression", "call_expression", "subscript_expression"})


def _bare(key: str) -> str:
    """``[Op.gt]`` -> ``gt``, ``$gt`` -> ``gt``, ``gt`` -> ``gt``."""
    return key.strip("[]").rsplit(".", 1)[-1].lstrip("$")


class WhereObject:
    """An option-object filter read into columns, ranges, relation filters and ``in`` lists.

    ``relations``: nested objects whose keys are not operators name relation fields (Prisma
    ``{ author: { id } }``); off for ORMs where a nested object is a JSON/embedded value."""

    def __init__(self, relations: bool = True) -> None:
        self.relations = relations
        self.fields: list[str] = []
        self.ranges: list[str] = []
        self.related: list[str] = []
        self.in_lists: list[bool] = []
        self.in_fields: list[str] = []
        self.opaque = False

    def read(self, ctx: FileContext, node: ts.Node | None, depth: int = 0) -> None:
        node = unwrap(node)
        if node is None or depth > 6:
            return
        if node.type == "array":
            for item in node.named_children:
                self.read(ctx, item, depth + 1)
            return
        if node.type != "object":
            if node.type in _OPAQUE_VALUES or node.type == "shorthand_property_identifier":
                self.opaque = True  # ``where: buildWhere()``, ``where: filters``
            return
        if any(c.type == "spread_element" for c in node.named_children):
            self.opaque = True
        for key, value in object_pairs(ctx, node).items():
            val = unwrap(value)
            if _bare(key).upper() in _LOGICAL:
                if val is not None and val.type not in {"object", "array"}:
                    self.opaque = True  # ``OR: events.map(...)``: conditions built from a list
                self.read(ctx, val, depth + 1)
                continue
            self.fields.append(key)
            if val is None:
                continue
            if val.type == "call_expression":  # TypeORM ``In(ids)``, ``MoreThan(d)``
                parts = callee_parts(ctx, val)
                fn = parts[-1] if parts else ""
                if fn in _TYPEORM_RANGE:
                    self.ranges.append(key)
                elif fn == "In" and arguments(val):
                    self.in_lists.append(bounded_values(ctx, arguments(val)[0]))
                    self.in_fields.append(key)
                continue
            if val.type != "object":
                continue
            ops = {_bare(k): v for k, v in object_pairs(ctx, val).items()}
            if set(ops) & RANGE_OPERATORS:
                self.ranges.append(key)
            if "in" in ops:
                self.in_lists.append(bounded_values(ctx, ops["in"]))
                self.in_fields.append(key)
            if not self.relations:
                continue
            for sub, inner in ops.items():
                if sub in _SCALAR_OPERATORS:
                    continue
                if sub in _RELATION_OPERATORS:
                    nested = WhereObject()
                    nested.read(ctx, inner, depth + 1)
                    self.related.extend(f"{key}.{f}" for f in nested.fields)
                else:
                    self.related.append(f"{key}.{sub}")


class Conditions:
    """Columns a query's conditions compare, split into filters, ranges, join keys and
    filters carried by an inner join. ``tables`` are the tables of the query: a comparison of
    two of their columns is a join, not a filter."""

    def __init__(self, tables: set[str] | set[str | None], base: str | None = None) -> None:
        self.tables = {t for t in tables if t}
        # the query's own table (and a callback's alias of it): a condition on another table's
        # column filters through the join
        self.base = {base} if base else set()
        self.filters: list[str] = []
        self.ranges: list[str] = []
        self.joins: list[tuple[str, str]] = []
        self.related: list[str] = []
        self.in_lists: list[bool] = []
        self.in_fields: list[str] = []
        self.opaque = False

    def fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.filters))

    def in_bounded(self) -> bool:
        return bool(self.in_lists) and all(self.in_lists)

    def _column(self, ctx: FileContext, node: ts.Node | None) -> str | None:
        node = unwrap(node)
        if node is None or node.type != "member_expression":
            return None
        obj = node.child_by_field_name("object")
        return ctx.node_text(node) if ctx.node_text(obj) in self.tables else None

    def read(self, ctx: FileContext, node: ts.Node | None, depth: int = 0) -> None:
        """A ``where`` argument: ``eq(t.a, x)``, ``and(...)``, a callback, a variable."""
        node = unwrap(node)
        if node is None or depth > 8:
            return
        if node.type in {"arrow_function", "function_expression"}:
            body = node.child_by_field_name("body")
            params = _param_list(ctx, node)
            if params:
                self.tables.add(params[0])
                self.base.add(params[0])
            self.read(ctx, body, depth + 1)
            return
        if node.type == "ternary_expression":  # ``ids.length ? inArray(t.id, ids) : undefined``
            self.read(ctx, node.child_by_field_name("consequence"), depth + 1)
            self.read(ctx, node.child_by_field_name("alternative"), depth + 1)
            return
        if node.type != "call_expression":
            if node.type not in {"undefined", "null"}:
                self.opaque = True  # a condition built elsewhere
            return
        parts = callee_parts(ctx, node)
        name = parts[-1] if parts else ""
        args = arguments(node)
        if name in {"and", "or", "not"}:
            for arg in args:
                if arg.type == "spread_element":
                    self.opaque = True
                else:
                    self.read(ctx, arg, depth + 1)
            return
        if name in DRIZZLE_COMPARISONS and args:
            left = self._column(ctx, args[0]) or (
                ctx.node_text(args[0]) if string_value(ctx, args[0]) is None else None
            )
            right = self._column(ctx, args[1]) if len(args) > 1 else None
            if left is None:
                return
            if right is not None:
                self.joins.append((left, right))
                return
            owner, _, col = left.rpartition(".")
            if self.base and owner in self.tables and owner not in self.base:
                self.related.append(left)  # ``eq(users.email, e)`` on a joined table
                return
            self.filters.append(col)
            if DRIZZLE_COMPARISONS[name]:
                self.ranges.append(col)
            if name == "inArray" and len(args) > 1:
                self.in_lists.append(bounded_values(ctx, args[1]))
                self.in_fields.append(col)
            return
        self.opaque = True  # ``sql`...```, ``exists(...)``, a helper building the condition

    def read_join(self, ctx: FileContext, node: ts.Node | None, *, inner: bool, joined: str) -> None:
        """A join's ``on`` condition: column pairs are join keys; a comparison with a value
        filters the rows of an inner join (``innerJoin(m, and(eq(m.postId, p.id), eq(m.userId, me)))``)."""
        sub = Conditions(self.tables)
        sub.read(ctx, node)
        self.joins.extend(sub.joins)
        if inner:
            self.related.extend(f"{joined}.{c}" for c in sub.filters)
            self.related.extend(sub.related)


def _param_list(ctx: FileContext, fn: ts.Node) -> list[str]:
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return []
    if params.type == "identifier":
        return [ctx.node_text(params)]
    return [ctx.node_text(p) for p in params.named_children]


class ShapeFields(TypedDict):
    """The DataAccess fields every option-object ORM reads the same way from its filter and limit."""

    limit_bound: str
    limit_floor: bool | None
    limit_max: int | None
    peeks_next: bool
    in_list_bounded: bool
    in_fields: tuple[str, ...]
    opaque_filter: bool
    range_fields: tuple[str, ...]


def shape_fields(where: WhereObject, bound: Limit | None) -> ShapeFields:
    """``DataAccess`` keyword arguments from a read filter and a ``limit_bound`` result."""
    return ShapeFields(
        limit_bound=bound[0] if bound else "",
        limit_floor=bound[1] if bound else None,
        limit_max=bound.most if bound else None,
        peeks_next=bool(bound and bound[2]),
        in_list_bounded=bool(where.in_lists) and all(where.in_lists),
        in_fields=tuple(dict.fromkeys(where.in_fields)),
        opaque_filter=where.opaque,
        range_fields=tuple(dict.fromkeys(where.ranges)),
    )
