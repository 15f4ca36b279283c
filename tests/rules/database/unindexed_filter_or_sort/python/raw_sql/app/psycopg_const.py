from fastapi import FastAPI, Query
import psycopg

conn = psycopg.connect()
Q0 = "SELECT id, status FROM orders WHERE status = %s ORDER BY id LIMIT 20"
Q1 = "SELECT id, status FROM orders WHERE user_id = %s ORDER BY id LIMIT 20"

app = FastAPI()

@app.get("/orders/by-status")
def route_0(status: str):
    # ruleid: SC-DB-006
    return conn.execute(Q0, (status, ))


@app.get("/orders/mine")
def route_1(user: int):
    # ok: SC-DB-006
    return conn.execute(Q1, (user, ))
