"""Next.js routes from the file system: ``pages/api/**`` default exports, app-router
``app/**/route.ts`` verb exports, and server actions (``'use server'``)."""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import Loc, Route
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, extractor
from scalescope.scan.extract.js.ast import FUNCTION_TYPES, function_id, string_value, unwrap
from scalescope.scan.extract.js.routes_common import resolve_handler

_VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_EXT = re.compile(r"\.(ts|tsx|js|jsx|mjs|cjs)$")
_METHOD_CHECK = re.compile(r"""method\s*(?:===?|!==?)\s*['"]([A-Z]+)['"]|case\s*['"]([A-Z]+)['"]\s*:""")


def pages_api_path(path: str) -> str | None:
    """``src/pages/api/users/[id].ts`` -> ``/api/users/[id]`` (None outside ``pages/api``)."""
    parts = path.split("/")
    for i in range(len(parts) - 2, -1, -1):
        if parts[i] == "api" and i > 0 and parts[i - 1] == "pages":
            rest = [*parts[i + 1 : -1], _EXT.sub("", parts[-1])]
            if rest and rest[-1] == "index":
                rest = rest[:-1]
            return "/" + "/".join(["api", *rest])
    return None


def app_route_path(path: str) -> str | None:
    """``app/(shop)/api/items/[id]/route.ts`` -> ``/api/items/[id]`` (route groups and
    parallel-route slots dropped)."""
    parts = path.split("/")
    if not parts or _EXT.sub("", parts[-1]) != "route" or not _EXT.search(parts[-1]):
        return None
    try:
        start = len(parts) - 1 - parts[::-1].index("app")
    except ValueError:
        return None
    segs = [
        s
        for s in parts[start + 1 : -1]
        if not (s.startswith("(") and s.endswith(")")) and not s.startswith("@")
    ]
    return "/" + "/".join(segs)


def medusa_route_path(path: str) -> str | None:
    """Medusa v2 file routes: ``src/api/store/products/[id]/route.ts`` -> ``/store/products/[id]``."""
    parts = path.split("/")
    if len(parts) < 3 or _EXT.sub("", parts[-1]) != "route" or not _EXT.search(parts[-1]):
        return None
    for i in range(len(parts) - 2, 0, -1):
        if parts[i] == "api" and parts[i - 1] == "src":
            return "/" + "/".join(parts[i + 1 : -1])
    return None


def _export_decl(stmt: ts.Node) -> ts.Node | None:
    return stmt.child_by_field_name("declaration")


def _methods_checked(ctx: FileContext, fn: ts.Node) -> list[str]:
    found: list[str] = []
    for m in _METHOD_CHECK.finditer(ctx.node_text(fn)):
        verb = m.group(1) or m.group(2)
        if verb in _VERBS and verb not in found:
            found.append(verb)
    return found


def _default_handler(ctx: FileContext) -> tuple[ts.Node, ts.Node | None] | None:
    """``(export statement, handler expression)`` of the default export."""
    for stmt in ctx.root.named_children:
        if stmt.type != "export_statement" or not any(c.type == "default" for c in stmt.children):
            continue
        decl = _export_decl(stmt)
        if decl is not None and decl.type in FUNCTION_TYPES | {"function_declaration"}:
            return stmt, decl
        value = stmt.child_by_field_name("value")
        return stmt, value
    return None


def _local_fn(ctx: FileContext, node: ts.Node | None) -> ts.Node | None:
    """The function a handler expression names or wraps (``withAuth(handler)``)."""
    hid, _ = resolve_handler(ctx, node)
    if hid is None:
        return None
    line = int(hid.rsplit("@", 1)[-1])
    stack = [ctx.root]
    while stack:  # small: only descends into nodes spanning that line
        cur = stack.pop()
        if cur.type in FUNCTION_TYPES and cur.start_point[0] + 1 == line and function_id(ctx, cur) == hid:
            return cur
        stack.extend(c for c in cur.named_children if c.start_point[0] + 1 <= line <= c.end_point[0] + 1)
    return None


