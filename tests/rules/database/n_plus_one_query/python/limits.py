# How many rows the loop's source query can return: a declared small limit bounds the loop.
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from .db import get_session
from .models import Post, User

router = APIRouter()
LEADERS = 10


@router.get("/leaders")
async def leaders(session: AsyncSession = Depends(get_session)):
    users = (await session.scalars(select(User).limit(LEADERS))).all()
    out = []
    for user in users:
        # ruleid: SC-DB-003 low
        out.append((await session.scalars(select(Post).where(Post.author_id == user.id))).all())
    return out


@router.get("/recent-raw")
async def recent_raw(conn=Depends(get_session)):
    rows = await conn.fetch("SELECT id FROM users ORDER BY id DESC LIMIT 5")
    for row in rows:
        # ruleid: SC-DB-003 low
        await conn.fetchrow("SELECT count(*) FROM posts WHERE author_id = $1", row["id"])


@router.get("/everyone")
async def everyone(size: int, session: AsyncSession = Depends(get_session)):
    # the true case: the page size comes from the request
    users = (await session.scalars(select(User).limit(size))).all()
    out = []
    for user in users:
        # ruleid: SC-DB-003
        out.append((await session.scalars(select(Post).where(Post.author_id == user.id))).all())
    return out


@router.get("/listing")
async def listing(session: AsyncSession = Depends(get_session)):
    # a listing page of 50: the N+1 every request of a list endpoint pays
    users = (await session.scalars(select(User).limit(50))).all()
    out = []
    for user in users:
        # ruleid: SC-DB-003
        out.append((await session.scalars(select(Post).where(Post.author_id == user.id))).all())
    return out


@router.get("/paged-raw")
async def paged_raw(size: int, conn=Depends(get_session)):
    rows = await conn.fetch("SELECT id FROM users ORDER BY id DESC LIMIT $1", size)
    for row in rows:
        # ruleid: SC-DB-003
        await conn.fetchrow("SELECT count(*) FROM posts WHERE author_id = $1", row["id"])


@router.get("/authors-eager")
async def authors_eager(session: AsyncSession = Depends(get_session)):
    # a loader chain: posts and their authors come with the users, read from memory in the loops
    # ok: SC-DB-003
    stmt = select(User).options(selectinload(User.posts).joinedload(Post.author))
    users = (await session.scalars(stmt)).all()
    return [[p.author.email for p in u.posts] for u in users]
