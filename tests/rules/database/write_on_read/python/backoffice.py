"""A staff back office: dialogs served on GET, the action done on POST of the same handler."""

from fastapi import APIRouter, FastAPI, Request
from sqlalchemy import func, insert, update

from .db import SessionLocal
from .models import AccessLog, Payout, Transaction

app = FastAPI()
router = APIRouter()


class LedgerService:
    def record_reversal(self, session, payout_id: int) -> None:
        # the cancel's ledger row: written on POST only
        # ok: SC-DB-011
        session.add(Transaction(payout_id=payout_id, kind="reversal"))


ledger = LedgerService()


def cancel_payout(session, payout_id: int) -> None:
    # ok: SC-DB-011
    session.execute(update(Payout).where(Payout.id == payout_id).values(status="canceled"))
    ledger.record_reversal(session, payout_id)


@router.api_route("/payouts/{payout_id}/cancel", methods=["GET", "POST"])
async def cancel_payout_dialog(request: Request, payout_id: int):
    with SessionLocal() as session:
        if request.method == "POST":
            cancel_payout(session, payout_id)
            session.commit()
            return {"status": "canceled"}
        return {"modal": "confirm-cancel", "payout": payout_id}


@router.api_route("/payouts/{payout_id}/retry", methods=["GET", "POST"])
async def retry_payout_dialog(request: Request, payout_id: int):
    if request.method.upper() == "GET":
        return {"modal": "confirm-retry", "payout": payout_id}
    with SessionLocal() as session:
        # after the GET returned: runs on POST only
        # ok: SC-DB-011
        session.execute(update(Payout).where(Payout.id == payout_id).values(status="pending"))
        session.commit()
    return {"status": "pending"}


def stamp_viewed(session, payout_id: int) -> None:
    # ruleid: SC-DB-011 low
    session.execute(update(Payout).where(Payout.id == payout_id).values(last_viewed_at=func.now()))


@router.api_route("/payouts/{payout_id}", methods=["GET", "POST"])
async def payout_detail(request: Request, payout_id: int):
    with SessionLocal() as session:
        if request.method in ("GET", "HEAD"):
            # a stamp on every view: the GET branch runs on every GET
            stamp_viewed(session, payout_id)
        elif request.method == "POST":
            cancel_payout(session, payout_id)
        return {"payout": payout_id}


@router.api_route("/payouts/{payout_id}/notes", methods=["GET", "POST"])
async def payout_notes(request: Request, payout_id: int):
    with SessionLocal() as session:
        # an access log row before the method test: every GET writes it
        # ruleid: SC-DB-011
        session.execute(insert(AccessLog).values(path="notes", payout_id=payout_id))
        if request.method != "POST":
            return {"notes": []}
        cancel_payout(session, payout_id)
        return {"status": "canceled"}


app.include_router(router, prefix="/backoffice")
