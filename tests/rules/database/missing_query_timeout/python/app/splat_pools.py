"""Pools whose options arrive as ``**config``: the dict the name is bound to is read."""

from typing import Any

import asyncpg

from app.config import settings

BATCH_CONFIG = {"dsn": settings.database_url, "max_size": 4, "command_timeout": 600}
BARE_CONFIG = {"dsn": settings.database_url, "max_size": 4}


def get_db_config() -> dict[str, Any]:
    return {
        "dsn": settings.database_url,
        "min_size": 5,
        "max_size": 20,
        "command_timeout": 120,
    }


async def from_function() -> asyncpg.Pool:
    config = get_db_config()
    # ok: SC-DB-002
    return await asyncpg.create_pool(**config)


async def from_module_constant() -> asyncpg.Pool:
    # ok: SC-DB-002
    return await asyncpg.create_pool(**BATCH_CONFIG)


async def from_local_dict() -> asyncpg.Pool:
    options = {"max_size": 10, "server_settings": {"statement_timeout": "5000"}}
    # ok: SC-DB-002
    return await asyncpg.create_pool(settings.database_url, **options)


async def without_timeout() -> asyncpg.Pool:
    # ruleid: SC-DB-002 low
    return await asyncpg.create_pool(**BARE_CONFIG)


def monitoring_engine(url: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    try:
        # ruleid: SC-DB-002 low
        engine = create_engine(url, pool_size=5)
    except TypeError:
        # the fallback of the same client (SQLite takes no pool_size): another place of the
        # same finding (tests/rules/test_pool_alternatives.py)
        # ruleid: SC-DB-002 low
        engine = create_engine(url)
    return engine
