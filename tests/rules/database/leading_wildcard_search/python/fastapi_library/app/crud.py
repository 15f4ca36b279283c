from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Book


def find_books(db: Session, text: str):
    # ruleid: SC-DB-014
    return db.scalars(select(Book).where(Book.blurb.icontains(text)).limit(20)).all()
