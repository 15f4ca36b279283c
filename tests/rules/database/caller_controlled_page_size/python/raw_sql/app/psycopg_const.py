from fastapi import FastAPI, Query
import psycopg

conn = psycopg.connect()
Q0 = "SELECT id, status FROM orders ORDER BY id LIMIT %s"
Q1 = "SELECT id, status FROM orders ORDER BY id LIMIT %s"

app = FastAPI()

@app.get("/orders/top")
def route_0(top_n: int = 20):
    # ruleid: SC-DB-012
    return conn.execute(Q0, (top_n, ))


@app.get("/orders/top-capped")
def route_1(top_n: int = 20):
    # ok: SC-DB-012
    return conn.execute(Q1, (min(top_n, 100), ))
