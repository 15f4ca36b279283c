"""FastAPI and Flask routes, plus app-level middleware (``add_middleware``, Starlette
``Middleware(...)``, ``@app.middleware``, Flask extensions such as ``Limiter(app)``).

Receivers are apps/routers created in the file (``FastAPI()``, ``APIRouter(prefix=...)``,
``Flask()``, ``Blueprint(url_prefix=...)``) or conventionally named variables; same-file
``include_router`` / ``register_blueprint`` prefixes are applied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import tree_sitter as ts

from scalescope.model.facts import Loc, Middleware, Mount, Route, RouterDecl
from scalescope.scan.extract.base import FileContext, captures, extractor
from scalescope.scan.extract.py.ast import (
    arguments,
    callee_parts,
    class_methods,
    decorators,
    dotted,
    enclosing_function,
    enclosing_function_id,
    function_id,
    iter_calls,
    kwarg_options,
    kwargs,
    string_value,
    unwrap,
)

_FACTORIES = {
    "FastAPI": "fastapi",
    "APIRouter": "fastapi",
    "Flask": "flask",
    "Blueprint": "flask",
    "Quart": "flask",
    "Starlette": "starlette",
    # Flask-RESTX / Flask-RESTPlus namespaces and the Api (also Flask-RESTful's) that serves
    # them on an app or a blueprint (see :func:`_resource_class` and :func:`_add_resource`)
    "Namespace": "flask",
    "Api": "flask",
}
#: names that are Flask-RESTX/RESTful factories only in a file that uses those libraries
_RESTX_FACTORIES = frozenset({"Namespace", "Api"})
_RESTX_HINT = re.compile(r"flask_restx|flask_restplus|flask_restful|add_namespace|add_resource|\bResource\b")
#: factories that create an application (a root of the route graph) rather than a router
_APP_FACTORIES = frozenset({"FastAPI", "Flask", "Quart", "Starlette"})
_MOUNT_CALLS = frozenset({"include_router", "register_blueprint", "mount", "add_namespace"})
_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
_NAMED = re.compile(r"^(app|application|api|router|bp|blueprint|\w+_(router|bp|blueprint|api))$")
_HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")
#: a conventionally named Flask-RESTX namespace variable (``ns``, ``API``, ``users_ns``)
_NAMED_NS = re.compile(r"^(ns|api|API|\w+_(ns|api|API|namespace))$")


@dataclass
class _Apps:
    kinds: dict[str, str] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)
    deps: dict[str, tuple[str, ...]] = field(default_factory=dict)
    mounts: dict[str, tuple[str, str]] = field(default_factory=dict)
    # name -> creating call (for RouterDecl facts)
    decls: dict[str, ts.Node] = field(default_factory=dict)
    # a Flask-RESTX/RESTful ``Api`` -> the app or blueprint it was created on
    restx_hosts: dict[str, str] = field(default_factory=dict)

    def top(self, key: str) -> str:
        """The outermost app/router ``key`` is mounted on in this file."""
        seen = {key}
        while key in self.mounts:
            key = self.mounts[key][0]
            if key in seen:
                break
            seen.add(key)
        return key

    def prefix(self, key: str) -> str:
        out = self.prefixes.get(key, "")
        seen = {key}
        while key in self.mounts:
            key, pre = self.mounts[key]
            if key in seen:
                break
            seen.add(key)
            out = _join(_join(self.prefixes.get(key, ""), pre), out)
        return out


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    if not path:
        return prefix
    return prefix.rstrip("/") + "/" + path.lstrip("/")


def _assigned_name(ctx: FileContext, call: ts.Node) -> str | None:
    parent = call.parent
    if parent is not None and parent.type == "assignment":
        return ctx.node_text(parent.child_by_field_name("left"))
    return None


def dependency_names(ctx: FileContext, node: ts.Node | None) -> tuple[str, ...]:
    """``[Depends(auth), Security(scopes)]`` -> ("auth", "scopes")."""
    node = unwrap(node)
    out: list[str] = []
    if node is None:
        return ()
    items = node.named_children if node.type in {"list", "tuple"} else [node]
    for item in items:
        if item.type == "call":
            parts = callee_parts(ctx, item)
            args = arguments(item)
            if parts and parts[-1] in {"Depends", "Security"} and args:
                out.append(ctx.node_text(args[0]))
            elif parts:
                out.append(".".join(parts))
        elif item.type in {"identifier", "attribute"}:
            out.append(ctx.node_text(item))
    return tuple(out)


def _subclassed(ctx: FileContext) -> dict[str, str]:
    """Factories defined in this file by subclassing one: ``class ShopFlask(Flask)``."""
    cached: dict[str, str] | None = ctx.cache.get("py.route_subclassed")
    if cached is not None:
        return cached
    out: dict[str, str] = {}
    ctx.cache["py.route_subclassed"] = out
    if "class " not in ctx.text:
        return out
    for cls in captures("python", "(class_definition) @c", ctx.root).get("c", []):
        bases = cls.child_by_field_name("superclasses")
        for base in bases.named_children if bases is not None else []:
            fw = _FACTORIES.get(ctx.node_text(base).rsplit(".", 1)[-1])
            if fw is not None:
                out[ctx.node_text(cls.child_by_field_name("name"))] = ctx.node_text(base).rsplit(".", 1)[-1]
    return out


def _apps(ctx: FileContext) -> _Apps:
    apps = _Apps()
    subclasses = _subclassed(ctx)
    for node, parts in iter_calls(ctx):
        if not parts:
            continue
        base = subclasses.get(parts[-1], parts[-1])
        fw = _FACTORIES.get(base)
        if fw is None or (base in _RESTX_FACTORIES and not _RESTX_HINT.search(ctx.text)):
            continue
        name = _assigned_name(ctx, node)
        if name is None:
            continue
        apps.kinds[name] = fw
        apps.decls.setdefault(name, node)
        kw = kwargs(ctx, node)
        pre = string_value(ctx, kw.get("prefix") or kw.get("url_prefix"))
        if base == "Namespace":
            # ``Namespace("users")`` serves under ``/users`` unless ``path=`` says otherwise
            args = arguments(node)
            ns_name = string_value(ctx, args[0]) if args else string_value(ctx, kw.get("name"))
            pre = string_value(ctx, kw.get("path")) or (f"/{ns_name}" if ns_name else None)
        if base == "Api":
            # ``Api(blueprint)`` / ``Api(app)``: its namespaces and resources serve there
            args = arguments(node)
            host = args[0] if args else kw.get("app")
            if host is not None and host.type in {"identifier", "attribute"}:
                apps.restx_hosts[name] = ctx.node_text(host)
        if pre:
            apps.prefixes[name] = pre
        if "dependencies" in kw:
            apps.deps[name] = dependency_names(ctx, kw["dependencies"])
    for node, parts in iter_calls(ctx):
        if len(parts) < 2 or parts[-1] not in {"include_router", "register_blueprint"}:
            continue
        args = arguments(node)
        if not args:
            continue
        child = ctx.node_text(args[0])
        kw = kwargs(ctx, node)
        pre = string_value(ctx, kw.get("prefix") or kw.get("url_prefix")) or ""
        apps.mounts.setdefault(child, (".".join(parts[:-1]), pre))
        if "dependencies" in kw and child in apps.kinds:
            apps.deps[child] = apps.deps.get(child, ()) + dependency_names(ctx, kw["dependencies"])
    return apps


def _framework(ctx: FileContext, apps: _Apps, key: str) -> str | None:
    if key in apps.kinds:
        return apps.kinds[key]
    if not _NAMED.match(key.rsplit(".", 1)[-1]):
        return None
    if "fastapi" in ctx.text or "APIRouter" in ctx.text:
        return "fastapi"
    if "flask" in ctx.text or "Blueprint" in ctx.text:
        return "flask"
    return None


def _imported_router(ctx: FileContext, key: str) -> bool:
    """``key`` is a conventionally named app/blueprint imported into this file."""
    if not _NAMED.match(key) or "import" not in ctx.text:
        return False
    return re.search(rf"^\s*from\s+\S+\s+import\s+[^\n]*\b{re.escape(key)}\b", ctx.text, re.M) is not None


def _param_dependencies(ctx: FileContext, fn: ts.Node) -> tuple[str, ...]:
    params = fn.child_by_field_name("parameters")
    if params is None or ("Depends" not in ctx.node_text(params) and "Security" not in ctx.node_text(params)):
        return ()
    out: list[str] = []
    for call in captures("python", "(call) @c", params).get("c", []):
        parts = callee_parts(ctx, call)
        args = arguments(call)
        if parts and parts[-1] in {"Depends", "Security"} and args:
            out.append(ctx.node_text(args[0]))
    return tuple(out)


def _methods(ctx: FileContext, node: ts.Node | None, default: tuple[str, ...]) -> tuple[str, ...]:
    node = unwrap(node)
    if node is None:
        return default
    if node.type in {"list", "tuple", "set"}:
        found = tuple(v.upper() for v in (string_value(ctx, c) for c in node.named_children) if v)
        return found or default
    return default


@extractor(
    languages=("python",),
    needs=(
        "route",
        "router",
        "add_resource",
        "add_namespace",
        ".get(",
        ".post(",
        ".put(",
        ".patch(",
        ".delete(",
        "add_middleware",
        "Middleware(",
        "init_app",
        "add_url_rule",
        ".middleware(",
        "register_blueprint",
        "Flask(",
        "FastAPI(",
        "Starlette(",
        "Quart(",
        ".mount(",
    ),
)
def fastapi_flask_routes(ctx: FileContext) -> None:
    """Emit Route facts for FastAPI/Flask decorators and ``add_url_rule``, and Middleware facts."""
    apps = _apps(ctx)
    for deco in captures("python", "(decorator) @d", ctx.root).get("d", []):
        expr = deco.named_children[0] if deco.named_children else None
        definition = deco.parent.child_by_field_name("definition") if deco.parent is not None else None
        if expr is None or expr.type != "call" or definition is None:
            continue
        if definition.type == "class_definition":
            _resource_class(ctx, apps, deco, expr, definition)
            continue
        if definition.type != "function_definition":
            continue
        parts = callee_parts(ctx, expr)
        if len(parts) < 2:
            continue
        verb = parts[-1]
        key = ".".join(parts[:-1])
        if verb == "middleware":
            fw = _framework(ctx, apps, key)
            if fw is not None:
                ctx.emit(
                    Middleware(
                        ctx.loc(deco),
                        framework=fw,
                        name=ctx.node_text(definition.child_by_field_name("name")),
                        options=tuple((f"arg{i}", ctx.node_text(a)) for i, a in enumerate(arguments(expr))),
                    )
                )
            continue
        if verb not in _VERBS and verb not in {"route", "api_route"}:
            continue
        fw = _framework(ctx, apps, key)
        if fw is None and verb == "route" and _imported_router(ctx, key):
            fw = "flask"  # ``from . import bp`` then ``@bp.route(...)``: a blueprint of the package
        if fw is None:
            continue
        _decorated_route(ctx, apps, fw, key, verb, deco, expr, definition)
    for node, parts in iter_calls(ctx):
        if not parts:
            continue
        last = parts[-1]
        if last == "add_url_rule" and len(parts) >= 2:
            _url_rule(ctx, apps, node, ".".join(parts[:-1]))
        elif last == "add_resource" and len(parts) >= 2:
            _add_resource(ctx, apps, node, ".".join(parts[:-1]))
        elif last == "add_middleware" and len(parts) >= 2:
            args = arguments(node)
            if args:
                ctx.emit(
                    Middleware(
                        ctx.loc(node),
                        framework=_framework(ctx, apps, ".".join(parts[:-1])) or "starlette",
                        name=ctx.node_text(args[0]),
                        options=kwarg_options(ctx, node),
                        function_id=enclosing_function_id(ctx, node),
                    )
                )
        elif parts == ("Middleware",) or parts[-2:] == ("middleware", "Middleware"):
            args = arguments(node)
            if args:
                ctx.emit(
                    Middleware(
                        ctx.loc(node),
                        framework="starlette",
                        name=ctx.node_text(args[0]),
                        options=kwarg_options(ctx, node),
                        function_id=enclosing_function_id(ctx, node),
                    )
                )
        elif apps.kinds:
            _extension_init(ctx, apps, node, parts)
    _emit_graph(ctx, apps)


def _emit_graph(ctx: FileContext, apps: _Apps) -> None:
    """Emit the file's part of the route graph: a RouterDecl per app/router created here and a
    Mount per ``include_router`` / ``register_blueprint`` / ``mount``."""
    for name, node in apps.decls.items():
        framework = apps.kinds[name]
        parts = callee_parts(ctx, node)
        factory = _subclassed(ctx).get(parts[-1], parts[-1]) if parts else ""
        names = [name]
        fn = enclosing_function(node)
        if fn is not None:  # a factory: def create_router(): router = APIRouter(); ...; return router
            names.append(ctx.node_text(fn.child_by_field_name("name")))
        ctx.emit(
            RouterDecl(
                ctx.loc(node),
                framework=framework,
                key=name,
                kind="app" if factory in _APP_FACTORIES else "router",
                names=tuple(dict.fromkeys(names)),
                entry=factory in _APP_FACTORIES,
                prefix=apps.prefixes.get(name, ""),
                function_id=enclosing_function_id(ctx, node),
            )
        )
    for api, host in apps.restx_hosts.items():
        node = apps.decls[api]
        ctx.emit(
            Mount(
                ctx.loc(node),
                framework="flask",
                parent=host,
                child=api,
                prefix="",
                function_id=enclosing_function_id(ctx, node),
            )
        )
    for node, parts in iter_calls(ctx):
        if len(parts) < 2 or parts[-1] not in _MOUNT_CALLS:
            continue
        parent = ".".join(parts[:-1])
        fw = _framework(ctx, apps, parent)
        if fw is None:
            continue
        args = arguments(node)
        kw = kwargs(ctx, node)
        if parts[-1] == "mount":  # app.mount("/v1", sub_app)
            prefix = string_value(ctx, args[0] if args else kw.get("path"))
            target = args[1] if len(args) > 1 else kw.get("app")
        elif parts[-1] == "add_namespace":  # api.add_namespace(users_ns, path="/users")
            prefix = string_value(ctx, kw.get("path") or (args[1] if len(args) > 1 else None))
            target = args[0] if args else kw.get("ns")
        else:
            prefix = string_value(ctx, kw.get("prefix") or kw.get("url_prefix"))
            target = args[0] if args else kw.get("router") or kw.get("blueprint")
        for found in _loop_items(ctx, unwrap(target)):
            # include_router(create_router()), mount("/x", StaticFiles(...))
            item = found.child_by_field_name("function") if found.type == "call" else found
            if item is None or item.type not in {"identifier", "attribute"}:
                continue
            ctx.emit(
                Mount(
                    ctx.loc(node),
                    framework=fw,
                    parent=parent,
                    child=ctx.node_text(item),
                    prefix=prefix or "",
                    function_id=enclosing_function_id(ctx, node),
                )
            )


def _loop_items(ctx: FileContext, node: ts.Node | None) -> list[ts.Node]:
    """``for bp in (main, admin): app.register_blueprint(bp)`` -> [main, admin] (also over a
    module-level list); anything else -> [node]."""
    if node is None:
        return []
    if node.type != "identifier":
        return [node]
    name = ctx.node_text(node)
    cur = node.parent
    while cur is not None and cur.type not in {"function_definition", "module"}:
        if cur.type == "for_statement" and ctx.node_text(cur.child_by_field_name("left")) == name:
            items = unwrap(cur.child_by_field_name("right"))
            if items is not None and items.type == "identifier":
                items = _module_value(ctx, ctx.node_text(items))
            if items is not None and items.type in {"list", "tuple", "set"}:
                return [c for c in (unwrap(c) for c in items.named_children) if c is not None]
            return [node]
        cur = cur.parent
    return [node]


def _module_value(ctx: FileContext, name: str) -> ts.Node | None:
    for stmt in ctx.root.named_children:
        expr = stmt.named_children[0] if stmt.type == "expression_statement" and stmt.named_children else None
        if (
            expr is not None
            and expr.type == "assignment"
            and ctx.node_text(expr.child_by_field_name("left")) == name
        ):
            return unwrap(expr.child_by_field_name("right"))
    return None


def _decorated_route(
    ctx: FileContext, apps: _Apps, fw: str, key: str, verb: str, deco: ts.Node, expr: ts.Node, fn: ts.Node
) -> None:
    args = arguments(expr)
    kw = kwargs(ctx, expr)
    path = string_value(ctx, args[0] if args else kw.get("path") or kw.get("rule"))
    if path is None:
        raw = args[0] if args else kw.get("path")
        if raw is None:
            if fw != "fastapi":
                return
            path = ""
        else:
            path = ctx.node_text(raw)
    if verb in _VERBS:
        methods: tuple[str, ...] = (verb.upper(),)
    else:
        methods = _methods(ctx, kw.get("methods"), ("GET",) if fw == "flask" else ("ANY",))
    mw = list(apps.deps.get(key, ()))
    mw.extend(dependency_names(ctx, kw.get("dependencies")))
    mw.extend(_param_dependencies(ctx, fn))
    for other in decorators(ctx, fn):
        if other.start_byte == expr.start_byte:
            continue
        target = other.child_by_field_name("function") if other.type == "call" else other
        name = ".".join(p for p in dotted(ctx, target) if p not in {"()", "[]", "?"})
        if name:
            mw.append(name)
    full = _join(apps.prefix(key), path) or "/"
    receiver = apps.top(key)
    name_node = fn.child_by_field_name("name") or fn
    loc = Loc(ctx.path, deco.start_point[0] + 1, name_node.end_point[0] + 1)
    fid = function_id(ctx, fn)
    for method in methods:
        ctx.emit(
            Route(
                loc,
                framework=fw,
                method=method,
                path=full if full.startswith("/") else "/" + full,
                handler_id=fid,
                middleware=tuple(mw),
                receiver=receiver,
            )
        )


def _resource_class(ctx: FileContext, apps: _Apps, deco: ts.Node, expr: ts.Node, cls: ts.Node) -> None:
    """``@ns.route("/users/<int:id>")`` on a Flask-RESTX ``Resource`` class: one route per HTTP
    method the class defines (``def get``, ``def post``...), handled by that method."""
    parts = callee_parts(ctx, expr)
    if len(parts) < 2 or parts[-1] != "route":
        return
    key = ".".join(parts[:-1])
    if apps.kinds.get(key) != "flask" and not (_RESTX_HINT.search(ctx.text) and _NAMED_NS.match(key)):
        return
    args = arguments(expr)
    if not args:
        return
    path = string_value(ctx, args[0])
    if path is None:
        return
    methods = _methods_of_class(ctx, cls)
    full = _join(apps.prefix(key), path) or "/"
    for verb, fn in methods.items():
        name_node = fn.child_by_field_name("name") or fn
        ctx.emit(
            Route(
                Loc(ctx.path, deco.start_point[0] + 1, name_node.end_point[0] + 1),
                framework="flask",
                method=verb.upper(),
                path=full if full.startswith("/") else "/" + full,
                handler_id=function_id(ctx, fn),
                receiver=apps.top(key),
            )
        )


def _methods_of_class(ctx: FileContext, cls: ts.Node) -> dict[str, ts.Node]:
    """The HTTP-verb methods a class body defines (``def get(self, ...)``), by verb."""
    return {name: fn for name, fn in class_methods(ctx, cls).items() if name in _HTTP_METHODS}


def _add_resource(ctx: FileContext, apps: _Apps, node: ts.Node, key: str) -> None:
    """``api.add_resource(UserResource, "/users/<id>")`` (Flask-RESTful / RESTX) for a resource
    class of this file: one route per HTTP method it defines, per path given."""
    if key not in apps.kinds and not _RESTX_HINT.search(ctx.text):
        return
    args = arguments(node)
    if len(args) < 2 or args[0].type != "identifier":
        return
    methods = {n: fn for n, fn in _class_methods(ctx, ctx.node_text(args[0])).items() if n in _HTTP_METHODS}
    if not methods:
        return  # a class of another module: which methods it has is not known here
    for arg in args[1:]:
        path = string_value(ctx, arg)
        if path is None:
            continue
        full = _join(apps.prefix(key), path) or "/"
        for verb, fn in methods.items():
            ctx.emit(
                Route(
                    ctx.loc(node),
                    framework="flask",
                    method=verb.upper(),
                    path=full if full.startswith("/") else "/" + full,
                    handler_id=function_id(ctx, fn),
                    receiver=apps.top(key),
                )
            )


def _class_methods(ctx: FileContext, name: str) -> dict[str, ts.Node]:
    for cls in captures("python", "(class_definition) @c", ctx.root).get("c", []):
        if ctx.node_text(cls.child_by_field_name("name")) == name:
            return class_methods(ctx, cls)
    return {}


def _top_functions(ctx: FileContext) -> dict[str, ts.Node]:
    found = ctx.cache.get("py.route_top_functions")
    if found is None:
        found = {}
        for fn in captures("python", "(function_definition) @f", ctx.root).get("f", []):
            found.setdefault(ctx.node_text(fn.child_by_field_name("name")), fn)
        ctx.cache["py.route_top_functions"] = found
    return found


def _url_rule(ctx: FileContext, apps: _Apps, node: ts.Node, key: str) -> None:
    fw = _framework(ctx, apps, key)
    if fw is None:
        return
    args = arguments(node)
    kw = kwargs(ctx, node)
    path = string_value(ctx, args[0] if args else kw.get("rule"))
    view = kw.get("view_func") or (args[2] if len(args) > 2 else None)
    if path is None or view is None:
        return
    full = _join(apps.prefix(key), path)
    loc = ctx.loc(node)
    view = unwrap(view)
    if view is not None and view.type == "call" and callee_parts(ctx, view)[-1:] == ("as_view",):
        cls = ".".join(callee_parts(ctx, view)[:-1])
        methods = _class_methods(ctx, cls.rsplit(".", 1)[-1])
        verbs = [m for m in _HTTP_METHODS if m in methods]
        if verbs:
            for m in verbs:
                ctx.emit(
                    Route(
                        loc,
                        framework=fw,
                        method=m.upper(),
                        path=full,
                        handler_id=function_id(ctx, methods[m]),
                        receiver=apps.top(key),
                    )
                )
        else:
            ctx.emit(
                Route(loc, framework=fw, method="ANY", path=full, handler_name=cls, receiver=apps.top(key))
            )
        return
    name = ctx.node_text(view)
    local = _top_functions(ctx).get(name)
    for method in _methods(ctx, kw.get("methods"), ("GET",)):
        ctx.emit(
            Route(
                loc,
                framework=fw,
                method=method,
                path=full,
                handler_id=function_id(ctx, local) if local is not None else None,
                handler_name=None if local is not None else name,
                receiver=apps.top(key),
            )
        )


def _extension_init(ctx: FileContext, apps: _Apps, node: ts.Node, parts: tuple[str, ...]) -> None:
    """``Limiter(app, ...)``, ``CORS(app)``, ``limiter.init_app(app)`` -> Middleware."""
    args = arguments(node)
    kw = kwargs(ctx, node)
    targets = [ctx.node_text(a) for a in args] + ([ctx.node_text(kw["app"])] if "app" in kw else [])
    app_arg = next((t for t in targets if t in apps.kinds), None)
    if app_arg is None:
        return
    fw = apps.kinds[app_arg]
    if parts[-1] == "init_app" and len(parts) >= 2:
        owner = ".".join(parts[:-1])
        name, options = owner + ".init_app", kwarg_options(ctx, node)
        for other, oparts in iter_calls(ctx):
            if _assigned_name(ctx, other) == owner and oparts and oparts[-1][:1].isupper():
                name, options = ".".join(oparts), kwarg_options(ctx, other) + options
                break
    elif parts[-1][:1].isupper() and parts[-1] not in _FACTORIES:
        name, options = ".".join(parts), kwarg_options(ctx, node)
    else:
        return
    ctx.emit(
        Middleware(
            ctx.loc(node),
            framework=fw,
            name=name,
            options=options,
            function_id=enclosing_function_id(ctx, node),
        )
    )
