from fastapi import FastAPI, Query
from databases import Database

database = Database('postgresql://')

app = FastAPI()

@app.get("/orders/by-status")
async def route_0(status: str):
    # ruleid: SC-DB-006
    return await database.fetch_all(query="SELECT id, status FROM orders WHERE status = :p1 ORDER BY id LIMIT 20", values={"p1": status})


@app.get("/orders/mine")
async def route_1(user: int):
    # ok: SC-DB-006
    return await database.fetch_all(query="SELECT id, status FROM orders WHERE user_id = :p1 ORDER BY id LIMIT 20", values={"p1": user})
