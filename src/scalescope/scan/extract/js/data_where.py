"""Conditions of a Node query read into facts: which columns it filters on (and which by a
range), which pairs of columns join tables (never filters), which filters an inner join or a
relation filter carries, whether ``IN`` lists are bounded, and whether a condition was built
somewhere the extractor cannot see (``opaque``).

:class:`WhereObject` reads option-object filters (Prisma ``where``, Sequelize ``where`` with
``[Op.x]`` keys, Mongo ``$x`` operators, TypeORM ``In()``/``MoreThan()``); :class:`Conditions`
reads Drizzle's condition calls (``and(eq(t.a, x), gt(t.b, y))``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import NamedTuple, TypedDict

import tree_sitter as ts

from scalescope.scan.extract.base import FileContext
from scalescope.scan.extract.js.ast import (
    arguments,
    callee_parts,
    enclosing_function,
    object_pairs,
    string_value,
    unwrap,
)
from scalescope.scan.extract.js.data_flow import Limit, bounded_values
from scalescope.scan.extract.js.data_tables import (
    DRIZZLE_COMPARISONS,
    DRIZZLE_PATTERNS,
    DRIZZLE_UNSELECTIVE,
    RANGE_OPERATORS,
)
from scalescope.scan.extract.js.loop_scope import declarators
from scalescope.scan.extract.js.request_values import STRING_METHODS
from scalescope.scan.extract.selectivity import Searched, Selectivity
from scalescope.scan.extract.sql_search import LikeSpot, like_spots

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


#: operator keys (bare) of option-object filters a b-tree index on the column cannot narrow:
#: negations and substring/suffix/pattern matches (Prisma, Sequelize ``[Op.x]``, Mongo ``$x``)
UNSELECTIVE_OPERATORS = frozenset(
    {
        "not", "notIn", "ne", "nin", "notLike", "notILike", "notRegexp", "notIRegexp", "contains",
        "endsWith", "search", "substring", "regexp", "iRegexp", "regex", "exists", "notBetween",
    }
)  # fmt: skip
#: operators whose pattern is unselective only when it starts with a wildcard (``'%x%'``)
_PATTERN_OPERATORS = frozenset({"like", "iLike"})
#: TypeORM find operators: negation, and pattern matches (unselective with a leading ``%``)
_TYPEORM_NEGATION = frozenset({"Not"})
_TYPEORM_PATTERN = frozenset({"Like", "ILike"})
#: operators that search a substring or a suffix of the text given (the ORM adds the wildcards)
_PRISMA_SEARCH = frozenset({"contains", "endsWith"})
_SEQUELIZE_SEARCH = frozenset({"substring", "endsWith"})


class Pattern(NamedTuple):
    """A LIKE pattern as written: whether it starts with a wildcard, and the expression
    substituted into it (the searched text: ``q`` of `` `%${q}%` `` or ``'%' + q + '%'``),
    ``None`` for a literal pattern."""

    leading: bool
    value: ts.Node | None = None


def pattern(ctx: FileContext, node: ts.Node | None, depth: int = 0) -> Pattern | None:
    """The LIKE pattern ``node`` builds: a string literal, a template (`` `%${q}%` ``), a
    concatenation (``'%' + q + '%'``), or a name bound to one of those in its function
    (``const like = `%${q}%```). ``None`` when the pattern is not visible."""
    node = unwrap(node)
    if node is None or depth > 4:
        return None
    if node.type == "string":
        return Pattern(ctx.node_text(node)[1:2] in {"%", "_"})
    if node.type == "template_string":
        subs = [c for c in node.named_children if c.type == "template_substitution"]
        value = subs[0].named_children[0] if subs and subs[0].named_children else None
        return Pattern(ctx.node_text(node)[1:2] in {"%", "_"}, searched_text(ctx, value))
    if node.type == "binary_expression":
        op = node.child_by_field_name("operator")
        if op is None or ctx.node_text(op) != "+":
            return None
        parts = _concatenated(node)
        head = pattern(ctx, parts[0], depth + 1) if parts[0].type in {"string", "template_string"} else None
        value = next((p for p in parts if p.type not in {"string", "template_string"}), None)
        if head is None:
            return None
        return Pattern(head.leading, head.value or searched_text(ctx, value))
    if node.type == "identifier":
        bound = _bound_value(ctx, node)
        return pattern(ctx, bound, depth + 1) if bound is not None else None
    return None


def searched_text(ctx: FileContext, node: ts.Node | None) -> ts.Node | None:
    """The text a search looks for, without string methods applied to it (``q.trim()`` ->
    ``q``, ``String(q)`` -> ``q``)."""
    for _ in range(4):
        node = unwrap(node)
        if node is None or node.type != "call_expression":
            return node
        fn = node.child_by_field_name("function")
        args = arguments(node)
        if fn is not None and fn.type == "member_expression":
            prop = ctx.node_text(fn.child_by_field_name("property"))
            if prop not in STRING_METHODS:
                return node
            node = fn.child_by_field_name("object")
        elif fn is not None and ctx.node_text(fn) == "String" and args:
            node = args[0]
        else:
            return node
    return node


def _concatenated(node: ts.Node) -> list[ts.Node]:
    """Operands of ``a + b + c`` in order."""
    out: list[ts.Node] = []
    stack = [node]
    while stack:
        cur = stack.pop()
        inner = unwrap(cur) or cur
        op = inner.child_by_field_name("operator") if inner.type == "binary_expression" else None
        if op is not None and op.type == "+":
            stack.extend(
                c
                for c in (inner.child_by_field_name("right"), inner.child_by_field_name("left"))
                if c is not None
            )
        else:
            out.append(inner)
    return out


def _bound_value(ctx: FileContext, ident: ts.Node) -> ts.Node | None:
    """The value a name is bound to before ``ident`` in its function (its last declaration
    or assignment), ``None`` when none is visible."""
    name = ctx.node_text(ident)
    fn = enclosing_function(ident)
    while fn is not None:
        found: ts.Node | None = None
        for decl in declarators(ctx, fn):
            if decl.start_byte > ident.start_byte or decl.start_byte <= ident.start_byte < decl.end_byte:
                continue
            target = decl.child_by_field_name("name") or decl.child_by_field_name("left")
            if target is not None and target.type == "identifier" and ctx.node_text(target) == name:
                found = decl.child_by_field_name("value") or decl.child_by_field_name("right")
        if found is not None:
            return found
        fn = enclosing_function(fn)
    return None


def leading_wildcard(ctx: FileContext, node: ts.Node | None) -> bool:
    """A LIKE pattern that starts with ``%`` or ``_`` (``'%x%'``, `` `%${q}%` ``, a name bound
    to one): no b-tree index serves it."""
    found = pattern(ctx, node)
    return found is not None and found.leading


#: a comparison in SQL condition text: column, then its operator
_SQL_COMPARISON = re.compile(
    r"(?:\b\w+\.)?[\"`]?(\w+)[\"`]?\s*(<>|!=|>=|<=|=|>|<|\bNOT\s+(?:IN|I?LIKE|BETWEEN)\b|\bIN\b|"
    r"\bI?LIKE\b|\bBETWEEN\b|\bIS\s+NOT\s+NULL\b|\bIS\s+NULL\b)\s*('[%_])?",
    re.IGNORECASE,
)
_SQL_UNSELECTIVE_OPS = re.compile(r"<>|!=|NOT\s|IS\s+NOT\s+NULL", re.IGNORECASE)
_SQL_IS_NULL = re.compile(r"IS\s+NULL", re.IGNORECASE)


def split_top_level(text: str, word: str) -> list[str]:
    """``text`` split on ``word`` (``OR``/``AND``, any case) outside parentheses and quotes."""
    out: list[str] = []
    depth = 0
    quote = ""
    start = 0
    upper = text.upper()
    needle = f" {word} "
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and upper.startswith(needle, i):
            out.append(text[start:i])
            start = i + len(needle)
            i = start
            continue
        i += 1
    out.append(text[start:])
    return out


def _strip_parens(text: str) -> str:
    """``((a = 1))`` -> ``a = 1``; ``(a) OR (b)`` is left whole."""
    while text.startswith("(") and text.endswith(")"):
        depth = 0
        for i, ch in enumerate(text):
            depth += (ch == "(") - (ch == ")")
            if depth == 0 and i < len(text) - 1:
                return text
        text = text[1:-1].strip()
    return text


#: judges a ``LIKE`` of condition text: the search it makes (its pattern starts with a wildcard),
#: or ``None``
Binder = Callable[[LikeSpot], "Searched | None"]


def _literal_search(spot: LikeSpot) -> Searched | None:
    """A ``LIKE`` whose text shows a leading wildcard (``'%' || :q || '%'``, ``'%x%'``)."""
    return Searched(spot.column, spot.operator) if spot.leading else None


def spot_search(ctx: FileContext, spot: LikeSpot, bound: ts.Node | None) -> Searched | None:
    """The search a ``LIKE`` of SQL text makes, given the expression its placeholder is bound
    to: the text shows the leading wildcard (``'%' || $1 || '%'``: the bound value is the
    searched text), or the bound value is such a pattern (`` `%${q}%` ``); ``None`` otherwise."""
    if spot.negated or spot.leading is False:
        return None
    if spot.leading:
        return Searched(spot.column, spot.operator, searched_text(ctx, bound))
    shape = pattern(ctx, bound)
    return Searched(spot.column, spot.operator, shape.value) if shape is not None and shape.leading else None


def named_binder(ctx: FileContext, params: ts.Node | None) -> Binder:
    """A :data:`Binder` for condition text whose parameters are an object (TypeORM
    ``.where("u.name ILIKE :q", { q: `%${q}%` })``)."""
    pairs = object_pairs(ctx, params) if params is not None else {}

    def bind(spot: LikeSpot) -> Searched | None:
        name = spot.placeholder.name if spot.placeholder is not None else ""
        return spot_search(ctx, spot, pairs.get(name) if name else None)

    return bind


class ConditionText(Selectivity):
    """Selectivity of the columns of SQL condition strings and builder calls (Knex, TypeORM's
    query builder): ``<>``/``!=``/``NOT IN``/``IS NOT NULL``/``NOT LIKE`` and ``LIKE '%x'``
    are unselective; a top-level ``OR`` across columns (in one string, or ``orWhere`` calls
    beside ``where`` calls) makes its columns ``or_only``."""

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[str] = []

    def _columns(self) -> list[str]:
        return self.columns

    def compared(self, column: str, *, weak: bool, null: bool = False) -> None:
        self.columns.append(column)
        self.compared_as(column, weak=weak, null=null)

    def read_sql(self, text: str, depth: int = 0, bind: Binder | None = None) -> None:
        """One condition string (``"a.status <> :s AND (a.x = :x OR a.y = :y)"``); ``bind``
        judges a ``LIKE`` whose pattern is a parameter (``name ILIKE :q`` with ``q`` bound
        to `` `%${q}%` ``): the search it makes, or ``None``."""
        body = _strip_parens(text.strip())
        branches = split_top_level(body, "OR")
        if len(branches) > 1 and depth < 6:
            self.branches([self._sql_branch(b, depth, bind) for b in branches])
            return
        terms = split_top_level(body, "AND")
        if len(terms) > 1 and depth < 6:
            for term in terms:
                sub = self._sql_branch(term, depth, bind)
                self.columns.extend(sub.columns)
                self.merge_selectivity(sub, negated=False, disjunction=False)
            return
        negated = body[:4].upper() == "NOT " or body[:4].upper() == "NOT("
        if negated and depth < 6:
            sub = self._sql_branch(body[3:], depth, bind)
            self.columns.extend(sub.columns)
            self.merge_selectivity(sub, negated=True, disjunction=False)
            return
        spots = {spot.column: spot for spot in like_spots(body) if not spot.negated}
        for m in _SQL_COMPARISON.finditer(body):
            column = m.group(1)
            if column.isdigit():
                continue
            spot = spots.pop(column, None) if "LIKE" in m.group(2).upper() else None
            found = (bind or _literal_search)(spot) if spot is not None else None
            self.compared(
                column,
                weak=bool(_SQL_UNSELECTIVE_OPS.match(m.group(2)) or m.group(3) or found),
                null=_SQL_IS_NULL.fullmatch(m.group(2)) is not None,
            )
            if found is not None:
                self.searched(found.column, found.operator, found.value)
        for spot in spots.values():  # ``lower(u.name) LIKE lower(:q)``
            found = (bind or _literal_search)(spot)
            if found is not None:
                self.compared(found.column, weak=True)
                self.searched(found.column, found.operator, found.value)

    def _sql_branch(self, text: str, depth: int, bind: Binder | None) -> ConditionText:
        branch = ConditionText()
        branch.read_sql(text, depth + 1, bind)
        return branch

    def branches(self, subs: list[ConditionText]) -> None:
        """Conditions joined by ``OR``."""
        union = ConditionText()
        for sub in subs:
            union.columns.extend(sub.columns)
            union.merge_selectivity(sub, negated=False, disjunction=False)
        common = set.intersection(*(set(b.columns) for b in subs)) if len(subs) > 1 else set()
        self.columns.extend(union.columns)
        self.merge_selectivity(union, negated=False, disjunction=True, common=common)


class WhereObject(Selectivity):
    """An option-object filter read into columns, ranges, relation filters and ``in`` lists.

    ``relations``: nested objects whose keys are not operators name relation fields (Prisma
    ``{ author: { id } }``); off for ORMs where a nested object is a JSON/embedded value.
    ``unselective``: columns compared only by negations or substring/pattern matches (under
    ``NOT``/``$nor`` too); ``or_only``: columns compared only inside an ``OR`` whose branches
    compare different columns (a bare array of conditions is such an ``OR``: TypeORM)."""

    def __init__(self, relations: bool = True) -> None:
        super().__init__()
        self.relations = relations
        self.fields: list[str] = []
        self.ranges: list[str] = []
        self.related: list[str] = []
        self.in_lists: list[bool] = []
        self.in_fields: list[str] = []
        self.opaque = False

    def _columns(self) -> list[str]:
        return self.fields

    def read(self, ctx: FileContext, node: ts.Node | None, depth: int = 0) -> None:
        node = unwrap(node)
        if node is not None and node.type == "array" and depth == 0:
            self._branches(ctx, node, depth, negated=False)  # ``where: [{ a }, { b }]``: OR
            return
        self._read(ctx, node, depth, negated=False)

    def _merge(
        self, sub: WhereObject, *, negated: bool, disjunction: bool, common: Collection[str] = ()
    ) -> None:
        self.fields.extend(sub.fields)
        self.ranges.extend(sub.ranges)
        self.related.extend(sub.related)
        self.in_lists.extend(sub.in_lists)
        self.in_fields.extend(sub.in_fields)
        self.opaque = self.opaque or sub.opaque
        self.merge_selectivity(sub, negated=negated, disjunction=disjunction, common=common)

    def _branches(self, ctx: FileContext, node: ts.Node, depth: int, *, negated: bool) -> None:
        """An ``OR`` over an array (or object) of conditions."""
        subs: list[WhereObject] = []
        for item in node.named_children if node.type == "array" else [node]:
            branch = WhereObject(self.relations)
            branch._read(ctx, item, depth + 1, negated=False)
            subs.append(branch)
        union = WhereObject(self.relations)
        for branch in subs:
            union._merge(branch, negated=False, disjunction=False)
        common = set.intersection(*(set(b.fields) for b in subs)) if len(subs) > 1 else set()
        self._merge(union, negated=negated, disjunction=True, common=common)

    def _read(self, ctx: FileContext, node: ts.Node | None, depth: int, *, negated: bool) -> None:
        node = unwrap(node)
        if node is None or depth > 6:
            return
        if node.type == "array":
            for item in node.named_children:
                self._read(ctx, item, depth + 1, negated=negated)
            return
        if node.type != "object":
            if node.type in _OPAQUE_VALUES or node.type == "shorthand_property_identifier":
                self.opaque = True  # ``where: buildWhere()``, ``where: filters``
            return
        if any(c.type == "spread_element" for c in node.named_children):
            self.opaque = True
        for key, value in object_pairs(ctx, node).items():
            val = unwrap(value)
            logical = _bare(key).upper()
            if logical in _LOGICAL:
                if val is not None and val.type == "ternary_expression" and logical != "NOT":
                    # ``AND: q ? { OR: [{ a: { contains: q } }, ...] } : undefined``: a search
                    # applied when the request asks for one
                    for branch in ("consequence", "alternative"):
                        optional = WhereObject(self.relations)
                        optional.read(ctx, val.child_by_field_name(branch), depth + 1)
                        self.searches.extend(optional.searches)
                if val is not None and val.type not in {"object", "array"}:
                    self.opaque = True  # ``OR: events.map(...)``: conditions built from a list
                if val is None:
                    continue
                if logical in {"NOT", "NOR"}:
                    sub = WhereObject(self.relations)
                    sub._read(ctx, val, depth + 1, negated=False)
                    self._merge(sub, negated=True, disjunction=logical == "NOR")
                elif logical == "OR":
                    self._branches(ctx, val, depth, negated=negated)
                else:
                    self._read(ctx, val, depth + 1, negated=negated)
                continue
            if key.startswith("[") and not key.startswith("[Op."):
                self.opaque = True  # ``[cond ? 'a' : 'b']: x``: a column chosen at run time
                continue
            self.fields.append(key)
            self.compared_as(key, weak=negated or self._unselective(ctx, val), null=is_null_match(ctx, val))
            self._search(ctx, key, val)
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
            for sub_key, inner in ops.items():
                if sub_key in _SCALAR_OPERATORS:
                    continue
                if sub_key in _RELATION_OPERATORS:
                    nested = WhereObject()
                    nested.read(ctx, inner, depth + 1)
                    self.related.extend(f"{key}.{f}" for f in nested.fields)
                else:
                    self.related.append(f"{key}.{sub_key}")

    def _search(self, ctx: FileContext, key: str, val: ts.Node | None) -> None:
        """Record ``key`` as searched when its predicate is a substring or suffix match:
        Prisma ``{ contains: q }`` / ``{ endsWith: q }`` (``mode: 'insensitive'`` noted),
        Sequelize ``{ [Op.iLike]: `%${q}%` }`` / ``{ [Op.substring]: q }``, TypeORM
        ``ILike(`%${q}%`)``."""
        if val is None:
            return
        if val.type == "ternary_expression":  # ``name: q ? { contains: q } : undefined``
            for branch in ("consequence", "alternative"):
                self._search(ctx, key, unwrap(val.child_by_field_name(branch)))
            return
        if val.type == "call_expression":
            parts = callee_parts(ctx, val)
            args = arguments(val)
            if parts and parts[-1] in _TYPEORM_PATTERN and args:
                found = pattern(ctx, args[0])
                if found is not None and found.leading:
                    self.searched(key, parts[-1], found.value)
            return
        if val.type != "object":
            return
        pairs = object_pairs(ctx, val)
        sequelize = any(k.startswith("[Op.") for k in pairs)
        for raw, arg in pairs.items():
            op = _bare(raw)
            if sequelize and op in _PATTERN_OPERATORS:
                found = pattern(ctx, arg)
                if found is not None and found.leading:
                    self.searched(key, op, found.value)
            elif op in (_SEQUELIZE_SEARCH if sequelize else _PRISMA_SEARCH):
                mode = string_value(ctx, pairs.get("mode"))
                self.searched(
                    key, op + (" insensitive" if mode == "insensitive" else ""), searched_text(ctx, arg)
                )

    def _unselective(self, ctx: FileContext, val: ts.Node | None) -> bool:
        """A column's predicate is a negation or a substring/pattern match only."""
        if val is None:
            return False
        if val.type == "ternary_expression":  # ``name: q ? { contains: q } : undefined``
            branches = [unwrap(val.child_by_field_name(b)) for b in ("consequence", "alternative")]
            present = [b for b in branches if b is not None and b.type != "undefined"]
            return bool(present) and all(self._unselective(ctx, b) for b in present)
        if val.type == "regex":
            return not ctx.node_text(val).startswith("/^")  # ``{ name: /abc/ }``: a scan
        if val.type == "call_expression":
            parts = callee_parts(ctx, val)
            fn = parts[-1] if parts else ""
            args = arguments(val)
            return fn in _TYPEORM_NEGATION or (
                fn in _TYPEORM_PATTERN and bool(args) and leading_wildcard(ctx, args[0])
            )
        if val.type != "object":
            return False
        ops = {_bare(k): v for k, v in object_pairs(ctx, val).items() if _bare(k) not in {"mode"}}
        if not ops:
            return False
        for op, arg in ops.items():
            if op in UNSELECTIVE_OPERATORS:
                continue
            if op in _PATTERN_OPERATORS and leading_wildcard(ctx, arg):
                continue
            return False
        return True


