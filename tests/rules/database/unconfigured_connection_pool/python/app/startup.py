from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from app.config import settings
from app.migrate import run_migrations


def migrate_at_startup() -> None:
    # an engine handed only to the migration runner, once at start-up: no request uses it
    # ok: SC-DB-001
    migration_engine = create_engine(settings.database_url, poolclass=NullPool)
    run_migrations(migration_engine)


def reporting_engine():
    # handed to the migration runner and also returned for queries: the application's pool
    # ruleid: SC-DB-001 low (nothing calls this function)
    engine = create_engine(settings.reporting_url, poolclass=NullPool)
    run_migrations(engine)
    return engine
