"""GraphQL resolvers as routes: graphene, strawberry and ariadne.

Every resolver becomes a :class:`Route` whose ``method`` is ``QUERY`` / ``MUTATION`` /
``SUBSCRIPTION`` for fields of the root types and ``FIELD`` for fields of other object types
(run once per parent object), and whose ``path`` is ``Type.field`` in GraphQL spelling
(graphene camel-cases ``resolve_product_variants`` to ``productVariants``).

- graphene: ``class Query(graphene.ObjectType)`` + ``def resolve_x(root, info)``; root types by
  class name (``Query``, ``ProductQueries``, ``Mutation``...), by ``graphene.Schema(query=...)``
  or as bases of a root class of the same file. ``resolve_*`` methods of other classes are
  ``FIELD`` when they take ``info``. ``graphene.Mutation`` subclasses (saleor's
  ``BaseMutation``/``ModelMutation``...) yield ``MUTATION`` routes for ``mutate``,
  ``mutate_and_get_payload`` and ``perform_mutation``.
- strawberry: ``@strawberry.type`` classes with ``@strawberry.field`` / ``mutation`` /
  ``subscription`` methods or ``x: T = strawberry.field(resolver=fn)`` attributes.
- ariadne: ``query = QueryType()`` / ``ObjectType("Product")`` bindables with
  ``@query.field("x")`` decorators or ``query.set_field("x", fn)``.
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import Loc, Route
from scalescope.scan.extract.base import FileContext, captures, extractor
from scalescope.scan.extract.py.ast import (
    arguments,
    callee_parts,
    decorators,
    dotted,
    function_id,
    iter_calls,
    kwargs,
    string_value,
    unwrap,
)

ROOT_METHODS = {"Query": "QUERY", "Mutation": "MUTATION", "Subscription": "SUBSCRIPTION"}
_ROOT_NAME = re.compile(r"^\w*?(Query|Queries|Mutation|Mutations|Subscription|Subscriptions)$")
_MUTATION_BASE = re.compile(r"Mutation$")
_MUTATION_ENTRIES = ("mutate", "mutate_and_get_payload", "perform_mutation")
_STRAWBERRY_FIELD = {
    "field": "FIELD",
    "mutation": "MUTATION",
    "subscription": "SUBSCRIPTION",
    "connection": "FIELD",
}
_ARIADNE_ROOTS = {"QueryType": "Query", "MutationType": "Mutation", "SubscriptionType": "Subscription"}
_ARIADNE_TYPES = frozenset({"ObjectType", "InterfaceType", "UnionType"})


def camel(name: str) -> str:
    """graphene's auto camel case: ``product_variants`` -> ``productVariants``."""
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _root_of(name: str) -> str | None:
    """``ProductQueries`` -> ``Query``; ``AccountMutations`` -> ``Mutation``; else ``None``."""
    m = _ROOT_NAME.match(name)
    if m is None:
        return None
    word = m.group(1)
    if word.startswith("Quer"):
        return "Query"
    if word.startswith("Mutation"):
        return "Mutation"
    return "Subscription"


def _class_parts(ctx: FileContext, cls: ts.Node) -> tuple[str, list[str], ts.Node | None]:
    """``(name, base names (last dotted part, generics stripped), body)`` of a class."""
    name = ctx.node_text(cls.child_by_field_name("name"))
    bases: list[str] = []
    supers = cls.child_by_field_name("superclasses")
    if supers is not None:
        for arg in supers.named_children:
            if arg.type == "keyword_argument":
                continue
            node = arg.child_by_field_name("value") if arg.type == "subscript" else arg
            parts = dotted(ctx, node)
            if parts:
                bases.append(parts[-1])
    return name, bases, cls.child_by_field_name("body")


