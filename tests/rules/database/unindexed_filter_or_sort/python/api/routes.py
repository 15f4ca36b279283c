from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Account, Plan

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


@router.get("/accounts/by-plan-name")
def by_plan_name(name: str, session: Session = Depends()):
    # filtered through the join on plans.name; plan_id = plans.id is the join key
    # ok: SC-DB-006
    return session.execute(select(Account).where(Account.plan_id == Plan.id, Plan.name == name).limit(20)).all()


@router.get("/accounts/by-plan-and-region")
def by_plan_in_region(ids: list[int], session: Session = Depends()):
    # the plans' ids are the other table's: the filter of accounts is email (unindexed)
    # ruleid: SC-DB-006
    return session.execute(select(Account).where(Account.email == "x", Account.plan_id.in_(select(Plan.id).where(Plan.id.in_(ids))))).all()
