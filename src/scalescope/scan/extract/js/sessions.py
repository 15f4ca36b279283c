"""Session store facts in JavaScript/TypeScript: which store a session middleware keeps its
sessions in (express-session, ``@fastify/session``, koa-generic-session).

A middleware call with no ``store`` option uses its library's default; the defaults are data
(:data:`SESSION_LIBS`). Cookie sessions (cookie-session, koa-session without a store,
``@fastify/secure-session``, iron-session) keep nothing on the server and emit nothing. When the
options are a variable, its object literal in the file and any later ``opts.store = ...`` are
read; options that cannot be read (a spread, a value from another file) emit nothing.
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import SessionStore
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.js.ast import arguments, iter_calls, object_pairs, unwrap

# library -> (how it is applied, its default store). ``call``: ``session(opts)``; ``register``:
# ``fastify.register(session, opts)``.
SESSION_LIBS: dict[str, tuple[str, str]] = {
    "express-session": ("call", "MemoryStore"),
    "@fastify/session": ("register", "MemoryStore"),
    "fastify-session": ("register", "MemoryStore"),
    "koa-generic-session": ("call", "MemoryStore"),
}
# store packages that keep sessions in process memory but prune expired ones
PRUNING_MEMORY_STORES = frozenset({"memorystore"})
_MEMORY_STORE = re.compile(r"\bMemoryStore\b")


def _bindings(ctx: FileContext, module: str) -> set[str]:
    """Local names bound to a module's default export (import or require)."""
    mod = re.escape(module)
    names = {
        m.group(1)
        for m in re.finditer(
            rf"""import\s+(?:\*\s+as\s+)?(\w+)\s*(?:,\s*\{{[^}}]*\}}\s*)?from\s+['"]{mod}['"]""", ctx.text
        )
    }
    names |= {
        m.group(1)
        for m in re.finditer(rf"""(?:const|let|var)\s+(\w+)\s*=\s*require\(\s*['"]{mod}['"]\s*\)""", ctx.text)
    }
    return names


def _object_of(ctx: FileContext, node: ts.Node | None) -> tuple[ts.Node | None, list[str]]:
    """The options object literal (resolving a variable declared in the file) and the texts of
    ``name.store = ...`` assignments to that variable."""
    node = unwrap(node)
    if node is None:
        return None, []
    if node.type == "object":
        return node, []
    if node.type != "identifier":
        return None, []
    name = ctx.node_text(node)
    found: ts.Node | None = None
    for decl in captures(ctx.language, "(variable_declarator) @d", ctx.root).get("d", []):
        if ctx.node_text(decl.child_by_field_name("name")) == name:
            value = unwrap(decl.child_by_field_name("value"))
            if value is not None and value.type == "object":
                found = value
    later = [m.group(1) for m in re.finditer(rf"\b{re.escape(name)}\.store\s*=\s*([^;\n]+)", ctx.text)]
    return found, later


def _has_spread(obj: ts.Node) -> bool:
    return any(child.type == "spread_element" for child in obj.named_children)


@extractor(languages=JS_LANGUAGES, needs=("session",))
def sessions(ctx: FileContext) -> None:
    """Emit a SessionStore for each session middleware applied in the file."""
    pruning = any(f"'{m}'" in ctx.text or f'"{m}"' in ctx.text for m in PRUNING_MEMORY_STORES)
    for library, (style, default) in SESSION_LIBS.items():
        if library not in ctx.text:
            continue
        names = _bindings(ctx, library)
        if not names:
            continue
        for call, parts in iter_calls(ctx):
            args = arguments(call)
            if style == "call" and len(parts) == 1 and parts[0] in names:
                opts_node = args[0] if args else None
            elif (
                style == "register"
                and parts[-1:] == ("register",)
                and args
                and ctx.node_text(args[0]) in names
            ):
                opts_node = args[1] if len(args) > 1 else None
            else:
                continue
            obj, later = _object_of(ctx, opts_node)
            if opts_node is not None and obj is None and not later:
                continue  # options built elsewhere: not knowable here
            store = ""
            if obj is not None:
                pair = object_pairs(ctx, obj).get("store")
                if pair is not None:
                    store = ctx.node_text(pair)
                elif _has_spread(obj) and not later:
                    continue
            stores = [s for s in (store, *later) if s]
            if not stores:
                ctx.emit(SessionStore(ctx.loc(call), library=library, backend=default, default=True))
            elif all(_MEMORY_STORE.search(s) for s in stores):
                ctx.emit(
                    SessionStore(
                        ctx.loc(call),
                        library=library,
                        backend="memorystore" if pruning else "MemoryStore",
                        prunes=pruning,
                    )
                )
