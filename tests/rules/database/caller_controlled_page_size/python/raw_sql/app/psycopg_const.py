from fastapi import FastAPI, Query
import psycopg

conn = psycopg.connect()
Q0 = "SELECT id, status FROM orders ORDER BY id LIMIT %s"
Q1 = "SELECT id, status FROM orders ORDER BY id LIMIT %s"

app = FastAPI()

@app.get("/orders/top")
def route_0(limit: int = 20):
    # ruleid: SC-DB-012
    return conn.execute(Q0, (limit, ))


@app.get("/orders/top-capped")
def route_1(limit: int = 20):
    # ok: SC-DB-012
    return conn.execute(Q1, (min(limit, 100), ))
