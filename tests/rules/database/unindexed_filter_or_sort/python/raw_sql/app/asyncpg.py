from fastapi import FastAPI, Query
import asyncpg

pool: asyncpg.Pool

app = FastAPI()

@app.get("/orders/by-status")
async def route_0(status: str):
    # ruleid: SC-DB-006
    return await pool.fetch("SELECT id, status FROM orders WHERE status = $1 ORDER BY id LIMIT 20", status)


@app.get("/orders/mine")
async def route_1(user: int):
    # ok: SC-DB-006
    return await pool.fetch("SELECT id, status FROM orders WHERE user_id = $1 ORDER BY id LIMIT 20", user)
