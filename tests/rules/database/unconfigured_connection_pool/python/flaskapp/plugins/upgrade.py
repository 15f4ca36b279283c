from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import create_engine, pool


def upgrade_plugin(database_url: str) -> None:
    # a one-off migration connection (alembic), not the serving pool
    # ok: SC-DB-001
    engine = create_engine(database_url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        Operations(MigrationContext.configure(conn))
