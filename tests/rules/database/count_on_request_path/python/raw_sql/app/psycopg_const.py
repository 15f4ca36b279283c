from fastapi import FastAPI, Query
import psycopg

conn = psycopg.connect()
Q0 = "SELECT COUNT(*) AS n FROM orders WHERE status = %s"
Q1 = "SELECT id, status FROM orders WHERE status = %s ORDER BY id LIMIT 20 OFFSET %s"
Q2 = "SELECT COUNT(*) AS n FROM orders WHERE status = %s"

app = FastAPI()

@app.get("/orders/open-count")
def route_0(status: str):
    # ruleid: SC-DB-017
    total = conn.execute(Q0, (status, ))
    return {"total": total}


@app.get("/orders/page")
def route_1(status: str, offset: int = 0):
    rows = conn.execute(Q1, (status, offset, ))
    # ok: SC-DB-017
    total = conn.execute(Q2, (status, ))
    return {"rows": rows, "total": total}
