from fastapi import Depends, FastAPI
from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from app import crud
from app.db import get_db
from app.models import Book, Shelf

app = FastAPI()


@app.post("/books")
def add_book(payload: dict, db: Session = Depends(get_db)):
    book = Book(**payload)
    db.add(book)
    db.commit()
    return {"id": book.id}


@app.get("/books/search")
def search_books(q: str, db: Session = Depends(get_db)):
    # the text comes from the caller: crud.find_books gets the query parameter
    return crud.find_books(db, q)


@app.get("/books/title")
def by_title(q: str = "", db: Session = Depends(get_db)):
    # __table_args__ declares a trigram index on title; the Alembic revision one on isbn
    # ok: SC-DB-014
    return db.scalars(select(Book).where(or_(Book.title.ilike(f"%{q}%"), Book.isbn.ilike(f"%{q}%")))).all()


@app.get("/books/blurb")
def by_blurb(q: str, db: Session = Depends(get_db)):
    pattern = "%" + q.lower() + "%"
    # ruleid: SC-DB-014
    return db.scalars(select(Book).where(func.lower(Book.blurb).like(pattern)).limit(20)).all()


@app.get("/books/raw")
def raw_search(q: str, db: Session = Depends(get_db)):
    # ruleid: SC-DB-014
    return db.execute(text("SELECT id, title FROM books WHERE blurb ILIKE :q LIMIT 20"), {"q": f"%{q}%"}).all()


@app.get("/books/prefix")
def by_prefix(q: str, db: Session = Depends(get_db)):
    # ok: SC-DB-014
    return db.scalars(select(Book).where(Book.blurb.startswith(q)).limit(20)).all()


@app.get("/shelves/{shelf_id}/books")
def shelf_books(shelf_id: int, q: str, db: Session = Depends(get_db)):
    # one shelf's books: the foreign key narrows the rows
    # ok: SC-DB-014
    return db.scalars(select(Book).where(Book.shelf_id == shelf_id, Book.blurb.ilike(f"%{q}%"))).all()


@app.get("/shelves")
def shelves(q: str, db: Session = Depends(get_db)):
    # Shelf is never inserted into by the app, and a literal pattern is no user search
    # ok: SC-DB-014
    return db.scalars(select(Shelf).where(Shelf.label.ilike("%fiction%"))).all()