@extractor(languages=JS_LANGUAGES, needs=("export", "use server"))
def next_routes(ctx: FileContext) -> None:
    """Emit Routes for Next.js API files and server actions."""
    api = pages_api_path(ctx.path)
    if api is not None:
        _pages_api(ctx, api)
        return
    app = app_route_path(ctx.path)
    if app is not None:
        _app_route(ctx, app, "nextjs")
    else:
        medusa = medusa_route_path(ctx.path)
        if medusa is not None:
            _app_route(ctx, medusa, "medusa")
    if "use server" in ctx.text:
        _server_actions(ctx)


def _pages_api(ctx: FileContext, path: str) -> None:
    found = _default_handler(ctx)
    if found is None:
        return
    stmt, handler = found
    hid, hname = resolve_handler(ctx, handler)
    if hid is None and hname is None:
        return
    fn = _local_fn(ctx, handler) if hid is not None else None
    methods = _methods_checked(ctx, fn) if fn is not None else []
    loc = Loc(ctx.path, stmt.start_point[0] + 1)
    for method in methods or ["ANY"]:
        ctx.emit(Route(loc, framework="nextjs", method=method, path=path, handler_id=hid, handler_name=hname))


def _app_route(ctx: FileContext, path: str, framework: str) -> None:
    for stmt in ctx.root.named_children:
        if stmt.type != "export_statement":
            continue
        decl = _export_decl(stmt)
        loc = Loc(ctx.path, stmt.start_point[0] + 1)
        if decl is not None and decl.type == "function_declaration":
            name = ctx.node_text(decl.child_by_field_name("name"))
            if name in _VERBS:
                ctx.emit(
                    Route(loc, framework=framework, method=name, path=path, handler_id=function_id(ctx, decl))
                )
        elif decl is not None and decl.type in {"lexical_declaration", "variable_declaration"}:
            for var in decl.named_children:
                if var.type != "variable_declarator":
                    continue
                name = ctx.node_text(var.child_by_field_name("name"))
                if name not in _VERBS:
                    continue
                hid, hname = resolve_handler(ctx, var.child_by_field_name("value"))
                if hid is not None or hname is not None:
                    ctx.emit(
                        Route(
                            loc,
                            framework=framework,
                            method=name,
                            path=path,
                            handler_id=hid,
                            handler_name=hname,
                        )
                    )
        else:
            clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
            if clause is None:
                continue
            for spec in clause.named_children:
                alias = spec.child_by_field_name("alias") or spec.child_by_field_name("name")
                if ctx.node_text(alias) in _VERBS:
                    hid, hname = resolve_handler(ctx, spec.child_by_field_name("name"))
                    ctx.emit(
                        Route(
                            loc,
                            framework=framework,
                            method=ctx.node_text(alias),
                            path=path,
                            handler_id=hid,
                            handler_name=hname,
                        )
                    )


def _directive(ctx: FileContext, body: ts.Node | None) -> bool:
    if body is None:
        return False
    for stmt in body.named_children:
        if stmt.type == "comment":
            continue
        if stmt.type != "expression_statement":
            return False
        inner = stmt.named_children[0] if stmt.named_children else None
        if inner is not None and string_value(ctx, inner) == "use server":
            return True
        if inner is None or inner.type != "string":
            return False
    return False


def _server_actions(ctx: FileContext) -> None:
    file_level = _directive(ctx, ctx.root)
    for stmt in ctx.root.named_children:
        target = stmt
        exported = stmt.type == "export_statement"
        if exported:
            target = _export_decl(stmt) or stmt
        fns: list[tuple[str, ts.Node]] = []
        if target.type == "function_declaration":
            fns.append((ctx.node_text(target.child_by_field_name("name")), target))
        elif target.type in {"lexical_declaration", "variable_declaration"}:
            for var in target.named_children:
                value = (
                    unwrap(var.child_by_field_name("value")) if var.type == "variable_declarator" else None
                )
                if value is not None and value.type in FUNCTION_TYPES:
                    fns.append((ctx.node_text(var.child_by_field_name("name")), value))
        for name, fn in fns:
            is_action = (file_level and exported) or _directive(ctx, fn.child_by_field_name("body"))
            if is_action and name:
                ctx.emit(
                    Route(
                        Loc(ctx.path, stmt.start_point[0] + 1),
                        framework="nextjs",
                        method="POST",
                        path=f"action:{name}",
                        handler_id=function_id(ctx, fn),
                    )
                )
