from fastapi import FastAPI, Query
from sqlalchemy import text
from sqlalchemy.orm import Session

session = Session()

app = FastAPI()

@app.get("/orders/buyers")
def route_0():
    orders = session.execute(text("SELECT id, user_id FROM orders ORDER BY id DESC LIMIT 50"), {}).all()
    out = []
    for order in orders:
        # ruleid: SC-DB-003
        out.append(session.execute(text("SELECT id, email FROM users WHERE id = :p1"), {"p1": order["user_id"]}).all())
    return out


@app.post("/users/batch")
def route_1(ids: list[int]):
    # ok: SC-DB-003
    return session.execute(text("SELECT id, email FROM users WHERE id = ANY(:p1)"), {"p1": ids})
