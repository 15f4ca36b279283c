from fastapi import FastAPI, Query
import asyncpg

pool: asyncpg.Pool

app = FastAPI()

@app.get("/orders/top")
async def route_0(limit: int = 20):
    # ruleid: SC-DB-012
    return await pool.fetch("SELECT id, status FROM orders ORDER BY id LIMIT $1", limit)


@app.get("/orders/top-capped")
async def route_1(limit: int = 20):
    # ok: SC-DB-012
    return await pool.fetch("SELECT id, status FROM orders ORDER BY id LIMIT $1", min(limit, 100))
