from datetime import datetime

from flask import Flask, request
from mongoengine import DateTimeField, Document, StringField
from pymongo import MongoClient

app = Flask(__name__)
db = MongoClient("mongodb://mongo:27017").shop


class Visit(Document):
    path = StringField()
    at = DateTimeField(default=datetime.utcnow)
    meta = {"indexes": [{"fields": ["at"], "expireAfterSeconds": 30 * 24 * 3600}]}


@app.before_request
def track():
    # ruleid: SC-DB-015
    db.request_logs.insert_one({"path": request.path, "at": datetime.utcnow()})


@app.get("/products/<pid>")
def product(pid):
    # ok: SC-DB-015
    db["product_views"].insert_one({"product": pid, "at": datetime.utcnow()})
    return {}


@app.post("/orders")
def order():
    # ok: SC-DB-015
    db.orders.insert_one(request.json)
    return {}


@app.post("/audit")
def audit():
    # ok: SC-DB-015
    db.audit_events.insert_one(request.json)
    return {}


@app.get("/visits")
def visits():
    # ok: SC-DB-015
    db.visit.insert_one({"path": request.path})
    return {}


def purge_audit():
    db.audit_events.delete_many({"at": {"$lt": datetime(2020, 1, 1)}})


def setup():
    db.create_collection("product_views", capped=True, size=50 * 1024 * 1024)
