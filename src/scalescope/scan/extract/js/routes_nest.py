"""NestJS controller routes: ``@Controller('users')`` + ``@Get(':id')`` -> ``GET /users/:id``,
and the module graph that mounts them: ``@Module({ imports, controllers })`` gives a
RouterDecl per module and controller and a Mount per imported module and listed controller
(the root module is mounted by ``NestFactory.create(AppModule)``, see ``routes.py``)."""

from __future__ import annotations

import tree_sitter as ts

from scalescope.model.facts import Loc, Mount, Route, RouterDecl
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.js.ast import (
    decorator_call,
    decorators_of,
    function_id,
    object_pairs,
    string_value,
    unwrap,
)
from scalescope.scan.extract.js.routes_common import join_path, middleware_names

_VERBS = {
    "Get": "GET",
    "Post": "POST",
    "Put": "PUT",
    "Patch": "PATCH",
    "Delete": "DELETE",
    "All": "ANY",
    "Head": "HEAD",
    "Options": "OPTIONS",
}
_MW_DECORATORS = frozenset({"UseGuards", "UseInterceptors", "UsePipes"})
_FLAG_DECORATORS = frozenset({"Throttle", "SkipThrottle", "CacheTTL", "CacheKey", "Public"})


def _paths(ctx: FileContext, args: list[ts.Node]) -> list[str]:
    """Path strings of a ``@Controller``/``@Get`` argument: string, array or ``{ path }``."""
    if not args:
        return [""]
    node = unwrap(args[0])
    if node is None:
        return [""]
    if node.type == "object":
        node = unwrap(object_pairs(ctx, node).get("path"))
        if node is None:
            return [""]
    if node.type == "array":
        found = [v for v in (string_value(ctx, c) for c in node.named_children) if v is not None]
        return found or [""]
    value = string_value(ctx, node)
    if value is None:
        return [ctx.node_text(node).strip("`")]
    return [value]


def _middleware(ctx: FileContext, decos: list[ts.Node]) -> tuple[str, ...]:
    out: list[str] = []
    for deco in decos:
        name, args = decorator_call(ctx, deco)
        if name in _MW_DECORATORS:
            out.extend(middleware_names(ctx, args))
        elif name in _FLAG_DECORATORS:
            out.append(name)
    return tuple(out)


@extractor(languages=JS_LANGUAGES, needs=("@Controller",))
def nest_routes(ctx: FileContext) -> None:
    """Emit a Route per HTTP-verb-decorated method of each ``@Controller`` class."""
    for deco in captures(ctx.language, "(decorator) @d", ctx.root).get("d", []):
        name, args = decorator_call(ctx, deco)
        if name != "Controller":
            continue
        parent = deco.parent
        cls: ts.Node | None = None
        if parent is not None and parent.type in {"class_declaration", "abstract_class_declaration", "class"}:
            cls = parent
        elif parent is not None and parent.type == "export_statement":
            cls = parent.child_by_field_name("declaration")
        if cls is None:
            continue
        prefixes = _paths(ctx, args)
        class_mw = _middleware(ctx, decorators_of(ctx, cls))
        cname = ctx.node_text(cls.child_by_field_name("name"))
        if cname:
            ctx.emit(
                RouterDecl(ctx.loc(deco), framework="nestjs", key=cname, kind="controller", names=(cname,))
            )
        body = cls.child_by_field_name("body")
        if body is None:
            continue
        for member in body.named_children:
            if member.type != "method_definition" or member.child_by_field_name("body") is None:
                continue
            decos = decorators_of(ctx, member)
            verbs = [(d, *decorator_call(ctx, d)) for d in decos]
            verbs = [v for v in verbs if v[1] in _VERBS]
            if not verbs:
                continue
            mw = class_mw + _middleware(ctx, decos)
            fid = function_id(ctx, member)
            name_node = member.child_by_field_name("name") or member
            for vdeco, vname, vargs in verbs:
                loc = Loc(ctx.path, vdeco.start_point[0] + 1, name_node.end_point[0] + 1)
                for prefix in prefixes:
                    for path in _paths(ctx, vargs):
                        ctx.emit(
                            Route(
                                loc,
                                framework="nestjs",
                                method=_VERBS[vname],
                                path=join_path(prefix, path),
                                handler_id=fid,
                                middleware=mw,
                                receiver=cname,
                            )
                        )


