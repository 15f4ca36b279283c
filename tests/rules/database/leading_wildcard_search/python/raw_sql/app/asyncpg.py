from fastapi import FastAPI, Query
import asyncpg

pool: asyncpg.Pool

app = FastAPI()

@app.get("/orders/search")
async def route_0(q: str):
    # ruleid: SC-DB-014
    return await pool.fetch("SELECT id FROM orders WHERE note ILIKE '%' || $1 || '%' LIMIT 20", q)


@app.get("/orders/search-bound")
async def route_1(q: str):
    # ruleid: SC-DB-014
    return await pool.fetch("SELECT id FROM orders WHERE note ILIKE $1 LIMIT 20", f"%{q}%")


@app.get("/orders/search-title")
async def route_2(q: str):
    # ok: SC-DB-014
    return await pool.fetch("SELECT id FROM orders WHERE title ILIKE '%' || $1 || '%' LIMIT 20", q)


@app.get("/orders/search-prefix")
async def route_3(q: str):
    # ok: SC-DB-014
    return await pool.fetch("SELECT id FROM orders WHERE note ILIKE $1 LIMIT 20", f"{q}%")
