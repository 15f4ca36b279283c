"""Shared tree-sitter helpers for JavaScript/TypeScript extractors.

Everything here is a pure function of nodes, so every extractor names functions, reads
callees, object literals and loop context the same way (function ids must agree across
extractors: routes, data access and the call graph are joined on them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import tree_sitter as ts

from scalescope.model.facts import Loop
from scalescope.scan.extract.base import FileContext

FUNCTION_TYPES = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "function_expression",
        "function",
        "generator_function",
        "arrow_function",
        "method_definition",
    }
)
LOOP_TYPES = {
    "for_statement": "for",
    "for_in_statement": "for",
    "while_statement": "while",
    "do_statement": "while",
}
ITERATION_METHODS = frozenset(
    {
        "map",
        "forEach",
        "flatMap",
        "reduce",
        "reduceRight",
        "filter",
        "some",
        "every",
        "each",
        "mapSeries",
        "eachSeries",
        "mapLimit",
    }
)
_WRAPPERS = frozenset(
    {
        "await_expression",
        "parenthesized_expression",
        "non_null_expression",
        "as_expression",
        "satisfies_expression",
        "type_assertion",
    }
)
#: expression nodes that only wrap a value (``await x``, ``(x)``, ``x!``, ``x as T``)
WRAPPERS = _WRAPPERS


def unwrap(node: ts.Node | None) -> ts.Node | None:
    """Strip await, parentheses, ``!`` and ``as T`` around an expression."""
    while node is not None and node.type in _WRAPPERS:
        inner = node.named_children[0] if node.named_children else None
        if inner is None:
            return node
        node = inner
    return node


def text(ctx: FileContext, node: ts.Node | None) -> str:
    return ctx.node_text(node)


# ----------------------------------------------------------------------------- calls


_PLAIN_DOTTED = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$#][\w$]*)*")


def callee_parts(ctx: FileContext, call: ts.Node) -> tuple[str, ...]:
    """Member chain of a call's callee: ``prisma.user.findMany(...)`` -> ("prisma", "user",
    "findMany"); ``this.repo.find`` -> ("this", "repo", "find"); a call in the chain shows as
    ``()`` (``knex("t").where`` -> ("knex", "()", "where"))."""
    fn = unwrap(call.child_by_field_name("function"))
    if fn is not None and fn.type in {"identifier", "member_expression"}:
        # fast path: a plain ``a.b.c`` callee (most calls) needs no node walk
        raw = ctx.node_text(fn)
        if _PLAIN_DOTTED.fullmatch(raw):
            return tuple(raw.split("."))
    parts: list[str] = []
    node = fn
    while node is not None:
        node = unwrap(node)
        if node is None:
            break
        if node.type == "member_expression":
            prop = node.child_by_field_name("property")
            parts.append(ctx.node_text(prop))
            node = node.child_by_field_name("object")
        elif node.type == "subscript_expression":
            parts.append("[]")
            node = node.child_by_field_name("object")
        elif node.type == "call_expression":
            parts.append("()")
            node = node.child_by_field_name("function")
        elif node.type in {"identifier", "this", "super", "property_identifier"}:
            parts.append(ctx.node_text(node))
            break
        else:
            parts.append("?")
            break
    return tuple(reversed(parts))


def call_chain(ctx: FileContext, call: ts.Node) -> list[tuple[str, ts.Node]]:
    """Method calls of a fluent chain, innermost first: for
    ``qb.where(a).orderBy(b).limit(10)`` -> [("where", c1), ("orderBy", c2), ("limit", c3)]
    where each node is the call_expression. ``call`` should be the outermost call."""
    out: list[tuple[str, ts.Node]] = []
    node: ts.Node | None = call
    while node is not None:
        node = unwrap(node)
        if node is None or node.type != "call_expression":
            break
        fn = unwrap(node.child_by_field_name("function"))
        if fn is None:
            break
        if fn.type == "member_expression":
            out.append((ctx.node_text(fn.child_by_field_name("property")), node))
            node = fn.child_by_field_name("object")
        else:
            out.append((ctx.node_text(fn), node))
            break
    out.reverse()
    return out


def outermost_chain_call(call: ts.Node) -> ts.Node:
    """Walk up ``a.b().c().d()`` from an inner call to the outermost call of the chain."""
    node = call
    while True:
        parent = node.parent
        if parent is None:
            return node
        if parent.type in _WRAPPERS:
            # only step through await/parens when a member access follows
            grand = parent.parent
            if grand is not None and grand.type == "member_expression":
                node = parent
                continue
            return node
        if parent.type == "member_expression" and parent.child_by_field_name("object") == node:
            grand = parent.parent
            if grand is not None and grand.type == "call_expression":
                node = grand
                continue
        return node


def call_receiver(call: ts.Node) -> ts.Node | None:
    """The object a method call is made on (``a.b()`` -> ``a``, ``q.where().limit()`` -> the
    ``q.where()`` call), unwrapped; ``None`` for a plain call (``f()``)."""
    fn = unwrap(call.child_by_field_name("function"))
    if fn is None or fn.type != "member_expression":
        return None
    return unwrap(fn.child_by_field_name("object"))


def arguments(call: ts.Node) -> list[ts.Node]:
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [c for c in args.named_children if c.type != "comment"]


def iter_calls(ctx: FileContext) -> list[tuple[ts.Node, tuple[str, ...]]]:
    """All call expressions of the file with their callee parts (computed once per file)."""
    cached = ctx.cache.get("js.calls")
    if cached is None:
        from scalescope.scan.extract.base import captures

        nodes = captures(ctx.language, "(call_expression) @c", ctx.root).get("c", [])
        # captures() lists nodes in document order already
        cached = [(n, callee_parts(ctx, n)) for n in nodes]
        ctx.cache["js.calls"] = cached
    return cached


# ----------------------------------------------------------------------------- literals


def string_value(ctx: FileContext, node: ts.Node | None) -> str | None:
    """Value of a string literal or a template string without substitutions."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "string":
        raw = ctx.node_text(node)
        return raw[1:-1] if len(raw) >= 2 else ""
    if node.type == "template_string":
        if any(c.type == "template_substitution" for c in node.named_children):
            return None
        raw = ctx.node_text(node)
        return raw[1:-1]
    return None