#: operator keys (bare) that compare with a value, so ``{ equals: null }`` is ``IS NULL``
_EQUALITY_OPERATORS = frozenset({"equals", "eq", "is"})
#: TypeORM find operators that are ``IS NULL`` (``IsNull()``, ``Equal(null)``)
_TYPEORM_NULL = frozenset({"IsNull"})


def is_null_match(ctx: FileContext, val: ts.Node | None) -> bool:
    """An option-object value that selects ``IS NULL``: ``null`` (Prisma, Sequelize, Mongo,
    Knex), ``{ equals: null }``, ``{ [Op.is]: null }``, ``{ $eq: null }``, TypeORM
    ``IsNull()`` / ``Equal(null)``."""
    val = unwrap(val)
    if val is None:
        return False
    if val.type == "null":
        return True
    if val.type == "call_expression":
        parts = callee_parts(ctx, val)
        fn = parts[-1] if parts else ""
        args = arguments(val)
        return fn in _TYPEORM_NULL or (fn == "Equal" and len(args) == 1 and _is_null(args[0]))
    if val.type != "object":
        return False
    ops = {_bare(k): v for k, v in object_pairs(ctx, val).items()}
    return bool(ops) and all(op in _EQUALITY_OPERATORS and _is_null(arg) for op, arg in ops.items())


