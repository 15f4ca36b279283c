"""Shared pieces of the JavaScript/TypeScript route extractors: path joining, same-file
function lookup and handler resolution (so every framework names handlers the same way)."""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.scan.extract.base import FileContext, captures
from scalescope.scan.extract.js.ast import (
    FUNCTION_TYPES,
    arguments,
    callee_parts,
    function_id,
    unwrap,
)

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options")

_LOCALS_QUERY = """
(function_declaration name: (identifier) @name) @fn
(generator_function_declaration name: (identifier) @name) @fn
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)] @fn)
(class_declaration name: (_) @name) @cls
(import_statement) @imp
"""

_NOT_HANDLER = re.compile(r"(?i)(options|opts|config|schema|settings)$")
_INLINE_FN = frozenset({"arrow_function", "function_expression", "function", "generator_function"})


def join_path(prefix: str, path: str) -> str:
    """``join_path("/api", "users/:id")`` -> ``/api/users/:id``; always one leading slash."""
    parts = [p.strip("/") for p in (prefix, path) if p and p.strip("/")]
    joined = "/" + "/".join(parts)
    if path.endswith("/") and len(path) > 1 and not joined.endswith("/"):
        joined += "/"
    return joined


class Locals:
    """Named functions, classes and imported names of one file (computed once per file)."""

    def __init__(self, ctx: FileContext) -> None:
        self.functions: dict[str, ts.Node] = {}
        self.classes: dict[str, ts.Node] = {}
        self.imported: set[str] = set()
        caps = captures(ctx.language, _LOCALS_QUERY, ctx.root)
        names = caps.get("name", [])
        for fn in caps.get("fn", []):
            name = _name_for(fn, names)
            if name is not None:
                self.functions.setdefault(ctx.node_text(name), fn)
        for cls in caps.get("cls", []):
            name_node = cls.child_by_field_name("name")
            if name_node is not None:
                self.classes.setdefault(ctx.node_text(name_node), cls)
        for imp in caps.get("imp", []):
            clause = next((c for c in imp.named_children if c.type == "import_clause"), None)
            if clause is None:
                continue
            for ident in _identifiers(clause):
                self.imported.add(ctx.node_text(ident))

    def method(self, ctx: FileContext, class_name: str, method: str) -> ts.Node | None:
        cls = self.classes.get(class_name)
        if cls is None:
            return None
        return class_method(ctx, cls, method)


def locals_of(ctx: FileContext) -> Locals:
    found = ctx.cache.get("js.route_locals")
    if found is None:
        found = Locals(ctx)
        ctx.cache["js.route_locals"] = found
    return found


def _name_for(fn: ts.Node, names: list[ts.Node]) -> ts.Node | None:
    if fn.type in {"function_declaration", "generator_function_declaration"}:
        return fn.child_by_field_name("name")
    parent = fn.parent
    if parent is not None and parent.type == "variable_declarator":
        return parent.child_by_field_name("name")
    return None


def _identifiers(node: ts.Node) -> list[ts.Node]:
    out: list[ts.Node] = []
    stack = [node]
    while stack:
        cur = stack.pop()
        if cur.type == "identifier":
            parent = cur.parent
            # ``{ a as b }``: only the alias is bound
            if parent is not None and parent.type == "import_specifier":
                alias = parent.child_by_field_name("alias")
                if alias is not None and alias != cur:
                    continue
            out.append(cur)
        else:
            stack.extend(cur.named_children)
    return out


def class_method(ctx: FileContext, cls: ts.Node, method: str) -> ts.Node | None:
    """The method (or arrow-function field) ``method`` of a class node."""
    body = cls.child_by_field_name("body")
    if body is None:
        return None
    for member in body.named_children:
        if member.type == "method_definition":
            name = member.child_by_field_name("name")
            if name is not None and ctx.node_text(name) == method and member.child_by_field_name("body"):
                return member
        elif member.type in {"public_field_definition", "field_definition"}:
            name = member.child_by_field_name("name") or member.child_by_field_name("property")
            value = unwrap(member.child_by_field_name("value"))
            if (
                name is not None
                and ctx.node_text(name) == method
                and value is not None
                and (value.type in _INLINE_FN)
            ):
                return value
    return None


def enclosing_class(node: ts.Node) -> ts.Node | None:
    parent = node.parent
    while parent is not None:
        if parent.type in {"class_declaration", "class", "abstract_class_declaration"}:
            return parent
        parent = parent.parent
    return None


def is_function_like(node: ts.Node | None) -> bool:
    node = unwrap(node)
    return node is not None and node.type in (
        _INLINE_FN | {"identifier", "member_expression", "call_expression"}
    )


