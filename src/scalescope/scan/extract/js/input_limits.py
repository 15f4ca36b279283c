"""Declared maximums of request fields -> :class:`InputLimit`.

- list lengths (``measure="items"``): zod / yup / Joi ``items: z.array(Item).max(50)`` (the
  ``max`` anywhere in the field's chain) and class-validator ``@ArrayMaxSize(50) items: Item[]``.
  A loop over ``req.body.items`` (or a DTO's ``items``) is bounded by such a declaration.
- number values (``measure="value"``): zod ``limit: z.coerce.number().max(100)`` (``.lte``,
  ``.lt``), Joi/yup ``number().max(100)`` (Joi ``.less``), valibot ``maxValue(100)``,
  class-validator ``@Max(100) limit``, a JSON-schema / TypeBox / OpenAPI property
  ``limit: { type: "integer", maximum: 100 }`` (Fastify and AJV route schemas), and the
  ``express-paginate`` middleware ``paginate.middleware(10, 50)``, which caps ``req.query.limit``
  at its second argument before any handler reads it. A page size taken from the request is
  bounded by such a declaration.

Both usually live in another file than the code that reads the field; rules join them by name.
"""

from __future__ import annotations

import tree_sitter as ts

from scalescope.model.facts import InputLimit
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.js.ast import (
    arguments,
    call_chain,
    callee_parts,
    int_value,
    iter_calls,
    object_pairs,
    outermost_chain_call,
    string_value,
    unwrap,
)
from scalescope.scan.extract.js.loop_scope import int_constants

# array constructors of the schema libraries: ``z.array``, ``yup.array``, ``Joi.array``, ``array``
_ARRAY_ROOTS = {"z": "zod", "yup": "yup", "Joi": "joi", "joi": "joi", "": "zod"}
# schema steps that make a field a number (``z.coerce.number()``, ``Joi.number().integer()``)
_NUMBER_STEPS = frozenset({"number", "int", "integer", "bigint", "coerce", "numeric", "safe"})
# upper bounds of a number schema -> how far below the argument the bound is (``lt(101)``)
_VALUE_MAX = {"max": 0, "lte": 0, "lt": 1, "less": 1, "maxValue": 0}
# libraries by the root of a schema chain
_LIBRARIES = {"z": "zod", "yup": "yup", "Joi": "joi", "joi": "joi", "v": "valibot"}
# JSON-schema keys of a number's upper bound
_JSON_MAXIMUM = {"maximum": 0, "exclusiveMaximum": 1}


@extractor(
    languages=JS_LANGUAGES,
    needs=(
        "array(",
        "ArrayMaxSize",
        "max(",
        "Max(",
        "lte(",
        "lt(",
        "less(",
        "maxValue(",
        "aximum",
        "express-paginate",
    ),
)
def input_limits(ctx: FileContext) -> None:
    _schemas(ctx)
    if "express-paginate" in ctx.text:
        _express_paginate(ctx)
    if "Max" in ctx.text:
        _class_validator(ctx)
    if "aximum" in ctx.text:
        _json_schema(ctx)


def _bound(ctx: FileContext, node: ts.Node | None) -> int | None:
    """An integer literal, or a name the file binds to one (``MAX_PAGE_SIZE``)."""
    found = int_value(ctx, node)
    if found is not None:
        return found
    node = unwrap(node)
    if node is not None and node.type == "identifier":
        return int_constants(ctx).get(ctx.node_text(node))
    return None


def _schemas(ctx: FileContext) -> None:
    seen: set[int] = set()
    for call, parts in iter_calls(ctx):
        if not parts or call.id in seen:
            continue
        method = parts[-1]
        if method == "max":
            _chain_max(ctx, call, seen)
        elif method in _VALUE_MAX:
            _value_max(ctx, call, parts, seen)


def _chain_max(ctx: FileContext, call: ts.Node, seen: set[int]) -> None:
    """``.max(n)`` in a schema chain: a list's length after ``array``, a number's value after
    ``number``/``int``; a string's length is neither."""
    chain = call_chain(ctx, outermost_chain_call(call))
    names = [name for name, _ in chain]
    at = next((i for i, (_, node) in enumerate(chain) if node.id == call.id), -1)
    if at < 0:
        return
    args = arguments(call)
    bound = _bound(ctx, args[0]) if args else None
    if bound is None:
        return
    seen.add(call.id)
    root = callee_parts(ctx, chain[0][1])[:-1]
    if "array" in names[:at]:
        library = _ARRAY_ROOTS.get(root[0] if root else "")
        if library is None or len(root) > 1:
            return
        measure = "items"
    elif _NUMBER_STEPS & {*names[:at], *root}:
        library = _LIBRARIES.get(root[0] if root else "", "zod")
        measure = "value"
    else:
        return
    owner = _pair_owner(ctx, chain[-1][1])
    if owner is None:
        return
    fieldname, schema = owner
    ctx.emit(
        InputLimit(
            ctx.loc(call), name=fieldname, maximum=bound, schema=schema, library=library, measure=measure
        )
    )


