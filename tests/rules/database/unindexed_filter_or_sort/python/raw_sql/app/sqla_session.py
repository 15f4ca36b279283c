from fastapi import FastAPI, Query
from sqlalchemy import text
from sqlalchemy.orm import Session

session = Session()

app = FastAPI()

@app.get("/orders/by-status")
def route_0(status: str):
    # ruleid: SC-DB-006
    return session.execute(text("SELECT id, status FROM orders WHERE status = :p1 ORDER BY id LIMIT 20"), {"p1": status})


@app.get("/orders/mine")
def route_1(user: int):
    # ok: SC-DB-006
    return session.execute(text("SELECT id, status FROM orders WHERE user_id = :p1 ORDER BY id LIMIT 20"), {"p1": user})
