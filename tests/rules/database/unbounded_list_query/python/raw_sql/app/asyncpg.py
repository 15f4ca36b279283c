from fastapi import FastAPI, Query
import asyncpg

pool: asyncpg.Pool

app = FastAPI()

@app.get("/orders/all")
async def route_0():
    # ruleid: SC-DB-004
    return await pool.fetch("SELECT id, status FROM orders")


@app.get("/orders/first")
async def route_1():
    # ok: SC-DB-004
    return await pool.fetch("SELECT id, status FROM orders ORDER BY id LIMIT 50")
