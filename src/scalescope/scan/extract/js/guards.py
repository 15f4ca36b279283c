"""Environment guards in JS/TS: blocks that run only in development, test or production.

``if (process.env.NODE_ENV === 'development') {...}``, ``if (process.env.NODE_ENV !== 'production')``,
``if (isDev)`` where ``isDev`` is a const of this file holding such a test (or a conventional
flag such as ``config.isProduction``), ``import.meta.env.DEV``; ``!`` and ``else`` invert, and
``&&`` keeps the environment of its guarded operand. Emits :class:`EnvGuard` spanning the block.
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import EnvGuard
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.environments import ENV_VALUES, INVERT
from scalescope.scan.extract.js.ast import string_value

# environment variables / accessors that name the deployment environment
_ENV_ACCESS = re.compile(
    r"^(process\.env\.(NODE_ENV|APP_ENV|ENV|ENVIRONMENT|RUNTIME_ENV|DEPLOY_ENV)|"
    r"process\.env\[['\"](NODE_ENV|APP_ENV|ENV|ENVIRONMENT)['\"]\]|import\.meta\.env\.MODE|"
    r"app\.get\(['\"]env['\"]\)|(\w+\.)*(nodeEnv|NODE_ENV|env|environment|appEnv))$"
)
# conventional boolean flags (``isDev``, ``config.isProduction``, ``import.meta.env.DEV``)
_FLAGS = {
    "isdev": "development",
    "isdevelopment": "development",
    "is_dev": "development",
    "is_development": "development",
    "__dev__": "development",
    "isprod": "production",
    "isproduction": "production",
    "is_prod": "production",
    "is_production": "production",
    "istest": "test",
    "is_test": "test",
}
_VALUES = ENV_VALUES
_INVERT = INVERT


def _value_env(value: str) -> str | None:
    return _VALUES.get(value.strip().lower())


class _Guards:
    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.consts: dict[str, str] = {}

    def env_of(self, node: ts.Node | None, depth: int = 0) -> str | None:
        """The environment a condition holds in, or ``None`` when it is not an env test."""
        if node is None or depth > 8:
            return None
        kind = node.type
        if kind == "parenthesized_expression":
            inner = node.named_children[0] if node.named_children else None
            return self.env_of(inner, depth + 1)
        if kind == "unary_expression":
            bang = node.child_by_field_name("operator")
            if bang is not None and self.ctx.node_text(bang) == "!":
                inner_env = self.env_of(node.child_by_field_name("argument"), depth + 1)
                return _INVERT.get(inner_env or "")
            return None
        if kind == "binary_expression":
            op_node = node.child_by_field_name("operator")
            op = self.ctx.node_text(op_node) if op_node is not None else ""
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if op == "&&":
                return self.env_of(left, depth + 1) or self.env_of(right, depth + 1)
            if op == "||":
                a, b = self.env_of(left, depth + 1), self.env_of(right, depth + 1)
                return a if a is not None and a == b else None
            if op in {"===", "==", "!==", "!="}:
                env = self._comparison(left, right) or self._comparison(right, left)
                if env is None:
                    return None
                return env if op in {"===", "=="} else _INVERT.get(env)
            return None
        if kind == "identifier":
            name = self.ctx.node_text(node)
            return self.consts.get(name) or _FLAGS.get(name.lower())
        if kind == "member_expression":
            text = self.ctx.node_text(node)
            if text == "import.meta.env.DEV":
                return "development"
            if text == "import.meta.env.PROD":
                return "production"
            prop = node.child_by_field_name("property")
            return _FLAGS.get(self.ctx.node_text(prop).lower()) if prop is not None else None
        return None

    def _comparison(self, access: ts.Node | None, literal: ts.Node | None) -> str | None:
        if access is None or literal is None:
            return None
        if not _ENV_ACCESS.match(self.ctx.node_text(access).replace(" ", "")):
            return None
        value = string_value(self.ctx, literal)
        return _value_env(value) if value is not None else None


@extractor(
    languages=JS_LANGUAGES,
    needs=(
        "NODE_ENV",
        "isDev",
        "isProd",
        "IS_DEV",
        "IS_PROD",
        "__DEV__",
        "import.meta.env",
        "'env'",
        "nodeEnv",
    ),
)
def env_guards(ctx: FileContext) -> None:
    """Emit an :class:`EnvGuard` per ``if`` block (and its ``else``) that tests the environment."""
    guards = _Guards(ctx)
    root = ctx.root
    for decl in captures(ctx.language, "(variable_declarator) @d", root).get("d", []):
        name, value = decl.child_by_field_name("name"), decl.child_by_field_name("value")
        if name is None or value is None or name.type != "identifier":
            continue
        # only consts whose value is itself an env test (not any flag named ``dev``)
        if value.type in {"binary_expression", "unary_expression", "parenthesized_expression"}:
            env = guards.env_of(value)
            if env is not None:
                guards.consts[ctx.node_text(name)] = env
    for stmt in captures(ctx.language, "(if_statement) @i", root).get("i", []):
        cond = stmt.child_by_field_name("condition")
        env = guards.env_of(cond)
        if env is None:
            continue
        condition = " ".join(ctx.node_text(cond).split())[:120]
        body = stmt.child_by_field_name("consequence")
        if body is not None:
            ctx.emit(EnvGuard(ctx.loc(body), runs_in=env, condition=condition))
        alt = stmt.child_by_field_name("alternative")
        inverted = _INVERT.get(env)
        if alt is not None and inverted is not None:
            ctx.emit(EnvGuard(ctx.loc(alt), runs_in=inverted, condition=f"else of {condition}"))
