import psycopg
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
conn = psycopg.connect()


class NewOrder(BaseModel):
    user_id: int
    note: str
    title: str


@app.post("/signup")
def signup(email: str, name: str):
    conn.cursor().execute("INSERT INTO users (email, name) VALUES (%s, %s)", (email, name))


@app.post("/orders")
def create_order(order: NewOrder):
    conn.cursor().execute(
        "INSERT INTO orders (user_id, status, note, title) VALUES (%s, 'open', %s, %s)",
        (order.user_id, order.note, order.title),
    )
