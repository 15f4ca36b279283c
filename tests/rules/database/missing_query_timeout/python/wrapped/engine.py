from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.ext.asyncio import (
    create_async_engine as _create_async_engine,
)


def create_async_engine(dsn: str, *, pool_size: int, command_timeout: float | None = None) -> AsyncEngine:
    connect_args: dict[str, Any] = {"prepared_statement_cache_size": 0}
    if command_timeout is not None:
        connect_args["command_timeout"] = command_timeout
    # the real construction: sized and bounded by the caller's settings
    # ok: SC-DB-002
    return _create_async_engine(dsn, connect_args=connect_args, pool_size=pool_size, pool_pre_ping=True)
