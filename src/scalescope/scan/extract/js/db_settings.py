"""``SET statement_timeout`` run by JavaScript/TypeScript code -> :class:`DbSetting`.

A session setting (``SET statement_timeout = 5000`` in a pg ``pool.on('connect')`` hook, a
Prisma ``$executeRaw`` or Drizzle ``sql`` in a client wrapper) has ``scope="session"``; a
``SET LOCAL`` (valid until the transaction ends) has ``scope="transaction"``. Only SQL inside
string or template literals counts, not comments.
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import DbSetting
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, extractor
from scalescope.scan.extract.js.ast import arguments, callee_parts, enclosing_function_id, string_value

_SET = re.compile(
    r"\bSET\s+(LOCAL\s+|SESSION\s+)?(statement_timeout|lock_timeout|idle_in_transaction_session_timeout)\b"
    r"\s*(?:=|TO)?\s*'?([\w ]*)",
    re.IGNORECASE,
)
_STRINGS = frozenset({"string_fragment", "string", "template_string", "template_literal_type"})


@extractor(languages=JS_LANGUAGES, needs=("statement_timeout", "STATEMENT_TIMEOUT"))
def js_db_settings(ctx: FileContext) -> None:
    for m in _SET.finditer(ctx.text):
        start = len(ctx.text[: m.start()].encode())
        node = ctx.root.descendant_for_byte_range(start, start + 3)
        if node is None:
            continue
        inside = _string_around(node)
        if inside is None:
            continue
        modifier = (m.group(1) or "").strip().upper()
        library = _library(ctx, inside)
        ctx.emit(
            DbSetting(
                ctx.line_loc(node.start_point[0] + 1),
                scope="transaction" if modifier == "LOCAL" else "session",
                name=m.group(2).lower(),
                value=m.group(3).strip(),
                function_id=enclosing_function_id(ctx, node),
                library=library,
            )
        )


def _string_around(node: ts.Node) -> ts.Node | None:
    """The string or template literal ``node`` is part of (``None`` in code or comments)."""
    cur: ts.Node | None = node
    while cur is not None and cur.type not in _STRINGS:
        if cur.type in {"comment", "program", "statement_block"}:
            return None
        cur = cur.parent
    return cur


# the call running the SQL -> the client library: (method or tag, library)
_RUNNERS = {
    "$executeRaw": "prisma",
    "$executeRawUnsafe": "prisma",
    "$queryRaw": "prisma",
    "$queryRawUnsafe": "prisma",
    "raw": "knex",
}
# hooks run on each new connection of a pool: ``pool.on("connect", ...)`` (pg),
# ``afterCreate`` (knex pool), ``afterConnect`` (Sequelize hooks)
_CONNECT_HOOKS = {"on": "pg", "afterCreate": "knex", "afterConnect": "sequelize"}


def _library(ctx: FileContext, string: ts.Node) -> str:
    """Which client runs the SQL in ``string``, from the call around it."""
    node: ts.Node | None = string.parent
    runner = ""
    while node is not None and node.type not in {"program"}:
        if node.type == "call_expression":
            parts = callee_parts(ctx, node)
            name = parts[-1] if parts else ""
            if name in _RUNNERS:
                return _RUNNERS[name]
            if name == "sql" and not runner:
                runner = "postgres-js"  # a bare ``sql`` tag; inside ``db.execute(...)`` it is Drizzle
            elif name == "execute" and runner == "postgres-js":
                return "drizzle"
            elif name in _CONNECT_HOOKS and node.type == "call_expression":
                args = arguments(node)
                event = string_value(ctx, args[0]) if args else None
                if name != "on" or event == "connect":
                    return _CONNECT_HOOKS[name]
        node = node.parent
    return runner
