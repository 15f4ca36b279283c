"""Scope helpers of ``js/loops.py``: the constants, enums and single values a file declares,
the names a parameter or destructuring pattern binds, and whether a loop hands its item whole
to an ``IN`` filter (one query per chunk of keys)."""

from __future__ import annotations

import re
from typing import Any

import tree_sitter as ts

from scalescope.scan.extract.base import FileContext, captures
from scalescope.scan.extract.js.ast import (
    FUNCTION_TYPES,
    arguments,
    callee_parts,
    enclosing_function,
    int_value,
    unwrap,
)

# ----------------------------------------------------------------------------- file tables


def constant_objects(ctx: FileContext) -> dict[str, int | None]:
    """``enum X {…}`` and ``const X = {…}`` (optionally ``as const``) of the file -> member count."""
    cached = ctx.cache.get("js.loops.const_objects")
    if cached is None:
        cached = {}
        for node in (
            captures(ctx.language, "(enum_declaration) @e", ctx.root).get("e", [])
            if ctx.language != "javascript"
            else []
        ):
            name = node.child_by_field_name("name")
            body = node.child_by_field_name("body")
            if name is not None:
                cached[ctx.node_text(name)] = len(body.named_children) if body is not None else None
        for decl in captures(ctx.language, "(variable_declarator) @d", ctx.root).get("d", []):
            name = decl.child_by_field_name("name")
            value = unwrap(decl.child_by_field_name("value"))
            if name is None or value is None or name.type != "identifier":
                continue
            if value.type == "object" and enclosing_function(decl) is None:
                cached[ctx.node_text(name)] = len(value.named_children)
        ctx.cache["js.loops.const_objects"] = cached
    return dict(cached)


# modules whose exports iterated with ``Object.values`` are enums: Prisma's generated enums,
# ``./enums``, ``./constants``
_ENUM_MODULES = re.compile(r"^@prisma/client$|(?:^|/)(?:enums?|constants?)(?:\.[jt]s)?$")
_IMPORT = re.compile(r"""import\s*(?:type\s+)?\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]""")


def enum_imports(ctx: FileContext) -> dict[str, str]:
    """Names imported from an enum module (``import { Role } from "@prisma/client"``)."""
    cached = ctx.cache.get("js.loops.enum_imports")
    if cached is None:
        cached = {}
        for m in _IMPORT.finditer(ctx.text):
            if not _ENUM_MODULES.search(m.group(2)):
                continue
            for part in m.group(1).split(","):
                local = part.split(" as ")[-1].strip()
                if local:
                    cached[local] = m.group(2)
        ctx.cache["js.loops.enum_imports"] = cached
    return dict(cached)


def int_constants(ctx: FileContext) -> dict[str, int]:
    """``const NAME = 20`` declarations of the file (module level)."""
    cached = ctx.cache.get("js.loops.int_consts")
    if cached is None:
        cached = {}
        for decl in captures(ctx.language, "(variable_declarator) @d", ctx.root).get("d", []):
            name = decl.child_by_field_name("name")
            value = int_value(ctx, decl.child_by_field_name("value"))
            if name is not None and value is not None and name.type == "identifier":
                cached[ctx.node_text(name)] = value
        ctx.cache["js.loops.int_consts"] = cached
    return dict(cached)


def value_of(ctx: FileContext, name: str, use: ts.Node, fn: ts.Node | None) -> ts.Node | None:
    """The value assigned to ``name`` before ``use``: in the enclosing functions, then at
    module level (``const`` declarations and plain assignments). A name assigned more than
    once in its scope (``let xs = []; if (c) xs = ...``) or that is a parameter of it has no
    single value: ``None``."""
    scope: ts.Node | None = fn
    while True:
        root = scope if scope is not None else ctx.root
        if scope is not None and name in param_names(ctx, scope):
            return None
        found: list[ts.Node | None] = []
        for decl in declarators(ctx, root):
            if enclosing_function(decl) != scope:
                continue
            target = decl.child_by_field_name("name") or decl.child_by_field_name("left")
            value = decl.child_by_field_name("value") or decl.child_by_field_name("right")
            if target is not None and target.type == "identifier" and ctx.node_text(target) == name:
                found.append(value if decl.start_byte < use.start_byte else None)
        if found:
            return found[0] if len(found) == 1 else None
        if scope is None:
            return None
        scope = enclosing_function(scope)


