from fastapi import FastAPI, Query
from databases import Database

database = Database('postgresql://')

app = FastAPI()

@app.get("/orders/buyers")
async def route_0():
    orders = await database.fetch_all(query="SELECT id, user_id FROM orders ORDER BY id DESC LIMIT 50", values={})
    out = []
    for order in orders:
        # ruleid: SC-DB-003
        out.append(await database.fetch_all(query="SELECT id, email FROM users WHERE id = :p1", values={"p1": order["user_id"]}))
    return out


@app.post("/users/batch")
async def route_1(ids: list[int]):
    # ok: SC-DB-003
    return await database.fetch_all(query="SELECT id, email FROM users WHERE id = ANY(:p1)", values={"p1": ids})
