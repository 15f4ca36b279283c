from fastapi import FastAPI, Query
import asyncpg

pool: asyncpg.Pool

app = FastAPI()

@app.get("/orders/top")
async def route_0(top_n: int = 20):
    # ruleid: SC-DB-012
    return await pool.fetch("SELECT id, status FROM orders ORDER BY id LIMIT $1", top_n)


@app.get("/orders/top-capped")
async def route_1(top_n: int = 20):
    # ok: SC-DB-012
    return await pool.fetch("SELECT id, status FROM orders ORDER BY id LIMIT $1", min(top_n, 100))
