from fastapi import FastAPI, Query
from sqlalchemy import text
from sqlalchemy.orm import Session

session = Session()

app = FastAPI()

@app.get("/orders/page")
def route_0(offset: int = 0):
    rows = session.execute(text("SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET :p1"), {"p1": offset})
    # ruleid: SC-DB-005
    total = session.execute(text("SELECT COUNT(*) AS n FROM orders"), {})
    return {"rows": rows, "total": total}


@app.get("/orders/page-users")
def route_1(offset: int = 0):
    rows = session.execute(text("SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET :p1"), {"p1": offset})
    # ok: SC-DB-005
    users = session.execute(text("SELECT COUNT(*) AS n FROM users"), {})
    return {"rows": rows, "users": users}
