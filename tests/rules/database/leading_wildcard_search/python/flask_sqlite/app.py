import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)


def connect():
    return sqlite3.connect("notes.db")


@app.post("/notes")
def add_note():
    db = connect()
    db.execute("INSERT INTO notes (body) VALUES (?)", (request.json["body"],))
    db.commit()
    return jsonify({"ok": True})


@app.get("/notes/search")
def search_notes():
    db = connect()
    q = request.args.get("q", "")
    # SQLite: no index type would serve it, so nothing to fix with an index
    # ok: SC-DB-014
    rows = db.execute("SELECT id, body FROM notes WHERE body LIKE ?", (f"%{q}%",)).fetchall()
    return jsonify(rows)
