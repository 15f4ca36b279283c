"""Express and Fastify routes, plus app-level middleware (``app.use``, ``fastify.register``,
Nest ``useGlobalGuards``...).

Receivers are apps/routers created in the file (``express()``, ``Router()``, ``Fastify()``,
``NestFactory.create``), plugin parameters, or conventionally named variables (``app``,
``router``, ``userRouter``, ``fastify``). Prefixes from ``app.use('/api', router)`` and
``fastify.register(plugin, { prefix })`` are applied when the router/plugin is in the same file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tree_sitter as ts

from scalescope.model.facts import INLINE_MIDDLEWARE, Loc, Middleware, Mount, Route, RouterDecl
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.js.ast import (
    FUNCTION_TYPES,
    arguments,
    callee_parts,
    enclosing_function,
    enclosing_function_id,
    function_id,
    iter_calls,
    object_pairs,
    options_of,
    outermost_chain_call,
    string_value,
    unwrap,
)
from scalescope.scan.extract.js.routes_common import (
    HTTP_METHODS,
    is_function_like,
    join_path,
    locals_of,
    middleware_names,
    resolve_handler,
)
from scalescope.scan.extract.js.routes_mounts import (
    ChildRef,
    child_ref,
    expand_children,
    export_table,
    function_names,
    keyed_mounts,
    param_function,
    scope_name,
    scoped_key,
)

_ROUTE_METHODS = frozenset({*HTTP_METHODS, "all"})
_NAMED_RECEIVER = re.compile(
    r"^(app|server|router|routes|fastify|instance|application|expressApp|\w*(Router|Routes))$"
)
_SERVER_EVIDENCE = ("express", "Router", "fastify", "Fastify", "koa", "NextFunction", "FastifyInstance")
_ROUTERISH = re.compile(r"(?i)(router|routes|controller|api)$")
_FACTORIES: dict[tuple[str, ...], str] = {
    ("express",): "express",
    ("express", "Router"): "express",
    ("Router",): "express",
    ("express", "default"): "express",
    ("require", "()", "Router"): "express",
    ("fastify",): "fastify",
    ("Fastify",): "fastify",
    ("fastify", "default"): "fastify",
    ("NestFactory", "create"): "nestjs",
}
_NEW_FACTORIES = {
    "Router": "express",
    "express.Router": "express",
    "KoaRouter": "koa",
    "Koa": "koa",
    "Hono": "hono",
}
_PLUGIN_PARAM = re.compile(r"^(fastify|app|server|instance|f)$")
#: factories that create an application (a root of the route graph) rather than a router
_APP_FACTORIES = frozenset(
    {("express",), ("express", "default"), ("fastify",), ("Fastify",), ("fastify", "default")}
)
_NEW_APPS = frozenset({"Koa", "Hono"})


@dataclass
class _Receivers:
    """Apps/routers of one file: variable key -> framework, and mounts key -> (parent, prefix).

    ``decls``: key -> (creating call, kind) for apps/routers created here; ``own``: a router's
    own prefix (Koa ``new Router({ prefix })``); ``local_decls``: function start byte -> router
    names declared in it; ``params``: scoped key -> (function, framework) of app/instance
    parameters that routes or mounts use (Fastify plugins, ``module.exports = (app) => ...``).
    """

    kinds: dict[str, str] = field(default_factory=dict)
    mounts: dict[str, tuple[str, str]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    decls: list[tuple[str, ts.Node, str]] = field(default_factory=list)
    own: dict[str, str] = field(default_factory=dict)
    local_decls: dict[int, set[str]] = field(default_factory=dict)
    params: dict[str, tuple[ts.Node, str]] = field(default_factory=dict)

    def prefix(self, key: str) -> str:
        key = self.aliases.get(key, key)
        out = self.own.get(key, "")
        seen: set[str] = set()
        while key in self.mounts and key not in seen:
            seen.add(key)
            key, pre = self.mounts[key]
            if self.own.get(key):
                pre = join_path(self.own[key], pre)
            out = join_path(pre, out) if out else pre
        return out

    def top(self, key: str) -> str:
        """The outermost receiver ``key`` is mounted on in this file (its routes' paths carry
        the prefixes up to there)."""
        key = self.aliases.get(key, key)
        seen: set[str] = set()
        while key in self.mounts and key not in seen:
            seen.add(key)
            key = self.mounts[key][0]
        return key

    def declare(self, key: str, node: ts.Node, kind: str) -> None:
        self.decls.append((key, node, kind))
        fn = enclosing_function(node)
        if fn is not None and key.isidentifier():
            self.local_decls.setdefault(fn.start_byte, set()).add(key)


def _declared_name(node: ts.Node) -> str | None:
    """Name a value is assigned to: ``const app = express()`` / ``this.app = express()``."""
    parent = node.parent
    while parent is not None and parent.type in {
        "await_expression",
        "parenthesized_expression",
        "as_expression",
        "non_null_expression",
    }:
        parent = parent.parent
    if parent is None:
        return None
    if parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
        return name.text.decode("utf-8", "replace") if name is not None and name.text else None
    if parent.type == "assignment_expression":
        left = parent.child_by_field_name("left")
        return left.text.decode("utf-8", "replace") if left is not None and left.text else None
    if parent.type in {"public_field_definition", "field_definition"}:
        name = parent.child_by_field_name("name") or parent.child_by_field_name("property")
        if name is not None and name.text:
            return "this." + name.text.decode("utf-8", "replace")
    return None


def _chain_name(node: ts.Node) -> str | None:
    """``const app = new Hono().basePath('/api')``: the name the chain is assigned to."""
    member = node.parent
    call = member.parent if member is not None and member.type == "member_expression" else None
    if call is None or call.type != "call_expression":
        return None
    return _declared_name(outermost_chain_call(call))


def _anon_key(node: ts.Node) -> str:
    return f"<anon@{node.start_byte}>"


def _receivers(ctx: FileContext) -> _Receivers:
    rec = _Receivers()
    for node, parts in iter_calls(ctx):
        fw = _FACTORIES.get(parts)
        if fw is None:
            continue
        name = _declared_name(node)
        rec.kinds[name or _anon_key(node)] = fw
        kind = "app" if parts in _APP_FACTORIES or fw == "nestjs" else "router"
        if name is None:  # const api = Router().get(...).use(...)
            outer = outermost_chain_call(node)
            alias = _declared_name(outer) if outer is not node else None
            if alias is not None:
                rec.kinds[alias] = fw
                rec.aliases[_anon_key(node)] = alias
                rec.declare(alias, node, kind)
                continue
        rec.declare(name or _anon_key(node), node, kind)
    if "new " in ctx.text:
        for node in captures(ctx.language, "(new_expression) @n", ctx.root).get("n", []):
            ctor = ctx.node_text(node.child_by_field_name("constructor"))
            fw = _NEW_FACTORIES.get(ctor)
            if fw == "express" and ("koa-router" in ctx.text or "@koa/router" in ctx.text):
                fw = "koa"
            if fw is not None:
                key = _declared_name(node) or _chain_name(node) or _anon_key(node)
                rec.kinds[key] = fw
                rec.declare(key, node, "app" if ctor in _NEW_APPS else "router")
                args = arguments(node)
                own = string_value(ctx, object_pairs(ctx, args[0]).get("prefix")) if args else None
                if own:
                    rec.own[key] = own
    return rec


def _receiver_of(ctx: FileContext, call: ts.Node) -> tuple[ts.Node | None, str]:
    """Object a method is called on, and the base path added by ``.route('/x')`` chains; the
    object is followed through chained route registrations (``router.get(..).post(..)``)."""
    fn = unwrap(call.child_by_field_name("function"))
    if fn is None or fn.type != "member_expression":
        return None, ""
    obj = unwrap(fn.child_by_field_name("object"))
    base = ""
    for _ in range(40):
        if obj is None or obj.type != "call_expression":
            break
        inner_fn = unwrap(obj.child_by_field_name("function"))
        if inner_fn is None or inner_fn.type != "member_expression":
            break
        method = ctx.node_text(inner_fn.child_by_field_name("property"))
        if method == "route":
            args = arguments(obj)
            path = string_value(ctx, args[0]) if args else None
            base = join_path(path or "", base) if path is not None else base
        elif method not in _ROUTE_METHODS | {"use", "register", "route"}:
            break
        obj = unwrap(inner_fn.child_by_field_name("object"))
    return obj, base


def _key_of(ctx: FileContext, obj: ts.Node | None) -> str | None:
    obj = unwrap(obj)
    if obj is None:
        return None
    if obj.type in {"identifier", "member_expression"}:
        return ctx.node_text(obj)
    if obj.type == "call_expression":
        return _anon_key(obj)
    return None


def _framework(ctx: FileContext, rec: _Receivers, key: str, call: ts.Node) -> str | None:
    """Framework of a receiver, or None when it does not look like an app/router."""
    if key in rec.kinds:
        return rec.kinds[key]
    plugin = _plugin_param(ctx, call, key)
    if plugin:
        return "fastify"
    last = key.rsplit(".", 1)[-1]
    if _NAMED_RECEIVER.match(last) and (
        ctx.has_any(*_SERVER_EVIDENCE) or (key.isidentifier() and param_function(ctx, call, key) is not None)
    ):
        if "fastify" in ctx.text and (
            "fastify" in last.lower()
            or "from 'fastify'" in ctx.text
            or 'from "fastify"' in ctx.text
            or "FastifyInstance" in ctx.text
        ):
            return "fastify"
        return "express"
    return None


def _plugin_param(ctx: FileContext, node: ts.Node, key: str) -> bool:
    """``key`` is the first parameter of an enclosing function typed/named like a Fastify
    instance (``async function routes(fastify: FastifyInstance)``)."""
    fn = enclosing_function(node)
    while fn is not None:
        params = fn.child_by_field_name("parameters")
        first = params.named_children[0] if params is not None and params.named_children else None
        if first is not None:
            pattern = first.child_by_field_name("pattern") or first
            if ctx.node_text(pattern) == key:
                return "Fastify" in ctx.node_text(first) or (
                    bool(_PLUGIN_PARAM.match(key)) and "fastify" in ctx.text.lower()
                )
        fn = enclosing_function(fn)
    return False


def _route_loc(ctx: FileContext, call: ts.Node) -> Loc:
    fn = unwrap(call.child_by_field_name("function"))
    prop = fn.child_by_field_name("property") if fn is not None and fn.type == "member_expression" else None
    start = prop if prop is not None else call
    return Loc(ctx.path, start.start_point[0] + 1, call.end_point[0] + 1)


def _fastify_middleware(ctx: FileContext, opts: ts.Node | None) -> tuple[str, ...]:
    pairs = object_pairs(ctx, opts)
    names: list[str] = []
    for key in ("onRequest", "preParsing", "preValidation", "preHandler", "preSerialization"):
        if key in pairs:
            names.extend(middleware_names(ctx, [pairs[key]]))
    return tuple(names)


def _plugin_prefixes(ctx: FileContext, rec: _Receivers) -> dict[int, tuple[str, str]]:
    """Same-file Fastify plugins (registered with or without a prefix): plugin function start
    byte -> (parent receiver key, prefix)."""
    out: dict[int, tuple[str, str]] = {}
    loc = locals_of(ctx)
    for node, parts in iter_calls(ctx):
        if len(parts) < 2 or parts[-1] != "register":
            continue
        args = arguments(node)
        if not args:
            continue
        prefix = string_value(ctx, object_pairs(ctx, args[1]).get("prefix")) if len(args) > 1 else ""
        if prefix is None:
            continue
        target = unwrap(args[0])
        fn: ts.Node | None = None
        if target is not None and target.type in FUNCTION_TYPES:
            fn = target
        elif target is not None and target.type == "identifier":
            fn = loc.functions.get(ctx.node_text(target))
        if fn is not None:
            obj, _ = _receiver_of(ctx, node)
            out[fn.start_byte] = (_key_of(ctx, obj) or "", prefix)
    return out


def _plugin_prefix(
    ctx: FileContext, node: ts.Node, key: str, plugins: dict[int, tuple[str, str]], rec: _Receivers
) -> tuple[str, ts.Node | None, str]:
    """Prefix of the same-file plugins around ``node``, and the outermost registration call
    and receiver they hang from (``(prefix, None, "")`` outside any)."""
    fn = enclosing_function(node)
    prefix = ""
    top: tuple[ts.Node | None, str] = (None, "")
    while fn is not None:
        if fn.start_byte in plugins:
            parent, pre = plugins[fn.start_byte]
            if pre:
                prefix = join_path(pre, prefix) if prefix else pre
            outer = rec.prefix(parent)
            if outer:
                prefix = join_path(outer, prefix)
            top = (fn, parent)
        fn = enclosing_function(fn)
    return prefix, top[0], top[1]


def _receiver_key(
    ctx: FileContext, rec: _Receivers, plugins: dict[int, tuple[str, str]], node: ts.Node, key: str, fw: str
) -> tuple[str, str]:
    """``(prefix, receiver)`` of a registration on ``key`` at ``node``: the same-file prefix its
    path gets and the receiver key (scoped) it hangs from in the route graph."""
    prefix = rec.prefix(key)
    top = rec.top(key)
    at = node
    if plugins:
        pre, plugin_fn, parent = _plugin_prefix(ctx, node, key, plugins, rec)
        if plugin_fn is not None:
            prefix = join_path(pre, prefix) if prefix else pre
            top = rec.top(parent)
            at = plugin_fn
    receiver = scoped_key(ctx, at, top, rec.local_decls)
    _note_param(ctx, rec, at, top, receiver, fw)
    return prefix, receiver


def _note_param(ctx: FileContext, rec: _Receivers, node: ts.Node, key: str, scoped: str, fw: str) -> None:
    """Remember a receiver that is a function parameter (it gets a RouterDecl)."""
    if scoped == key or scoped in rec.params:
        return
    fn = param_function(ctx, node, key)
    if fn is not None and scoped == f"{scope_name(ctx, fn)}:{key}":
        rec.params[scoped] = (fn, fw)


@extractor(
    languages=JS_LANGUAGES,
    needs=(
        ".get(",
        ".post(",
        ".put(",
        ".patch(",
        ".delete(",
        ".all(",
        ".route(",
        ".use(",
        ".register(",
        "useGlobal",
        "APP_GUARD",
        "APP_INTERCEPTOR",
        "forRoutes",
        "express(",
        ".listen(",
        "NestFactory",
        "new Koa",
        "new Hono",
        "Fastify(",
        "fastify(",
    ),
)
def express_fastify_routes(ctx: FileContext) -> None:
    """Emit Route facts for Express/Fastify registrations and Middleware facts for app-level
    ``use``/``register``/global guards."""
    rec = _receivers(ctx)
    calls = iter_calls(ctx)
    # mounts first: app.use('/api', router)
    for node, parts in calls:
        if len(parts) < 2 or parts[-1] != "use":
            continue
        args = arguments(node)
        path = string_value(ctx, args[0]) if args else None
        if path is None:
            continue
        obj, base = _receiver_of(ctx, node)
        parent = _key_of(ctx, obj)
        if parent is None:
            continue
        for arg in args[1:]:
            key = _key_of(ctx, arg)
            if key is not None and key in rec.kinds:
                rec.mounts.setdefault(key, (parent, join_path(base, path) if base else path))
    plugins = _plugin_prefixes(ctx, rec) if ".register(" in ctx.text else {}
    for node, parts in calls:
        if len(parts) < 2:
            continue
        method = parts[-1]
        if method in _ROUTE_METHODS:
            _route_call(ctx, rec, plugins, node, method)
        elif method == "route" and len(parts) >= 2:
            _fastify_route(ctx, rec, plugins, node)
        elif method in {"use", "register"}:
            _app_middleware(ctx, rec, node, method)
        elif (
            method
            in {
                "useGlobalGuards",
                "useGlobalInterceptors",
                "useGlobalPipes",
                "useGlobalFilters",
                "enableCors",
                "set",
            }
            and len(parts) >= 2
        ):
            _nest_global(ctx, rec, node, parts, method)
    if "APP_GUARD" in ctx.text or "APP_INTERCEPTOR" in ctx.text:
        _nest_providers(ctx)
    if "forRoutes" in ctx.text:
        _nest_consumer(ctx)
    _emit_graph(ctx, rec, plugins)


def _nest_consumer(ctx: FileContext) -> None:
    """``consumer.apply(LoggerMiddleware, cors()).forRoutes('*')`` in a Nest module's
    ``configure``: each middleware class or function applied."""
    for node, parts in iter_calls(ctx):
        if not parts or parts[-1] != "forRoutes":
            continue
        callee = unwrap(node.child_by_field_name("function"))
        inner = unwrap(callee.child_by_field_name("object")) if callee is not None else None
        while inner is not None and inner.type == "call_expression":
            inner_parts = callee_parts(ctx, inner)
            if inner_parts and inner_parts[-1] == "apply":
                for arg in arguments(inner):
                    found = _middleware_of(ctx, arg)
                    if found is not None:
                        ctx.emit(
                            Middleware(
                                ctx.loc(inner),
                                framework="nestjs",
                                name=found[0],
                                options=found[1],
                                function_id=enclosing_function_id(ctx, inner),
                            )
                        )
                break
            fn = unwrap(inner.child_by_field_name("function"))
            inner = unwrap(fn.child_by_field_name("object")) if fn is not None else None


# ----------------------------------------------------------------------------- route graph

_MOUNT_METHODS = frozenset({"use", "register", "route"})
_SERVES = ("serve(", ".listen(", "export default app", "fetch: app.fetch")


def _emit_graph(ctx: FileContext, rec: _Receivers, plugins: dict[int, tuple[str, str]]) -> None:
    """Emit the file's part of the route graph: a RouterDecl per app/router/plugin instance and
    a Mount per registration of a child (``use``, ``register``, Hono ``route``, a receiver
    passed to a function, ``NestFactory.create(AppModule)``)."""
    global_prefix = _nest_global_prefix(ctx) if "setGlobalPrefix" in ctx.text else ""
    for node, parts in iter_calls(ctx):
        if len(parts) >= 2 and parts[-1] in _MOUNT_METHODS:
            _mount_call(ctx, rec, node, parts[-1])
        elif parts == ("NestFactory", "create"):
            args = arguments(node)
            ref = child_ref(ctx, args[0]) if args else None
            key = _declared_name(node) or _anon_key(node)
            if ref is not None:
                ctx.emit(
                    Mount(
                        ctx.loc(node),
                        framework="nestjs",
                        parent=scoped_key(ctx, node, key, rec.local_decls),
                        child=ref.child,
                        module=ref.module,
                        prefix=global_prefix,
                        function_id=enclosing_function_id(ctx, node),
                    )
                )
        elif rec.kinds or rec.params:
            _passed_receiver(ctx, rec, node, parts)
    table = export_table(ctx)
    declared: set[str] = set()
    for key, node, kind in rec.decls:
        scoped = scoped_key(ctx, node, key, rec.local_decls)
        if scoped in declared:
            continue
        declared.add(scoped)
        fw = rec.kinds.get(key, "express")
        fn = enclosing_function(node)
        names: list[str] = [key] if key.isidentifier() else []
        if fn is None:
            names.extend(table.names.get(key, ()))
        else:
            names.extend(function_names(ctx, fn))
        entry = kind == "app" and (fw != "hono" or any(s in ctx.text for s in _SERVES))
        ctx.emit(
            RouterDecl(
                ctx.loc(node),
                framework=fw,
                key=scoped,
                kind=kind,
                names=tuple(dict.fromkeys(names)),
                entry=entry,
                prefix=rec.own.get(key, ""),
                function_id=enclosing_function_id(ctx, node),
            )
        )
    for scoped, (fn, fw) in rec.params.items():
        if scoped in declared:
            continue
        ctx.emit(
            RouterDecl(
                Loc(ctx.path, fn.start_point[0] + 1),
                framework=fw,
                key=scoped,
                kind="plugin",
                names=function_names(ctx, fn),
                function_id=function_id(ctx, fn),
            )
        )


def _nest_global_prefix(ctx: FileContext) -> str:
    for node, parts in iter_calls(ctx):
        if parts[-1:] == ("setGlobalPrefix",):
            args = arguments(node)
            value = string_value(ctx, args[0]) if args else None
            if value:
                return value
    return ""


def _parent_key(ctx: FileContext, rec: _Receivers, node: ts.Node) -> tuple[str, str] | None:
    """``(scoped receiver key, framework)`` of the object a registration is called on."""
    obj, _ = _receiver_of(ctx, node)
    key = _key_of(ctx, obj)
    if key is None:
        return None
    fw = _framework(ctx, rec, key, node)
    if fw is None:
        return None
    scoped = scoped_key(ctx, node, rec.aliases.get(key, key), rec.local_decls)
    _note_param(ctx, rec, node, key, scoped, fw)
    return scoped, fw


def _mount_call(ctx: FileContext, rec: _Receivers, node: ts.Node, method: str) -> None:
    args = arguments(node)
    if not args:
        return
    found = _parent_key(ctx, rec, node)
    if found is None:
        return
    parent, fw = found
    fid = enclosing_function_id(ctx, node)
    if method == "register":
        prefix = string_value(ctx, object_pairs(ctx, args[1]).get("prefix")) if len(args) > 1 else None
        target = unwrap(args[0])
        if target is not None and target.type in FUNCTION_TYPES:
            child = f"<fn@{target.start_byte}>"
            ctx.emit(
                Mount(
                    ctx.loc(node),
                    framework=fw,
                    parent=parent,
                    child=child,
                    prefix=prefix or "",
                    function_id=fid,
                )
            )
            return
        refs = [
            r
            for r in (child_ref(ctx, i) for i in expand_children(ctx, target, lambda n: _top_value(ctx, n)))
            if r
        ]
        if not refs:
            return
        ref = refs[0]
        if _is_autoload(ctx, ref.child) and len(args) > 1:
            opts = object_pairs(ctx, args[1])
            folder = _folder_of(ctx, opts.get("dir"))
            nested = object_pairs(ctx, opts.get("options"))
            prefix = string_value(ctx, nested.get("prefix")) or prefix
            ctx.emit(
                Mount(
                    ctx.loc(node),
                    framework=fw,
                    parent=parent,
                    child="",
                    module=folder,
                    prefix=prefix or "",
                    dynamic=True,
                    function_id=fid,
                )
            )
            return
        children = refs
    else:
        path = string_value(ctx, args[0])
        rest = args[1:] if path is not None else args
        if method == "route" and (path is None or len(rest) != 1):
            return  # express router.route('/x'): not a mount
        keyed = keyed_mounts(ctx, args[0], args[-1], lambda n: _top_value(ctx, n)) if path is None else []
        for pre, item in keyed:  # routes.forEach((r) => router.use(r.path, r.route))
            item_ref = child_ref(ctx, item)
            if item_ref is not None:
                _emit_mount(ctx, rec, node, fw, parent, item_ref, pre or "", fid)
        if keyed:
            return
        prefix = path
        children = []
        for arg in rest:
            inner = unwrap(arg)
            if inner is None or inner.type in FUNCTION_TYPES:
                continue
            items = expand_children(ctx, inner, lambda name: _top_value(ctx, name))
            children.extend(r for r in (child_ref(ctx, i) for i in items) if r is not None)
    for ref in children:
        _emit_mount(ctx, rec, node, fw, parent, ref, prefix or "", fid)


def _emit_mount(
    ctx: FileContext,
    rec: _Receivers,
    node: ts.Node,
    fw: str,
    parent: str,
    ref: ChildRef,
    prefix: str,
    fid: str | None,
) -> None:
    child = ref.child
    if not ref.module and child.isidentifier():
        child = scoped_key(ctx, node, child, rec.local_decls)
    ctx.emit(
        Mount(
            ctx.loc(node),
            framework=fw,
            parent=parent,
            child=child,
            module=ref.module,
            prefix=prefix,
            dynamic=ref.dynamic,
            function_id=fid,
        )
    )


def _is_autoload(ctx: FileContext, name: str) -> bool:
    return "autoload" in name.lower() or ("autoload" in ctx.text and name.lower() in {"al", "autoload"})


def _folder_of(ctx: FileContext, node: ts.Node | None) -> str:
    """``path.join(__dirname, 'routes')`` -> ``./routes`` (``.`` when unknown)."""
    node = unwrap(node)
    if node is None:
        return "."
    literal = string_value(ctx, node)
    if literal is not None:
        return literal if literal.startswith(".") else "./" + literal.lstrip("/")
    for arg in reversed(arguments(node)) if node.type == "call_expression" else []:
        value = string_value(ctx, arg)
        if value:
            return value if value.startswith(".") else "./" + value.lstrip("/")
    return "."


def _passed_receiver(ctx: FileContext, rec: _Receivers, node: ts.Node, parts: tuple[str, ...]) -> None:
    """``registerRoutes(app)`` / ``require('./routes')(app)``: the callee mounts on ``app``."""
    args = arguments(node)
    if not args or len(args) > 4:
        return
    for arg in args:
        inner = unwrap(arg)
        if inner is None or inner.type not in {"identifier", "member_expression"}:
            continue
        key = ctx.node_text(inner)
        if key not in rec.kinds and not (
            inner.type == "identifier"
            and _NAMED_RECEIVER.match(key)
            and param_function(ctx, node, key) is not None
        ):
            continue
        fw = rec.kinds.get(key) or _framework(ctx, rec, key, node)
        if fw is None:
            continue
        ref = child_ref(ctx, node)
        if ref is None or (not ref.module and ref.child.split(".", 1)[0] == key):
            return
        scoped = scoped_key(ctx, node, rec.aliases.get(key, key), rec.local_decls)
        _note_param(ctx, rec, node, key, scoped, fw)
        child = ref.child
        ctx.emit(
            Mount(
                ctx.loc(node),
                framework=fw,
                parent=scoped,
                child=child,
                module=ref.module,
                dynamic=ref.dynamic,
                function_id=enclosing_function_id(ctx, node),
            )
        )
        return


def _route_call(
    ctx: FileContext, rec: _Receivers, plugins: dict[int, tuple[str, str]], node: ts.Node, method: str
) -> None:
    args = arguments(node)
    obj, base = _receiver_of(ctx, node)
    key = _key_of(ctx, obj)
    if key is None:
        return
    fw = _framework(ctx, rec, key, node)
    if fw is None:
        return
    if base:  # router.route('/x').get(handler)
        path = base
        rest = args
    else:
        if len(args) < 2:
            return
        literal = string_value(ctx, args[0])
        if literal is None:
            first = unwrap(args[0])
            if (
                first is None
                or first.type not in {"template_string", "member_expression", "identifier", "array"}
                or key not in rec.kinds
            ):
                return
            literal = ctx.node_text(first).strip("`")
        elif key not in rec.kinds and not (literal.startswith("/") or literal in {"*", ""}):
            return
        path = literal
        rest = args[1:]
    last = unwrap(rest[-1]) if rest else None
    if last is None or not (is_function_like(last) or last.type == "object"):
        return
    handler = rest[-1]
    mw_nodes = rest[:-1]
    mw: tuple[str, ...] = ()
    if fw == "fastify":
        h = unwrap(handler)
        if h is not None and h.type == "object":  # fastify.get('/x', { handler, preHandler })
            pairs = object_pairs(ctx, h)
            mw = _fastify_middleware(ctx, h)
            handler = pairs.get("handler")  # type: ignore[assignment]
            if handler is None:
                return
        opts = [m for m in mw_nodes if unwrap(m) is not None and unwrap(m).type == "object"]  # type: ignore[union-attr]
        for o in opts:
            mw += _fastify_middleware(ctx, o)
        mw_nodes = [m for m in mw_nodes if m not in opts]
    elif unwrap(handler) is not None and unwrap(handler).type == "object":  # type: ignore[union-attr]
        return
    mw = middleware_names(ctx, mw_nodes) + mw
    hid, hname = resolve_handler(ctx, handler)
    if hid is None and hname is None:
        return
    prefix, receiver = _receiver_key(ctx, rec, plugins, node, key, fw)
    full = (
        join_path(prefix, path)
        if prefix
        else (path if path.startswith("/") or path == "*" else join_path("", path))
    )
    ctx.emit(
        Route(
            _route_loc(ctx, node),
            framework=fw,
            method="ANY" if method == "all" else method.upper(),
            path=full,
            handler_id=hid,
            handler_name=hname,
            middleware=mw,
            receiver=receiver,
        )
    )


def _fastify_route(
    ctx: FileContext, rec: _Receivers, plugins: dict[int, tuple[str, str]], node: ts.Node
) -> None:
    args = arguments(node)
    if len(args) != 1:
        return
    pairs = object_pairs(ctx, args[0])
    if "handler" not in pairs or ("url" not in pairs and "path" not in pairs):
        return
    obj, _ = _receiver_of(ctx, node)
    key = _key_of(ctx, obj)
    fw = _framework(ctx, rec, key, node) if key is not None else None
    if key is None or fw is None:
        return
    path = string_value(ctx, pairs.get("url") or pairs.get("path"))
    if path is None:
        return
    methods: list[str] = []
    mnode = unwrap(pairs.get("method"))
    if mnode is not None and mnode.type == "array":
        methods = [m for m in (string_value(ctx, c) for c in mnode.named_children) if m]
    elif mnode is not None:
        single = string_value(ctx, mnode)
        methods = [single] if single else []
    methods = [m.upper() for m in methods] or ["ANY"]
    hid, hname = resolve_handler(ctx, pairs["handler"])
    if hid is None and hname is None:
        return
    prefix, receiver = _receiver_key(ctx, rec, plugins, node, key, fw)
    full = join_path(prefix, path)
    mw = _fastify_middleware(ctx, args[0])
    for m in methods:
        ctx.emit(
            Route(
                _route_loc(ctx, node),
                framework="fastify",
                method=m,
                path=full,
                handler_id=hid,
                handler_name=hname,
                middleware=mw,
                receiver=receiver,
            )
        )


def _middleware_of(ctx: FileContext, arg: ts.Node) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """``(name, options)`` of one middleware argument: ``rateLimit({...})`` -> ("rateLimit",
    options); ``limiter`` bound to ``rateLimit({...})`` in this file -> the same."""
    node = unwrap(arg)
    if node is None:
        return None
    if node.type == "call_expression":
        parts = [p for p in callee_parts(ctx, node) if p not in {"()", "[]", "?"}]
        if parts == ["require"]:
            args = arguments(node)
            mod = string_value(ctx, args[0]) if args else None
            return (mod, ()) if mod else None
        args = arguments(node)
        return ".".join(parts), options_of(ctx, args[0]) if args else ()
    if node.type == "new_expression":
        args = arguments(node)
        return ctx.node_text(node.child_by_field_name("constructor")), options_of(
            ctx, args[0]
        ) if args else ()
    if node.type == "identifier":
        name = ctx.node_text(node)
        value = _top_value(ctx, name)
        if value is not None and value.type == "call_expression":
            parts = [p for p in callee_parts(ctx, value) if p not in {"()", "[]", "?"}]
            vargs = arguments(value)
            if parts and parts != ["require"]:
                return ".".join(parts), options_of(ctx, vargs[0]) if vargs else ()
        return name, ()
    if node.type == "member_expression":
        return ctx.node_text(node), ()
    return None


def _top_value(ctx: FileContext, name: str) -> ts.Node | None:
    cache: dict[str, ts.Node | None] | None = ctx.cache.get("js.route_top_values")
    if cache is None:
        cache = {}
        for decl in captures(ctx.language, "(variable_declarator) @v", ctx.root).get("v", []):
            n = decl.child_by_field_name("name")
            if n is not None and n.type == "identifier":
                cache.setdefault(ctx.node_text(n), unwrap(decl.child_by_field_name("value")))
        ctx.cache["js.route_top_values"] = cache
    return cache.get(name)


def _app_middleware(ctx: FileContext, rec: _Receivers, node: ts.Node, method: str) -> None:
    obj, _ = _receiver_of(ctx, node)
    key = _key_of(ctx, obj)
    if key is None:
        return
    fw = _framework(ctx, rec, key, node)
    if fw is None:
        return
    args = arguments(node)
    if not args:
        return
    fid = enclosing_function_id(ctx, node)
    if method == "register":
        first = unwrap(args[0])
        if first is None or first.type in FUNCTION_TYPES:
            return
        if first.type == "identifier" and ctx.node_text(first) in locals_of(ctx).functions:
            return  # a route plugin of this file
        found = _middleware_of(ctx, args[0])
        if found is None:
            return
        name, _ = found
        opts = options_of(ctx, args[1]) if len(args) > 1 else ()
        if any(key == "prefix" for key, _ in opts):
            # ``register(usersController, { prefix: "/users" })``: a prefix only places routes,
            # so this is a plugin of routes (imported from another file), not middleware that
            # runs on every request
            return
        ctx.emit(
            Middleware(
                ctx.loc(node),
                framework="fastify" if fw == "express" else fw,
                name=name,
                options=opts,
                function_id=fid,
            )
        )
        return
    rest = args[1:] if string_value(ctx, args[0]) is not None else args
    for arg in rest:
        inner = unwrap(arg)
        if inner is not None and inner.type in FUNCTION_TYPES and method == "use":
            ctx.emit(
                Middleware(
                    ctx.loc(node),
                    framework=fw,
                    name=INLINE_MIDDLEWARE,
                    function_id=fid,
                    handler_id=function_id(ctx, inner),
                )
            )
            continue
        if inner is None or inner.type in FUNCTION_TYPES:
            continue
        k = _key_of(ctx, inner)
        if k is not None and (k in rec.kinds or _ROUTERISH.search(k)):
            continue  # a mounted router
        if inner.type == "array":
            for item in inner.named_children:
                found = _middleware_of(ctx, item)
                if found is not None:
                    ctx.emit(
                        Middleware(
                            ctx.loc(node), framework=fw, name=found[0], options=found[1], function_id=fid
                        )
                    )
            continue
        found = _middleware_of(ctx, inner)
        if found is not None:
            ctx.emit(
                Middleware(ctx.loc(node), framework=fw, name=found[0], options=found[1], function_id=fid)
            )


def _nest_global(
    ctx: FileContext, rec: _Receivers, node: ts.Node, parts: tuple[str, ...], method: str
) -> None:
    obj, _ = _receiver_of(ctx, node)
    key = _key_of(ctx, obj)
    if key is None:
        return
    fw = rec.kinds.get(key)
    if fw is None and not (method.startswith("useGlobal") and _NAMED_RECEIVER.match(key)):
        return
    fid = enclosing_function_id(ctx, node)
    args = arguments(node)
    if method == "enableCors":
        ctx.emit(
            Middleware(
                ctx.loc(node),
                framework="nestjs",
                name="enableCors",
                options=options_of(ctx, args[0]) if args else (),
                function_id=fid,
            )
        )
        return
    if method == "set":  # app.set('trust proxy', 1) is configuration, not middleware
        return
    for arg in args:
        found = _middleware_of(ctx, arg)
        if found is not None:
            ctx.emit(
                Middleware(
                    ctx.loc(node), framework="nestjs", name=found[0], options=found[1], function_id=fid
                )
            )


def _nest_providers(ctx: FileContext) -> None:
    """``{ provide: APP_GUARD, useClass: ThrottlerGuard }`` -> Middleware ``ThrottlerGuard``."""
    for obj in captures(ctx.language, "(object) @o", ctx.root).get("o", []):
        text = ctx.node_text(obj)
        if "provide" not in text or len(text) > 600:
            continue
        pairs = object_pairs(ctx, obj)
        provide = ctx.node_text(pairs.get("provide"))
        if provide not in {"APP_GUARD", "APP_INTERCEPTOR", "APP_PIPE", "APP_FILTER"}:
            continue
        target = pairs.get("useClass") or pairs.get("useExisting")
        name = ctx.node_text(target) if target is not None else provide
        ctx.emit(
            Middleware(
                ctx.loc(obj),
                framework="nestjs",
                name=name,
                options=(("provide", provide),),
                function_id=enclosing_function_id(ctx, obj),
            )
        )
