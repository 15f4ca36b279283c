from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from .db import get_db
from .models import Comment, Post, User

router = APIRouter()


@router.get("/users/full")
async def users_full(session=Depends(get_db)):
    stmt = (
        select(User)
        .options(selectinload(User.posts).selectinload(Post.comments).joinedload(Comment.author))
        .limit(20)
    )
    # ruleid: SC-DB-007
    return (await session.scalars(stmt)).all()


@router.get("/users/everything")
def users_everything(db: Session = Depends(get_db)):
    # ruleid: SC-DB-007 low
    return db.query(User).options(selectinload(User.posts), selectinload(User.teams), selectinload(User.roles), selectinload(User.sessions)).limit(20).all()


@router.get("/posts")
async def posts(session=Depends(get_db)):
    # ok: SC-DB-007
    stmt = select(Post).options(joinedload(Post.author), selectinload(Post.comments)).limit(20)
    return (await session.scalars(stmt)).all()


@router.get("/users/{user_id}")
async def user_detail(user_id: int, session=Depends(get_db)):
    # one row, three levels: bounded by that user's own data
    # ok: SC-DB-007
    stmt = select(User).where(User.id == user_id).options(selectinload(User.posts).selectinload(Post.comments).joinedload(Comment.author))
    return (await session.execute(stmt)).scalar_one()
