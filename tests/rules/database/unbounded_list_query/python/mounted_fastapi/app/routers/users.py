from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.db import get_db
from app.models import User

router = APIRouter(prefix="/users")


# served as GET /api/v1/users/{user_id}/friends
@router.get("/{user_id}/friends")
def friends(user_id: int, db: Session = Depends(get_db)):
    # ruleid: SC-DB-004
    return db.query(User).order_by(User.id).all()