def _methods(body: ts.Node | None) -> list[ts.Node]:
    """Function definitions directly in a class body (through decorators)."""
    out: list[ts.Node] = []
    if body is None:
        return out
    for child in body.named_children:
        node = child
        if node.type == "decorated_definition":
            node = node.child_by_field_name("definition") or node
        if node.type == "function_definition":
            out.append(node)
    return out


def _params(ctx: FileContext, fn: ts.Node) -> list[str]:
    params = fn.child_by_field_name("parameters")
    if params is None:
        return []
    return [ctx.node_text(p).split(":")[0].split("=")[0].strip() for p in params.named_children]


def _anchor(fn: ts.Node) -> ts.Node:
    parent = fn.parent
    return parent if parent is not None and parent.type == "decorated_definition" else fn


def _loc(ctx: FileContext, fn: ts.Node) -> Loc:
    """From the first decorator (or ``def``) to the ``def`` line."""
    name = fn.child_by_field_name("name") or fn
    return Loc(ctx.path, _anchor(fn).start_point[0] + 1, name.end_point[0] + 1)


def _meta_name(ctx: FileContext, body: ts.Node | None) -> str | None:
    """``class Meta: name = "X"`` inside a graphene type."""
    if body is None:
        return None
    for child in body.named_children:
        if child.type != "class_definition" or ctx.node_text(child.child_by_field_name("name")) != "Meta":
            continue
        inner = child.child_by_field_name("body")
        for stmt in inner.named_children if inner is not None else []:
            expr = (
                stmt.named_children[0]
                if stmt.type == "expression_statement" and stmt.named_children
                else None
            )
            if (
                expr is not None
                and expr.type == "assignment"
                and ctx.node_text(expr.child_by_field_name("left")) == "name"
            ):
                return string_value(ctx, expr.child_by_field_name("right"))
    return None


def _is_abstract(ctx: FileContext, body: ts.Node | None) -> bool:
    if body is None:
        return False
    for child in body.named_children:
        if child.type == "class_definition" and ctx.node_text(child.child_by_field_name("name")) == "Meta":
            return bool(re.search(r"\babstract\s*=\s*True", ctx.node_text(child)))
    return False


def _schema_roots(ctx: FileContext) -> dict[str, str]:
    """Classes passed as ``query=`` / ``mutation=`` / ``subscription=`` to a schema in this
    file (``graphene.Schema``, ``strawberry.Schema``, saleor's ``build_federated_schema``)."""
    out: dict[str, str] = {}
    if "Schema" not in ctx.text and "schema" not in ctx.text:
        return out
    for call, parts in iter_calls(ctx):
        if not parts or "schema" not in parts[-1].lower():
            continue
        kw = kwargs(ctx, call)
        args = arguments(call)
        first = unwrap(args[0]) if args else None
        if first is not None and "query" not in kw and first.type == "identifier":
            out[ctx.node_text(first)] = "Query"
        for key, root in (("query", "Query"), ("mutation", "Mutation"), ("subscription", "Subscription")):
            value = unwrap(kw.get(key))
            if value is not None and value.type == "identifier":
                out[ctx.node_text(value)] = root
    return out


def _emit(
    ctx: FileContext, framework: str, method: str, path: str, fn: ts.Node, loc: Loc | None = None
) -> None:
    ctx.emit(
        Route(
            loc or _loc(ctx, fn),
            framework=framework,
            method=method,
            path=path,
            handler_id=function_id(ctx, fn),
        )
    )


# --------------------------------------------------------------------------- graphene


def _takes_info(params: list[str]) -> bool:
    """A graphene resolver takes ``info`` (often spelled ``_info``) among its first parameters."""
    return any(p.lstrip("_") == "info" for p in params[:4])


