"""Environment guards in Python: blocks that run only in development, test or production.

``if settings.DEBUG:``, ``if DEBUG:``, ``if app.debug:``, ``if app.config["DEBUG"]:``,
``if settings.ENVIRONMENT == "local":``, ``if os.environ.get("ENV") == "development":``,
``if settings.TESTING:``; ``not`` and ``else`` invert, ``and`` keeps the environment of its
guarded operand. Emits :class:`EnvGuard` spanning the block.
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import EnvGuard
from scalescope.scan.extract.base import FileContext, captures, extractor
from scalescope.scan.extract.environments import ENV_VALUES, INVERT
from scalescope.scan.extract.py.ast import string_value

_DEBUG = re.compile(
    r"^((\w+\.)*DEBUG|(\w+\.)*debug|(\w+\.)*config\[['\"]DEBUG['\"]\]|(\w+\.)*config\.get\(['\"]DEBUG['\"]\))$"
)
_TESTING = re.compile(r"^((\w+\.)*TESTING|(\w+\.)*testing|(\w+\.)*config\[['\"]TESTING['\"]\])$")
_ENV_ACCESS = re.compile(
    r"^((\w+\.)*(ENVIRONMENT|ENV|[A-Z][A-Z0-9_]*_ENV|[A-Z][A-Z0-9_]*_ENVIRONMENT|environment|env)|"
    r"os\.(environ\.get|getenv)\(['\"]\w*ENV\w*['\"][^)]*\)|os\.environ\[['\"]\w*ENV\w*['\"]\])$"
)
# CI services' names (``TARGET_ENV == "codebuild"``): a test run, not production
_VALUES = {
    **ENV_VALUES,
    **dict.fromkeys(("ci", "codebuild", "circleci", "travis", "jenkins", "github", "gitlab"), "test"),
}
#: environments that are not production: a block for either of them (``"local" or
#: "codebuild"``) is a developer's or a test run's
_NOT_PRODUCTION = frozenset({"development", "test"})
_INVERT = INVERT


def _env_of(ctx: FileContext, node: ts.Node | None, depth: int = 0) -> str | None:
    if node is None or depth > 8:
        return None
    kind = node.type
    if kind == "parenthesized_expression":
        return _env_of(ctx, node.named_children[0] if node.named_children else None, depth + 1)
    if kind == "not_operator":
        return _INVERT.get(_env_of(ctx, node.child_by_field_name("argument"), depth + 1) or "")
    if kind == "boolean_operator":
        op = node.child_by_field_name("operator")
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        a = _env_of(ctx, left, depth + 1)
        b = _env_of(ctx, right, depth + 1)
        if op is not None and ctx.node_text(op) == "and":
            return a or b
        if a is not None and a == b:
            return a
        # ``ENV == "local" or ENV == "codebuild"``: neither is production
        return "development" if {a, b} <= _NOT_PRODUCTION else None
    if kind == "comparison_operator":
        children = node.named_children
        ops = [ctx.node_text(c) for c in node.children if not c.is_named]
        if len(children) != 2 or len(ops) != 1 or ops[0] not in {"==", "!=", "is", "is not"}:
            return None
        env = _comparison(ctx, children[0], children[1]) or _comparison(ctx, children[1], children[0])
        if env is None:
            return None
        return env if ops[0] in {"==", "is"} else _INVERT.get(env)
    if kind in {"identifier", "attribute", "subscript", "call"}:
        text = "".join(ctx.node_text(node).split())
        if _DEBUG.match(text):
            return "development"
        if _TESTING.match(text):
            return "test"
    return None


def _comparison(ctx: FileContext, access: ts.Node, literal: ts.Node) -> str | None:
    if not _ENV_ACCESS.match("".join(ctx.node_text(access).split())):
        return None
    value = string_value(ctx, literal)
    return _VALUES.get(value.strip().lower()) if value is not None else None


@extractor(
    languages=("python",),
    needs=("DEBUG", "debug", "TESTING", "ENV", "environment"),
)
def env_guards(ctx: FileContext) -> None:
    """Emit an :class:`EnvGuard` per ``if`` block (and its ``else``) that tests the environment."""
    for stmt in captures("python", "(if_statement) @i", ctx.root).get("i", []):
        cond = stmt.child_by_field_name("condition")
        env = _env_of(ctx, cond)
        if env is None:
            continue
        condition = " ".join(ctx.node_text(cond).split())[:120]
        body = stmt.child_by_field_name("consequence")
        if body is not None:
            ctx.emit(EnvGuard(ctx.loc(stmt, body), runs_in=env, condition=condition))
        alternatives = stmt.children_by_field_name("alternative")
        inverted = _INVERT.get(env)
        if len(alternatives) == 1 and alternatives[0].type == "else_clause" and inverted is not None:
            ctx.emit(EnvGuard(ctx.loc(alternatives[0]), runs_in=inverted, condition=f"else of {condition}"))
