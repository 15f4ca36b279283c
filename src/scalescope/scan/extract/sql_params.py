"""Which bound parameter a raw SQL statement's ``LIMIT`` takes (both ecosystems).

``SELECT ... LIMIT $2`` (node-postgres, asyncpg), ``LIMIT ?`` (mysql2, sqlite), ``LIMIT %s``
(psycopg, DB-API), ``LIMIT :limit`` / ``LIMIT %(limit)s`` / ``LIMIT @limit`` (named): the
extractors map the placeholder to the argument that fills it, so a page size from the request
is traced through raw SQL as through an ORM call. A literal ``LIMIT 20``, a statement with
several ``LIMIT`` clauses, or one with no placeholder there gives ``None``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_LIMIT = re.compile(r"\blimit\s+(\$\d+|\?|%s|:[A-Za-z_]\w*|%\([A-Za-z_]\w*\)s|@[A-Za-z_]\w*)", re.IGNORECASE)
_LIMIT_WORD = re.compile(r"\blimit\b", re.IGNORECASE)
_POSITIONAL = re.compile(r"\?|%s")


class Placeholder(NamedTuple):
    """``position``: the 0-based position among the statement's parameters (``$3`` -> 2, the third
    ``?``), or -1; ``name``: the named parameter (``limit`` of ``:limit``), or ``""``."""

    position: int = -1
    name: str = ""


def limit_placeholder(sql: str) -> Placeholder | None:
    """The placeholder of the statement's one ``LIMIT`` (see the module docstring)."""
    if len(_LIMIT_WORD.findall(sql)) != 1:
        return None
    m = _LIMIT.search(sql)
    if m is None:
        return None
    token = m.group(1)
    if token.startswith("$"):
        return Placeholder(position=int(token[1:]) - 1)
    if token in {"?", "%s"}:
        return Placeholder(position=len(_POSITIONAL.findall(sql[: m.start(1)])))
    if token.startswith("%("):
        return Placeholder(name=token[2:-2])
    return Placeholder(name=token[1:])