@extractor(languages=JS_LANGUAGES, needs=("@Module",))
def nest_modules(ctx: FileContext) -> None:
    """Emit a RouterDecl per ``@Module`` class and a Mount per module it imports and controller
    it declares (``forRoot()`` calls, ``forwardRef(() => X)``, same-file spread arrays and a
    shorthand ``imports`` bound to a same-file array included)."""
    for deco in captures(ctx.language, "(decorator) @d", ctx.root).get("d", []):
        name, args = decorator_call(ctx, deco)
        if name != "Module" or not args:
            continue
        parent = deco.parent
        cls = (
            parent.child_by_field_name("declaration")
            if parent is not None and parent.type == "export_statement"
            else parent
        )
        if cls is None or cls.type not in {"class_declaration", "abstract_class_declaration", "class"}:
            continue
        cname = ctx.node_text(cls.child_by_field_name("name"))
        if not cname:
            continue
        ctx.emit(RouterDecl(ctx.loc(deco), framework="nestjs", key=cname, kind="module", names=(cname,)))
        pairs = object_pairs(ctx, args[0])
        routed = _router_module_paths(ctx, pairs.get("imports"))
        for ident, prefix, node in routed:
            ctx.emit(Mount(ctx.loc(node), framework="nestjs", parent=cname, child=ident, prefix=prefix))
        for field_name in ("imports", "controllers"):
            value = pairs.get(field_name)
            if value is None:
                continue
            for ident in _class_refs(ctx, value):
                if ident != cname and not any(ident == r[0] for r in routed):
                    ctx.emit(Mount(ctx.loc(value), framework="nestjs", parent=cname, child=ident))


def _router_module_paths(ctx: FileContext, imports: ts.Node | None) -> list[tuple[str, str, ts.Node]]:
    """``RouterModule.register([{ path: 'admin', module: AdminModule, children: [...] }])`` ->
    ``[("AdminModule", "admin", node), ...]`` (children's paths joined to their parent's)."""
    if imports is None or "RouterModule" not in ctx.node_text(imports):
        return []
    out: list[tuple[str, str, ts.Node]] = []
    for call in captures(ctx.language, "(call_expression) @c", imports).get("c", []):
        fn = unwrap(call.child_by_field_name("function"))
        if fn is None or ctx.node_text(fn) not in {"RouterModule.register", "RouterModule.forRoutes"}:
            continue
        args = call.child_by_field_name("arguments")
        routes = unwrap(args.named_children[0]) if args is not None and args.named_children else None
        stack: list[tuple[ts.Node | None, str]] = [(routes, "")]
        while stack:
            node, base = stack.pop()
            node = unwrap(node)
            if node is None or node.type != "array":
                continue
            for item in node.named_children:
                route = object_pairs(ctx, unwrap(item))
                path = join_path(base, string_value(ctx, route.get("path")) or "")
                module = unwrap(route.get("module"))
                if module is not None and module.type == "identifier":
                    out.append((ctx.node_text(module), path, item))
                stack.append((route.get("children"), path))
    return out


def _class_refs(ctx: FileContext, node: ts.Node, depth: int = 0) -> list[str]:
    """Capitalised identifiers in a module list (``[UsersModule, Cfg.forRoot(), ...extra]``),
    following a same-file ``const extra = [...]`` once."""
    out: list[str] = []
    stack = [node]
    while stack:
        cur = stack.pop()
        if cur.type in {"identifier", "shorthand_property_identifier"}:
            # ``@Module({ imports })``: the shorthand names a same-file ``const imports = [...]``
            text = ctx.node_text(cur)
            if text[:1].isupper():
                out.append(text)
            elif depth == 0:
                value = _top_const(ctx, text)
                if value is not None:
                    out.extend(_class_refs(ctx, value, depth + 1))
        elif cur.type not in {"string", "template_string", "property_identifier"}:
            stack.extend(reversed(cur.named_children))
    return list(dict.fromkeys(out))


def _top_const(ctx: FileContext, name: str) -> ts.Node | None:
    for stmt in ctx.root.named_children:
        decl = stmt.child_by_field_name("declaration") if stmt.type == "export_statement" else stmt
        if decl is None or decl.type not in {"lexical_declaration", "variable_declaration"}:
            continue
        for var in decl.named_children:
            if var.type == "variable_declarator" and ctx.node_text(var.child_by_field_name("name")) == name:
                return unwrap(var.child_by_field_name("value"))
    return None
