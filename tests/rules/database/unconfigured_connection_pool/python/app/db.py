from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from app.config import settings

# ruleid: SC-DB-001 low
engine = create_engine(settings.database_url)

# ok: SC-DB-001
tuned = create_engine(settings.database_url, pool_size=5, max_overflow=5, pool_timeout=10, pool_pre_ping=True)

# ok: SC-DB-001
bounced = create_engine("postgresql+psycopg://app:secret@pgbouncer:6432/app", poolclass=NullPool)

# ruleid: SC-DB-001 low
direct = create_engine(settings.replica_url, poolclass=NullPool)

# ok: SC-DB-001
cache_db = create_engine("sqlite:///cache.db")


def open_library(path: str):
    # SQLite through a formatted URL: a file database with no server to exhaust
    # ok: SC-DB-001
    formatted = create_engine("sqlite:///{0}".format(path), echo=False)
    # ok: SC-DB-001
    interpolated = create_engine(f"sqlite:///{path}/app.db")
    # ok: SC-DB-001
    joined = create_engine("sqlite:///" + path)
    return formatted, interpolated, joined


def run_user_query(connection_url: str, statement: str) -> list[object]:
    # a workflow step that queries the database its user configured: one connection per run,
    # to a database that is not the application's, so there is no application pool to size
    # ok: SC-DB-001
    external = create_engine(connection_url, poolclass=NullPool, pool_pre_ping=True)
    try:
        with external.connect() as conn:
            return list(conn.exec_driver_sql(statement))
    finally:
        external.dispose()


def open_store(data_dir: str):
    # a SQLite URL held in a name bound just before, in the same block
    url = f"sqlite:///{data_dir}/store.db"
    # ok: SC-DB-001
    store = create_engine(url, poolclass=NullPool)
    return store
