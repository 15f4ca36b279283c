"""Local data flow for the Node query extractors: where a query builder goes after it is
built, where a limit's value comes from, and where an ``IN`` list's values come from.

Everything stays inside one function (plus a helper of the same file the builder is handed
to), using the file's call list and one per-file index of assignments: no walk over the
whole file per query.

- :func:`follow_builder`: a builder held in a variable (``let q = db.select().from(t)``) and
  refined later (``if (x) q = q.where(...)``, ``q = q.limit(n)``, ``qb.andWhere(...)``, a
  helper ``paginate(q, page)`` of the same file) is one query: its later methods are merged
  into the chain, and handing it to a function the file does not define makes the limit
  unknown rather than missing.
- :func:`limit_bound`: ``limit(50)`` is literal, ``Math.min(n, 100)`` / ``clamp(n, 1, 100)``
  clamped (with or without a lower bound), ``limit + 1`` peeks at the next page;
  :func:`limit_most`: the most rows that lets through when the code shows it (``50``, a
  ``const`` bound to ``20``, the ``100`` of a clamp).
- :func:`bounded_values`: an ``IN`` list made from a bounded source (``rows.map(r => r.id)``
  where ``rows`` came from a ``.limit(10)`` query, ``ids.slice(0, 20)``, a literal array).
"""

from __future__ import annotations

import bisect
from typing import NamedTuple

import tree_sitter as ts

from scalescope.scan.extract.base import FileContext, captures
from scalescope.scan.extract.js.ast import (
    FUNCTION_TYPES,
    arguments,
    call_chain,
    call_receiver,
    callee_parts,
    enclosing_function,
    int_value,
    object_pairs,
    outermost_chain_call,
    unwrap,
)
from scalescope.scan.extract.js.data_common import calls_between
from scalescope.scan.extract.js.data_tables import (
    CACHE_DIRECTIVES,
    CACHE_LOADER_METHODS,
    CLAMPS,
    LIMIT_METHODS,
    LIMIT_OPTIONS,
    NUMBER_WRAPPERS,
)
from scalescope.scan.extract.js.loop_scope import value_of as single_value

Chain = list[tuple[str, ts.Node]]

_ALL_LIMIT_METHODS = frozenset().union(*LIMIT_METHODS.values()) | {"slice", "take", "findFirst", "findUnique"}
_ALL_LIMIT_OPTIONS = frozenset(k for keys in LIMIT_OPTIONS.values() for k in keys)
#: calls that receive a builder without running or changing it
_INERT_SINKS = frozenset(
    {"log", "debug", "info", "warn", "error", "trace", "toSQL", "toString", "all", "allSettled"}
)


# ----------------------------------------------------------------------------- assignments


def _assignments(ctx: FileContext) -> dict[str, tuple[list[int], list[ts.Node]]]:
    """``name = value`` / ``const name = value`` of the file: name -> (end bytes, values),
    in document order (one combined query per file)."""
    cached = ctx.cache.get("js.flow.assign")
    if cached is None:
        cached = {}
        found = captures(
            ctx.language,
            "(variable_declarator name: (identifier) @n value: (_) @v) "
            "(assignment_expression left: (identifier) @n right: (_) @v)",
            ctx.root,
        )
        names, values = found.get("n", []), found.get("v", [])
        pairs = sorted(zip(names, values, strict=False), key=lambda p: p[1].end_byte)
        for name, value in pairs:
            ends, nodes = cached.setdefault(ctx.node_text(name), ([], []))
            ends.append(value.end_byte)
            nodes.append(value)
        ctx.cache["js.flow.assign"] = cached
    return cached


def value_of(ctx: FileContext, ident: ts.Node) -> ts.Node | None:
    """The value last assigned to identifier ``ident`` before it, in the same function."""
    entry = _assignments(ctx).get(ctx.node_text(ident))
    if entry is None:
        return None
    ends, nodes = entry
    fn = enclosing_function(ident)
    i = bisect.bisect_right(ends, ident.start_byte) - 1
    while i >= 0:
        node = nodes[i]
        if enclosing_function(node) == fn or (fn is not None and node.start_byte < fn.start_byte):
            return node
        i -= 1
    return None


