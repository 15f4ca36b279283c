"""Next.js image optimizer settings: the ``images`` object of a ``next.config.{js,mjs,cjs,ts}``.

The exported config is followed through the shapes apps write: ``module.exports = {...}``,
``export default {...}``, a const of the file (``const nextConfig = {...}; export default
nextConfig``), plugin wrappers (``withBundleAnalyzer({...})``, ``withSentryConfig(config, opts)``:
the first argument that is an object; ``withPlugins([...], config)``) and a function whose every
return is the same object (``export default async function config() { return nextConfig }``).
Anything else (a config built from another file, two different objects per phase) emits nothing.
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import NextImageConfig
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.js.ast import FUNCTION_TYPES, arguments, object_pairs, string_value, unwrap

_CONFIG_FILE = re.compile(r"(^|/)next\.config\.(js|mjs|cjs|ts|mts|cts)$")
_REMOTE_KEYS = ("remotePatterns", "domains")
_MAX_DEPTH = 8
_NAMES = frozenset({"identifier", "shorthand_property_identifier"})


def is_next_config(path: str) -> bool:
    return bool(_CONFIG_FILE.search(path))


class _Resolver:
    """Follows an expression of the config file to the object literal(s) it stands for."""

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.decls: dict[str, list[ts.Node]] = {}
        for decl in captures(ctx.language, "(variable_declarator) @d", ctx.root).get("d", []):
            name = decl.child_by_field_name("name")
            value = decl.child_by_field_name("value")
            if name is not None and name.type == "identifier" and value is not None:
                self.decls.setdefault(ctx.node_text(name), []).append(value)
        self.functions: dict[str, ts.Node] = {}
        for fn in captures(ctx.language, "(function_declaration) @f", ctx.root).get("f", []):
            name = fn.child_by_field_name("name")
            if name is not None:
                self.functions[ctx.node_text(name)] = fn

    def value_of(self, name: str) -> ts.Node | None:
        """The one value a name is bound to in the file (``None`` when bound more than once)."""
        values = self.decls.get(name, [])
        return values[0] if len(values) == 1 else None

    def objects(self, node: ts.Node | None, depth: int = 0) -> set[ts.Node] | None:
        """The object literals ``node`` evaluates to (``None``: not knowable here)."""
        node = unwrap(node)
        if node is None or depth > _MAX_DEPTH:
            return None
        if node.type == "object":
            return {node}
        if node.type in _NAMES:
            name = self.ctx.node_text(node)
            if name in self.functions and name not in self.decls:
                return self._returns(self.functions[name], depth + 1)
            return self.objects(self.value_of(name), depth + 1)
        if node.type == "ternary_expression":
            out: set[ts.Node] = set()
            for field in ("consequence", "alternative"):
                found = self.objects(node.child_by_field_name(field), depth + 1)
                if found is None:
                    return None
                out |= found
            return out
        if node.type == "call_expression":
            for arg in arguments(node):
                inner = unwrap(arg)
                if inner is None or inner.type in {"array", "string", "template_string", "number"}:
                    continue
                return self.objects(inner, depth + 1)  # the first object-like argument
            return None
        if node.type in FUNCTION_TYPES or node.type == "function_declaration":
            return self._returns(node, depth + 1)
        return None

    def _returns(self, fn: ts.Node, depth: int) -> set[ts.Node] | None:
        body = fn.child_by_field_name("body")
        if body is None:
            return None
        if body.type != "statement_block":
            return self.objects(body, depth)
        out: set[ts.Node] = set()
        stack = list(body.named_children)
        while stack:
            node = stack.pop()
            if node.type in FUNCTION_TYPES or node.type in {"function_declaration", "class_declaration"}:
                continue  # a nested function's returns are not this function's
            if node.type == "return_statement":
                value = node.named_children[0] if node.named_children else None
                found = self.objects(value, depth)
                if found is None:
                    return None
                out |= found
                continue
            stack.extend(node.named_children)
        return out or None

    def number(self, node: ts.Node | None, depth: int = 0) -> int | None:
        """An integer the expression shows: a number, arithmetic on numbers, a const of the file."""
        node = unwrap(node)
        if node is None or depth > _MAX_DEPTH:
            return None
        if node.type == "number":
            raw = self.ctx.node_text(node).replace("_", "")
            try:
                return int(float(raw)) if not raw.lower().startswith("0x") else int(raw, 16)
            except ValueError:
                return None
        if node.type in _NAMES:
            return self.number(self.value_of(self.ctx.node_text(node)), depth + 1)
        if node.type == "binary_expression":
            op = node.child_by_field_name("operator")
            left = self.number(node.child_by_field_name("left"), depth + 1)
            right = self.number(node.child_by_field_name("right"), depth + 1)
            if op is None or left is None or right is None:
                return None
            sym = self.ctx.node_text(op)
            if sym == "*":
                return left * right
            if sym == "+":
                return left + right
            if sym == "-":
                return left - right
            if sym == "/" and right:
                return left // right
            return None
        return None


def _exported(ctx: FileContext) -> ts.Node | None:
    """The expression the file exports as its config (the last ``module.exports =`` or
    ``export default``)."""
    found: ts.Node | None = None
    for stmt in ctx.root.named_children:
        if stmt.type == "export_statement" and any(c.type == "default" for c in stmt.children):
            found = stmt.child_by_field_name("declaration") or stmt.child_by_field_name("value")
        elif stmt.type == "expression_statement":
            expr = stmt.named_children[0] if stmt.named_children else None
            if expr is not None and expr.type == "assignment_expression":
                left = expr.child_by_field_name("left")
                if left is not None and ctx.node_text(left).replace(" ", "") == "module.exports":
                    found = expr.child_by_field_name("right")
    return found


def _has_spread(obj: ts.Node) -> bool:
    return any(child.type == "spread_element" for child in obj.named_children)


def _optimizer_off(ctx: FileContext, config: dict[str, ts.Node], images: dict[str, ts.Node]) -> str:
    """Why the built-in optimizer never runs, ``"?"`` when the file does not settle it."""
    unsure = False
    unopt = unwrap(images.get("unoptimized"))
    if unopt is not None:
        written = ctx.node_text(unopt)
        if written == "true":
            return "unoptimized: true"
        unsure = unsure or written != "false"
    loader_node = images.get("loader")
    loader = string_value(ctx, loader_node) if loader_node is not None else "default"
    if loader is None:
        unsure = True
    elif loader != "default":
        return f'loader: "{loader}"'
    if "loaderFile" in images and loader_node is None:
        return "loaderFile"  # a loaderFile alone means loader "custom"
    output_node = config.get("output")
    if output_node is not None:
        output = string_value(ctx, output_node)
        if output == "export":
            return 'output: "export"'
        if output is None and "export" in ctx.node_text(output_node):
            unsure = True
    return "?" if unsure else ""


def _remote(ctx: FileContext, resolver: _Resolver, images: dict[str, ts.Node]) -> tuple[str, ...]:
    out: list[str] = []
    for key in _REMOTE_KEYS:
        value = unwrap(images.get(key))
        if value is not None and value.type in _NAMES:
            value = unwrap(resolver.value_of(ctx.node_text(value)))
        if (
            value is not None
            and value.type == "array"
            and any(c.type != "comment" for c in value.named_children)
        ):
            out.append(key)
    return tuple(out)


@extractor(languages=JS_LANGUAGES, needs=("images",))
def next_config(ctx: FileContext) -> None:
    """Emit one NextImageConfig for a ``next.config.*`` whose exported object is readable."""
    if not is_next_config(ctx.path):
        return
    resolver = _Resolver(ctx)
    found = resolver.objects(_exported(ctx))
    if not found or len(found) != 1:
        return
    (config_obj,) = found
    config = object_pairs(ctx, config_obj)
    images_key = config.get("images")
    images_objs = resolver.objects(images_key) if images_key is not None else set()
    if images_objs is None or len(images_objs) > 1:
        return
    images_obj = next(iter(images_objs), None)
    images = object_pairs(ctx, images_obj) if images_obj is not None else {}
    complete = not _has_spread(config_obj) and (images_obj is None or not _has_spread(images_obj))
    # a later ``nextConfig.images = ...`` / ``config.images.minimumCacheTTL = ...``
    if re.search(r"\.images\b(?:\.\w+)?\s*=[^=]", ctx.text):
        complete = False
    ttl_node = images.get("minimumCacheTTL")
    where = images_key if images_key is not None else config_obj
    ctx.emit(
        NextImageConfig(
            ctx.line_loc(where.start_point[0] + 1),
            min_ttl=resolver.number(ttl_node) if ttl_node is not None else None,
            ttl_line=ttl_node.start_point[0] + 1 if ttl_node is not None else 0,
            ttl_text=ctx.node_text(ttl_node)[:60] if ttl_node is not None else "",
            optimizer_off=_optimizer_off(ctx, config, images),
            remote=_remote(ctx, resolver, images),
            complete=complete,
        )
    )
