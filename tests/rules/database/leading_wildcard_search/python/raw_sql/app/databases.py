from fastapi import FastAPI, Query
from databases import Database

database = Database('postgresql://')

app = FastAPI()

@app.get("/orders/search")
async def route_0(q: str):
    # ruleid: SC-DB-014
    return await database.fetch_all(query="SELECT id FROM orders WHERE note ILIKE '%' || :p1 || '%' LIMIT 20", values={"p1": q})


@app.get("/orders/search-bound")
async def route_1(q: str):
    # ruleid: SC-DB-014
    return await database.fetch_all(query="SELECT id FROM orders WHERE note ILIKE :p1 LIMIT 20", values={"p1": f"%{q}%"})


@app.get("/orders/search-title")
async def route_2(q: str):
    # ok: SC-DB-014
    return await database.fetch_all(query="SELECT id FROM orders WHERE title ILIKE '%' || :p1 || '%' LIMIT 20", values={"p1": q})


@app.get("/orders/search-prefix")
async def route_3(q: str):
    # ok: SC-DB-014
    return await database.fetch_all(query="SELECT id FROM orders WHERE note ILIKE :p1 LIMIT 20", values={"p1": f"{q}%"})
