"""``ALTER ROLE/DATABASE ... SET statement_timeout`` in SQL migrations -> :class:`DbSetting`."""

from __future__ import annotations

import re

from scalescope.model.facts import DbSetting
from scalescope.scan.extract.base import FileContext, extractor

_ALTER = re.compile(
    r"\bALTER\s+(ROLE|USER|DATABASE)\s+[\w\"$.]+\s+(?:IN\s+DATABASE\s+[\w\"]+\s+)?SET\s+"
    r"(statement_timeout|lock_timeout|idle_in_transaction_session_timeout)\s*(?:=|TO)\s*'?([\w ]+)'?",
    re.IGNORECASE,
)


@extractor(languages=("sql",), needs=("statement_timeout", "STATEMENT_TIMEOUT"))
def sql_settings(ctx: FileContext) -> None:
    """Role- and database-level timeouts set by SQL files."""
    for m in _ALTER.finditer(ctx.text):
        scope = "database" if m.group(1).upper() == "DATABASE" else "role"
        line = ctx.text.count("\n", 0, m.start()) + 1
        ctx.emit(
            DbSetting(ctx.line_loc(line), scope=scope, name=m.group(2).lower(), value=m.group(3).strip())
        )
