"""Local data flow for the Python query extractors: where a limit's value comes from, where
an ``IN`` list's values come from, and whether a query runs in a cache loader. Values are
followed through the assignments of the same scope (:func:`assignment_before`), never by a
walk over the file.

- :func:`limit_bound`: ``limit(50)`` / ``[:50]`` is literal, ``min(n, 100)`` /
  ``max(1, min(n, 100))`` clamped (with or without a lower bound), ``n + 1`` peeks at the next
  page; :func:`limit_most`: the most rows that lets through when the code shows it (``50``, a
  name bound once to ``20``, the ``100`` of a clamp).
- :func:`bounded_values`: ``ids = [p.id for p in posts[:10]]``, ``ids[:20]``, a literal list,
  ``values_list("id", flat=True)[:10]``: an ``IN`` list bounded by construction.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from typing import NamedTuple

import tree_sitter as ts

from scalescope.scan.extract.base import FileContext, captures
from scalescope.scan.extract.py.ast import (
    arguments,
    callee_parts,
    enclosing_function,
    int_value,
    iter_calls,
    unwrap,
)
from scalescope.scan.extract.py.data_common import assignment_before, assignments
from scalescope.scan.extract.py.data_tables import (
    CACHE_DECORATORS,
    CACHE_LOADER_METHODS,
    CLAMPS,
    NUMBER_WRAPPERS,
)


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
    """``(bound, floor, plus_one)``: bound is ``literal`` | ``clamped`` | ``param``; floor is
    False when a clamp has no lower bound; plus_one for ``n + 1``."""
    node = unwrap(node)
    if node is None or depth > 5:
        return "param", None, False
    if node.type == "integer":
        return "literal", True, False
    if node.type == "binary_operator":
        op = node.child_by_field_name("operator")
        right = node.child_by_field_name("right")
        if op is not None and ctx.node_text(op) == "+" and right is not None and ctx.node_text(right) == "1":
            bound, floor, _ = _bound(ctx, node.child_by_field_name("left"), depth + 1)
            return bound, floor, True
        return "param", None, False
    if node.type == "identifier":
        assign = assignment_before(ctx, node)
        if assign is None:
            return "param", None, False
        return _bound(ctx, assign.child_by_field_name("right"), depth + 1)
    if node.type == "call":
        name = ".".join(callee_parts(ctx, node))
        args = arguments(node)
        if name in CLAMPS:
            bounded = any(_bound(ctx, a, depth + 1)[0] in {"literal", "clamped"} for a in args)
            if name == "min" and not bounded:
                return "param", None, False
            floor = CLAMPS[name] or any(_is_call(ctx, a, "max") for a in args)
            return "clamped", floor, False
        if name == "max":
            inner = [_bound(ctx, a, depth + 1) for a in args]
            if any(b == "clamped" for b, _, _ in inner):
                return "clamped", True, any(p for _, _, p in inner)
            return "param", None, False
        if name in NUMBER_WRAPPERS and args:
            return _bound(ctx, args[0], depth + 1)
    return "param", None, False


def limit_most(ctx: FileContext, node: ts.Node | None, depth: int = 0) -> int | None:
    """The most rows a limit expression lets through, when the code shows it: a literal, a
    name bound once to one (in its function, or a module constant), the upper bound of a clamp
    (``min(n, 100)``, ``clamp(n, 1, 100)``), ``n + 1``. ``None`` for a value that comes from
    outside (a parameter, a setting, the request)."""
    node = unwrap(node)
    if node is None or depth > 5:
        return None
    if node.type == "integer":
        return int_value(ctx, node)
    if node.type == "binary_operator":
        op = node.child_by_field_name("operator")
        left = limit_most(ctx, node.child_by_field_name("left"), depth + 1)
        right = limit_most(ctx, node.child_by_field_name("right"), depth + 1)
        if op is not None and ctx.node_text(op) == "+" and left is not None and right is not None:
            return left + right
        return None
    if node.type == "identifier":
        value = _single_value(ctx, node)
        return limit_most(ctx, value, depth + 1) if value is not None else None
    if node.type == "call":
        name = ".".join(callee_parts(ctx, node))
        args = arguments(node)
        known = [v for v in (limit_most(ctx, a, depth + 1) for a in args) if v is not None]
        if name == "min" and known:
            return min(known)
        if name in CLAMPS and len(args) >= 3:
            return limit_most(ctx, args[-1], depth + 1)
        if name == "max" and args and len(known) == len(args):
            return max(known)
        if name in NUMBER_WRAPPERS and args:
            return limit_most(ctx, args[0], depth + 1)
    return None


def _single_value(ctx: FileContext, ident: ts.Node) -> ts.Node | None:
    """The value of a name assigned exactly once in its function (before ``ident``) and not a
    parameter of it, or else assigned once at module level."""
    name = ctx.node_text(ident)
    fn = enclosing_function(ident)
    found = assignments(ctx).get(name, [])
    if fn is not None:
        params = fn.child_by_field_name("parameters")
        if params is not None and name in {
            ctx.node_text(i) for i in captures("python", "(identifier) @i", params).get("i", [])
        }:
            return None
        local = [a for a in found if enclosing_function(a) == fn]
        if local:
            if len(local) == 1 and local[0].end_byte <= ident.start_byte:
                return local[0].child_by_field_name("right")
            return None
    module = [a for a in found if a.parent is not None and a.parent.parent == ctx.root]
    return module[0].child_by_field_name("right") if len(module) == 1 else None


def _is_call(ctx: FileContext, node: ts.Node, name: str) -> bool:
    inner = unwrap(node)
    return inner is not None and inner.type == "call" and callee_parts(ctx, inner) == (name,)


_WRAPPERS = frozenset({("list",), ("set",), ("tuple",), ("sorted",), ("frozenset",)})


def bounded_values(
    ctx: FileContext,
    node: ts.Node | None,
    limited: Callable[[ts.Node], bool],
    depth: int = 0,
) -> bool:
    """True when a list of values is bounded by construction. ``limited(node)`` says whether
    an expression is a query with a limit (the caller's query evaluator)."""
    node = unwrap(node)
    if node is None or depth > 6:
        return False
    if node.type in {"list", "tuple", "set"}:
        return True
    if node.type == "identifier":
        assign = assignment_before(ctx, node)
        return assign is not None and bounded_values(
            ctx, assign.child_by_field_name("right"), limited, depth + 1
        )
    if node.type in {"list_comprehension", "set_comprehension", "generator_expression"}:
        for clause in node.named_children:
            if clause.type == "for_in_clause":
                return bounded_values(ctx, clause.child_by_field_name("right"), limited, depth + 1)
        return False
    if node.type == "subscript":
        index = node.child_by_field_name("subscript")
        if index is not None and index.type == "slice":
            colon = [c for c in index.children if c.type == ":"]
            stop = [c for c in index.children if c.is_named and colon and c.start_byte > colon[0].start_byte]
            if stop:
                return True
        return limited(node)
    if node.type == "call":
        parts = callee_parts(ctx, node)
        args = arguments(node)
        if parts in _WRAPPERS and args:
            return bounded_values(ctx, args[0], limited, depth + 1)
        return limited(node)
    return False


def _memoized(ctx: FileContext, fn: ts.Node) -> bool:
    """``@cache.memoize()`` / ``@cache.cached(...)`` / ``@lru_cache``: the function's result is
    cached, so its queries run on a miss."""
    holder = fn.parent
    if holder is None or holder.type != "decorated_definition":
        return False
    for deco in holder.named_children:
        if deco.type != "decorator" or not deco.named_children:
            continue
        target = deco.named_children[0]
        if target.type == "call":
            target = target.child_by_field_name("function") or target
        name = ctx.node_text(target)
        if name.rsplit(".", 1)[-1] in CACHE_DECORATORS:
            return True
    return False


def in_cache_loader(ctx: FileContext, node: ts.Node) -> bool:
    """``node`` runs in a lambda handed to a cache helper (``cache.get_or_set(k, lambda: q)``)
    or in a function whose result is memoised (``@cache.memoize()``)."""
    fn = enclosing_function(node)
    if fn is not None and fn.type == "function_definition" and _memoized(ctx, fn):
        return True
    if fn is None or fn.type != "lambda" or fn.parent is None:
        return False
    holder: ts.Node | None = fn.parent
    if holder is not None and holder.type == "keyword_argument":
        holder = holder.parent
    if holder is None or holder.type != "argument_list" or holder.parent is None:
        return False
    parts = callee_parts(ctx, holder.parent)
    return (
        bool(parts)
        and parts[-1] in CACHE_LOADER_METHODS
        and (parts[-1] in {"get_or_set", "remember"} or any("cache" in p.lower() for p in parts[:-1]))
    )


def functions_by_name(ctx: FileContext) -> dict[str, ts.Node]:
    """Module-level and class-level functions of the file by name (first definition wins)."""
    cached = ctx.cache.get("py.flow.functions")
    if cached is None:
        cached = {}
        found = captures("python", "(function_definition name: (identifier) @n) @f", ctx.root)
        for name, fn in zip(found.get("n", []), found.get("f", []), strict=False):
            cached.setdefault(ctx.node_text(name), fn)
        ctx.cache["py.flow.functions"] = cached
    return cached


def param_names(ctx: FileContext, fn: ts.Node) -> list[str]:
    """Positional parameter names of a function (``self``/``cls`` kept: callers pass them)."""
    params = fn.child_by_field_name("parameters")
    out: list[str] = []
    for p in params.named_children if params is not None else []:
        if p.type == "identifier":
            out.append(ctx.node_text(p))
        elif p.type in {"default_parameter", "typed_parameter", "typed_default_parameter"}:
            name = p.child_by_field_name("name") or (p.named_children[0] if p.named_children else None)
            out.append(ctx.node_text(name) if name is not None else "")
        else:
            break  # ``*args``, ``**kwargs``, ``/``, ``*``
    return out


def calls_between(ctx: FileContext, start: int, end: int) -> list[tuple[ts.Node, tuple[str, ...]]]:
    """Calls of the file starting in ``[start, end)`` bytes (bisect on the shared call list)."""
    calls = iter_calls(ctx)
    starts = ctx.cache.get("py.flow.call_starts")
    if starts is None or len(starts) != len(calls):
        starts = [c.start_byte for c, _ in calls]
        ctx.cache["py.flow.call_starts"] = starts
    return calls[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]
