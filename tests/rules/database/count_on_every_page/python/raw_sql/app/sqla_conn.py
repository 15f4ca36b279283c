from fastapi import FastAPI, Query
from sqlalchemy import create_engine, text

engine = create_engine('postgresql://')
connection = engine.connect()

app = FastAPI()

@app.get("/orders/page")
def route_0(offset: int = 0):
    rows = connection.execute(text("SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET :p1"), {"p1": offset})
    # ruleid: SC-DB-005
    total = connection.execute(text("SELECT COUNT(*) AS n FROM orders"), {})
    return {"rows": rows, "total": total}


@app.get("/orders/page-users")
def route_1(offset: int = 0):
    rows = connection.execute(text("SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET :p1"), {"p1": offset})
    # ok: SC-DB-005
    users = connection.execute(text("SELECT COUNT(*) AS n FROM users"), {})
    return {"rows": rows, "users": users}
