"""Settings modules and their own ``DEBUG``.

Django's deployment checklist is explicit: never deploy with ``DEBUG = True``. A settings
module that hard-codes it (``DEBUG = True`` at module level, not read from the environment)
is the development configuration (``startproject``'s quick-start settings, ``devproject``),
so the database and cache settings it defines are a developer's, not production's. The
model decides from these facts which settings modules are development-only
(:mod:`scalescope.model.roles`); here each module only reports what it sets.
"""

from __future__ import annotations

import tree_sitter as ts

from scalescope.model.facts import SettingsModule
from scalescope.scan.extract.base import FileContext, extractor

# module-level names only a settings module assigns
_SETTINGS = frozenset(
    {
        "INSTALLED_APPS",
        "DATABASES",
        "ROOT_URLCONF",
        "MIDDLEWARE",
        "ALLOWED_HOSTS",
        "SECRET_KEY",
        "WSGI_APPLICATION",
        "SQLALCHEMY_DATABASE_URI",
    }
)
# blocks whose statements still run at import time, once (``if``/``try``/``with`` at module level)
_BLOCKS = frozenset(
    {
        "if_statement",
        "else_clause",
        "elif_clause",
        "try_statement",
        "except_clause",
        "finally_clause",
        "with_statement",
        "block",
    }
)


def _statements(node: ts.Node, nested: bool, depth: int = 0) -> list[tuple[ts.Node, bool]]:
    """Statements run at import time: ``(statement, inside an if/try/with block)``."""
    out: list[tuple[ts.Node, bool]] = []
    for child in node.named_children:
        if child.type in _BLOCKS and depth < 8:
            out.extend(_statements(child, True, depth + 1))
        else:
            out.append((child, nested))
    return out


@extractor(languages=("python",), needs=("DEBUG", *sorted(_SETTINGS)))
def settings_module(ctx: FileContext) -> None:
    """Emit a :class:`SettingsModule` for a module that assigns settings at module level."""
    settings_like = False
    debug: list[tuple[int, str, bool]] = []  # (line, value as written, nested)
    star_lines: list[int] = []
    stars: list[str] = []  # unconditional ``from x import *`` at module level
    dynamic = False
    first_setting = 0
    for stmt, nested in _statements(ctx.root, False):
        if stmt.type == "import_from_statement":
            if any(c.type == "wildcard_import" for c in stmt.named_children):
                star_lines.append(stmt.start_point[0] + 1)
                module = stmt.child_by_field_name("module_name")
                if not nested and module is not None:
                    stars.append(ctx.node_text(module))
            continue
        if stmt.type != "expression_statement" or not stmt.named_children:
            continue
        expr = stmt.named_children[0]
        if expr.type == "call":
            text = ctx.node_text(expr.child_by_field_name("function"))
            dynamic = dynamic or text in {"exec", "globals().update", "vars().update"}
            continue
        if expr.type not in {"assignment", "augmented_assignment"}:
            continue
        left = expr.child_by_field_name("left")
        name = ctx.node_text(left) if left is not None and left.type == "identifier" else ""
        if name == "DEBUG":
            right = expr.child_by_field_name("right")
            value = ctx.node_text(right) if right is not None and expr.type == "assignment" else "?"
            debug.append((stmt.start_point[0] + 1, value, nested))
        elif name in _SETTINGS:
            settings_like = True
            first_setting = first_setting or stmt.start_point[0] + 1
    if not settings_like and not (debug and star_lines and star_lines[0] < debug[0][0]):
        return
    if not debug:
        ctx.emit(SettingsModule(ctx.line_loc(first_setting), debug="", star_imports=tuple(stars)))
        return
    values = {value for _, value, _ in debug}
    first = debug[0][0]
    overridable = dynamic or any(line > first for line in star_lines) or any(n for _, _, n in debug)
    if values == {"True"} and not overridable:
        state = "true"
    elif values == {"False"} and not overridable:
        state = "false"
    else:
        state = "dynamic"
    ctx.emit(SettingsModule(ctx.line_loc(first), debug=state, star_imports=tuple(stars)))