# ----------------------------------------------------------------------------- limits


class Limit(NamedTuple):
    """How a limit expression bounds the rows: ``bound`` is ``literal`` | ``clamped`` |
    ``param``; ``floor`` False when a clamp has no lower bound; ``plus_one`` for ``n + 1``;
    ``most`` the most rows it lets through when the code shows it (:func:`limit_most`)."""

    bound: str
    floor: bool | None
    plus_one: bool
    most: int | None = None


def limit_bound(ctx: FileContext, node: ts.Node | None) -> Limit:
    """How the limit expression ``node`` bounds the rows (:class:`Limit`)."""
    return Limit(*_bound(ctx, node), limit_most(ctx, node))


def _bound(ctx: FileContext, node: ts.Node | None, depth: int = 0) -> tuple[str, bool | None, bool]:
    """``(bound, floor, plus_one)`` of a limit expression: bound is ``literal`` | ``clamped``
    | ``param``; floor is False when a clamp has no lower bound; plus_one for ``n + 1``."""
    node = unwrap(node)
    if node is None or depth > 5:
        return "param", None, False
    if node.type == "number":
        return "literal", True, False
    if node.type == "binary_expression":
        op = node.child_by_field_name("operator")
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op is not None and ctx.node_text(op) == "+" and int_value(ctx, right) == 1:
            bound, floor, _ = _bound(ctx, left, depth + 1)
            return bound, floor, True
        return "param", None, False
    if node.type == "identifier":
        value = value_of(ctx, node)
        return _bound(ctx, value, depth + 1) if value is not None else ("param", None, False)
    if node.type == "call_expression":
        name = ".".join(callee_parts(ctx, node))
        args = arguments(node)
        if name in CLAMPS:
            floor = CLAMPS[name]
            bounded = any(_bound(ctx, a, depth + 1)[0] in {"literal", "clamped"} for a in args)
            if name == "Math.min" and not bounded:
                return "param", None, False
            if not floor:
                # ``Math.min(Math.max(n, 1), 100)``: the floor sits inside
                floor = any(_is_max_floor(ctx, a) for a in args)
            return "clamped", floor, False
        if name == "Math.max":
            # ``Math.max(1, Math.min(n, 100))``: a floor around a clamp
            inner = [_bound(ctx, a, depth + 1) for a in args]
            if any(b == "clamped" for b, _, _ in inner):
                return "clamped", True, any(p for _, _, p in inner)
            return "param", None, False
        if name in NUMBER_WRAPPERS and args:
            return _bound(ctx, args[0], depth + 1)
    return "param", None, False


def limit_most(ctx: FileContext, node: ts.Node | None, depth: int = 0) -> int | None:
    """The most rows a limit expression lets through, when the code shows it: a literal, a
    name bound once to one (``const PAGE = 20``, in its function or the module), the upper
    bound of a clamp (``Math.min(n, 100)``, ``clamp(n, 1, 100)``), ``n + 1``. ``None`` for a
    value that comes from outside (a parameter, the environment, the request)."""
    node = unwrap(node)
    if node is None or depth > 5:
        return None
    if node.type == "number":
        return int_value(ctx, node)
    if node.type == "binary_expression":
        op = node.child_by_field_name("operator")
        left = limit_most(ctx, node.child_by_field_name("left"), depth + 1)
        right = limit_most(ctx, node.child_by_field_name("right"), depth + 1)
        if op is not None and ctx.node_text(op) == "+" and left is not None and right is not None:
            return left + right
        return None
    if node.type == "identifier":
        value = single_value(ctx, ctx.node_text(node), node, enclosing_function(node))
        return limit_most(ctx, value, depth + 1) if value is not None else None
    if node.type == "call_expression":
        name = ".".join(callee_parts(ctx, node))
        args = arguments(node)
        known = [v for v in (limit_most(ctx, a, depth + 1) for a in args) if v is not None]
        if name in {"Math.min", "min"} and known:
            return min(known)
        if name in CLAMPS and len(args) >= 3:
            return limit_most(ctx, args[-1], depth + 1)
        if name == "Math.max" and args and len(known) == len(args):
            return max(known)
        if name in NUMBER_WRAPPERS and args:
            return limit_most(ctx, args[0], depth + 1)
    return None


