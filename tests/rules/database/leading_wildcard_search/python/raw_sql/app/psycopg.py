from fastapi import FastAPI, Query
import psycopg

conn = psycopg.connect()

app = FastAPI()

@app.get("/orders/search")
def route_0(q: str):
    # ruleid: SC-DB-014
    return conn.cursor().execute("SELECT id FROM orders WHERE note ILIKE '%' || %s || '%' LIMIT 20", (q, ))


@app.get("/orders/search-bound")
def route_1(q: str):
    # ruleid: SC-DB-014
    return conn.cursor().execute("SELECT id FROM orders WHERE note ILIKE %s LIMIT 20", (f"%{q}%", ))


@app.get("/orders/search-title")
def route_2(q: str):
    # ok: SC-DB-014
    return conn.cursor().execute("SELECT id FROM orders WHERE title ILIKE '%' || %s || '%' LIMIT 20", (q, ))


@app.get("/orders/search-prefix")
def route_3(q: str):
    # ok: SC-DB-014
    return conn.cursor().execute("SELECT id FROM orders WHERE note ILIKE %s LIMIT 20", (f"{q}%", ))
