from fastapi import FastAPI, Query
import psycopg

conn = psycopg.connect()

app = FastAPI()

@app.get("/orders/open-count")
def route_0(status: str):
    # ruleid: SC-DB-017
    total = conn.cursor().execute("SELECT COUNT(*) AS n FROM orders WHERE status = %s", (status, ))
    return {"total": total}


@app.get("/orders/page")
def route_1(status: str, offset: int = 0):
    rows = conn.cursor().execute("SELECT id, status FROM orders WHERE status = %s ORDER BY id LIMIT 20 OFFSET %s", (status, offset, ))
    # ok: SC-DB-017
    total = conn.cursor().execute("SELECT COUNT(*) AS n FROM orders WHERE status = %s", (status, ))
    return {"rows": rows, "total": total}
