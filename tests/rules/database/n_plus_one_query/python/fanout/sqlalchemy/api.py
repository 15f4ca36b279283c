"""The photos of ONE album (a parent's fan-out) beside the flagged photos of every album."""

from fastapi import APIRouter, Depends
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Album, Comment, Photo

router = APIRouter()


def get_session() -> Session: ...


@router.get("/albums/{album_id}/comments")
def album_comments(album_id: int, session: Session = Depends(get_session)):
    photos = session.scalars(select(Photo).where(Photo.album_id == album_id)).all()
    out = {}
    for photo in photos:
        # ruleid: SC-DB-003 (low: the photos of one album)
        out[photo.id] = session.scalar(select(func.count()).select_from(Comment).where(Comment.photo_id == photo.id))
    return out


@router.get("/albums/{album_id}/first-comments")
def first_comments(album_id: int, session: Session = Depends(get_session)):
    album = session.get(Album, album_id)
    out = {}
    for photo in album.photos:
        # ruleid: SC-DB-003 (low: a relationship attribute of one album is not traced to a query, so its size is unknown)
        out[photo.id] = session.scalars(select(Comment).where(Comment.photo_id == photo.id)).first()
    return out


@router.get("/photos/flagged")
def flagged(session: Session = Depends(get_session)):
    photos = session.scalars(select(Photo).where(Photo.flagged.is_(True))).all()
    out = {}
    for photo in photos:
        # ruleid: SC-DB-003 (high: flagged photos of every album)
        out[photo.id] = session.scalars(select(Comment).where(Comment.photo_id == photo.id)).all()
    return out
