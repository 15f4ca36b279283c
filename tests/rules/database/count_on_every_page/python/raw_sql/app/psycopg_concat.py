from fastapi import FastAPI, Query
import psycopg

conn = psycopg.connect()

app = FastAPI()

@app.get("/orders/page")
def route_0(offset: int = 0):
    rows = conn.execute("SELECT id, status" + " FROM orders ORDER BY id LIMIT 20 OFFSET %s", (offset, ))
    # ruleid: SC-DB-005
    total = conn.execute("SELECT COUNT(*) AS n" + " FROM orders", ())
    return {"rows": rows, "total": total}


@app.get("/orders/page-users")
def route_1(offset: int = 0):
    rows = conn.execute("SELECT id, status" + " FROM orders ORDER BY id LIMIT 20 OFFSET %s", (offset, ))
    # ok: SC-DB-005
    users = conn.execute("SELECT COUNT(*) AS n" + " FROM users", ())
    return {"rows": rows, "users": users}
