"""Admin checks inside a handler: an ``if`` at the top of a function's body whose condition
names an admin, staff, superuser or moderator role and whose branch ends the request as
forbidden (``return res.status(403)``, ``throw new ForbiddenException()``, ``abort(403)``,
``raise PermissionDenied``, ``return ..., 403``). Such a function serves admins only, like a
route behind an admin middleware or decorator. Emits :class:`AdminGuard`."""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import AdminGuard
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.js import ast as jsa
from scalescope.scan.extract.py import ast as pya

#: a role check in a condition (``isAdmin``, ``user.role !== 'admin'``, ``is_staff``,
#: ``process.env.ADMIN``, ``Role.MODERATOR``)
_ROLE = re.compile(r"admin|superuser|is_?staff|moderator", re.IGNORECASE)
#: a branch that refuses the request
_FORBIDDEN = re.compile(
    r"\b403\b|Forbidden|PermissionDenied|NotAuthorized|Unauthorized|permission_denied|abort\(\s*40[13]",
    re.IGNORECASE,
)
#: statements that may come before the guard at the top of a handler (loading the user)
_MAX_LEADING = 4
_JS_BODY_OWNERS = frozenset(
    {"function_declaration", "function_expression", "arrow_function", "method_definition", "function"}
)


def _guard(ctx: FileContext, stmt: ts.Node) -> str | None:
    cond = stmt.child_by_field_name("condition")
    then = stmt.child_by_field_name("consequence")
    text = ctx.node_text(cond)
    if cond is None or then is None or not _ROLE.search(text) or not _FORBIDDEN.search(ctx.node_text(then)):
        return None
    return " ".join(text.split())[:120]


def _guarded_function(stmt: ts.Node, block_type: str, owners: frozenset[str]) -> ts.Node | None:
    """The function whose body ``stmt`` opens (one of its first statements), if any."""
    block = stmt.parent
    fn = block.parent if block is not None else None
    if block is None or fn is None or block.type != block_type or fn.type not in owners:
        return None
    leading = [c for c in block.named_children if c.type != "comment"]
    position = next((i for i, c in enumerate(leading) if c.id == stmt.id), _MAX_LEADING + 1)
    return fn if position <= _MAX_LEADING else None


@extractor(languages=JS_LANGUAGES, needs=("403", "Forbidden", "forbidden"))
def js_admin_guards(ctx: FileContext) -> None:
    """Emit an :class:`AdminGuard` per JS/TS function guarded by an admin check."""
    if not _ROLE.search(ctx.text):
        return
    seen: set[int] = set()
    for stmt in captures(ctx.language, "(if_statement) @i", ctx.root).get("i", []):
        fn = _guarded_function(stmt, "statement_block", _JS_BODY_OWNERS)
        if fn is None or fn.id in seen:
            continue
        condition = _guard(ctx, stmt)
        if condition is not None:
            seen.add(fn.id)
            ctx.emit(AdminGuard(ctx.loc(stmt), function_id=jsa.function_id(ctx, fn), condition=condition))


@extractor(languages=("python",), needs=("403", "Forbidden", "PermissionDenied", "abort("))
def py_admin_guards(ctx: FileContext) -> None:
    """Emit an :class:`AdminGuard` per Python function guarded by an admin check."""
    if not _ROLE.search(ctx.text):
        return
    seen: set[int] = set()
    for stmt in captures("python", "(if_statement) @i", ctx.root).get("i", []):
        fn = _guarded_function(stmt, "block", frozenset({"function_definition"}))
        if fn is None or fn.id in seen:
            continue
        condition = _guard(ctx, stmt)
        if condition is not None:
            seen.add(fn.id)
            ctx.emit(AdminGuard(ctx.loc(stmt), function_id=pya.function_id(ctx, fn), condition=condition))
