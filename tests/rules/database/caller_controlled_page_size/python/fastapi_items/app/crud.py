from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Item, Tag


def get_items(db: Session, skip: int = 0, limit: int = 100):
    # ruleid: SC-DB-012
    return db.query(Item).order_by(Item.id).offset(skip).limit(limit).all()


def get_tags(db: Session, count: int):
    # ok: SC-DB-012
    return db.scalars(select(Tag).order_by(Tag.id).limit(count)).all()