def template_text(ctx: FileContext, node: ts.Node | None) -> str:
    """Source of a string/template/expression, without surrounding quotes for plain strings."""
    value = string_value(ctx, node)
    return value if value is not None else ctx.node_text(node)


def int_value(ctx: FileContext, node: ts.Node | None) -> int | None:
    node = unwrap(node)
    if node is None or node.type != "number":
        return None
    raw = ctx.node_text(node).replace("_", "")
    try:
        return int(raw, 0) if not raw.lower().startswith("0") or raw.lower().startswith("0x") else int(raw)
    except ValueError:
        try:
            return int(float(raw))
        except ValueError:
            return None


def object_pairs(ctx: FileContext, node: ts.Node | None) -> dict[str, ts.Node]:
    """Keys of an object literal mapped to their value nodes (shorthand ``{max}`` maps to the
    identifier). Spreads are skipped; computed keys keep their source text."""
    node = unwrap(node)
    out: dict[str, ts.Node] = {}
    if node is None or node.type != "object":
        return out
    for child in node.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            value = child.child_by_field_name("value")
            if key is None or value is None:
                continue
            name = string_value(ctx, key) if key.type in {"string", "template_string"} else None
            out[name if name is not None else ctx.node_text(key)] = value
        elif child.type == "shorthand_property_identifier":
            out[ctx.node_text(child)] = child
        elif child.type == "method_definition":
            name_node = child.child_by_field_name("name")
            if name_node is not None:
                out[ctx.node_text(name_node)] = child
    return out


def options_of(ctx: FileContext, node: ts.Node | None) -> tuple[tuple[str, str], ...]:
    """Object literal as ``((key, value source), ...)`` for :class:`~scalescope.model.facts`
    option tuples; nested objects are flattened with dotted keys (``pool.max``)."""
    out: list[tuple[str, str]] = []

    def walk(obj: ts.Node | None, prefix: str, depth: int) -> None:
        for key, value in object_pairs(ctx, obj).items():
            full = f"{prefix}{key}"
            v = unwrap(value)
            if v is not None and v.type == "object" and depth < 4:
                out.append((full, ctx.node_text(v)[:200]))
                walk(v, full + ".", depth + 1)
            else:
                out.append((full, ctx.node_text(value)[:200]))

    walk(node, "", 0)
    return tuple(out)


# ----------------------------------------------------------------------------- functions