@extractor(languages=("python",), needs=("graphene", "def resolve_", "perform_mutation"))
def graphene_routes(ctx: FileContext) -> None:
    """Routes for graphene ``resolve_*`` methods and ``Mutation`` subclasses."""
    classes = captures("python", "(class_definition) @c", ctx.root).get("c", [])
    if not classes:
        return
    roots = _schema_roots(ctx)
    parsed = [(cls, *_class_parts(ctx, cls)) for cls in classes]
    # bases of a root class of this file are root fragments too (``class Query(ProductQueries)``)
    for _cls, name, bases, _body in parsed:
        root = roots.get(name) or (name if name in ROOT_METHODS else None)
        if root is not None:
            for base in bases:
                roots.setdefault(base, root)
    for _cls, name, bases, body in parsed:
        if body is None or "strawberry" in " ".join(ctx.node_text(d) for d in decorators(ctx, _cls)):
            continue
        methods = _methods(body)
        if not methods:
            continue
        is_mutation = any(_MUTATION_BASE.search(b) for b in bases) and name not in roots
        if is_mutation and name not in ROOT_METHODS:
            if _is_abstract(ctx, body):
                continue
            field_name = name[:1].lower() + name[1:]
            for fn in methods:
                if ctx.node_text(fn.child_by_field_name("name")) in _MUTATION_ENTRIES:
                    _emit(
                        ctx,
                        "graphene",
                        "MUTATION",
                        f"Mutation.{field_name}",
                        fn,
                        ctx.loc(_cls.child_by_field_name("name") or _cls),
                    )
            continue
        root = roots.get(name) or _root_of(name)
        type_name = root or _meta_name(ctx, body) or name
        for fn in methods:
            fname = ctx.node_text(fn.child_by_field_name("name"))
            if not fname.startswith("resolve_") or len(fname) <= len("resolve_"):
                continue
            if not _takes_info(_params(ctx, fn)):
                continue
            method = ROOT_METHODS[root] if root else "FIELD"
            _emit(ctx, "graphene", method, f"{type_name}.{camel(fname[len('resolve_') :])}", fn)


# --------------------------------------------------------------------------- strawberry


def _strawberry_kind(ctx: FileContext, deco: ts.Node) -> tuple[str, str | None] | None:
    """``@strawberry.field(name="x")`` -> ("FIELD", "x"); ``@strawberry.mutation`` -> ("MUTATION", None)."""
    call = deco if deco.type == "call" else None
    target = deco.child_by_field_name("function") if call is not None else deco
    parts = dotted(ctx, target)
    if len(parts) < 2 or not parts[0].startswith("strawberry"):
        return None
    kind = _STRAWBERRY_FIELD.get(parts[-1])
    if kind is None:
        return None
    name = string_value(ctx, kwargs(ctx, call).get("name")) if call is not None else None
    return kind, name


def _strawberry_type(ctx: FileContext, cls: ts.Node) -> str | None:
    """GraphQL type name of a ``@strawberry.type`` class (``name=`` or the class name)."""
    for deco in decorators(ctx, cls):
        target = deco.child_by_field_name("function") if deco.type == "call" else deco
        parts = dotted(ctx, target)
        if parts and parts[0].startswith("strawberry") and parts[-1] in {"type", "interface"}:
            named = string_value(ctx, kwargs(ctx, deco).get("name")) if deco.type == "call" else None
            return named or ctx.node_text(cls.child_by_field_name("name"))
    return None


