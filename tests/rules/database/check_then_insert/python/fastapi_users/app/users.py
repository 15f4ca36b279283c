from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from app.db import get_db
from app.models import ApiKey, Audit, User

router = APIRouter()


@router.post("/users")
def register(email: str, name: str, db: Session = Depends(get_db)):
    existing = db.query(User).filter(User.email == email).first()
    if existing:
        raise HTTPException(status_code=400, detail="Email already registered")
    user = User(email=email, name=name)
    # ruleid: SC-DB-018
    db.add(user)
    db.commit()
    return {"id": user.id}


@router.post("/users/v2")
def register_v2(email: str, name: str, db: Session = Depends(get_db)):
    if db.scalar(select(User).where(User.email == email)) is not None:
        raise HTTPException(status_code=409)
    # ruleid: SC-DB-018
    db.execute(insert(User).values(email=email, name=name))
    db.commit()


@router.post("/users/v3")
def register_v3(email: str, name: str, db: Session = Depends(get_db)):
    existing = db.query(User).filter_by(email=email).one_or_none()
    if existing:
        raise HTTPException(status_code=409)
    # ok: SC-DB-018
    db.execute(pg_insert(User).values(email=email, name=name).on_conflict_do_nothing())
    db.commit()


@router.post("/users/locked")
def register_locked(email: str, name: str, db: Session = Depends(get_db)):
    db.execute(text("SELECT pg_advisory_xact_lock(hashtext(:e))"), {"e": email})
    existing = db.query(User).filter(User.email == email).first()
    if existing:
        raise HTTPException(status_code=409)
    # ok: SC-DB-018
    db.add(User(email=email, name=name))
    db.commit()


@router.post("/keys")
def create_key(owner_id: int, label: str, db: Session = Depends(get_db)):
    if db.query(ApiKey).filter(ApiKey.owner_id == owner_id, ApiKey.label == label).first():
        raise HTTPException(status_code=409)
    # ok: SC-DB-018
    db.add(ApiKey(owner_id=owner_id, label=label))
    db.commit()


@router.post("/users/audit")
def register_audited(email: str, name: str, db: Session = Depends(get_db)):
    existing = db.query(User).filter(User.email == email).first()
    if existing:
        raise HTTPException(status_code=409)
    # ok: SC-DB-018
    db.add(Audit(email=email))
    db.commit()
