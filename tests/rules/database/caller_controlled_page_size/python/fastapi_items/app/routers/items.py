from fastapi import APIRouter, Depends, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import crud, settings
from app.db import get_db
from app.models import Event, Item, Note, Tag
from app.schemas import NotePage

router = APIRouter()


@router.get("/items")
def list_items(skip: int = 0, limit: int = 100, db: Session = Depends(get_db)):
    return crud.get_items(db, skip=skip, limit=limit)


@router.get("/tags")
def list_tags(size: int = Query(20, ge=1, le=100), db: Session = Depends(get_db)):
    # ok: SC-DB-012
    return db.query(Tag).order_by(Tag.id).limit(size).all()


@router.get("/tags/popular")
def popular_tags(db: Session = Depends(get_db)):
    return crud.get_tags(db, 10)


@router.get("/notes")
def list_notes(params: NotePage = Depends(), db: Session = Depends(get_db)):
    # ok: SC-DB-012
    return db.scalars(select(Note).order_by(Note.id).limit(params.per_page)).all()


@router.get("/events")
def list_events(batch: int = 20, db: Session = Depends(get_db)):
    # ruleid: SC-DB-012
    return db.scalars(select(Event).order_by(Event.id.desc()).limit(batch)).all()


@router.get("/events/recent")
def recent_events(db: Session = Depends(get_db)):
    # ok: SC-DB-012
    recent = db.scalars(select(Event).order_by(Event.id.desc()).limit(settings.page_size)).all()
    # ok: SC-DB-012
    first = db.query(Item).order_by(Item.id).limit(20).all()
    return {"recent": recent, "first": first}
