from fastapi import FastAPI, Query
import psycopg

conn = psycopg.connect()

app = FastAPI()

@app.get("/orders/top")
def route_0(limit: int = 20):
    # ruleid: SC-DB-012
    return conn.cursor().execute("SELECT id, status FROM orders ORDER BY id LIMIT %s", (limit, ))


@app.get("/orders/top-capped")
def route_1(limit: int = 20):
    # ok: SC-DB-012
    return conn.cursor().execute("SELECT id, status FROM orders ORDER BY id LIMIT %s", (min(limit, 100), ))
