import asyncpg
from fastapi import APIRouter, Depends
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db import get_db
from app.models import Account

router = APIRouter()
pool: asyncpg.Pool


@router.post("/accounts/{account_id}/withdraw")
def withdraw(account_id: int, amount: int, db: Session = Depends(get_db)):
    account = db.query(Account).filter(Account.id == account_id).first()
    if account.balance < amount:
        return {"error": "insufficient funds"}
    # ruleid: SC-DB-013
    account.balance = account.balance - amount
    db.commit()
    return {"balance": account.balance}


@router.post("/accounts/{account_id}/withdraw-locked")
def withdraw_locked(account_id: int, amount: int, db: Session = Depends(get_db)):
    account = db.execute(select(Account).where(Account.id == account_id).with_for_update()).scalar_one()
    # ok: SC-DB-013
    account.balance -= amount
    db.commit()
    return {"balance": account.balance}


@router.post("/accounts/{account_id}/deposit")
def deposit(account_id: int, amount: int, db: Session = Depends(get_db)):
    account = db.get(Account, account_id)
    # ruleid: SC-DB-013
    db.execute(update(Account).where(Account.id == account_id).values(balance=account.balance + amount))
    db.commit()
    return {"ok": True}


@router.post("/accounts/{account_id}/deposit-atomic")
def deposit_atomic(account_id: int, amount: int, db: Session = Depends(get_db)):
    # ok: SC-DB-013
    db.execute(update(Account).where(Account.id == account_id).values(balance=Account.balance + amount))
    db.commit()
    return {"ok": True}


@router.post("/accounts/{account_id}/spend")
def spend(account_id: int, cost: int, db: Session = Depends(get_db)):
    account = db.get(Account, account_id)
    if account.credits < cost:
        return {"error": "not enough credits"}
    # ruleid: SC-DB-013
    db.execute(update(Account).where(Account.id == account_id).values(credits=Account.credits - cost))
    db.commit()
    return {"ok": True}


@router.post("/accounts/{account_id}/pay")
async def pay(account_id: int, amount: int):
    async with pool.acquire() as conn:
        row = await conn.fetchrow("SELECT balance FROM accounts WHERE id = $1", account_id)
        # ruleid: SC-DB-013
        await conn.execute("UPDATE accounts SET balance = $1 WHERE id = $2", row["balance"] - amount, account_id)
    return {"ok": True}


@router.post("/accounts/{account_id}/pay-atomic")
async def pay_atomic(account_id: int, amount: int):
    async with pool.acquire() as conn:
        # ok: SC-DB-013
        await conn.execute("UPDATE accounts SET balance = balance - $1 WHERE id = $2 AND balance >= $1", amount, account_id)
    return {"ok": True}