def _is_max_floor(ctx: FileContext, node: ts.Node) -> bool:
    inner = unwrap(node)
    return (
        inner is not None and inner.type == "call_expression" and callee_parts(ctx, inner) == ("Math", "max")
    )


# ----------------------------------------------------------------------------- IN lists

_PASS_THROUGH = frozenset({"map", "filter", "flatMap", "flat", "concat", "sort", "reverse", "toArray"})


def bounded_values(ctx: FileContext, node: ts.Node | None, depth: int = 0) -> bool:
    """True when a list of values is bounded by construction: a literal array, a
    ``.slice(0, n)``, or values mapped from a query that has a limit or returns one row."""
    node = unwrap(node)
    if node is None or depth > 6:
        return False
    if node.type == "array":
        spreads = [c for c in node.named_children if c.type == "spread_element"]
        return all(
            bounded_values(ctx, s.named_children[0] if s.named_children else None, depth + 1) for s in spreads
        )
    if node.type == "identifier":
        value = value_of(ctx, node)
        return value is not None and bounded_values(ctx, value, depth + 1)
    if node.type == "new_expression":
        ctor = node.child_by_field_name("constructor")
        ctor_args = node.child_by_field_name("arguments")
        if ctx.node_text(ctor) == "Set" and ctor_args is not None and ctor_args.named_children:
            return bounded_values(ctx, ctor_args.named_children[0], depth + 1)
        return False
    if node.type != "call_expression":
        return False
    parts = callee_parts(ctx, node)
    args = arguments(node)
    if parts == ("Array", "from") and args:
        return bounded_values(ctx, args[0], depth + 1)
    chain = call_chain(ctx, node)
    names = [n for n, _ in chain]
    if "slice" in names:
        slice_args = arguments(chain[names.index("slice")][1])
        if len(slice_args) == 2:
            return True
    if names and names[-1] in _PASS_THROUGH:
        return bounded_values(ctx, call_receiver(node), depth + 1)
    # a query: bounded when its chain or options carry a limit
    if any(n in _ALL_LIMIT_METHODS for n in names):
        return True
    return any(set(object_pairs(ctx, a)) & _ALL_LIMIT_OPTIONS for _, c in chain for a in arguments(c)[:2])


# ----------------------------------------------------------------------------- builders


def _holder_name(ctx: FileContext, outer: ts.Node) -> str | None:
    """``q`` in ``const q = <outer>`` / ``q = <outer>`` (through parentheses). An awaited
    builder has run: its variable holds rows, not a query."""
    parent = outer.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    if parent is None:
        return None
    if parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
    elif parent.type == "assignment_expression":
        name = parent.child_by_field_name("left")
    else:
        return None
    return ctx.node_text(name) if name is not None and name.type == "identifier" else None


def _functions_by_name(ctx: FileContext) -> dict[str, ts.Node]:
    """Functions of the file by name (declarations and ``const f = (...) => ...``)."""
    cached = ctx.cache.get("js.flow.functions")
    if cached is None:
        cached = {}
        found = captures(
            ctx.language,
            "(function_declaration name: (identifier) @n) @f "
            "(variable_declarator name: (identifier) @n value: [(arrow_function) (function_expression)] @f)",
            ctx.root,
        )
        for name, fn in zip(found.get("n", []), found.get("f", []), strict=False):
            cached.setdefault(ctx.node_text(name), fn)
        ctx.cache["js.flow.functions"] = cached
    return cached


def _param_names(ctx: FileContext, fn: ts.Node) -> list[str]:
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return []
    if params.type == "identifier":
        return [ctx.node_text(params)]
    out: list[str] = []
    for p in params.named_children:
        ident = p
        if p.type in {"required_parameter", "optional_parameter"}:
            ident = p.child_by_field_name("pattern") or p
        elif p.type == "assignment_pattern":
            ident = p.child_by_field_name("left") or p
        out.append(ctx.node_text(ident) if ident.type == "identifier" else "")
    return out


