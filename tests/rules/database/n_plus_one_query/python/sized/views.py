# How big each loop is decides how bad one query per item is (issue 8, item 9).
import enum
import re

from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_db
from .models import Coupon, Gift, Post, Product, User
from .schemas import OrderIn

router = APIRouter()
MENTION = re.compile(r"@(\w+)")


class Status(enum.Enum):
    DRAFT = "draft"
    LIVE = "live"
    GONE = "gone"


@router.post("/orders")
def create_order(payload: OrderIn, db: Session = Depends(get_db)):
    for line in payload.lines:
        # ruleid: SC-DB-003 (low: at most 20 lines, declared in schemas.py)
        product = db.scalars(select(Product).where(Product.sku == line.sku)).first()
        db.add(product)
    for code in payload.coupons:
        # ruleid: SC-DB-003 (low: conlist max_length=3)
        db.scalars(select(Coupon).where(Coupon.code == code)).first()
    for gift in payload.gifts:
        # ruleid: SC-DB-003 (low: no maximum declared for gifts; such loops were rarely N+1 problems on real code)
        db.scalars(select(Gift).where(Gift.sku == gift.sku)).first()
    return {"ok": True}


@router.post("/comments")
def comment(text: str, db: Session = Depends(get_db)):
    for name in MENTION.findall(text):
        # ruleid: SC-DB-003 (low: the mentions typed in one comment)
        db.scalars(select(User).where(User.username == name)).first()
    for tag in text.split():
        # ruleid: SC-DB-003 (low: the words of one string)
        db.scalars(select(Post).where(Post.tag == tag)).first()
    return {"ok": True}


@router.get("/posts")
def posts(db: Session = Depends(get_db)):
    rows = db.scalars(select(Post).limit(50)).all()
    out = []
    for post in rows:
        # ruleid: SC-DB-003 (high: the rows of a query, a page of 50)
        out.append(db.scalars(select(User).where(User.id == post.author_id)).first())
    for post in db.scalars(select(Post).where(Post.tag == "news")).all():
        # ruleid: SC-DB-003 (high: the rows of a query without a limit)
        out.append(db.scalars(select(User).where(User.id == post.author_id)).first())
    for post in rows[:5]:
        # ruleid: SC-DB-003 (low: the first five rows)
        out.append(db.scalars(select(User).where(User.id == post.editor_id)).first())
    for status in Status:
        # ruleid: SC-DB-003 (low: the members of an enum)
        out.append(db.scalars(select(Post).where(Post.status == status.value)).first())
    return out
