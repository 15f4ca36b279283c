import psycopg
from fastapi import FastAPI

# statements built at run time are not known as written: no query facts, no findings

app = FastAPI()
conn = psycopg.connect()


@app.get("/dynamic/fstring")
def by_fstring(status: str | None = None):
    where = f"WHERE status = '{status}'" if status else ""
    # ok: SC-DB-004
    return conn.execute(f"SELECT id, status FROM orders {where} LIMIT 50").fetchall()


@app.get("/dynamic/format")
def by_format(table: str = "orders"):
    # ok: SC-DB-004
    return conn.execute("SELECT id, status FROM %s" % table).fetchall()


@app.get("/dynamic/concat")
def by_concat(clause: str = ""):
    # ok: SC-DB-004
    return conn.execute("SELECT id, status FROM orders " + clause).fetchall()


@app.get("/dynamic/reassigned")
def by_reassigned(status: str | None = None):
    query = "SELECT id, status FROM orders"
    if status:
        query += " WHERE status = %s"
    # ok: SC-DB-004
    return conn.execute(query, (status,) if status else ()).fetchall()
