from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Account

router = APIRouter()


@router.get("/accounts/by-email")
def by_email(email: str, session: Session = Depends()):
    # ruleid: SC-DB-006
    return session.query(Account).filter(Account.email == email).first()


@router.get("/accounts/by-plan")
async def by_plan(plan_id: int, session: Session = Depends()):
    # SQLAlchemy does not index foreign keys either
    # ruleid: SC-DB-006
    result = await session.execute(select(Account).where(Account.plan_id == plan_id).limit(20))
    return result.scalars().all()


@router.get("/accounts/by-username")
def by_username(username: str, session: Session = Depends()):
    # ok: SC-DB-006
    return session.query(Account).filter(Account.username == username).first()


@router.get("/accounts/by-region")
def by_region(region: str, session: Session = Depends()):
    # ok: SC-DB-006
    return session.query(Account).filter(Account.region == region).limit(20).all()