def _chains_on(ctx: FileContext, name: str, start: int, end: int, seen: set[int]) -> Chain:
    """Method chains rooted at variable ``name`` between ``start`` and ``end`` bytes."""
    out: Chain = []
    for call, parts in calls_between(ctx, start, end):
        if len(parts) < 2 or parts[0] != name:
            continue
        top = outermost_chain_call(call)
        if top.id in seen:
            continue
        seen.add(top.id)
        out.extend(call_chain(ctx, top))
    return out


def follow_builder(ctx: FileContext, outer: ts.Node) -> tuple[Chain, bool]:
    """Later methods applied to the builder ``outer`` is assigned to, in its function (and
    in a helper of this file it is passed to), plus whether it is handed to a function this
    file does not define (then what that function adds is unknown)."""
    name = _holder_name(ctx, outer)
    fn = enclosing_function(outer)
    if name is None or fn is None:
        return [], _handed_over(ctx, outer)
    seen: set[int] = set()
    extra = _chains_on(ctx, name, outer.end_byte, fn.end_byte, seen)
    unknown = False
    helpers = _functions_by_name(ctx)
    for call, parts in calls_between(ctx, outer.end_byte, fn.end_byte):
        args = arguments(call)
        index = next((i for i, a in enumerate(args) if _is_name(ctx, a, name)), None)
        if index is None or (parts and parts[0] == name) or (parts and parts[-1] in _INERT_SINKS):
            continue
        helper = helpers.get(parts[-1]) if len(parts) == 1 else None
        if helper is None or helper.type not in FUNCTION_TYPES:
            unknown = True
            continue
        params = _param_names(ctx, helper)
        if index < len(params) and params[index]:
            extra.extend(_chains_on(ctx, params[index], helper.start_byte, helper.end_byte, seen))
    return extra, unknown


def _is_name(ctx: FileContext, node: ts.Node, name: str) -> bool:
    """``node`` is the builder variable itself (``paginate(q)``), not its awaited rows
    (``res.json(await q)``)."""
    inner: ts.Node | None = node
    while inner is not None and inner.type in {
        "parenthesized_expression",
        "as_expression",
        "non_null_expression",
    }:
        inner = inner.named_children[0] if inner.named_children else None
    return inner is not None and inner.type == "identifier" and ctx.node_text(inner) == name


def _handed_over(ctx: FileContext, outer: ts.Node) -> bool:
    """``paginate(db.select().from(t))``: the builder itself (not awaited) is an argument of a
    call that may add a limit before running it."""
    parent = outer.parent
    if parent is None or parent.type != "arguments" or parent.parent is None:
        return False
    parts = callee_parts(ctx, parent.parent)
    return bool(parts) and parts[-1] not in _INERT_SINKS


def _use_cache(ctx: FileContext, fn: ts.Node) -> bool:
    """The function body opens with Next.js's ``"use cache"`` directive (its result is cached
    by the framework)."""
    body = fn.child_by_field_name("body")
    first = body.named_children[0] if body is not None and body.named_children else None
    if first is None or first.type != "expression_statement" or not first.named_children:
        return False
    lit = first.named_children[0]
    return lit.type == "string" and ctx.node_text(lit)[1:-1] in CACHE_DIRECTIVES


def in_cache_loader(ctx: FileContext, node: ts.Node) -> bool:
    """``node`` runs in a callback handed to a cache helper (``cache.wrap(key, () => q)``, a
    project helper named for caching: ``cached(key, ttl, () => q)``) or in a function whose
    result the framework caches (``"use cache"``)."""
    fn = enclosing_function(node)
    if fn is not None and _use_cache(ctx, fn):
        return True
    if fn is None or fn.parent is None or fn.parent.type != "arguments":
        return False
    owner = fn.parent.parent
    if owner is None or owner.type != "call_expression":
        return False
    parts = callee_parts(ctx, owner)
    if len(parts) == 1:
        # a read-through helper of the project's own: ``cached(key, ttl, () => q)``,
        # ``withCache(key, () => q)``
        return "cache" in parts[0].lower()
    return (
        len(parts) >= 2
        and parts[-1] in CACHE_LOADER_METHODS
        and any("cache" in p.lower() for p in parts[:-1])
    )
