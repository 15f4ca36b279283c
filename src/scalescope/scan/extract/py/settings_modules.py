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

from scalescope.model.facts import SettingsInclude, SettingsModule
from scalescope.scan.extract.base import FileContext, extractor
from scalescope.scan.extract.py.ast import if_branches, string_value

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
# settings a later settings file may replace (``assigns``), beyond those that mark a module
_REPLACEABLE = _SETTINGS | {"CACHES", "SESSION_ENGINE", "CONN_MAX_AGE"}
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
    assigns: set[str] = set()
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
        if name in _REPLACEABLE:
            assigns.add(name)
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
        ctx.emit(
            SettingsModule(
                ctx.line_loc(first_setting),
                debug="",
                star_imports=tuple(stars),
                assigns=tuple(sorted(assigns)),
                star_lines=tuple(star_lines),
            )
        )
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
    ctx.emit(
        SettingsModule(
            ctx.line_loc(first),
            debug=state,
            star_imports=tuple(stars),
            assigns=tuple(sorted(assigns)),
            star_lines=tuple(star_lines),
        )
    )


@extractor(languages=("python",), needs=("split_settings",))
def split_settings_include(ctx: FileContext) -> None:
    """Emit a :class:`SettingsInclude` for each django-split-settings ``include(...)`` call at
    module level: the files it runs, in order (``include(*base_settings)`` takes the strings
    of the list ``base_settings`` as it is built: its literal, then each ``append``/``extend``/
    ``+=`` in the order they appear), each with the ``if`` branches it is added in."""
    names = _imported_include(ctx)
    if not names:
        return
    for stmt, _nested in _statements(ctx.root, False):
        if stmt.type != "expression_statement" or not stmt.named_children:
            continue
        call = stmt.named_children[0]
        if call.type != "call" or ctx.node_text(call.child_by_field_name("function")) not in names:
            continue
        args = call.child_by_field_name("arguments")
        found: list[tuple[str, str]] = []
        for arg in args.named_children if args is not None else []:
            if arg.type == "list_splat" and arg.named_children:
                found.extend(_list_strings(ctx, ctx.node_text(arg.named_children[0]), call.start_byte))
            else:
                found.extend((s, if_branches(call)) for s in _strings(ctx, arg))
        if found:
            ctx.emit(
                SettingsInclude(
                    ctx.loc(call),
                    components=tuple(c for c, _ in found),
                    branches=tuple(b for _, b in found),
                )
            )


def _imported_include(ctx: FileContext) -> set[str]:
    """How this module calls split_settings' ``include`` (``include``, ``tools.include``...)."""
    out: set[str] = set()
    for stmt, _nested in _statements(ctx.root, False):
        if stmt.type == "import_from_statement":
            module = ctx.node_text(stmt.child_by_field_name("module_name"))
            if module.startswith("split_settings"):
                for name in stmt.children_by_field_name("name"):
                    original, _, alias = ctx.node_text(name).partition(" as ")
                    local = (alias or original).strip()
                    if original.strip() == "include":
                        out.add(local)
                    elif original.strip() == "tools":
                        out.add(f"{local}.include")
        elif stmt.type == "import_statement" and "split_settings" in ctx.node_text(stmt):
            out.add("split_settings.tools.include")
    return out


def _strings(ctx: FileContext, node: ts.Node) -> list[str]:
    """The plain strings an argument names: ``'a.py'``, ``optional('b.py')``, a list of them."""
    if node.type == "string":
        value = string_value(ctx, node)
        return [value] if value else []
    if node.type == "call":
        args = node.child_by_field_name("arguments")
        return [s for a in (args.named_children if args is not None else []) for s in _strings(ctx, a)]
    if node.type in {"list", "tuple", "parenthesized_expression"}:
        return [s for c in node.named_children for s in _strings(ctx, c)]
    return []


def _list_strings(ctx: FileContext, name: str, before: int) -> list[tuple[str, str]]:
    """The strings the module-level list ``name`` holds when it is passed at byte ``before``,
    each with the branches it is added in: its literal, then what each ``name.append(...)``/
    ``name.extend(...)``/``name += [...]`` adds, in source order (every branch of an ``if``:
    one of them runs)."""
    out: list[tuple[str, str]] = []
    for stmt, _nested in _statements(ctx.root, False):
        if stmt.start_byte >= before or stmt.type != "expression_statement" or not stmt.named_children:
            continue
        expr = stmt.named_children[0]
        added: list[str] = []
        if expr.type in {"assignment", "augmented_assignment"}:
            if ctx.node_text(expr.child_by_field_name("left")) == name:
                right = expr.child_by_field_name("right")
                if right is not None:
                    added = _strings(ctx, right)
        elif expr.type == "call":
            func = ctx.node_text(expr.child_by_field_name("function"))
            if func in {f"{name}.append", f"{name}.extend", f"{name}.insert"}:
                added = _strings(ctx, expr)
        out.extend((s, if_branches(stmt)) for s in added)
    return out
