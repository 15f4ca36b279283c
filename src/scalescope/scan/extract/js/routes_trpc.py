"""tRPC procedures as routes, and the tRPC route graph (routers, sub-routers, adapters).

Every procedure becomes a :class:`Route` of framework ``trpc`` whose ``method`` is ``QUERY`` /
``MUTATION`` / ``SUBSCRIPTION`` (the GraphQL vocabulary: a query is a read served over GET, a
mutation a write) and whose handler is the function given to ``.query()`` / ``.mutation()`` /
``.subscription()``, so the call graph reaches what the procedure calls.

- Procedures: a chain ending in ``.query(fn)`` / ``.mutation(fn)`` / ``.subscription(fn)`` on
  a procedure builder (``t.procedure``, ``publicProcedure``, ``protectedProcedure``,
  ``adminProcedure``, a builder chained with ``.use(mw)`` / ``.input(z...)``), written inline as
  a value of a router object, or bound to a variable (``export const byId =
  publicProcedure.query(...)``) that a router object names later. The builder and the
  ``.use()`` middleware of the chain (and of a same-file builder variable it starts from) are
  the route's ``middleware``, so an ``adminProcedure`` is an admin route.
- Routers: ``router({...})`` / ``t.router({...})`` / ``createTRPCRouter({...})`` with an object
  argument in a file that shows tRPC (``trpc`` or ``procedure`` in its text). Nested router
  calls and plain nested objects (tRPC v11 sub-routers) are walked in place, their keys joining
  the path (``user.byId``); a key whose value is a name (``user: userRouter``, ``byId``) is a
  :class:`Mount` under that key. ``mergeRouters(a, b)`` / ``t.mergeRouters`` mount their
  arguments without a key.
- Graph: each top-level router is a :class:`RouterDecl` (kind ``router``, named by its variable
  and export names); a procedure bound to a variable is one too (kind ``procedure``), with one
  route whose path, as written, is the variable name (a router that mounts it gives it the key
  path instead). An adapter that serves a router is an entry point (kind ``app``) mounting it:
  ``createNextApiHandler`` / ``fetchRequestHandler`` / ``createExpressMiddleware`` /
  ``createHTTPServer`` / ``createHTTPHandler`` / ``trpcServer`` (Hono) / the OpenAPI and
  Lambda adapters, any options object holding ``router`` and ``createContext`` (the adapter
  options every tRPC adapter takes: Fastify's ``trpcOptions``, an app's own wrapper around an
  adapter), and ``createCallerFactory(appRouter)`` / ``appRouter.createCaller(ctx)`` (server
  code calling procedures directly). :mod:`scalescope.model.mounts` joins the graph across
  files and gives reached procedures their full dotted path.

Not modelled: tRPC v9 ``createRouter().query('name', {...}).merge('prefix.', r)`` chains, and
routers built inside functions (a router factory) are keyed by their variable as if module-level.
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import Loc, Mount, Route, RouterDecl
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, extractor
from scalescope.scan.extract.js.ast import (
    FUNCTION_TYPES,
    arguments,
    callee_parts,
    enclosing_function_id,
    iter_calls,
    object_pairs,
    unwrap,
)
from scalescope.scan.extract.js.routes_common import locals_of, middleware_names, resolve_handler
from scalescope.scan.extract.js.routes_mounts import child_ref, export_table

FRAMEWORK = "trpc"
_KINDS = {"query": "QUERY", "mutation": "MUTATION", "subscription": "SUBSCRIPTION"}
_ROUTER_CALLS = frozenset({"router", "createTRPCRouter", "createTrpcRouter", "createRouter", "trpcRouter"})
_MERGE_CALLS = frozenset({"mergeRouters", "mergeTRPCRouters"})
_BUILDER = re.compile(r"(?i)procedure$")
#: adapter calls whose options name the router they serve
_ADAPTERS = frozenset(
    {
        "createNextApiHandler",
        "fetchRequestHandler",
        "createExpressMiddleware",
        "createHTTPServer",
        "createHTTPHandler",
        "nodeHTTPRequestHandler",
        "trpcServer",
        "applyWSSHandler",
        "awsLambdaRequestHandler",
        "createAWSLambdaHandler",
        "createOpenApiNextHandler",
        "createOpenApiExpressMiddleware",
        "createOpenApiFetchHandler",
        "createOpenApiHttpHandler",
        "createOpenApiNodeHttpHandler",
        "createOpenApiAwsLambdaHandler",
        "fastifyTRPCOpenApiPlugin",
    }
)
_CALLER_FACTORIES = frozenset({"createCallerFactory"})
_MAX_DEPTH = 8


def _shows_trpc(ctx: FileContext) -> bool:
    low = ctx.text.lower()
    return "trpc" in low or "procedure" in low


def _declared(node: ts.Node) -> tuple[str | None, bool]:
    """``(variable name, exported as default)`` of a value: ``const x = <node>`` /
    ``export default <node>``."""
    parent = node.parent
    while parent is not None and parent.type in {
        "await_expression",
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
    }:
        parent = parent.parent
    if parent is None:
        return None, False
    if parent.type == "variable_declarator":
        name = parent.child_by_field_name("name")
        if name is not None and name.type == "identifier" and name.text:
            return name.text.decode("utf-8", "replace"), False
    if parent.type == "export_statement":
        return None, True
    return None, False


def _names(ctx: FileContext, key: str | None, default: bool, anon: str) -> tuple[str, tuple[str, ...]]:
    """RouterDecl key and names of a router/procedure declared as ``key`` (or default-exported)."""
    if key is None:
        return anon, (anon, "default") if default else (anon,)
    return key, tuple(dict.fromkeys((key, *export_table(ctx).names.get(key, ()))))


def _is_router_call(parts: tuple[str, ...], node: ts.Node) -> bool:
    if not parts or parts[-1] not in _ROUTER_CALLS:
        return False
    args = arguments(node)
    first = unwrap(args[0]) if args else None
    return first is not None and first.type == "object"


def _procedure_parts(ctx: FileContext, node: ts.Node | None) -> tuple[str, tuple[str, ...]] | None:
    """``(kind, callee parts)`` when ``node`` is ``<chain>.query(fn)`` / ``.mutation`` /
    ``.subscription``; ``None`` otherwise."""
    node = unwrap(node)
    if node is None or node.type != "call_expression":
        return None
    parts = callee_parts(ctx, node)
    if len(parts) < 2 or parts[-1] not in _KINDS:
        return None
    args = arguments(node)
    if not args:
        return None
    handler = unwrap(args[0])
    if handler is None or handler.type not in (FUNCTION_TYPES | {"identifier", "member_expression"}):
        return None
    return _KINDS[parts[-1]], parts


class _File:
    """The tRPC pieces of one file, found in one pass over its calls."""

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.done: set[int] = set()  # procedure / router calls already placed in a router
        self.builders: dict[str, ts.Node] = {}
        self.module_names: set[str] = set(locals_of(ctx).imported)
        for stmt in ctx.root.named_children:
            decl = stmt
            if decl.type == "export_statement":
                decl = next(
                    (
                        c
                        for c in decl.named_children
                        if c.type in {"lexical_declaration", "variable_declaration"}
                    ),
                    decl,
                )
            if decl.type not in {"lexical_declaration", "variable_declaration"}:
                continue
            for var in decl.named_children:
                name = var.child_by_field_name("name") if var.type == "variable_declarator" else None
                value = unwrap(var.child_by_field_name("value")) if name is not None else None
                if name is not None and name.type == "identifier":
                    self.module_names.add(ctx.node_text(name))
                elif name is not None:  # const { appRouter } = require("./router")
                    stack = [name]
                    while stack:
                        cur = stack.pop()
                        if cur.type in {"identifier", "shorthand_property_identifier_pattern"}:
                            self.module_names.add(ctx.node_text(cur))
                        stack.extend(cur.named_children)
                if value is not None and value.type in {"call_expression", "member_expression"}:
                    self.builders[ctx.node_text(name)] = value

    # ------------------------------------------------------------------ procedures

    def middleware(self, node: ts.Node, depth: int = 0) -> tuple[str, ...]:
        """The builder a procedure chain starts from and the ``.use()`` middleware on the way
        (through a same-file builder variable: ``const adminProc = t.procedure.use(isAdmin)``)."""
        ctx = self.ctx
        out: list[str] = []
        cur: ts.Node | None = unwrap(node)
        uses: list[str] = []
        while cur is not None and cur.type == "call_expression":
            fn = unwrap(cur.child_by_field_name("function"))
            if fn is None or fn.type != "member_expression":
                break
            if ctx.node_text(fn.child_by_field_name("property")) == "use":
                uses[:0] = middleware_names(ctx, arguments(cur))
            cur = unwrap(fn.child_by_field_name("object"))
        if cur is not None and cur.type in {"identifier", "member_expression"}:
            base = ctx.node_text(cur)
            if cur.type == "member_expression" and cur.child_by_field_name("object") is not None:
                inner = unwrap(cur.child_by_field_name("object"))
                if inner is not None and inner.type == "call_expression":  # t.procedure.use(a).x
                    out.extend(self.middleware(inner, depth + 1))
                    base = ""
            if base:
                out.append(base)
                value = self.builders.get(base)
                if value is not None and depth < _MAX_DEPTH and value is not node:
                    out.extend(self.middleware(value, depth + 1))
        out.extend(uses)
        return tuple(dict.fromkeys(n for n in out if n))

    def route(self, node: ts.Node, kind: str, path: str, receiver: str, anchor: ts.Node) -> None:
        ctx = self.ctx
        handler = unwrap(arguments(node)[0])
        hid, hname = resolve_handler(ctx, handler)
        fn = unwrap(node.child_by_field_name("function"))
        chain = unwrap(fn.child_by_field_name("object")) if fn is not None else None
        self.done.add(node.start_byte)
        ctx.emit(
            Route(
                Loc(ctx.path, anchor.start_point[0] + 1, node.end_point[0] + 1),
                framework=FRAMEWORK,
                method=kind,
                path=path,
                handler_id=hid,
                handler_name=hname,
                middleware=self.middleware(chain) if chain is not None else (),
                receiver=receiver,
            )
        )

    # ------------------------------------------------------------------ routers

    def router(self, call: ts.Node) -> None:
        """A top-level router call: its RouterDecl, its procedures and its mounts."""
        ctx = self.ctx
        name, default = _declared(call)
        key, names = _names(ctx, name, default, f"<trpc@{call.start_byte}>")
        ctx.emit(RouterDecl(ctx.loc(call), framework=FRAMEWORK, key=key, kind="router", names=names))
        self.done.add(call.start_byte)
        self.walk(unwrap(arguments(call)[0]), (), key, 0)

    def walk(self, obj: ts.Node | None, prefix: tuple[str, ...], key: str, depth: int) -> None:
        ctx = self.ctx
        if obj is None or depth > _MAX_DEPTH:
            return
        for field, value in object_pairs(ctx, obj).items():
            path = (*prefix, field)
            v = unwrap(value)
            if v is None:
                continue
            if v.type == "object":  # a v11 sub-router written as a plain object
                self.walk(v, path, key, depth + 1)
                continue
            if v.type == "call_expression":
                found = _procedure_parts(ctx, v)
                if found is not None:
                    anchor = value.parent if value.parent is not None and value.parent.type == "pair" else v
                    self.route(v, found[0], ".".join(path), key, anchor)
                    continue
                parts = callee_parts(ctx, v)
                if _is_router_call(parts, v):
                    self.done.add(v.start_byte)
                    self.walk(unwrap(arguments(v)[0]), path, key, depth + 1)
                    continue
                if parts and parts[-1] in _MERGE_CALLS:
                    self.done.add(v.start_byte)
                    for arg in arguments(v):
                        self.mount(key, arg, path, v)
                    continue
            self.mount(key, value, path, value)

    def mount(self, parent: str, value: ts.Node, path: tuple[str, ...], at: ts.Node) -> None:
        ctx = self.ctx
        inner = unwrap(value)
        if inner is None or inner.type not in {
            "identifier",
            "shorthand_property_identifier",
            "member_expression",
        }:
            return
        ref = child_ref(ctx, inner)
        if ref is None or not ref.child:
            return
        ctx.emit(
            Mount(
                ctx.loc(at),
                framework=FRAMEWORK,
                parent=parent,
                child=ref.child,
                module=ref.module,
                prefix=".".join(path),
                function_id=enclosing_function_id(ctx, at),
            )
        )

    def merged(self, call: ts.Node) -> None:
        """``export const appRouter = mergeRouters(a, b)``: a router mounting its arguments."""
        ctx = self.ctx
        name, default = _declared(call)
        key, names = _names(ctx, name, default, f"<trpc@{call.start_byte}>")
        ctx.emit(RouterDecl(ctx.loc(call), framework=FRAMEWORK, key=key, kind="router", names=names))
        for arg in arguments(call):
            inner = unwrap(arg)
            if inner is not None and inner.type == "call_expression":
                parts = callee_parts(ctx, inner)
                if _is_router_call(parts, inner):
                    self.done.add(inner.start_byte)
                    self.walk(unwrap(arguments(inner)[0]), (), key, 0)
                    continue
            self.mount(key, arg, (), call)

    def standalone(self, call: ts.Node, kind: str) -> None:
        """A procedure bound to a variable: a node of the graph of its own."""
        ctx = self.ctx
        name, default = _declared(call)
        if name is None and not default:
            return
        key, names = _names(ctx, name, default, f"<trpc-procedure@{call.start_byte}>")
        ctx.emit(RouterDecl(ctx.loc(call), framework=FRAMEWORK, key=key, kind="procedure", names=names))
        self.route(call, kind, name or "default", key, call)

    # ------------------------------------------------------------------ adapters

    def adapter(self, at: ts.Node, router: ts.Node) -> None:
        ctx = self.ctx
        key = f"<trpc-adapter@{at.start_byte}>"
        ref = child_ref(ctx, router)
        if ref is None or not ref.child or ref.dynamic:
            return
        if not ref.module and ref.child.split(".", 1)[0] not in self.module_names:
            # a parameter or a destructured option (``setupTRPC(app, { router })``): what it
            # serves is decided by a caller out of sight; no entry point, so the routers of
            # this package are kept as written rather than taken as unmounted
            return
        ctx.emit(RouterDecl(ctx.loc(at), framework=FRAMEWORK, key=key, kind="app", names=(key,), entry=True))
        ctx.emit(
            Mount(
                ctx.loc(at),
                framework=FRAMEWORK,
                parent=key,
                child=ref.child,
                module=ref.module,
                function_id=enclosing_function_id(ctx, at),
            )
        )


def _served_router(ctx: FileContext, obj: ts.Node | None, named: bool, depth: int = 0) -> ts.Node | None:
    """The ``router`` of adapter options: ``{ router, createContext }`` (or any options of a
    named adapter), possibly one level down (``{ trpcOptions: { router, createContext } }``)."""
    obj = unwrap(obj)
    if obj is None or obj.type != "object" or depth > 2:
        return None
    pairs = object_pairs(ctx, obj)
    router = pairs.get("router")
    if router is not None and (named or "createContext" in pairs):
        return router
    for value in pairs.values():
        inner = unwrap(value)
        if inner is not None and inner.type == "object":
            found = _served_router(ctx, inner, named, depth + 1)
            if found is not None:
                return found
    return None


@extractor(
    languages=JS_LANGUAGES, needs=("rocedure", "trpc", "TRPC", "Trpc", "createCaller", "createContext")
)
def trpc_routes(ctx: FileContext) -> None:
    """Routes for tRPC procedures; RouterDecls/Mounts for routers, sub-routers and adapters."""
    if not _shows_trpc(ctx) and "createContext" not in ctx.text:
        return
    state = _File(ctx)
    calls = iter_calls(ctx)
    trpc = _shows_trpc(ctx)
    if trpc:
        # document order: an outer router comes before the routers and procedures inside it
        for node, parts in calls:
            if node.start_byte in state.done:
                continue
            if _is_router_call(parts, node):
                state.router(node)
            elif parts and parts[-1] in _MERGE_CALLS and arguments(node):
                state.done.add(node.start_byte)
                state.merged(node)
        for node, parts in calls:
            if node.start_byte in state.done or not parts or parts[-1] not in _KINDS:
                continue
            found = _procedure_parts(ctx, node)
            if found is not None and (
                any(_BUILDER.search(p) for p in parts[:-1])
                or any(_BUILDER.search(p) for p in state.middleware(node))
            ):
                state.standalone(node, found[0])
    seen: set[int] = set()
    for node, parts in calls:
        if not parts:
            continue
        last = parts[-1]
        args = arguments(node)
        if last in _CALLER_FACTORIES and args:
            state.adapter(node, args[0])
            continue
        if last == "createCaller" and len(parts) >= 2:
            fn = unwrap(node.child_by_field_name("function"))
            obj = unwrap(fn.child_by_field_name("object")) if fn is not None else None
            if obj is not None and obj.type in {"identifier", "member_expression"}:
                state.adapter(node, obj)
            continue
        named = last in _ADAPTERS
        if not named and "createContext" not in ctx.text:
            continue
        for arg in args:
            inner = unwrap(arg)
            if inner is None or inner.type != "object" or inner.start_byte in seen:
                continue
            router = _served_router(ctx, inner, named)
            if router is not None:
                seen.add(inner.start_byte)
                state.adapter(node, router)
                break
