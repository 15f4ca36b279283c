from fastapi import FastAPI, Query
from sqlalchemy import text
from sqlalchemy.orm import Session

session = Session()

app = FastAPI()

@app.get("/orders/all")
def route_0():
    # ruleid: SC-DB-004
    return session.execute(text("SELECT id, status FROM orders"), {})


@app.get("/orders/first")
def route_1():
    # ok: SC-DB-004
    return session.execute(text("SELECT id, status FROM orders ORDER BY id LIMIT 50"), {})
