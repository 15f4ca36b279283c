"""GraphQL resolvers as routes: NestJS (``@nestjs/graphql``), type-graphql and Apollo-style
resolver maps.

Every resolver becomes a :class:`Route` whose ``method`` is ``QUERY`` / ``MUTATION`` /
``SUBSCRIPTION`` for fields of the root types and ``FIELD`` for fields of other object types
(run once per parent object), and whose ``path`` is ``Type.field``.

- NestJS / type-graphql: ``@Resolver(() => Product)`` classes; ``@Query()``, ``@Mutation()``,
  ``@Subscription()`` methods are root fields (``name:`` option or the method name),
  ``@ResolveField()`` / ``@FieldResolver()`` methods are ``FIELD`` routes of the resolver's type.
- Resolver maps (Apollo Server, graphql-tools, Yoga, Mercurius): an object literal with a
  ``Query`` / ``Mutation`` / ``Subscription`` key (or assigned to a ``*resolvers`` variable)
  whose type keys map field names to functions (``{ Product: { variants: (parent) => ... } }``).
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import Loc, Route
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.js.ast import (
    FUNCTION_TYPES,
    arguments,
    decorator_call,
    decorators_of,
    function_id,
    object_pairs,
    string_value,
    unwrap,
)

ROOT_METHODS = {"Query": "QUERY", "Mutation": "MUTATION", "Subscription": "SUBSCRIPTION"}
_FIELD_DECORATORS = frozenset({"ResolveField", "FieldResolver", "ResolveProperty"})
_CLASS_TYPES = frozenset({"class_declaration", "abstract_class_declaration", "class"})
_TYPE_NAME = re.compile(r"[A-Z][\w$]*")
_ROOT_KEY = re.compile(r"\b(Query|Mutation|Subscription)\s*:\s*\{")
_MAP_VAR = re.compile(r"\b([A-Za-z_$][\w$]*[Rr]esolvers?)\s*(?::\s*[\w$.<>\[\], ]+)?=\s*\{")
_MAX_MAPS = 50


# --------------------------------------------------------------------------- decorators


def _type_of(ctx: FileContext, node: ts.Node | None) -> str | None:
    """``() => Product`` / ``of => [Product]`` / ``Product`` / ``"Product"`` -> ``Product``."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "arrow_function":
        node = unwrap(node.child_by_field_name("body"))
        if node is None:
            return None
    value = string_value(ctx, node)
    raw = value if value is not None else ctx.node_text(node)
    m = _TYPE_NAME.search(raw)
    return (
        m.group(0)
        if m is not None and node.type in {"identifier", "array", "string", "member_expression"}
        else None
    )


def _option_name(ctx: FileContext, args: list[ts.Node]) -> str | None:
    """The field name of ``@Query(() => T, { name: "x" })`` / ``@ResolveField("x")``."""
    for arg in args:
        value = string_value(ctx, arg)
        if value:
            return value
        named = string_value(ctx, object_pairs(ctx, arg).get("name"))
        if named:
            return named
    return None


def _class_of(deco: ts.Node) -> ts.Node | None:
    parent = deco.parent
    if parent is not None and parent.type in _CLASS_TYPES:
        return parent
    if parent is not None and parent.type == "export_statement":
        decl = parent.child_by_field_name("declaration")
        if decl is not None and decl.type in _CLASS_TYPES:
            return decl
    return None


@extractor(languages=JS_LANGUAGES, needs=("@Resolver",))
def decorated_resolvers(ctx: FileContext) -> None:
    """Routes for ``@Query``/``@Mutation``/``@ResolveField`` methods of ``@Resolver`` classes."""
    framework = "type-graphql" if "type-graphql" in ctx.text else "nestjs-graphql"
    for deco in captures(ctx.language, "(decorator) @d", ctx.root).get("d", []):
        name, args = decorator_call(ctx, deco)
        if name != "Resolver":
            continue
        cls = _class_of(deco)
        body = cls.child_by_field_name("body") if cls is not None else None
        if cls is None or body is None:
            continue
        type_name = _type_of(ctx, args[0]) if args else None
        if type_name is None:
            cname = ctx.node_text(cls.child_by_field_name("name"))
            type_name = cname.removesuffix("Resolver") or cname
        for member in body.named_children:
            if member.type != "method_definition" or member.child_by_field_name("body") is None:
                continue
            name_node = member.child_by_field_name("name") or member
            for mdeco in decorators_of(ctx, member):
                dname, dargs = decorator_call(ctx, mdeco)
                if dname in ROOT_METHODS:
                    method, owner = ROOT_METHODS[dname], dname
                elif dname in _FIELD_DECORATORS:
                    method, owner = "FIELD", type_name
                else:
                    continue
                field_name = _option_name(ctx, dargs) or ctx.node_text(name_node)
                ctx.emit(
                    Route(
                        Loc(ctx.path, mdeco.start_point[0] + 1, name_node.end_point[0] + 1),
                        framework=framework,
                        method=method,
                        path=f"{owner}.{field_name}",
                        handler_id=function_id(ctx, member),
                    )
                )
                break


