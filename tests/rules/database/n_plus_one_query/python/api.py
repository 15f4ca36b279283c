from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from .db import get_session
from .models import Post, User

router = APIRouter()
ROLES = ("admin", "editor", "viewer")


@router.get("/feed")
async def feed(session: AsyncSession = Depends(get_session)):
    users = (await session.scalars(select(User).limit(20))).all()
    out = []
    for user in users:
        # ruleid: SC-DB-003
        posts = (await session.scalars(select(Post).where(Post.author_id == user.id).limit(5))).all()
        out.append({"user": user.email, "posts": [p.title for p in posts]})
    return out


@router.post("/users/lookup")
async def lookup(ids: list[int], session: AsyncSession = Depends(get_session)):
    # .get() by primary key once per requested id
    # ruleid: SC-DB-003 low
    return [await session.get(User, user_id) for user_id in ids]


@router.get("/authors")
async def authors(session: AsyncSession = Depends(get_session)):
    found = []
    for post_id in await session.scalars(select(Post.id).limit(50)):
        stmt = select(User).join(Post).where(Post.id == post_id)
        # ruleid: SC-DB-003
        result = await session.execute(stmt)
        found.append(result.scalar_one())
    return found


@router.get("/feed-eager")
async def feed_eager(session: AsyncSession = Depends(get_session)):
    # ok: SC-DB-003
    stmt = select(User).options(selectinload(User.posts)).limit(20)
    users = (await session.scalars(stmt)).all()
    return [{"user": u.email, "posts": [p.title for p in u.posts]} for u in users]


@router.get("/role-counts")
async def role_counts(session: AsyncSession = Depends(get_session)):
    counts = {}
    for role in ROLES:
        # a constant three-element tuple: three queries, not N
        # ok: SC-DB-003
        counts[role] = (await session.scalars(select(User.id).where(User.email == role).limit(1))).first()
    return counts


@router.get("/batched")
async def batched(ids: list[int], session: AsyncSession = Depends(get_session)):
    # ok: SC-DB-003
    users = (await session.scalars(select(User).where(User.id.in_(ids)))).all()
    by_id = {u.id: u for u in users}
    settings = {"a": 1}
    for key in ids:
        # dict.get in a loop is not a query
        # ok: SC-DB-003
        by_id.get(key, settings.get("a"))
    return by_id
