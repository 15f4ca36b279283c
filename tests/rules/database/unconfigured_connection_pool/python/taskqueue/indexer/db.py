from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from indexer import config

_request_engine = None


def get_request_engine() -> AsyncEngine:
    global _request_engine
    if _request_engine is None:
        # the routes' engine: a new connection per request, unbounded under concurrency
        # ruleid: SC-DB-001
        _request_engine = create_async_engine(config.DATABASE_URL, poolclass=NullPool)
    return _request_engine
