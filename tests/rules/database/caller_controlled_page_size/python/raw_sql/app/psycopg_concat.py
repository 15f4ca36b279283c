from fastapi import FastAPI, Query
import psycopg

conn = psycopg.connect()

app = FastAPI()

@app.get("/orders/top")
def route_0(top_n: int = 20):
    # ruleid: SC-DB-012
    return conn.execute("SELECT id, status" + " FROM orders ORDER BY id LIMIT %s", (top_n, ))


@app.get("/orders/top-capped")
def route_1(top_n: int = 20):
    # ok: SC-DB-012
    return conn.execute("SELECT id, status" + " FROM orders ORDER BY id LIMIT %s", (min(top_n, 100), ))
