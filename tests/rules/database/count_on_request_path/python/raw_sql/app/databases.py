from fastapi import FastAPI, Query
from databases import Database

database = Database('postgresql://')

app = FastAPI()

@app.get("/orders/open-count")
async def route_0(status: str):
    # ruleid: SC-DB-017
    total = await database.fetch_all(query="SELECT COUNT(*) AS n FROM orders WHERE status = :p1", values={"p1": status})
    return {"total": total}


@app.get("/orders/page")
async def route_1(status: str, offset: int = 0):
    rows = await database.fetch_all(query="SELECT id, status FROM orders WHERE status = :p1 ORDER BY id LIMIT 20 OFFSET :p2", values={"p1": status, "p2": offset})
    # ok: SC-DB-017
    total = await database.fetch_all(query="SELECT COUNT(*) AS n FROM orders WHERE status = :p1", values={"p1": status})
    return {"rows": rows, "total": total}
