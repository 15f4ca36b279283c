from fastapi import FastAPI, Query
from sqlalchemy import text
from sqlalchemy.orm import Session

session = Session()

app = FastAPI()

@app.get("/orders/top")
def route_0(top_n: int = 20):
    # ruleid: SC-DB-012
    return session.execute(text("SELECT id, status FROM orders ORDER BY id LIMIT :p1"), {"p1": top_n})


@app.get("/orders/top-capped")
def route_1(top_n: int = 20):
    # ok: SC-DB-012
    return session.execute(text("SELECT id, status FROM orders ORDER BY id LIMIT :p1"), {"p1": min(top_n, 100)})
