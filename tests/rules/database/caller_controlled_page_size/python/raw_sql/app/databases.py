from fastapi import FastAPI, Query
from databases import Database

database = Database('postgresql://')

app = FastAPI()

@app.get("/orders/top")
async def route_0(top_n: int = 20):
    # ruleid: SC-DB-012
    return await database.fetch_all(query="SELECT id, status FROM orders ORDER BY id LIMIT :p1", values={"p1": top_n})


@app.get("/orders/top-capped")
async def route_1(top_n: int = 20):
    # ok: SC-DB-012
    return await database.fetch_all(query="SELECT id, status FROM orders ORDER BY id LIMIT :p1", values={"p1": min(top_n, 100)})
