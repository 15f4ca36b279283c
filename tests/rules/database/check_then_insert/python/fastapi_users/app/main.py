from fastapi import FastAPI, Request

from app import users
from app.db import SessionLocal
from app.models import Device

app = FastAPI()
app.include_router(users.router, prefix="/api")


@app.middleware("http")
async def remember_device(request: Request, call_next):
    # no route calls this, yet it runs on every request: a request hook
    db = SessionLocal()
    ip = request.client.host if request.client else ""
    if db.query(Device).filter(Device.ip == ip).first() is None:
        # ruleid: SC-DB-018
        db.add(Device(ip=ip))
        db.commit()
    db.close()
    return await call_next(request)
