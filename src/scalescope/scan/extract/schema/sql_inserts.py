"""``INSERT INTO`` statements in SQL files: which tables a migration or seed file fills.

One :class:`DataAccess` (kind ``write``, operation ``insert``, no enclosing function) per table
per file, at its first ``INSERT``, so a data dump of thousands of rows costs one fact per table.
``model/growth.py`` reads these with the file's role: rows inserted by a migration or seed file
make a catalog table (plan types, settings) when nothing else inserts into it.
"""

from __future__ import annotations

import re

from scalescope.model.facts import DataAccess
from scalescope.scan.extract.base import FileContext, extractor
from scalescope.scan.extract.schema.sql import split_statements

_INSERT = re.compile(
    r"\A(?:WITH\b.*?\)\s*)?(?:INSERT|REPLACE)\s+(?:OR\s+\w+\s+|IGNORE\s+)?INTO\s+(?:ONLY\s+)?"
    r"((?:[\w\"`\[\]]+\.)?[\w\"`\[\]]+)",
    re.IGNORECASE | re.DOTALL,
)


@extractor(languages=("sql",), needs=("INSERT", "insert"), migrations=True)
def sql_inserts(ctx: FileContext) -> None:
    """Emit one insert :class:`DataAccess` per table an SQL file inserts into."""
    seen: set[str] = set()
    for offset, statement in split_statements(ctx.text):
        m = _INSERT.match(statement)
        if m is None:
            continue
        table = m.group(1).rsplit(".", 1)[-1].strip('"`[]')
        if not table or table.lower() in seen:
            continue
        seen.add(table.lower())
        line = ctx.text.count("\n", 0, offset) + 1
        ctx.emit(DataAccess(ctx.line_loc(line), orm="sql", model=table, operation="insert", kind="write"))
