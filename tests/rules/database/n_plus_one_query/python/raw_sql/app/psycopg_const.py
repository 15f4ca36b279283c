from fastapi import FastAPI, Query
import psycopg

conn = psycopg.connect()
Q0 = "SELECT id, user_id FROM orders ORDER BY id DESC LIMIT 50"
Q1 = "SELECT id, email FROM users WHERE id = %s"
Q2 = "SELECT id, email FROM users WHERE id = ANY(%s)"

app = FastAPI()

@app.get("/orders/buyers")
def route_0():
    orders = conn.execute(Q0, ()).fetchall()
    out = []
    for order in orders:
        # ruleid: SC-DB-003
        out.append(conn.execute(Q1, (order["user_id"], )).fetchall())
    return out


@app.post("/users/batch")
def route_1(ids: list[int]):
    # ok: SC-DB-003
    return conn.execute(Q2, (ids, ))
