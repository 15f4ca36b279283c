from fastapi import APIRouter, Depends
from sqlalchemy import func, select
from sqlmodel import Session

from .db import get_db
from .models import Post, User

router = APIRouter()


@router.get("/posts")
def read_posts(skip: int = 0, limit: int = 100, session: Session = Depends(get_db)):
    count_statement = select(func.count()).select_from(Post)
    # ruleid: SC-DB-005
    count = session.exec(count_statement).one()
    statement = select(Post).order_by(Post.id).offset(skip).limit(limit)
    posts = session.exec(statement).all()
    return {"data": posts, "count": count}


@router.get("/users")
def read_users(skip: int = 0, limit: int = 100, session: Session = Depends(get_db)):
    # keyset pagination, no total
    # ok: SC-DB-005
    users = session.exec(select(User).where(User.id > skip).order_by(User.id).limit(limit + 1)).all()
    return {"data": users[:limit], "has_more": len(users) > limit}


@router.get("/stats")
def stats(session: Session = Depends(get_db)):
    # a count on its own (a dashboard number), not next to a page of rows
    # ok: SC-DB-005
    return {"users": session.scalar(select(func.count(User.id)))}


@router.get("/posts/peek")
def read_posts_peek(skip: int = 0, limit: int = 20, session: Session = Depends(get_db)):
    rows = session.exec(select(Post).order_by(Post.id).offset(skip).limit(limit + 1)).all()
    # the page peeks one row ahead
    # ok: SC-DB-005
    total = session.exec(select(func.count()).select_from(Post)).one()
    return {"data": rows[:limit], "more": len(rows) > limit, "total": total}


@router.get("/users/{user_id}/posts")
def user_posts_page(user_id: int, skip: int = 0, session: Session = Depends(get_db)):
    rows = session.exec(select(Post).where(Post.title == "x").offset(skip).limit(20)).all()
    # counts another set than the page lists
    # ok: SC-DB-005
    n = session.exec(select(func.count()).select_from(Post).where(Post.author_id == user_id)).one()
    return {"data": rows, "n": n}
