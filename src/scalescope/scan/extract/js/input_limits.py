"""Declared maximum lengths of request list fields -> :class:`InputListLimit`.

zod / yup / Joi ``items: z.array(Item).max(50)`` (the ``max`` anywhere in the field's chain)
and class-validator ``@ArrayMaxSize(50) items: Item[]``. A loop over ``req.body.items`` (or a
DTO's ``items``) is bounded by such a declaration, which usually lives in another file.
"""

from __future__ import annotations

import tree_sitter as ts

from scalescope.model.facts import InputListLimit
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.js.ast import (
    arguments,
    call_chain,
    callee_parts,
    int_value,
    iter_calls,
    outermost_chain_call,
    string_value,
    unwrap,
)

# array constructors of the schema libraries: ``z.array``, ``yup.array``, ``Joi.array``, ``array``
_ARRAY_ROOTS = {"z": "zod", "yup": "yup", "Joi": "joi", "joi": "joi", "": "zod"}


@extractor(languages=JS_LANGUAGES, needs=("array(", "ArrayMaxSize"))
def input_limits(ctx: FileContext) -> None:
    if "array(" in ctx.text:
        _schemas(ctx)
    if "ArrayMaxSize" in ctx.text:
        _class_validator(ctx)


def _schemas(ctx: FileContext) -> None:
    seen: set[int] = set()
    for call, parts in iter_calls(ctx):
        if not parts or parts[-1] != "max" or call.id in seen:
            continue
        chain = call_chain(ctx, outermost_chain_call(call))
        names = [name for name, _ in chain]
        if "array" not in names or names.index("array") > names.index("max"):
            continue
        array_call = chain[names.index("array")][1]
        root = callee_parts(ctx, array_call)[:-1]
        library = _ARRAY_ROOTS.get(root[0] if root else "")
        if library is None or len(root) > 1:
            continue
        args = arguments(chain[names.index("max")][1])
        bound = int_value(ctx, args[0]) if args else None
        if bound is None:
            continue
        seen.add(call.id)
        owner = _pair_owner(ctx, chain[-1][1])
        if owner is None:
            continue
        fieldname, schema = owner
        ctx.emit(
            InputListLimit(ctx.loc(call), name=fieldname, max_items=bound, schema=schema, library=library)
        )


def _pair_owner(ctx: FileContext, outer: ts.Node) -> tuple[str, str] | None:
    """The object key the schema chain is the value of, and the variable holding that object."""
    node = outermost_chain_call(outer)
    parent = node.parent
    if parent is None or parent.type != "pair":
        return None
    key = parent.child_by_field_name("key")
    if key is None:
        return None
    fieldname = string_value(ctx, key) if key.type == "string" else ctx.node_text(key)
    schema = ""
    cur = parent.parent
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
        if not parts or parts[-1] != "ArrayMaxSize":
            continue
        args = arguments(inner)
        bound = int_value(ctx, args[0]) if args else None
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
            InputListLimit(
                ctx.loc(deco),
                name=ctx.node_text(name),
                max_items=bound,
                schema=schema,
                library="class-validator",
            )
        )
