import os

from sqlalchemy import create_engine

# the package installs drivers for PostgreSQL and MySQL: which one the URL names is the
# deployment's choice, so the finding stays low
# ruleid: SC-DB-002 low
engine = create_engine(os.environ["DATABASE_URL"], pool_size=5, max_overflow=5, pool_timeout=10)
