from fastapi import APIRouter, Depends
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .models import Account, Plan, Role

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
    return session.execute(
        select(Account).where(Account.plan_id == Plan.id, Plan.name == name).limit(20)
    ).all()


@router.get("/accounts/by-plan-and-region")
def by_plan_in_region(ids: list[int], session: Session = Depends()):
    # the plans' ids are the other table's: the filter of accounts is email (unindexed)
    # ruleid: SC-DB-006
    return session.execute(
        select(Account).where(
            Account.email == "x", Account.plan_id.in_(select(Plan.id).where(Plan.id.in_(ids)))
        )
    ).all()


@router.get("/accounts/admins")
def admins(session: Session = Depends()):
    # role holds one of the two Role values: an index alone barely narrows it
    # ruleid: SC-DB-006 low
    return session.query(Account).filter(Account.role == Role.ADMIN).limit(20).all()


@router.get("/accounts/active-count")
def active_count(session: Session = Depends()):
    # a Mapped[bool] column: two values
    # ruleid: SC-DB-006 low
    return session.query(Account).filter(Account.is_active.is_(True)).count()


@router.get("/accounts/renamed")
def renamed(name: str, session: Session = Depends()):
    # a negation: no b-tree index narrows <>
    # ruleid: SC-DB-006 low
    return session.query(Account).filter(Account.nickname != name).limit(20).all()


@router.get("/accounts/by-nick-ci")
def by_nick_ci(name: str, session: Session = Depends()):
    # the column is wrapped in a function: a plain index on nickname would not serve it
    # ruleid: SC-DB-006 low
    return session.query(Account).filter(func.lower(Account.nickname) == name.lower()).first()


@router.get("/accounts/by-email-or-nick")
def by_email_or_nick(q: str, session: Session = Depends()):
    # an OR across two unindexed columns
    # ruleid: SC-DB-006 low
    return session.execute(
        select(Account).where(or_(Account.email == q, Account.nickname == q)).limit(20)
    ).all()


@router.get("/accounts/by-username-or-region")
def by_username_or_region(q: str, session: Session = Depends()):
    # both columns of the OR lead an index: the database combines them
    # ok: SC-DB-006
    return session.execute(
        select(Account).where(or_(Account.username == q, Account.region == q)).limit(20)
    ).all()
