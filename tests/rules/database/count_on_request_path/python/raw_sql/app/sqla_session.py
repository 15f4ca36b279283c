from fastapi import FastAPI, Query
from sqlalchemy import text
from sqlalchemy.orm import Session

session = Session()

app = FastAPI()

@app.get("/orders/open-count")
def route_0(status: str):
    # ruleid: SC-DB-017
    total = session.execute(text("SELECT COUNT(*) AS n FROM orders WHERE status = :p1"), {"p1": status})
    return {"total": total}


@app.get("/orders/page")
def route_1(status: str, offset: int = 0):
    rows = session.execute(text("SELECT id, status FROM orders WHERE status = :p1 ORDER BY id LIMIT 20 OFFSET :p2"), {"p1": status, "p2": offset})
    # ok: SC-DB-017
    total = session.execute(text("SELECT COUNT(*) AS n FROM orders WHERE status = :p1"), {"p1": status})
    return {"rows": rows, "total": total}
