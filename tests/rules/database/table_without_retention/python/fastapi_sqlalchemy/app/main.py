from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from fastapi import Depends, FastAPI, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import SessionLocal, get_db, mongo
from .models import ApiRequestLog, Item, ItemView, JobRun, RefreshToken, SyncLog, UploadEvent

app = FastAPI()
scheduler = BackgroundScheduler()


@app.middleware("http")
async def log_requests(request: Request, call_next):
    with SessionLocal() as db:
        # ruleid: SC-DB-015
        db.add(ApiRequestLog(path=request.url.path, created_at=datetime.utcnow()))
        db.commit()
    return await call_next(request)


@app.get("/items/{item_id}")
def read_item(item_id: int, db: Session = Depends(get_db)):
    item = db.get(Item, item_id)
    # ruleid: SC-DB-015
    db.add(ItemView(item_id=item_id, created_at=datetime.utcnow()))
    db.commit()
    return {"name": item.name}


@app.post("/items")
def create_item(name: str, db: Session = Depends(get_db)):
    # ok: SC-DB-015
    db.add(Item(name=name))
    db.commit()
    return {}


@app.post("/auth/refresh")
def refresh(token: str, db: Session = Depends(get_db)):
    old = db.scalars(select(RefreshToken).where(RefreshToken.token == token)).first()
    db.delete(old)
    # ok: SC-DB-015
    db.add(RefreshToken(token="new", expires_at=datetime.utcnow() + timedelta(days=30)))
    db.commit()
    return {}


@app.post("/uploads")
def upload(filename: str, db: Session = Depends(get_db)):
    # ok: SC-DB-015
    db.add(UploadEvent(filename=filename, created_at=datetime.utcnow()))
    db.commit()
    return {}


@app.post("/clicks")
def click(target: str):
    # ok: SC-DB-015
    mongo.click_events.insert_one({"target": target, "at": datetime.utcnow()})
    return {}


@app.post("/sync")
def sync(db: Session = Depends(get_db)):
    # ruleid: SC-DB-015 low
    db.add(SyncLog(status="running"))
    db.commit()
    log = db.get(SyncLog, 1)
    log.status = "done"
    db.commit()
    return {}


def record_run():
    with SessionLocal() as db:
        # ok: SC-DB-015
        db.add(JobRun(status="running"))
        db.commit()
        run = db.scalars(select(JobRun).where(JobRun.status == "running")).first()
        run.status = "done"
        db.commit()


@app.on_event("startup")
def start():
    mongo.click_events.create_index("at", expireAfterSeconds=7 * 24 * 3600)
    scheduler.add_job(record_run, "interval", minutes=5)
    scheduler.start()
