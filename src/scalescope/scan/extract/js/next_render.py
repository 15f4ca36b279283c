"""Next.js App Router caching: which files render per request (``app/**/page.tsx``,
``layout.tsx``, ``route.ts`` ``GET``), their segment config (``export const dynamic``,
``revalidate``, ``fetchCache``), the per-request input they read, and the calls that decide
caching in any function (``fetch(..., { cache: 'no-store' })``, ``unstable_noStore()``,
``connection()``, ``unstable_cache(fn)``)."""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import Loc, NextCacheCall, NextSegment
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, extractor
from scalescope.scan.extract.js.ast import (
    FUNCTION_TYPES,
    arguments,
    enclosing_function_id,
    function_id,
    int_value,
    iter_calls,
    object_pairs,
    string_value,
    unwrap,
)
from scalescope.scan.extract.js.routes_common import resolve_handler

_EXT = re.compile(r"\.(ts|tsx|js|jsx|mjs)$")
_KINDS = {"page": "page", "layout": "layout", "route": "route"}
#: segment config values that turn a segment's caching off
_OPT_OUT = {
    ("dynamic", "force-dynamic"),
    ("fetchCache", "force-no-store"),
    ("fetchCache", "default-no-store"),
    ("fetchCache", "only-no-store"),
}
_SEARCH_PARAMS = re.compile(r"\bsearchParams\b")
_NO_STORE_CALLS = frozenset({"unstable_noStore", "noStore"})


def app_segment(path: str) -> tuple[str, str] | None:
    """``app/(shop)/blog/[slug]/page.tsx`` -> ``("page", "/blog/[slug]")``; None outside an
    ``app/`` folder or for a Remix ``app/routes/`` module."""
    parts = path.split("/")
    stem = _EXT.sub("", parts[-1])
    if stem not in _KINDS or not _EXT.search(parts[-1]):
        return None
    try:
        start = len(parts) - 1 - parts[::-1].index("app")
    except ValueError:
        return None
    inner = parts[start + 1 : -1]
    if inner and inner[0] == "routes":
        return None  # Remix flat routes
    segs = [s for s in inner if not (s.startswith("(") and s.endswith(")")) and not s.startswith("@")]
    return _KINDS[stem], "/" + "/".join(segs)


def _const_exports(ctx: FileContext) -> dict[str, tuple[ts.Node, ts.Node]]:
    """``export const name = value`` at module level: name -> (statement, value)."""
    out: dict[str, tuple[ts.Node, ts.Node]] = {}
    for stmt in ctx.root.named_children:
        if stmt.type != "export_statement":
            continue
        decl = stmt.child_by_field_name("declaration")
        if decl is None or decl.type not in {"lexical_declaration", "variable_declaration"}:
            continue
        for var in decl.named_children:
            value = var.child_by_field_name("value") if var.type == "variable_declarator" else None
            if value is not None:
                out[ctx.node_text(var.child_by_field_name("name"))] = (stmt, value)
    return out


def _default_fn(ctx: FileContext) -> str | None:
    for stmt in ctx.root.named_children:
        if stmt.type != "export_statement" or not any(c.type == "default" for c in stmt.children):
            continue
        decl = stmt.child_by_field_name("declaration")
        if decl is not None and decl.type in FUNCTION_TYPES | {"function_declaration"}:
            return function_id(ctx, decl)
        hid, _ = resolve_handler(ctx, stmt.child_by_field_name("value"))
        return hid
    return None


def _get_handlers(ctx: FileContext) -> list[ts.Node]:
    """Function nodes of the ``GET`` export (declaration or const arrow)."""
    out: list[ts.Node] = []
    for stmt in ctx.root.named_children:
        if stmt.type != "export_statement":
            continue
        decl = stmt.child_by_field_name("declaration")
        if decl is None:
            continue
        if decl.type == "function_declaration" and ctx.node_text(decl.child_by_field_name("name")) == "GET":
            out.append(decl)
        elif decl.type in {"lexical_declaration", "variable_declaration"}:
            for var in decl.named_children:
                if (
                    var.type != "variable_declarator"
                    or ctx.node_text(var.child_by_field_name("name")) != "GET"
                ):
                    continue
                value = unwrap(var.child_by_field_name("value"))
                if value is not None and value.type in FUNCTION_TYPES:
                    out.append(value)
    return out


