from fastapi import FastAPI, Query
from databases import Database

database = Database('postgresql://')

app = FastAPI()

@app.get("/orders/page")
async def route_0(offset: int = 0):
    rows = await database.fetch_all(query="SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET :p1", values={"p1": offset})
    # ruleid: SC-DB-005
    total = await database.fetch_all(query="SELECT COUNT(*) AS n FROM orders", values={})
    return {"rows": rows, "total": total}


@app.get("/orders/page-users")
async def route_1(offset: int = 0):
    rows = await database.fetch_all(query="SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET :p1", values={"p1": offset})
    # ok: SC-DB-005
    users = await database.fetch_all(query="SELECT COUNT(*) AS n FROM users", values={})
    return {"rows": rows, "users": users}
