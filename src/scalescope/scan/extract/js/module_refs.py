"""Module references that bind no name: side-effect imports (``import "./routes"``), re-exports
(``export * from "./users"``, ``export { x } from "./x"``), and ``require("./x")`` /
``import("./x")`` calls whose result is not bound to a plain variable
(``module.exports = require("./a")``, ``...require("./b")``, ``require("./c")[env]``).

They emit :class:`Import` with an empty ``local`` (nothing to resolve calls through): the model
uses them to know which files a file loads, so a module loaded only this way is not taken for
one imported by nothing.
"""

from __future__ import annotations

import re

from scalescope.model.facts import Import
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.js.ast import iter_calls, string_value, unwrap

# a file named by a string (``path.resolve(__dirname, "visit.js")``, a worker script path)
_FILE_STRING = re.compile(r"([\"'`])((?:\.{1,2}/)?[\w./-]*\w\.(?:[cm]?[jt]sx?))\1")
_QUERY = """
(import_statement source: (string) @side)
(export_statement source: (string) @export)
(call_expression function: (import) arguments: (arguments . (string) @dynamic))
"""


@extractor(languages=JS_LANGUAGES, needs=("import", "require(", "export"))
def module_refs(ctx: FileContext) -> None:
    """Emit an :class:`Import` (``local=""``) per module loaded without binding a name."""
    found = captures(ctx.language, _QUERY, ctx.root)
    for node in found.get("side", []):
        stmt = node.parent
        if stmt is not None and not any(c.type == "import_clause" for c in stmt.named_children):
            spec = string_value(ctx, node)
            if spec:
                ctx.emit(Import(ctx.loc(stmt), "", spec, ""))
    for node in found.get("export", []):
        spec = string_value(ctx, node)
        if spec:
            ctx.emit(Import(ctx.loc(node), "", spec, "*"))
    for m in _FILE_STRING.finditer(ctx.text):
        spec = m.group(2)
        if "/" not in spec or not spec.startswith("."):
            spec = "./" + spec.removeprefix("/")
        line = ctx.text.count("\n", 0, m.start()) + 1
        ctx.emit(Import(ctx.line_loc(line), "", spec, ""))
    for node in found.get("dynamic", []):
        spec = string_value(ctx, node)
        if spec:
            ctx.emit(Import(ctx.loc(node), "", spec, ""))
    for node, parts in iter_calls(ctx):
        if parts != ("require",):
            continue
        args = node.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_children else None
        spec = string_value(ctx, first)
        if not spec:
            continue
        parent = node.parent
        while parent is not None and parent.type in {"await_expression", "parenthesized_expression"}:
            parent = parent.parent
        if parent is not None and parent.type == "variable_declarator":
            target = unwrap(parent.child_by_field_name("name"))
            if target is not None and target.type in {"identifier", "object_pattern"}:
                continue  # bound by name: the imports extractor emits it
        ctx.emit(Import(ctx.loc(node), "", spec, ""))