def _value_max(ctx: FileContext, call: ts.Node, parts: tuple[str, ...], seen: set[int]) -> None:
    """``.lte(100)`` / ``.lt(101)`` / ``.less(101)`` on a number chain, valibot ``maxValue(100)``."""
    method = parts[-1]
    args = arguments(call)
    bound = _bound(ctx, args[0]) if args else None
    if bound is None:
        return
    if method == "maxValue":
        outer = call
        library = "valibot"
    else:
        chain = call_chain(ctx, outermost_chain_call(call))
        names = [name for name, _ in chain]
        root = callee_parts(ctx, chain[0][1])[:-1] if chain else ()
        if not (_NUMBER_STEPS & {*names, *root}) or "array" in names:
            return
        outer = chain[-1][1]
        library = _LIBRARIES.get(root[0] if root else "", "zod")
    seen.add(call.id)
    owner = _pair_owner(ctx, outer)
    if owner is None:
        return
    fieldname, schema = owner
    ctx.emit(
        InputLimit(
            ctx.loc(call),
            name=fieldname,
            maximum=bound - _VALUE_MAX[method],
            schema=schema,
            library=library,
            measure="value",
        )
    )


def _pair_owner(ctx: FileContext, outer: ts.Node) -> tuple[str, str] | None:
    """The object key the schema expression is the value of (through wrapping calls such as
    ``z.optional(...)``, ``v.pipe(...)``, ``Type.Optional(...)``), and the variable holding
    that object."""
    node = outermost_chain_call(outer)
    for _ in range(4):
        parent = node.parent
        if parent is None:
            return None
        if parent.type == "pair":
            return _pair_name(ctx, parent)
        if (
            parent.type == "arguments"
            and parent.parent is not None
            and parent.parent.type == "call_expression"
        ):
            node = outermost_chain_call(parent.parent)
            continue
        return None
    return None


def _pair_name(ctx: FileContext, pair: ts.Node) -> tuple[str, str] | None:
    key = pair.child_by_field_name("key")
    if key is None:
        return None
    fieldname = string_value(ctx, key) if key.type == "string" else ctx.node_text(key)
    schema = ""
    cur = pair.parent
    while cur is not None and cur.type not in {"variable_declarator", "program"}:
        cur = cur.parent
    if cur is not None and cur.type == "variable_declarator":
        schema = ctx.node_text(cur.child_by_field_name("name"))
    return fieldname or "", schema


def _class_validator(ctx: FileContext) -> None:
    query = "(decorator) @d"
    for deco in captures(ctx.language, query, ctx.root).get("d", []):
        inner = unwrap(deco.named_children[0]) if deco.named_children else None
        if inner is None or inner.type != "call_expression":
            continue
        parts = callee_parts(ctx, inner)
        if not parts or parts[-1] not in {"ArrayMaxSize", "Max"}:
            continue
        args = arguments(inner)
        bound = _bound(ctx, args[0]) if args else None
        owner = deco.parent
        if bound is None or owner is None:
            continue
        name = owner.child_by_field_name("name") or owner.child_by_field_name("property")
        if name is None:
            continue
        cls = owner.parent.parent if owner.parent is not None else None
        schema = ""
        if cls is not None and cls.child_by_field_name("name") is not None:
            schema = ctx.node_text(cls.child_by_field_name("name"))
        ctx.emit(
            InputLimit(
                ctx.loc(deco),
                name=ctx.node_text(name),
                maximum=bound,
                schema=schema,
                library="class-validator",
                measure="items" if parts[-1] == "ArrayMaxSize" else "value",
            )
        )


def _json_schema(ctx: FileContext) -> None:
    """``limit: { type: "integer", maximum: 100 }`` (Fastify/AJV/OpenAPI), TypeBox
    ``limit: Type.Integer({ maximum: 100 })``, an OpenAPI parameter ``{ name: "limit", in:
    "query", schema: { maximum: 100 } }``."""
    for pair in captures(ctx.language, "(pair key: (property_identifier) @k) @p", ctx.root).get("p", []):
        key = pair.child_by_field_name("key")
        if key is None or ctx.node_text(key) not in _JSON_MAXIMUM:
            continue
        bound = _bound(ctx, pair.child_by_field_name("value"))
        obj = pair.parent
        if bound is None or obj is None or obj.type != "object":
            continue
        owner = obj.parent
        named: tuple[str, str] | None = None
        if owner is not None and owner.type == "pair":
            named = _pair_name(ctx, owner)
            if named is not None and named[0] == "schema" and owner.parent is not None:
                param = string_value(ctx, object_pairs(ctx, owner.parent).get("name"))
                named = (param, named[1]) if param else None
        elif owner is not None and owner.type == "arguments" and owner.parent is not None:
            named = _pair_owner(ctx, owner.parent)
        if named is None or not named[0]:
            continue
        ctx.emit(
            InputLimit(
                ctx.loc(pair),
                name=named[0],
                maximum=bound - _JSON_MAXIMUM[ctx.node_text(key)],
                schema=named[1],
                library="json-schema",
                measure="value",
            )
        )


def _express_paginate(ctx: FileContext) -> None:
    """``app.use(paginate.middleware(10, 50))``: ``req.query.limit`` is at most 50 afterwards."""
    for call, parts in iter_calls(ctx):
        if len(parts) != 2 or parts[-1] != "middleware":
            continue
        args = arguments(call)
        bound = _bound(ctx, args[1]) if len(args) >= 2 else None
        if bound is not None:
            ctx.emit(
                InputLimit(
                    ctx.loc(call), name="limit", maximum=bound, library="express-paginate", measure="value"
                )
            )
