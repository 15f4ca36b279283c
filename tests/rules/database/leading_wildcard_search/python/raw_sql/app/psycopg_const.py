from fastapi import FastAPI, Query
import psycopg

conn = psycopg.connect()
Q0 = "SELECT id FROM orders WHERE note ILIKE '%' || %s || '%' LIMIT 20"
Q1 = "SELECT id FROM orders WHERE note ILIKE %s LIMIT 20"
Q2 = "SELECT id FROM orders WHERE title ILIKE '%' || %s || '%' LIMIT 20"
Q3 = "SELECT id FROM orders WHERE note ILIKE %s LIMIT 20"

app = FastAPI()

@app.get("/orders/search")
def route_0(q: str):
    # ruleid: SC-DB-014
    return conn.execute(Q0, (q, ))


@app.get("/orders/search-bound")
def route_1(q: str):
    # ruleid: SC-DB-014
    return conn.execute(Q1, (f"%{q}%", ))


@app.get("/orders/search-title")
def route_2(q: str):
    # ok: SC-DB-014
    return conn.execute(Q2, (q, ))


@app.get("/orders/search-prefix")
def route_3(q: str):
    # ok: SC-DB-014
    return conn.execute(Q3, (f"{q}%", ))
