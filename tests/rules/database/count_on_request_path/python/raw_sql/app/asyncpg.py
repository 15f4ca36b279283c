from fastapi import FastAPI, Query
import asyncpg

pool: asyncpg.Pool

app = FastAPI()

@app.get("/orders/open-count")
async def route_0(status: str):
    # ruleid: SC-DB-017
    total = await pool.fetch("SELECT COUNT(*) AS n FROM orders WHERE status = $1", status)
    return {"total": total}


@app.get("/orders/page")
async def route_1(status: str, offset: int = 0):
    rows = await pool.fetch("SELECT id, status FROM orders WHERE status = $1 ORDER BY id LIMIT 20 OFFSET $2", status, offset)
    # ok: SC-DB-017
    total = await pool.fetch("SELECT COUNT(*) AS n FROM orders WHERE status = $1", status)
    return {"rows": rows, "total": total}