def function_name(ctx: FileContext, fn: ts.Node) -> tuple[str, str]:
    """``(name, class_name)`` of a function node; anonymous callbacks get ``""``."""
    name = ""
    name_node = fn.child_by_field_name("name")
    if name_node is not None:
        name = ctx.node_text(name_node)
    else:
        parent = fn.parent
        while parent is not None and parent.type in _WRAPPERS:
            parent = parent.parent
        if parent is not None:
            if parent.type == "variable_declarator":
                name = ctx.node_text(parent.child_by_field_name("name"))
            elif parent.type == "pair":
                name = string_value(ctx, parent.child_by_field_name("key")) or ctx.node_text(
                    parent.child_by_field_name("key")
                )
            elif parent.type in {"assignment_expression", "public_field_definition", "field_definition"}:
                target = (
                    parent.child_by_field_name("left")
                    or parent.child_by_field_name("name")
                    or parent.child_by_field_name("property")
                )
                raw = ctx.node_text(target)
                name = raw.rsplit(".", 1)[-1]
    class_name = ""
    node = fn.parent
    while node is not None:
        if node.type in {"class_declaration", "class", "abstract_class_declaration"}:
            cname = node.child_by_field_name("name")
            class_name = ctx.node_text(cname) if cname is not None else ""
            break
        if node.type in FUNCTION_TYPES:
            break
        node = node.parent
    return name, class_name


def function_id(ctx: FileContext, fn: ts.Node) -> str:
    """Stable id of a function node (``file::Class.name@line``), memoised per file."""
    memo: dict[tuple[int, int], str] = ctx.cache.setdefault("fn.ids", {})
    key = (fn.start_byte, fn.end_byte)
    found = memo.get(key)
    if found is None:
        name, class_name = function_name(ctx, fn)
        qual = f"{class_name}.{name}" if class_name and name else (name or "<anonymous>")
        found = memo[key] = f"{ctx.path}::{qual}@{fn.start_point[0] + 1}"
    return found


def enclosing_function(node: ts.Node) -> ts.Node | None:
    parent = node.parent
    while parent is not None:
        if parent.type in FUNCTION_TYPES:
            return parent
        parent = parent.parent
    return None


def enclosing_function_id(ctx: FileContext, node: ts.Node) -> str | None:
    fn = enclosing_function(node)
    return function_id(ctx, fn) if fn is not None else None


def is_iteration_callback(ctx: FileContext, fn: ts.Node) -> str | None:
    """If ``fn`` is the callback of ``xs.map(...)``/``forEach``/... return the method name."""
    parent = fn.parent
    if parent is None or parent.type != "arguments":
        return None
    call = parent.parent
    if call is None or call.type != "call_expression":
        return None
    parts = callee_parts(ctx, call)
    if parts and parts[-1] in ITERATION_METHODS:
        return parts[-1]
    if len(parts) >= 2 and parts[-2] in {"Promise", "Bluebird"} and parts[-1] in {"map", "mapSeries"}:
        return "map"
    if parts and parts[0] in {"async", "pMap", "pmap"}:
        return "map"
    return None


def enclosing_loop(ctx: FileContext, node: ts.Node) -> Loop | None:
    """Innermost iteration around ``node``: a loop statement, or an iteration callback
    (``items.map(async x => ...)``) in the same function. Stops at other function boundaries."""
    parent = node.parent
    while parent is not None:
        kind = LOOP_TYPES.get(parent.type)
        if kind is not None:
            body = parent.child_by_field_name("body")
            if body is not None and body.start_byte <= node.start_byte < body.end_byte:
                return Loop(kind, parent.start_point[0] + 1, parent.end_point[0] + 1)
        if parent.type in FUNCTION_TYPES:
            method = is_iteration_callback(ctx, parent)
            if method is None:
                return None
            call = parent.parent.parent if parent.parent is not None else None
            anchor = call if call is not None else parent
            return Loop(method, anchor.start_point[0] + 1, anchor.end_point[0] + 1)
        parent = parent.parent
    return None


def ancestors(node: ts.Node) -> Iterator[ts.Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def decorators_of(ctx: FileContext, node: ts.Node) -> list[ts.Node]:
    """Decorator nodes of a class or method (TypeScript)."""
    out = [c for c in node.children if c.type == "decorator"]
    # decorators on exported classes sit on the export statement in some grammars
    prev = node.prev_named_sibling
    while prev is not None and prev.type in {"decorator", "comment"}:
        if prev.type == "decorator":
            out.insert(0, prev)
        prev = prev.prev_named_sibling
    return out


def decorator_call(ctx: FileContext, deco: ts.Node) -> tuple[str, list[ts.Node]]:
    """``@Get(':id')`` -> ("Get", [arg nodes]); ``@Injectable`` -> ("Injectable", [])."""
    inner = deco.named_children[0] if deco.named_children else None
    if inner is None:
        return "", []
    if inner.type == "call_expression":
        parts = callee_parts(ctx, inner)
        return (parts[-1] if parts else ""), arguments(inner)
    return ctx.node_text(inner).rsplit(".", 1)[-1], []
