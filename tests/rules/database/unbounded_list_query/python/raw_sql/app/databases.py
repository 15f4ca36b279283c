from fastapi import FastAPI, Query
from databases import Database

database = Database('postgresql://')

app = FastAPI()

@app.get("/orders/all")
async def route_0():
    # ruleid: SC-DB-004
    return await database.fetch_all(query="SELECT id, status FROM orders", values={})


@app.get("/orders/first")
async def route_1():
    # ok: SC-DB-004
    return await database.fetch_all(query="SELECT id, status FROM orders ORDER BY id LIMIT 50", values={})