def _binding_value(ctx: FileContext, name: str, scope_root: ts.Node) -> ts.Node | None:
    """Value of ``const name = <value>`` declared at the top level of the file."""
    for stmt in scope_root.named_children:
        decl = stmt
        if decl.type == "export_statement":
            decl = next(
                (c for c in decl.named_children if c.type in {"lexical_declaration", "variable_declaration"}),
                decl,
            )
        if decl.type not in {"lexical_declaration", "variable_declaration"}:
            continue
        for var in decl.named_children:
            if var.type == "variable_declarator" and ctx.node_text(var.child_by_field_name("name")) == name:
                return unwrap(var.child_by_field_name("value"))
    return None


def resolve_handler(ctx: FileContext, node: ts.Node | None, depth: int = 0) -> tuple[str | None, str | None]:
    """``(handler_id, handler_name)`` for a handler expression: an inline function or a
    function/method defined in this file gives an id; anything else a name to resolve across
    files (``getUsers``, ``usersController.list``)."""
    node = unwrap(node)
    if node is None or depth > 4:
        return None, None
    if node.type in _INLINE_FN or node.type in FUNCTION_TYPES:
        return function_id(ctx, node), None
    if node.type == "identifier":
        name = ctx.node_text(node)
        loc = locals_of(ctx)
        fn = loc.functions.get(name)
        if fn is not None and name not in loc.imported:
            return function_id(ctx, fn), None
        return None, name
    if node.type == "member_expression":
        obj = unwrap(node.child_by_field_name("object"))
        prop = ctx.node_text(node.child_by_field_name("property"))
        if obj is None:
            return None, None
        if obj.type == "this":
            cls = enclosing_class(node)
            if cls is not None:
                method = class_method(ctx, cls, prop)
                if method is not None:
                    return function_id(ctx, method), None
                cname = cls.child_by_field_name("name")
                if cname is not None:
                    return None, f"{ctx.node_text(cname)}.{prop}"
            return None, prop
        if obj.type == "identifier":
            oname = ctx.node_text(obj)
            loc = locals_of(ctx)
            if oname in loc.classes:  # static method
                method = loc.method(ctx, oname, prop)
                if method is not None:
                    return function_id(ctx, method), None
            if oname not in loc.imported:
                value = _binding_value(ctx, oname, ctx.root)
                if value is not None and value.type == "object":
                    for child in value.named_children:
                        if (
                            child.type == "method_definition"
                            and ctx.node_text(child.child_by_field_name("name")) == prop
                        ):
                            return function_id(ctx, child), None
                        if child.type == "pair" and ctx.node_text(child.child_by_field_name("key")) == prop:
                            return resolve_handler(ctx, child.child_by_field_name("value"), depth + 1)
                if value is not None and value.type == "new_expression":
                    cls_name = ctx.node_text(value.child_by_field_name("constructor"))
                    method = loc.method(ctx, cls_name, prop)
                    if method is not None:
                        return function_id(ctx, method), None
                    if cls_name:
                        return None, f"{cls_name}.{prop}"
            return None, f"{oname}.{prop}"
        return None, ctx.node_text(node)[:120]
    if node.type == "call_expression":
        parts = callee_parts(ctx, node)
        if parts and parts[-1] == "bind":  # this.list.bind(this)
            fn = unwrap(node.child_by_field_name("function"))
            if fn is not None and fn.type == "member_expression":
                return resolve_handler(ctx, fn.child_by_field_name("object"), depth + 1)
        # wrappers: asyncHandler(async (req, res) => ...), catchAsync(ctrl.list)
        for arg in reversed(arguments(node)):
            inner = unwrap(arg)
            if inner is None or _NOT_HANDLER.search(ctx.node_text(inner)[-40:]):
                continue  # NextAuth(authOptions), validate(schema)
            if inner.type in (_INLINE_FN | {"identifier", "member_expression", "call_expression"}):
                return resolve_handler(ctx, inner, depth + 1)
        return None, ".".join(p for p in parts if p not in {"()", "[]", "?"}) or None
    return None, None


def middleware_names(ctx: FileContext, nodes: list[ts.Node]) -> tuple[str, ...]:
    """Names of middleware arguments as written (calls by their callee, arrays flattened,
    inline functions skipped)."""
    out: list[str] = []
    for raw in nodes:
        node = unwrap(raw)
        if node is None:
            continue
        if node.type == "array":
            out.extend(middleware_names(ctx, list(node.named_children)))
        elif node.type in {"identifier", "member_expression"}:
            out.append(ctx.node_text(node))
        elif node.type == "call_expression":
            parts = [p for p in callee_parts(ctx, node) if p not in {"()", "[]", "?"}]
            if parts:
                out.append(".".join(parts))
        elif node.type == "new_expression":
            out.append(ctx.node_text(node.child_by_field_name("constructor")))
    return tuple(out)
