"""Functions, their direct calls, and imports in JavaScript/TypeScript files.

Feeds the project call graph: which routes reach which data access. One query collects the
function and call nodes; calls are assigned to their innermost function by a range sweep, so no
Python-level walk of the whole tree is needed.
"""

from __future__ import annotations

import tree_sitter as ts

from scalescope.model.facts import Call, ClassDecl, Function, Import
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.call_sweep import calls_by_function, shared_call
from scalescope.scan.extract.js.ast import (
    FUNCTION_TYPES,
    WRAPPERS,
    decorator_call,
    decorators_of,
    function_id,
    function_name,
    iter_calls,
    string_value,
    unwrap,
)
from scalescope.scan.extract.js.method_guards import method_regions

_FN_QUERY = " ".join(f"({t}) @f" for t in sorted(FUNCTION_TYPES - {"function"}))


def _function_nodes(ctx: FileContext) -> list[ts.Node]:
    try:
        # captures() lists nodes in document order: by start, outer first
        return captures(ctx.language, _FN_QUERY, ctx.root).get("f", [])
    except Exception:  # grammar without one of the node types
        nodes = []
        for t in sorted(FUNCTION_TYPES):
            try:
                nodes.extend(captures(ctx.language, f"({t}) @f", ctx.root).get("f", []))
            except Exception:
                continue
    nodes.sort(key=lambda n: (n.start_byte, -n.end_byte))
    return nodes


def call_of(ctx: FileContext, parts: tuple[str, ...]) -> Call | None:
    """The :class:`Call` a callee chain names (``this.users.list`` -> ``Call("list", "users")``)."""
    if not parts:
        return None
    name = parts[-1]
    if name in {"()", "[]", "?", ""}:
        return None
    receiver = ""
    if len(parts) >= 2:
        receiver = parts[-2]
        if receiver in {"this", "()", "[]", "?"}:
            receiver = ""
    return shared_call(name, receiver)


@extractor(languages=JS_LANGUAGES)
def functions(ctx: FileContext) -> None:
    """Emit a :class:`Function` per function node with the calls made directly in it (each
    with the request methods it runs for, when a method test decides that)."""
    fns = _function_nodes(ctx)
    regions = method_regions(ctx)
    calls_by_fn = calls_by_function(
        fns,
        iter_calls(ctx),
        lambda parts: call_of(ctx, parts),
        regions.methods_at if regions else None,  # no method test: every call ()
    )
    for i, fn in enumerate(fns):
        if fn.type == "method_definition" and fn.child_by_field_name("body") is None:
            continue
        name, class_name = function_name(ctx, fn)
        decos: list[str] = []
        if fn.type == "method_definition":
            decos = [decorator_call(ctx, d)[0] for d in decorators_of(ctx, fn)]
        is_async = any(c.type == "async" for c in fn.children)
        params_node = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
        params: tuple[str, ...] = ()
        if params_node is not None:
            if params_node.type == "identifier":
                params = (ctx.node_text(params_node),)
            else:
                params = tuple(
                    ctx.node_text(p.child_by_field_name("pattern") or p).split(":")[0].strip()
                    for p in params_node.named_children
                )
        exported = fn.parent is not None and fn.parent.type == "export_statement"
        if not exported and fn.parent is not None and fn.parent.type == "variable_declarator":
            decl = fn.parent.parent
            exported = decl is not None and decl.parent is not None and decl.parent.type == "export_statement"
        seen: dict[Call, None] = dict.fromkeys(calls_by_fn[i])
        ctx.emit(
            Function(
                ctx.loc(fn),
                id=function_id(ctx, fn),
                name=name,
                class_name=class_name,
                is_async=is_async,
                exported=exported,
                calls=tuple(seen),
                decorators=tuple(decos),
                params=params,
                by_name=_by_name(ctx, fn, name),
            )
        )
    _classes(ctx)