def _reads_request(ctx: FileContext, fn: ts.Node) -> bool:
    """The handler's first parameter (the request) is used in its body; a wrapped handler
    (``withAuth(async (req) => ...)``) is not a plain function and is read as using it."""
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return False
    first = params if params.type == "identifier" else next(iter(params.named_children), None)
    if first is None:
        return False
    pattern = first.child_by_field_name("pattern") or first
    if pattern.type != "identifier":
        return True  # destructured request (``{ nextUrl }``): read
    name = ctx.node_text(pattern)
    body = ctx.node_text(fn.child_by_field_name("body"))
    return not name.startswith("_") and re.search(rf"\b{re.escape(name)}\b", body) is not None


def _directive(ctx: FileContext, value: str) -> bool:
    for stmt in ctx.root.named_children:
        if stmt.type == "comment":
            continue
        inner = (
            stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
        )
        if inner is None or inner.type != "string":
            return False
        if string_value(ctx, inner) == value:
            return True
    return False


def _segment(ctx: FileContext, kind: str, path: str) -> None:
    consts = _const_exports(ctx)
    opt_out, opt_line, revalidate = "", 0, None
    for name, (stmt, value) in consts.items():
        text = string_value(ctx, value)
        if (name, text or "") in _OPT_OUT:
            opt_out, opt_line = f"{name} = '{text}'", stmt.start_point[0] + 1
        elif name == "revalidate":
            seconds = int_value(ctx, value)
            if seconds == 0:
                opt_out, opt_line = "revalidate = 0", stmt.start_point[0] + 1
            elif seconds is not None and seconds > 0:
                revalidate = seconds
    reads: list[str] = []
    if kind == "route":
        fns = _get_handlers(ctx)
        if not fns:
            return
        handler_ids = tuple(function_id(ctx, f) for f in fns)
        if any(_reads_request(ctx, f) for f in fns):
            reads.append("request")
    else:
        hid = _default_fn(ctx)
        if hid is None:
            return
        handler_ids = (hid,)
        if _SEARCH_PARAMS.search(ctx.text):
            reads.append("searchParams")
    ctx.emit(
        NextSegment(
            Loc(ctx.path, 1),
            kind=kind,
            path=path,
            handler_ids=handler_ids,
            opt_out=opt_out,
            opt_out_line=opt_line,
            revalidate=revalidate,
            client=_directive(ctx, "use client"),
            request_reads=tuple(reads),
        )
    )


def _no_store_options(ctx: FileContext, opts: ts.Node | None) -> bool:
    pairs = object_pairs(ctx, opts)
    if string_value(ctx, pairs.get("cache")) == "no-store":
        return True
    nxt = object_pairs(ctx, pairs.get("next"))
    return int_value(ctx, nxt.get("revalidate")) == 0


def _calls(ctx: FileContext) -> None:
    next_cache = "next/cache" in ctx.text
    next_server = "next/server" in ctx.text
    for call, parts in iter_calls(ctx):
        if not parts:
            continue
        name = parts[-1]
        detail = ""
        kind = ""
        args = arguments(call)
        if name == "fetch" and len(parts) == 1 and len(args) >= 2 and _no_store_options(ctx, args[1]):
            kind, detail = "no-store-fetch", "fetch(..., { cache: 'no-store' })"
        elif len(parts) == 1 and name in _NO_STORE_CALLS and next_cache:
            kind, detail = "no-store", f"{name}()"
        elif len(parts) == 1 and name == "connection" and next_server and not args:
            kind, detail = "no-store", "connection()"
        elif name == "unstable_cache" and next_cache and args:
            fn = unwrap(args[0])
            if fn is not None and fn.type in FUNCTION_TYPES:
                ctx.emit(NextCacheCall(ctx.loc(call), kind="cached-loader", function_id=function_id(ctx, fn)))
            continue
        if kind:
            ctx.emit(
                NextCacheCall(
                    Loc(ctx.path, call.start_point[0] + 1),
                    kind=kind,
                    function_id=enclosing_function_id(ctx, call),
                    detail=detail,
                )
            )


@extractor(languages=JS_LANGUAGES, needs=("export", "no-store", "noStore", "unstable_cache", "connection"))
def next_render(ctx: FileContext) -> None:
    """Emit NextSegment and NextCacheCall facts."""
    found = app_segment(ctx.path)
    if found is not None:
        _segment(ctx, *found)
    if ctx.has_any("no-store", "noStore", "unstable_cache", "connection"):
        _calls(ctx)
