from fastapi import FastAPI, Query
from sqlalchemy import text
from sqlalchemy.orm import Session

session = Session()

app = FastAPI()

@app.get("/orders/top")
def route_0(limit: int = 20):
    # ruleid: SC-DB-012
    return session.execute(text("SELECT id, status FROM orders ORDER BY id LIMIT :p1"), {"p1": limit})


@app.get("/orders/top-capped")
def route_1(limit: int = 20):
    # ok: SC-DB-012
    return session.execute(text("SELECT id, status FROM orders ORDER BY id LIMIT :p1"), {"p1": min(limit, 100)})
