"""Database URL reading shared by the client extractors and the database rules.

Pool, timeout and pooler hints carried by a connection URL (``?connection_limit=5``,
``?options=-c statement_timeout=5000``, ``pgbouncer=true``, ``prisma://``, port 6432...).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

POOL_PARAMS = frozenset(
    {
        "connection_limit",
        "pool_size",
        "max_pool_size",
        "maxpoolsize",
        "pool_max",
        "max",
        "poolsize",
        "connectionlimit",
        "max_connections",
    }
)
TIMEOUT_PARAMS = frozenset(
    {
        "pool_timeout",
        "connect_timeout",
        "socket_timeout",
        "statement_timeout",
        "query_timeout",
        "sockettimeoutms",
        "maxtimems",
        "timeoutms",
        "connecttimeoutms",
        "serverselectiontimeoutms",
        "command_timeout",
    }
)
# timeouts that bound how long one statement may run (not connect/acquire timeouts)
STATEMENT_TIMEOUTS = frozenset(
    {
        "statement_timeout",
        "query_timeout",
        "socket_timeout",
        "sockettimeoutms",
        "maxtimems",
        "timeoutms",
        "command_timeout",
        "max_execution_time",
    }
)
_STATEMENT_IN_TEXT = re.compile(r"statement_timeout|max_execution_time|lock_timeout", re.IGNORECASE)


def url_params(url: str) -> dict[str, str]:
    """Query parameters of a URL, lower-cased names; ``options=-c statement_timeout=5000``
    also yields ``statement_timeout``."""
    try:
        query = urlsplit(url.strip()).query
    except ValueError:
        return {}
    out: dict[str, str] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        out[key.lower()] = value
        if key.lower() == "options":
            for m in re.finditer(r"([a-z_]+)\s*=\s*(\S+)", unquote(value)):
                out[m.group(1).lower()] = m.group(2)
    return out


def is_pooler_url(url: str) -> bool:
    """A URL that goes through an external pooler/proxy: Prisma Accelerate (``prisma://``,
    ``prisma+postgres://``), ``pgbouncer=true``, PgBouncer's 6432 port, Supabase/Neon poolers."""
    low = url.strip().lower()
    if low.startswith(("prisma://", "prisma+postgres://")):
        return True
    params = url_params(low)
    if params.get("pgbouncer") == "true":
        return True
    try:
        parts = urlsplit(low)
        port = parts.port
        host = parts.hostname or ""
    except ValueError:
        return False
    return port in (6432, 6543) or "pooler." in host or "-pooler" in host or "pgbouncer" in host


def mentions_statement_timeout(text: str) -> bool:
    """Source text sets a server-side statement timeout (``-c statement_timeout=...``)."""
    return bool(_STATEMENT_IN_TEXT.search(text))


def is_sqlite_url(url: str) -> bool:
    return url.strip().strip("'\"").lower().startswith(("sqlite", "file:"))
