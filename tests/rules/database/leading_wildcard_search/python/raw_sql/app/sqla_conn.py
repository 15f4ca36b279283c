from fastapi import FastAPI, Query
from sqlalchemy import create_engine, text

engine = create_engine('postgresql://')
connection = engine.connect()

app = FastAPI()

@app.get("/orders/search")
def route_0(q: str):
    # ruleid: SC-DB-014
    return connection.execute(text("SELECT id FROM orders WHERE note ILIKE '%' || :p1 || '%' LIMIT 20"), {"p1": q})


@app.get("/orders/search-bound")
def route_1(q: str):
    # ruleid: SC-DB-014
    return connection.execute(text("SELECT id FROM orders WHERE note ILIKE :p1 LIMIT 20"), {"p1": f"%{q}%"})


@app.get("/orders/search-title")
def route_2(q: str):
    # ok: SC-DB-014
    return connection.execute(text("SELECT id FROM orders WHERE title ILIKE '%' || :p1 || '%' LIMIT 20"), {"p1": q})


@app.get("/orders/search-prefix")
def route_3(q: str):
    # ok: SC-DB-014
    return connection.execute(text("SELECT id FROM orders WHERE note ILIKE :p1 LIMIT 20"), {"p1": f"{q}%"})
