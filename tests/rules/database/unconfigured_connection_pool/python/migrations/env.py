from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

# ok: SC-DB-001
connectable = create_engine(context.config.get_main_option("sqlalchemy.url"), poolclass=NullPool)