# --------------------------------------------------------------------------- resolver maps


def _object_at(ctx: FileContext, start: int, end: int) -> ts.Node | None:
    node = ctx.root.descendant_for_byte_range(start, end)
    while node is not None and node.type != "object":
        node = node.parent
    return node


def _map_objects(ctx: FileContext) -> list[ts.Node]:
    """Resolver-map object literals of the file (found by text, then located in the tree)."""
    found: dict[int, ts.Node] = {}
    source = ctx.text
    byte_of = (lambda i: i) if source.isascii() else (lambda i: len(source[:i].encode("utf-8")))
    for m in _ROOT_KEY.finditer(source):
        key = ctx.root.descendant_for_byte_range(byte_of(m.start(1)), byte_of(m.end(1)))
        pair = key.parent if key is not None else None
        if pair is None or pair.type != "pair" or pair.parent is None or pair.parent.type != "object":
            continue
        found.setdefault(pair.parent.start_byte, pair.parent)
        if len(found) >= _MAX_MAPS:
            break
    for m in _MAP_VAR.finditer(source):
        brace = byte_of(m.end() - 1)
        obj = _object_at(ctx, brace, brace + 1)
        if obj is not None and obj.start_byte == brace:
            found.setdefault(obj.start_byte, obj)
        if len(found) >= _MAX_MAPS:
            break
    return list(found.values())


def _handler(ctx: FileContext, value: ts.Node, root: str | None) -> tuple[ts.Node | None, str | None]:
    """``(function node, handler name)`` of one resolver-map entry."""
    node = unwrap(value)
    if node is None:
        return None, None
    if node.type in FUNCTION_TYPES:
        return node, None
    if node.type in {"identifier", "member_expression"}:
        return None, ctx.node_text(node)
    if node.type == "object":
        pairs = object_pairs(ctx, node)
        inner = pairs.get("resolve") or (pairs.get("subscribe") if root == "Subscription" else None)
        if inner is not None:
            return _handler(ctx, inner, root)
    return None, None


@extractor(languages=JS_LANGUAGES, needs=("Query:", "Mutation:", "Subscription:", "esolvers"))
def resolver_maps(ctx: FileContext) -> None:
    """Routes for ``{ Query: { x: fn }, Product: { variants: fn } }`` resolver maps."""
    for obj in _map_objects(ctx):
        types = object_pairs(ctx, obj)
        # a resolver map holds object values keyed by type names
        if not any(k in ROOT_METHODS for k in types) and not any(
            _TYPE_NAME.fullmatch(k) and (v := unwrap(val)) is not None and v.type == "object"
            for k, val in types.items()
        ):
            continue
        for type_name, type_value in types.items():
            fields = unwrap(type_value)
            if not _TYPE_NAME.fullmatch(type_name) or fields is None or fields.type != "object":
                continue
            root = type_name if type_name in ROOT_METHODS else None
            for field_name, value in object_pairs(ctx, fields).items():
                if field_name.startswith("__"):
                    continue
                fn, name = _handler(ctx, value, root)
                if fn is None and name is None:
                    continue
                key = value.parent if value.type != "method_definition" else value
                anchor = key if key is not None else value
                ctx.emit(
                    Route(
                        Loc(ctx.path, anchor.start_point[0] + 1, anchor.start_point[0] + 1),
                        framework="apollo",
                        method=ROOT_METHODS.get(type_name, "FIELD"),
                        path=f"{type_name}.{field_name}",
                        handler_id=function_id(ctx, fn) if fn is not None else None,
                        handler_name=name,
                    )
                )


__all__ = ["arguments", "decorated_resolvers", "resolver_maps"]
