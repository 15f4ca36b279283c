"""Process-memory growth facts in JavaScript/TypeScript: module-level ``Map``/``Set``/array/
``{}`` collections that functions grow with their input and that the file never prunes.

Emits :class:`CollectionWrite` for each ``x.set(k, v)`` / ``x.add(v)`` / ``x.push(v)`` /
``x[k] = v`` inside a function whose key or value uses the function's parameters or the
request, when nothing in the file deletes from, clears, splices, size-checks, reassigns or
hands the collection to other code. Constant tables (declared non-empty) and registries filled
at import time (writes outside functions) emit nothing.
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import CollectionWrite
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.derived_names import derived_names
from scalescope.scan.extract.js.ast import arguments, enclosing_function, function_id, iter_calls, unwrap
from scalescope.scan.extract.js.caching import _browser_code

# write method -> collection kinds it grows
WRITE_METHODS: dict[str, frozenset[str]] = {
    "set": frozenset({"map"}),
    "add": frozenset({"set"}),
    "push": frozenset({"array"}),
    "unshift": frozenset({"array"}),
}
# calls that read a collection without keeping or changing it (not an escape)
READERS = frozenset(
    {
        "Object.keys",
        "Object.values",
        "Object.entries",
        "JSON.stringify",
        "Array.from",
        "console.log",
        "String",
    }
)
REQUEST_NAMES = frozenset(
    {"req", "request", "ctx", "body", "params", "query", "headers", "socket", "payload"}
)
_TIMER = re.compile(r"\b(setTimeout|setInterval)\s*\(")
_WORD = re.compile(r"[A-Za-z_$][\w$]*")


def _kind(ctx: FileContext, value: ts.Node) -> str:
    if value.type == "new_expression" and not arguments(value):
        ctor = ctx.node_text(value.child_by_field_name("constructor"))
        return {"Map": "map", "Set": "set"}.get(ctor, "")
    if value.type == "array" and not value.named_children:
        return "array"
    if value.type == "object" and not value.named_children:
        return "object"
    return ""


def _pruned(ctx: FileContext, name: str, decl_line: int) -> bool:
    """Anything in the file that removes entries, checks the size, reassigns the collection or
    hands it to other code (which may prune it)."""
    n = re.escape(name)
    if re.search(
        rf"(?<![\w$.]){n}\s*\.\s*(?:delete|clear|splice|shift|pop|size|length)\b|\bdelete\s+{n}\s*\[",
        ctx.text,
    ):
        return True
    for m in re.finditer(rf"(?<![\w$.]){n}\s*=(?![=>])", ctx.text):
        if ctx.text.count("\n", 0, m.start()) + 1 != decl_line:
            return True
    for m in re.finditer(rf"([\w$.]*)\s*\(\s*(?:[^()]*,\s*)?{n}\s*[,)]", ctx.text):
        if m.group(1) not in READERS:
            return True
    return re.search(rf"(?:return|[:=])\s*{n}\s*[;,}}\n]|\.\.\.{n}\b", ctx.text) is not None


def _inputs(ctx: FileContext, fn: ts.Node) -> set[str]:
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    names = set(_WORD.findall(ctx.node_text(params))) if params is not None else set()
    return derived_names(ctx.node_text(fn), names | REQUEST_NAMES, _WORD)


def _uses_input(ctx: FileContext, nodes: list[ts.Node], inputs: set[str]) -> bool:
    return any(w in inputs for node in nodes for w in _WORD.findall(ctx.node_text(node)))


def _module_collections(ctx: FileContext) -> dict[str, tuple[str, ts.Node, bool]]:
    """``{name: (kind, declarator, exported)}`` for empty module-level collections."""
    found: dict[str, tuple[str, ts.Node, bool]] = {}
    for query, exported in (
        (
            "(program (lexical_declaration (variable_declarator) @d)) "
            "(program (variable_declaration (variable_declarator) @d))",
            False,
        ),
        ("(program (export_statement (lexical_declaration (variable_declarator) @d)))", True),
    ):
        for decl in captures(ctx.language, query, ctx.root).get("d", []):
            name_node = decl.child_by_field_name("name")
            value = unwrap(decl.child_by_field_name("value"))
            if name_node is None or name_node.type != "identifier" or value is None:
                continue
            kind = _kind(ctx, value)
            if kind:
                found[ctx.node_text(name_node)] = (kind, decl, exported)
    return found


@extractor(languages=JS_LANGUAGES, needs=("new Map", "new Set", "= []", "= {}"))
def process_memory(ctx: FileContext) -> None:
    """Emit CollectionWrite facts for one JS/TS file."""
    if _browser_code(ctx):
        return
    collections = _module_collections(ctx)
    if not collections:
        return
    live = {
        name: info
        for name, info in collections.items()
        if not _pruned(ctx, name, ctx.loc(info[1]).line)
        and not re.search(rf"\bexport\s*\{{[^}}]*\b{re.escape(name)}\b", ctx.text)
    }
    if not live:
        return
    sites: list[tuple[str, ts.Node, str, list[ts.Node]]] = []
    for call, parts in iter_calls(ctx):
        if len(parts) == 2 and parts[0] in live and live[parts[0]][0] in WRITE_METHODS.get(parts[1], ()):
            sites.append((parts[0], call, parts[1], arguments(call)))
    for assign in captures(
        ctx.language, "(assignment_expression left: (subscript_expression) @s) @a", ctx.root
    ).get("a", []):
        sub = assign.child_by_field_name("left")
        obj = sub.child_by_field_name("object") if sub is not None else None
        name = ctx.node_text(obj)
        if sub is None or name not in live or live[name][0] not in {"object", "array"}:
            continue
        index = sub.child_by_field_name("index")
        right = assign.child_by_field_name("right")
        sites.append((name, assign, "[key] =", [n for n in (index, right) if n is not None]))
    for name, node, op, keys in sites:
        fn = enclosing_function(node)
        if fn is None or not _uses_input(ctx, keys, _inputs(ctx, fn)):
            continue  # filled at import time, or from constants
        kind, decl, exported = live[name]
        timer = _TIMER.search(ctx.node_text(fn))
        ctx.emit(
            CollectionWrite(
                ctx.loc(node),
                name=name,
                kind=kind,
                decl=ctx.loc(decl),
                op=op,
                key=ctx.node_text(keys[0])[:80] if keys else "",
                function_id=function_id(ctx, fn),
                exported=exported,
                timer=timer.group(1) if timer else "",
            )
        )