@extractor(languages=("python",), needs=("strawberry",))
def strawberry_routes(ctx: FileContext) -> None:
    """Routes for resolvers of ``@strawberry.type`` classes."""
    roots = _schema_roots(ctx)
    for cls in captures("python", "(class_definition) @c", ctx.root).get("c", []):
        type_name = _strawberry_type(ctx, cls)
        if type_name is None:
            continue
        root = roots.get(ctx.node_text(cls.child_by_field_name("name"))) or (
            type_name if type_name in ROOT_METHODS else None
        )
        body = cls.child_by_field_name("body")
        for fn in _methods(body):
            for deco in decorators(ctx, fn):
                found = _strawberry_kind(ctx, deco)
                if found is None:
                    continue
                kind, named = found
                field_name = named or camel(ctx.node_text(fn.child_by_field_name("name")))
                method = ROOT_METHODS[root] if root else "FIELD"
                if kind != "FIELD" and root is None:
                    method = kind
                _emit(ctx, "strawberry", method, f"{root or type_name}.{field_name}", fn)
                break
        # ``products: list[Product] = strawberry.field(resolver=get_products)``
        for stmt in body.named_children if body is not None else []:
            expr = (
                stmt.named_children[0]
                if stmt.type == "expression_statement" and stmt.named_children
                else None
            )
            if expr is None or expr.type != "assignment":
                continue
            value = unwrap(expr.child_by_field_name("right"))
            if value is None or value.type != "call":
                continue
            kind_name = _strawberry_kind(ctx, value)
            resolver = unwrap(kwargs(ctx, value).get("resolver"))
            if kind_name is None or resolver is None or resolver.type not in {"identifier", "attribute"}:
                continue
            kind, named = kind_name
            left = ctx.node_text(expr.child_by_field_name("left"))
            field_name = named or camel(left)
            method = ROOT_METHODS[root] if root else ("FIELD" if kind == "FIELD" else kind)
            ctx.emit(
                Route(
                    ctx.loc(expr),
                    framework="strawberry",
                    method=method,
                    path=f"{root or type_name}.{field_name}",
                    handler_name=ctx.node_text(resolver),
                )
            )


# --------------------------------------------------------------------------- ariadne


def _ariadne_bindables(ctx: FileContext) -> dict[str, str]:
    """``variable -> GraphQL type`` for ``x = QueryType()`` / ``x = ObjectType("Product")``."""
    out: dict[str, str] = {}
    for call, parts in iter_calls(ctx):
        if not parts:
            continue
        ctor = parts[-1]
        if ctor not in _ARIADNE_ROOTS and ctor not in _ARIADNE_TYPES:
            continue
        parent = call.parent
        if parent is None or parent.type != "assignment":
            continue
        left = parent.child_by_field_name("left")
        if left is None or left.type != "identifier":
            continue
        if ctor in _ARIADNE_ROOTS:
            out[ctx.node_text(left)] = _ARIADNE_ROOTS[ctor]
        else:
            args = arguments(call)
            name = string_value(ctx, args[0]) if args else None
            if name:
                out[ctx.node_text(left)] = name
    return out


@extractor(languages=("python",), needs=("ariadne",))
def ariadne_routes(ctx: FileContext) -> None:
    """Routes for ``@query.field("x")`` resolvers and ``query.set_field("x", fn)``."""
    bindables = _ariadne_bindables(ctx)
    if not bindables:
        return
    for fn in captures("python", "(function_definition) @f", ctx.root).get("f", []):
        for deco in decorators(ctx, fn):
            if deco.type != "call":
                continue
            parts = callee_parts(ctx, deco)
            if len(parts) != 2 or parts[0] not in bindables or parts[1] not in {"field", "source"}:
                continue
            args = arguments(deco)
            field_name = string_value(ctx, args[0]) if args else None
            if not field_name:
                continue
            type_name = bindables[parts[0]]
            method = ROOT_METHODS.get(type_name, "FIELD")
            _emit(ctx, "ariadne", method, f"{type_name}.{field_name}", fn)
    for call, parts in iter_calls(ctx):
        if len(parts) != 2 or parts[0] not in bindables or parts[1] != "set_field":
            continue
        args = arguments(call)
        if len(args) < 2:
            continue
        field_name = string_value(ctx, args[0])
        handler = unwrap(args[1])
        if not field_name or handler is None or handler.type not in {"identifier", "attribute"}:
            continue
        type_name = bindables[parts[0]]
        ctx.emit(
            Route(
                ctx.loc(call),
                framework="ariadne",
                method=ROOT_METHODS.get(type_name, "FIELD"),
                path=f"{type_name}.{field_name}",
                handler_name=ctx.node_text(handler),
            )
        )
