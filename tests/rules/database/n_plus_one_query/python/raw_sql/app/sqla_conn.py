from fastapi import FastAPI, Query
from sqlalchemy import create_engine, text

engine = create_engine('postgresql://')
connection = engine.connect()

app = FastAPI()

@app.get("/orders/buyers")
def route_0():
    orders = connection.execute(text("SELECT id, user_id FROM orders ORDER BY id DESC LIMIT 50"), {}).all()
    out = []
    for order in orders:
        # ruleid: SC-DB-003
        out.append(connection.execute(text("SELECT id, email FROM users WHERE id = :p1"), {"p1": order["user_id"]}).all())
    return out


@app.post("/users/batch")
def route_1(ids: list[int]):
    # ok: SC-DB-003
    return connection.execute(text("SELECT id, email FROM users WHERE id = ANY(:p1)"), {"p1": ids})
