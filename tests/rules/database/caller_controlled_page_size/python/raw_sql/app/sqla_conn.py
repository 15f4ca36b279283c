from fastapi import FastAPI, Query
from sqlalchemy import create_engine, text

engine = create_engine('postgresql://')
connection = engine.connect()

app = FastAPI()

@app.get("/orders/top")
def route_0(top_n: int = 20):
    # ruleid: SC-DB-012
    return connection.execute(text("SELECT id, status FROM orders ORDER BY id LIMIT :p1"), {"p1": top_n})


@app.get("/orders/top-capped")
def route_1(top_n: int = 20):
    # ok: SC-DB-012
    return connection.execute(text("SELECT id, status FROM orders ORDER BY id LIMIT :p1"), {"p1": min(top_n, 100)})
