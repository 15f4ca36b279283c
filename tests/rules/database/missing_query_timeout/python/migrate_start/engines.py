# The serving engine and a start-up engine handed only to the migration runner (issue 8, item 2).
import os

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from .migrate import run_migrations


def create_engine_and_migrate() -> AsyncEngine:
    # ruleid: SC-DB-002 low (nothing calls this function)
    engine = create_async_engine(os.environ["APP_DATABASE_URL"], pool_size=10, max_overflow=5)
    # ok: SC-DB-002 (only the migration runner uses it: long DDL must not be cut short)
    migration_engine = create_async_engine(os.environ["APP_DATABASE_URL"], poolclass=NullPool)
    run_migrations(migration_engine)
    return engine