def _by_name(ctx: FileContext, fn: ts.Node, name: str) -> bool:
    """Callers reach ``fn`` by ``name`` (see :attr:`Function.by_name`)."""
    if not name:
        return True
    parent = fn.parent
    if fn.type == "method_definition":
        if parent is not None and parent.type == "class_body":
            cls = parent.parent
            return cls is None or cls.child_by_field_name("name") is not None
        return True
    if parent is not None and parent.type == "export_statement":
        return not any(c.type == "default" for c in parent.children)
    expression = fn.type in {"function_expression", "function", "generator_function"}
    if expression and fn.child_by_field_name("name"):
        # a named function expression: its own name is local to it; callers use the binding
        while parent is not None and parent.type in WRAPPERS:
            parent = parent.parent
        if parent is None:
            return False
        if parent.type == "variable_declarator":
            target = parent.child_by_field_name("name")
        elif parent.type == "pair":
            target = parent.child_by_field_name("key")
        elif parent.type == "assignment_expression":
            target = parent.child_by_field_name("left")
        else:
            return False
        bound = ctx.node_text(target).rsplit(".", 1)[-1].strip("'\"") if target is not None else ""
        return bound == name
    return True


_HERITAGE_CLAUSES = frozenset({"extends_clause", "implements_clause"})
_CLASS_TYPES = ("class_declaration", "abstract_class_declaration", "class", "interface_declaration")


def _classes(ctx: FileContext) -> None:
    """Emit a :class:`ClassDecl` per class and interface, with what it extends or implements."""
    found: list[ts.Node] = []
    for t in _CLASS_TYPES:
        try:
            found.extend(captures(ctx.language, f"({t}) @c", ctx.root).get("c", []))
        except Exception:  # grammar without the node type (interfaces in plain JavaScript)
            continue
    for node in found:
        name_node = node.child_by_field_name("name")
        if name_node is None:
            continue
        bases: list[str] = []
        for part in node.named_children:
            if part.type in {"class_heritage", "extends_type_clause"}:
                clauses = [c for c in part.named_children if c.type in _HERITAGE_CLAUSES]
                for clause in clauses or [part]:
                    bases.extend(
                        ctx.node_text(c) for c in clause.named_children if c.type != "type_arguments"
                    )
        decos = [decorator_call(ctx, d)[0] for d in decorators_of(ctx, node)]
        ctx.emit(
            ClassDecl(
                ctx.loc(node),
                name=ctx.node_text(name_node),
                bases=tuple(bases),
                decorators=tuple(decos),
                kind="interface" if node.type == "interface_declaration" else "class",
            )
        )


@extractor(languages=JS_LANGUAGES, needs=("import", "require("))
def imports(ctx: FileContext) -> None:
    """Emit an :class:`Import` per bound name of ``import`` statements and ``require`` calls."""
    for stmt in captures(ctx.language, "(import_statement) @i", ctx.root).get("i", []):
        source = string_value(ctx, stmt.child_by_field_name("source")) or ""
        clause = next((c for c in stmt.named_children if c.type == "import_clause"), None)
        if clause is None:
            continue
        for part in clause.named_children:
            if part.type == "identifier":
                ctx.emit(Import(ctx.loc(stmt), ctx.node_text(part), source, "default"))
            elif part.type == "namespace_import":
                ident = next((c for c in part.named_children if c.type == "identifier"), None)
                if ident is not None:
                    ctx.emit(Import(ctx.loc(stmt), ctx.node_text(ident), source, "*"))
            elif part.type == "named_imports":
                for spec in part.named_children:
                    if spec.type != "import_specifier":
                        continue
                    name = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias")
                    ctx.emit(Import(ctx.loc(stmt), ctx.node_text(alias or name), source, ctx.node_text(name)))
    for node, parts in iter_calls(ctx):
        if parts != ("require",):
            continue
        args = node.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        required = string_value(ctx, first)
        if required is None:
            continue
        decl = node.parent
        while decl is not None and decl.type in {"await_expression", "parenthesized_expression"}:
            decl = decl.parent
        if decl is None or decl.type != "variable_declarator":
            continue
        target = unwrap(decl.child_by_field_name("name"))
        if target is None:
            continue
        if target.type == "identifier":
            ctx.emit(Import(ctx.loc(node), ctx.node_text(target), required, "default"))
        elif target.type == "object_pattern":
            for prop in target.named_children:
                if prop.type == "shorthand_property_identifier_pattern":
                    ctx.emit(Import(ctx.loc(node), ctx.node_text(prop), required, ctx.node_text(prop)))
                elif prop.type == "pair_pattern":
                    key = prop.child_by_field_name("key")
                    val = prop.child_by_field_name("value")
                    ctx.emit(Import(ctx.loc(node), ctx.node_text(val), required, ctx.node_text(key)))
