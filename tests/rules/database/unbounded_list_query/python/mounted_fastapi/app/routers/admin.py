from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.db import get_db
from app.models import User

# a router no app includes
router = APIRouter(prefix="/admin")


@router.get("/users")
def all_users(db: Session = Depends(get_db)):
    # ok: SC-DB-004
    return db.query(User).order_by(User.id).all()
