from fastapi import APIRouter, Depends
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from .db import get_db
from .models import Post, User

router = APIRouter()


@router.get("/users")
def list_users(db: Session = Depends(get_db)):
    # ruleid: SC-DB-004
    return db.query(User).order_by(User.id).all()


@router.get("/users/{user_id}/posts")
async def user_posts(user_id: int, session=Depends(get_db)):
    stmt = select(Post).where(Post.author_id == user_id).order_by(Post.id.desc())
    # ruleid: SC-DB-004 low
    result = await session.execute(stmt)
    return result.scalars().all()


@router.get("/posts")
def list_posts(skip: int = 0, limit: int = 50, db: Session = Depends(get_db)):
    # ok: SC-DB-004
    return db.query(Post).order_by(Post.id).offset(skip).limit(limit).all()


@router.get("/users/by-email")
def by_email(email: str, db: Session = Depends(get_db)):
    # ok: SC-DB-004
    return db.query(User).filter(User.email == email).all()


@router.get("/users/{user_id}")
async def get_user(user_id: int, session=Depends(get_db)):
    # ok: SC-DB-004
    return await session.get(User, user_id)


def export_all_users(db: Session):
    # not reachable from any route (a maintenance job)
    # ok: SC-DB-004
    return db.query(User).all()


@router.get("/search")
def search_users(q: str, db: Session = Depends(get_db)):
    criteria = User.name.ilike(f"%{q}%")
    # ruleid: SC-DB-004
    return db.query(User).filter(criteria).all()


@router.post("/users/{user_id}/archive")
def archive_posts(user_id: int, db: Session = Depends(get_db)):
    # a write loading the rows it works on is bounded by its parent
    # ok: SC-DB-004
    posts = db.query(Post).filter(Post.author_id == user_id).all()
    for post in posts:
        post.archived = True
    db.commit()


@router.get("/stats")
def stats(db: Session = Depends(get_db)):
    # ok: SC-DB-004
    per_author = db.execute(select(Post.author_id, func.count()).group_by(Post.author_id)).all()
    # ok: SC-DB-004
    total = db.execute(select(func.sum(Post.id)).select_from(Post)).scalar()
    # ok: SC-DB-004
    db.execute(text("SELECT 1"))
    return {"per_author": per_author, "total": total}


@router.get("/posts/clamped")
def clamped_posts(n: int = 20, db: Session = Depends(get_db)):
    # ok: SC-DB-004
    return db.execute(select(Post).order_by(Post.id).limit(min(n, 100))).scalars().all()


@router.get("/posts/by-email")
def posts_by_author_email(email: str, db: Session = Depends(get_db)):
    # filtered through the join on users.email: every post of that author
    # ruleid: SC-DB-004
    return db.execute(select(Post).join(User, Post.author_id == User.id).where(User.email == email)).scalars().all()


@router.get("/posts/latest-authors")
def latest_authors_posts(db: Session = Depends(get_db)):
    ids = [row.id for row in db.execute(select(User).order_by(User.id.desc()).limit(5)).scalars()]
    # ok: SC-DB-004
    return db.execute(select(Post).where(Post.author_id.in_(ids))).scalars().all()
