from fastapi import FastAPI, Query
import asyncpg

pool: asyncpg.Pool

app = FastAPI()

@app.get("/orders/buyers")
async def route_0():
    orders = await pool.fetch("SELECT id, user_id FROM orders ORDER BY id DESC LIMIT 50")
    out = []
    for order in orders:
        # ruleid: SC-DB-003
        out.append(await pool.fetch("SELECT id, email FROM users WHERE id = $1", order["user_id"]))
    return out


@app.post("/users/batch")
async def route_1(ids: list[int]):
    # ok: SC-DB-003
    return await pool.fetch("SELECT id, email FROM users WHERE id = ANY($1)", ids)