def param_names(ctx: FileContext, fn: ts.Node) -> set[str]:
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return set()
    if params.type == "identifier":
        return {ctx.node_text(params)}
    out: set[str] = set()
    for param in params.named_children:
        pattern = unwrap(param.child_by_field_name("pattern") or param) or param
        if pattern.type == "assignment_pattern":
            pattern = pattern.child_by_field_name("left") or pattern
        out.update(pattern_names(ctx, pattern))
    return out


def declarators(ctx: FileContext, root: ts.Node) -> list[ts.Node]:
    memo: dict[tuple[int, ...], Any] = ctx.cache.setdefault("js.loops.decls", {})
    key = (
        root.start_byte,
        root.end_byte,
    )
    cached = memo.get(key)
    if cached is None:
        found = captures(
            ctx.language, "[(variable_declarator) (assignment_expression left: (identifier))] @d", root
        ).get("d", [])
        cached = list(found)
        memo[key] = cached
    return list(cached)


def decorator_name(ctx: FileContext, deco: ts.Node) -> str:
    inner = deco.named_children[0] if deco.named_children else None
    if inner is None:
        return ""
    if inner.type == "call_expression":
        parts = callee_parts(ctx, inner)
        return parts[-1] if parts else ""
    return ctx.node_text(inner).rsplit(".", 1)[-1]


def pattern_names(ctx: FileContext, node: ts.Node) -> list[str]:
    if node.type == "identifier":
        return [ctx.node_text(node)]
    if node.type == "array_pattern":  # ``for (const [key, ids] of groups)``
        return [ctx.node_text(c) for c in node.named_children if c.type == "identifier"]
    return [ident for ident, _ in destructured(ctx, node)]


def destructured(ctx: FileContext, pattern: ts.Node) -> list[tuple[str, str]]:
    """``{ items, tags: list }`` -> [("items", "items"), ("list", "tags")] (one level)."""
    out: list[tuple[str, str]] = []
    if pattern.type not in {"object_pattern"}:
        return out
    for child in pattern.named_children:
        if child.type == "shorthand_property_identifier_pattern":
            out.append((ctx.node_text(child), ctx.node_text(child)))
        elif child.type == "object_assignment_pattern":  # ``{ items = [] }``
            left = child.child_by_field_name("left")
            if left is not None:
                out.append((ctx.node_text(left), ctx.node_text(left)))
        elif child.type == "pair_pattern":
            key = child.child_by_field_name("key")
            value = unwrap(child.child_by_field_name("value"))
            if key is not None and value is not None and value.type == "identifier":
                out.append((ctx.node_text(value), ctx.node_text(key)))
    return out


# ----------------------------------------------------------------------------- batching


# a filter that takes a list of keys: ``in: batch``, ``In(batch)``, ``inArray(col, batch)``,
# ``whereIn(col, batch)``, ``$in: batch``, ``= ANY($1)``
_BATCH_FILTER = re.compile(
    r"\bin\s*:\s*[\w$\[]|\bIn\(|\binArray\(|\bwhereIn\(|=\s*ANY\s*\(|\$in\s*:|\[Op\.in\]\s*:"
)


def loop_variables(ctx: FileContext, loop: ts.Node) -> set[str]:
    """Names the loop binds per item: ``for (const batch of …)``, ``xs.map((batch) => …)``."""
    if loop.type == "for_in_statement":
        left = loop.child_by_field_name("left")
        return set(pattern_names(ctx, unwrap(left) or left)) if left is not None else set()
    if loop.type == "call_expression":
        fn = next((a for a in arguments(loop) if a.type in FUNCTION_TYPES), None)
        if fn is None:
            return set()
        params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
        if params is None:
            return set()
        if params.type == "identifier":
            return {ctx.node_text(params)}
        first = params.named_children[0] if params.named_children else None
        if first is None:
            return set()
        pattern = first.child_by_field_name("pattern") or first
        return set(pattern_names(ctx, pattern))
    return set()


def item_is_batch(ctx: FileContext, loop: ts.Node, args: list[ts.Node]) -> bool:
    """The loop item is itself a list of keys handed to one ``IN`` query."""
    names = loop_variables(ctx, loop)
    if not names:
        return False
    text = " ".join(ctx.node_text(a) for a in args)
    for m in _BATCH_FILTER.finditer(text):
        tail = text[m.start() : m.end() + 40]
        if any(re.search(rf"(?<![\w$.]){re.escape(n)}\b", tail) for n in names):
            return True
    return False
