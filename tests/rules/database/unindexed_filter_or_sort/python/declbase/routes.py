from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .models import Staff

router = APIRouter()


@router.get("/staff/by-email")
def by_email(email: str, session: Session = Depends()):
    # email is unique on the model (no __tablename__: the base names the table)
    # ok: SC-DB-006
    return session.query(Staff).filter(Staff.email == email).first()


@router.get("/staff/by-nickname")
def by_nickname(nickname: str, session: Session = Depends()):
    # ruleid: SC-DB-006
    return session.query(Staff).filter(Staff.nickname == nickname).first()
