from fastapi import FastAPI, Query
import asyncpg

pool: asyncpg.Pool

app = FastAPI()

@app.get("/orders/page")
async def route_0(offset: int = 0):
    rows = await pool.fetch("SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET $1", offset)
    # ruleid: SC-DB-005
    total = await pool.fetch("SELECT COUNT(*) AS n FROM orders")
    return {"rows": rows, "total": total}


@app.get("/orders/page-users")
async def route_1(offset: int = 0):
    rows = await pool.fetch("SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET $1", offset)
    # ok: SC-DB-005
    users = await pool.fetch("SELECT COUNT(*) AS n FROM users")
    return {"rows": rows, "users": users}
