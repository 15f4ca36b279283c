from fastapi import FastAPI, Query
import psycopg

conn = psycopg.connect()

app = FastAPI()

@app.get("/orders/all")
def route_0():
    # ruleid: SC-DB-004
    return conn.execute("SELECT id, status" + " FROM orders", ())


@app.get("/orders/first")
def route_1():
    # ok: SC-DB-004
    return conn.execute("SELECT id, status" + " FROM orders ORDER BY id LIMIT 50", ())
