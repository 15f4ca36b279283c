from sqlalchemy import create_engine, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from .models import Account, Invoice, Ledger

engine = create_engine("postgresql+psycopg://app@db/app", pool_size=5)
SessionLocal = sessionmaker(engine)


def charge(account_id: int, cents: int) -> None:
    with SessionLocal() as session, session.begin():
        # ok: SC-DB-010
        session.execute(update(Account).where(Account.id == account_id).values(balance=Account.balance - cents))
        with SessionLocal() as audit_session:
            # a second session: a second pooled connection while the first is held
            # ruleid: SC-DB-010
            audit_session.execute(insert(Ledger).values(account_id=account_id, cents=cents))
            audit_session.commit()


def invoice(account_id: int) -> None:
    with engine.begin() as conn:
        # ok: SC-DB-010
        conn.execute(insert(Invoice).values(account_id=account_id))
        other_conn = engine.connect()
        # ruleid: SC-DB-010
        other_conn.execute(select(Account).where(Account.id == account_id))


def settle(session: Session, account_id: int) -> None:
    with session.begin():
        # ok: SC-DB-010
        session.execute(update(Invoice).where(Invoice.account_id == account_id).values(paid=True))
        # ok: SC-DB-010
        session.execute(select(Ledger).where(Ledger.account_id == account_id))
