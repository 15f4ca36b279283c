import asyncpg
from sqlalchemy import create_engine, event

from app.config import settings

# the URL comes from settings, but the package declares only PostgreSQL's driver (psycopg)
# ruleid: SC-DB-002
engine = create_engine(settings.database_url, pool_size=5, max_overflow=5, pool_timeout=10)

# ok: SC-DB-002
safe = create_engine(settings.database_url, connect_args={"options": "-c statement_timeout=5000", "connect_timeout": 5})


async def make_pool() -> asyncpg.Pool:
    # ok: SC-DB-002
    return await asyncpg.create_pool(settings.database_url, max_size=10, command_timeout=10)
