from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .db import get_db
from .models import Account, ApiKey, Order, Visit

app = FastAPI()


@app.post("/orders")
def create_order(session: Session = Depends(get_db)):
    # ruleid: SC-DB-017
    count = session.scalar(select(func.count()).select_from(Order))
    order = Order(number=f"ORD-{count + 1:08d}", status="new")
    session.add(order)
    session.commit()
    return {"id": order.id}


@app.get("/orders/pending")
def pending_orders(session: Session = Depends(get_db)):
    # ruleid: SC-DB-017
    pending = session.query(func.count(Order.id)).filter(Order.status == "pending").scalar()
    return {"pending": pending}


@app.post("/accounts/{account_id}/keys")
def create_key(account_id: int, label: str, session: Session = Depends(get_db)):
    account = session.get(Account, account_id)
    # one account's keys through an indexed foreign key: cheap, but racy
    # ruleid: SC-DB-017 low
    used = session.scalar(select(func.count(ApiKey.id)).where(ApiKey.account_id == account_id))
    if used >= account.api_key_limit:
        raise HTTPException(403, "key limit")
    session.add(ApiKey(account_id=account_id, label=label))
    session.commit()
    return {"ok": True}


@app.get("/orders/page")
def order_page(offset: int = 0, session: Session = Depends(get_db)):
    rows = session.scalars(select(Order).order_by(Order.id).offset(offset).limit(20)).all()
    # the page's total: SC-DB-005's case
    # ok: SC-DB-017
    total = session.scalar(select(func.count()).select_from(Order))
    return {"rows": rows, "total": total}


@app.get("/orders/any-failed")
def any_failed(session: Session = Depends(get_db)):
    # an existence test
    # ok: SC-DB-017
    n = session.scalar(select(func.count(Order.id)).where(Order.status == "failed"))
    return {"any": n > 0}


@app.post("/visits")
def track(path: str, session: Session = Depends(get_db)):
    session.add(Visit(path=path))
    session.commit()
    # the count is not used by the response
    # ok: SC-DB-017
    session.scalar(select(func.count(Visit.id)))
    return {"ok": True}