def _is_null(node: ts.Node | None) -> bool:
    node = unwrap(node)
    return node is not None and node.type == "null"


class Conditions(Selectivity):
    """Columns a query's conditions compare, split into filters, ranges, join keys and
    filters carried by an inner join. ``tables`` are the tables of the query: a comparison of
    two of their columns is a join, not a filter."""

    def __init__(self, tables: set[str] | set[str | None], base: str | None = None) -> None:
        super().__init__()
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

    def _columns(self) -> list[str]:
        return self.filters

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
            sub = Conditions(self.tables)
            sub.base = self.base
            for arg in args:
                if arg.type == "spread_element":
                    self.opaque = True
                else:
                    sub.read(ctx, arg, depth + 1)
            self.filters.extend(sub.filters)
            self.ranges.extend(sub.ranges)
            self.joins.extend(sub.joins)
            self.related.extend(sub.related)
            self.in_lists.extend(sub.in_lists)
            self.in_fields.extend(sub.in_fields)
            self.opaque = self.opaque or sub.opaque
            self.merge_selectivity(sub, negated=name == "not", disjunction=name == "or")
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
            found = pattern(ctx, args[1]) if name in DRIZZLE_PATTERNS and len(args) > 1 else None
            leading = found is not None and found.leading
            self.compared_as(col, weak=name in DRIZZLE_UNSELECTIVE or leading, null=name == "isNull")
            if found is not None and leading:
                self.searched(col, name, found.value)
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
    unselective_fields: tuple[str, ...]
    soft_delete_fields: tuple[str, ...]
    or_fields: tuple[str, ...]
    searches: tuple[Searched, ...]


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
        unselective_fields=tuple(where.unselective),
        soft_delete_fields=tuple(where.soft_deleted),
        or_fields=tuple(where.or_only),
        searches=tuple(where.searches),
    )
