from fastapi import FastAPI, Query
import psycopg

conn = psycopg.connect()
Q0 = "SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET %s"
Q1 = "SELECT COUNT(*) AS n FROM orders"
Q2 = "SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET %s"
Q3 = "SELECT COUNT(*) AS n FROM users"

app = FastAPI()

@app.get("/orders/page")
def route_0(offset: int = 0):
    rows = conn.execute(Q0, (offset, ))
    # ruleid: SC-DB-005
    total = conn.execute(Q1, ())
    return {"rows": rows, "total": total}


@app.get("/orders/page-users")
def route_1(offset: int = 0):
    rows = conn.execute(Q2, (offset, ))
    # ok: SC-DB-005
    users = conn.execute(Q3, ())
    return {"rows": rows, "users": users}
