import asyncpg
from psycopg_pool import ConnectionPool


async def ping_all(dsns: list[str]) -> None:
    for dsn in dsns:
        # ruleid: SC-DB-001 low
        pool = await asyncpg.create_pool(dsn, max_size=2)
        await pool.execute("select 1")


# ok: SC-DB-001
sync_pool = ConnectionPool("postgresql://app@db/app", min_size=2, max_size=10, timeout=10)
