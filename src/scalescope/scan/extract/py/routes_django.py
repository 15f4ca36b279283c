"""Django routes (``urls.py`` ``path``/``re_path``/``url``, class-based views, DRF routers) and
the ``MIDDLEWARE`` setting.

Function views become ``handler_name`` ``views.order_list``; a class-based view defined in the
same file gives one route per HTTP method it defines, otherwise ``handler_name`` is the class
and the project model resolves its methods. DRF ``router.register`` gives the standard viewset
actions (``OrderViewSet.list``...). Prefixes of same-file ``include([...])``/``include(var)``
and ``include(router.urls)`` are applied.
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import Middleware, Mount, Route, RouterDecl
from scalescope.scan.extract.base import FileContext, captures, extractor
from scalescope.scan.extract.py.ast import (
    arguments,
    callee_parts,
    class_methods,
    function_id,
    iter_calls,
    string_value,
    unwrap,
)

_PATH_FUNCS = frozenset({"path", "re_path", "url"})
#: the RouterDecl key of a URLconf module (its ``urlpatterns``)
URLCONF = "urlpatterns"
_DRF_ASSIGN = re.compile(
    r"^(\w+)\s*=\s*(?:\w+\.)*(?:Default|Simple|ExtendedDefault|ExtendedSimple)Router\(", re.M
)
_DRF_ROUTERS = frozenset({"DefaultRouter", "SimpleRouter", "ExtendedDefaultRouter", "ExtendedSimpleRouter"})
_HTTP = ("get", "post", "put", "patch", "delete", "head", "options")
_VIEWSET_ACTIONS = (
    ("list", "GET", ""),
    ("create", "POST", ""),
    ("retrieve", "GET", "{pk}/"),
    ("update", "PUT", "{pk}/"),
    ("partial_update", "PATCH", "{pk}/"),
    ("destroy", "DELETE", "{pk}/"),
)


def _clean(route: str) -> str:
    """``^orders/(?P<pk>\\d+)/$`` -> ``orders/(?P<pk>\\d+)/``."""
    return route.lstrip("^").rstrip("$")


def _join(prefix: str, path: str) -> str:
    if not prefix:
        return path
    return prefix.rstrip("/") + "/" + path.lstrip("/") if path else prefix


def _slash(path: str) -> str:
    return path if path.startswith("/") else "/" + path


class _Views:
    """Classes and functions defined in the file (for same-file views)."""

    def __init__(self, ctx: FileContext) -> None:
        self.classes: dict[str, dict[str, ts.Node]] = {}
        self.functions: dict[str, ts.Node] = {}
        for cls in captures("python", "(class_definition) @c", ctx.root).get("c", []):
            self.classes[ctx.node_text(cls.child_by_field_name("name"))] = class_methods(ctx, cls)
        for stmt in ctx.root.named_children:
            fn = stmt.child_by_field_name("definition") if stmt.type == "decorated_definition" else stmt
            if fn is not None and fn.type == "function_definition":
                self.functions[ctx.node_text(fn.child_by_field_name("name"))] = fn


def _include_prefixes(ctx: FileContext, calls: list[tuple[ts.Node, tuple[str, ...]]]) -> dict[str, str]:
    """Variables included under a prefix in this file: ``path('api/', include(router.urls))``
    -> {"router.urls": "api/"}; ``include(api_patterns)`` -> {"api_patterns": ...}."""
    out: dict[str, str] = {}
    for node, parts in calls:
        if parts[-1:] != ("include",):
            continue
        args = arguments(node)
        target = unwrap(args[0]) if args else None
        if target is None or target.type not in {"identifier", "attribute"}:
            continue
        prefix = _enclosing_prefix(ctx, node)
        if prefix is not None:
            out.setdefault(ctx.node_text(target), prefix)
    return out


def _enclosing_prefix(ctx: FileContext, node: ts.Node) -> str | None:
    """Concatenated route strings of the ``path(...)`` calls enclosing ``node`` (None when a
    route is not a literal)."""
    prefix = ""
    cur = node.parent
    while cur is not None:
        if cur.type == "call" and callee_parts(ctx, cur)[-1:] and callee_parts(ctx, cur)[-1] in _PATH_FUNCS:
            args = arguments(cur)
            if args and args[0].start_byte < node.start_byte:
                value = string_value(ctx, args[0])
                if value is None:
                    return None
                prefix = _join(_clean(value), prefix)
        cur = cur.parent
    return prefix


def _assigned_to(node: ts.Node) -> ts.Node | None:
    """The assignment whose right side contains ``node`` (``urlpatterns = [...]``)."""
    cur = node.parent
    while cur is not None:
        if cur.type == "assignment":
            return cur
        if cur.type in {"function_definition", "class_definition"}:
            return None
        cur = cur.parent
    return None


@extractor(languages=("python",), needs=("urlpatterns", "path(", "url(", ".register("))
def django_routes(ctx: FileContext) -> None:
    """Emit Route facts for Django URL patterns and DRF routers."""
    if "urlpatterns" not in ctx.text and ".register(" not in ctx.text:
        return
    calls = [(n, p) for n, p in iter_calls(ctx) if p]
    views: _Views | None = None
    includes = _include_prefixes(ctx, calls) if "include(" in ctx.text else {}
    drf = {m.group(1) for m in _DRF_ASSIGN.finditer(ctx.text)} if "Router(" in ctx.text else set()
    for node, parts in calls:
        name = parts[-1]
        if name in _PATH_FUNCS and len(parts) <= 2:
            if views is None:
                views = _Views(ctx)
            _path_call(ctx, node, views, includes)
        elif name == "register" and len(parts) >= 2 and ("router" in parts[-2].lower() or parts[-2] in drf):
            if views is None:
                views = _Views(ctx)
            _register(ctx, node, ".".join(parts[:-1]), views, includes)
    _emit_graph(ctx, calls, includes)


def _emit_graph(
    ctx: FileContext, calls: list[tuple[ts.Node, tuple[str, ...]]], includes: dict[str, str]
) -> None:
    """The file's part of the route graph: its ``urlpatterns`` and DRF routers (RouterDecl), and
    a Mount per ``include()`` of another URLconf/router and per list added to ``urlpatterns``."""
    local: set[str] = set()
    for assign in captures("python", "(assignment) @a (augmented_assignment) @a", ctx.root).get("a", []):
        left = ctx.node_text(assign.child_by_field_name("left"))
        local.add(left)
        right = unwrap(assign.child_by_field_name("right"))
        if right is None:
            continue
        if left == URLCONF:
            if assign.type == "assignment" and _top_level(assign):
                ctx.emit(
                    RouterDecl(
                        ctx.loc(assign), framework="django", key=URLCONF, kind="urlconf", names=(URLCONF,)
                    )
                )
            for ref in _added_lists(ctx, right):
                ctx.emit(Mount(ctx.loc(ref), framework="django", parent=URLCONF, child=ctx.node_text(ref)))
        elif (
            right.type == "call"
            and callee_parts(ctx, right)[-1:]
            and callee_parts(ctx, right)[-1] in _DRF_ROUTERS
        ):
            ctx.emit(RouterDecl(ctx.loc(assign), framework="django", key=left, kind="router", names=(left,)))
    if "*" in ctx.text:  # [..., *router.urls]: a router's URLs spread into a list
        for splat in captures("python", "(list_splat) @s", ctx.root).get("s", []):
            inner = unwrap(splat.named_children[0]) if splat.named_children else None
            if inner is None or inner.type not in {"identifier", "attribute"}:
                continue
            found = _list_parent(ctx, splat, includes)
            if found is not None:
                parent, prefix = found
                ctx.emit(
                    Mount(
                        ctx.loc(splat),
                        framework="django",
                        parent=parent,
                        child=ctx.node_text(inner),
                        prefix=prefix,
                    )
                )
    for node, parts in calls:
        if parts[-1:] != ("include",):
            continue
        args = arguments(node)
        target = unwrap(args[0]) if args else None
        if target is not None and target.type in {"tuple", "list"} and target.named_children:
            target = unwrap(target.named_children[0])  # include(("app.urls", "app"), namespace=...)
        if target is None:
            continue
        found = _list_parent(ctx, node, includes)
        if found is None:
            continue
        parent, prefix = found
        module = string_value(ctx, target)
        if module is not None:
            ctx.emit(
                Mount(
                    ctx.loc(node), framework="django", parent=parent, child="", module=module, prefix=prefix
                )
            )
        elif target.type in {"identifier", "attribute"}:
            written = ctx.node_text(target)
            if written.split(".", 1)[0] in local:
                continue  # a list or router of this file: its routes carry the prefix already
            ctx.emit(Mount(ctx.loc(node), framework="django", parent=parent, child=written, prefix=prefix))


def _list_parent(ctx: FileContext, node: ts.Node, includes: dict[str, str]) -> tuple[str, str] | None:
    """``(URL list key, prefix)`` a URL entry at ``node`` belongs to (None when a route
    string around it is not a literal)."""
    prefix = _enclosing_prefix(ctx, node)
    if prefix is None:
        return None
    holder = _assigned_to(node)
    var = ctx.node_text(holder.child_by_field_name("left")) if holder is not None else URLCONF
    return (URLCONF if var in includes else var), _join(includes.get(var, ""), prefix)


def _top_level(node: ts.Node) -> bool:
    stmt = node.parent
    return stmt is not None and stmt.parent is not None and stmt.parent.type == "module"


def _added_lists(ctx: FileContext, node: ts.Node) -> list[ts.Node]:
    """Names whose URL lists are added to ``urlpatterns``: ``urlpatterns = [...] + router.urls``,
    ``urlpatterns += api.urlpatterns``."""
    node = unwrap(node) or node
    if node.type == "binary_operator":
        out: list[ts.Node] = []
        for side in (node.child_by_field_name("left"), node.child_by_field_name("right")):
            if side is not None:
                out.extend(_added_lists(ctx, side))
        return out
    if node.type in {"identifier", "attribute"}:
        return [node]
    return []


@extractor(languages=("python",), needs=("ROOT_URLCONF",))
def django_root_urlconf(ctx: FileContext) -> None:
    """``ROOT_URLCONF = "config.urls"`` in settings: the entry point of the Django URL graph."""
    for assign in captures("python", "(assignment) @a", ctx.root).get("a", []):
        if ctx.node_text(assign.child_by_field_name("left")) != "ROOT_URLCONF":
            continue
        module = string_value(ctx, assign.child_by_field_name("right"))
        if not module:
            continue
        ctx.emit(
            RouterDecl(
                ctx.loc(assign), framework="django", key="ROOT_URLCONF", kind="app", names=(), entry=True
            )
        )
        ctx.emit(Mount(ctx.loc(assign), framework="django", parent="ROOT_URLCONF", child="", module=module))


def _receiver(ctx: FileContext, node: ts.Node, includes: dict[str, str]) -> str:
    """The URL list a ``path()`` belongs to: ``urlpatterns`` (also for a list this file
    includes, whose prefix the route already carries), else the variable it is assigned to."""
    assign = _assigned_to(node)
    if assign is None:
        return URLCONF
    name = ctx.node_text(assign.child_by_field_name("left"))
    return URLCONF if name == URLCONF or name in includes else name


def _var_prefix(ctx: FileContext, node: ts.Node, includes: dict[str, str]) -> str:
    assign = _assigned_to(node)
    if assign is None:
        return ""
    return includes.get(ctx.node_text(assign.child_by_field_name("left")), "")


def _path_call(ctx: FileContext, node: ts.Node, views: _Views, includes: dict[str, str]) -> None:
    args = arguments(node)
    if len(args) < 2:
        return
    route = string_value(ctx, args[0])
    if route is None:
        return
    view = unwrap(args[1])
    if view is None or (view.type == "call" and callee_parts(ctx, view)[-1:] == ("include",)):
        return
    if view.type in {"list", "tuple"}:
        return
    outer = _enclosing_prefix(ctx, node)
    if outer is None:
        return
    receiver = _receiver(ctx, node, includes)
    path = _slash(_join(_var_prefix(ctx, node, includes), _join(outer, _clean(route))))
    loc = ctx.loc(node)
    if view.type == "call":
        vparts = callee_parts(ctx, view)
        if vparts[-1:] != ("as_view",):
            # decorator-wrapped views: cache_page(60)(views.x), login_required(views.y)
            inner = arguments(view)
            target = unwrap(inner[0]) if inner else None
            if target is None or target.type not in {"identifier", "attribute", "call"}:
                return
            view = target
            if view.type == "call":
                vparts = callee_parts(ctx, view)
                if vparts[-1:] != ("as_view",):
                    return
        if view.type == "call":
            cls = ".".join(p for p in vparts[:-1] if p not in {"()", "[]", "?"})
            methods = views.classes.get(cls.rsplit(".", 1)[-1], {})
            verbs = [m for m in _HTTP if m in methods]
            if verbs and "." not in cls:
                for m in verbs:
                    ctx.emit(
                        Route(
                            loc,
                            framework="django",
                            receiver=receiver,
                            method=m.upper(),
                            path=path,
                            handler_id=function_id(ctx, methods[m]),
                        )
                    )
            else:
                ctx.emit(
                    Route(
                        loc,
                        framework="django",
                        receiver=receiver,
                        method="ANY",
                        path=path,
                        handler_name=cls.rsplit(".", 1)[-1],
                    )
                )
            return
    if view.type not in {"identifier", "attribute"}:
        return
    name = ctx.node_text(view)
    local = views.functions.get(name)
    if local is not None:
        ctx.emit(
            Route(
                loc,
                framework="django",
                receiver=receiver,
                method="ANY",
                path=path,
                handler_id=function_id(ctx, local),
            )
        )
    else:
        ctx.emit(
            Route(loc, framework="django", receiver=receiver, method="ANY", path=path, handler_name=name)
        )


def _register(ctx: FileContext, node: ts.Node, router: str, views: _Views, includes: dict[str, str]) -> None:
    args = arguments(node)
    if len(args) < 2:
        return
    prefix = string_value(ctx, args[0])
    viewset = unwrap(args[1])
    if prefix is None or viewset is None or viewset.type not in {"identifier", "attribute"}:
        return
    cls = ctx.node_text(viewset).rsplit(".", 1)[-1]
    mount = includes.get(router + ".urls", "")
    receiver = URLCONF if router + ".urls" in includes or router in includes else router
    base = _slash(_join(mount, _clean(prefix).rstrip("/") + "/"))
    local = views.classes.get(cls)
    loc = ctx.loc(node)
    for action, method, suffix in _VIEWSET_ACTIONS:
        if local is not None and action in local:
            ctx.emit(
                Route(
                    loc,
                    framework="django",
                    receiver=receiver,
                    method=method,
                    path=base + suffix,
                    handler_id=function_id(ctx, local[action]),
                )
            )
        elif local is None or not local:
            ctx.emit(
                Route(
                    loc,
                    framework="django",
                    receiver=receiver,
                    method=method,
                    path=base + suffix,
                    handler_name=f"{cls}.{action}",
                )
            )


@extractor(languages=("python",), needs=("MIDDLEWARE",))
def django_middleware(ctx: FileContext) -> None:
    """One Middleware per entry of ``MIDDLEWARE = [...]`` (also ``+=``) in settings modules."""
    for assign in captures("python", "(assignment) @a (augmented_assignment) @a", ctx.root).get("a", []):
        left = ctx.node_text(assign.child_by_field_name("left"))
        if left not in {"MIDDLEWARE", "MIDDLEWARE_CLASSES"}:
            continue
        right = unwrap(assign.child_by_field_name("right"))
        if right is None or right.type not in {"list", "tuple"}:
            continue
        for item in right.named_children:
            value = string_value(ctx, item)
            if value:
                ctx.emit(Middleware(ctx.loc(item), framework="django", name=value))
