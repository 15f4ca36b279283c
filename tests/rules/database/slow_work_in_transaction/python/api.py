import httpx
from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from .db import get_session
from .models import Invoice

router = APIRouter()
http = httpx.AsyncClient(timeout=5)


@router.post("/invoices")
async def create_invoice(payload: dict, session: AsyncSession = Depends(get_session)):
    async with session.begin():
        invoice = Invoice(**payload)
        session.add(invoice)
        # ruleid: SC-DB-008
        await http.post("https://tax.example/quote", json=payload)
    # ok: SC-DB-008
    await http.post("https://hooks.example/invoices", json={"id": invoice.id})
    return invoice


@router.post("/invoices/bulk")
async def bulk(payloads: list[dict], session: AsyncSession = Depends(get_session)):
    headers = {"x": "y"}
    async with session.begin():
        for p in payloads:
            session.add(Invoice(**p))
            # a dict lookup, not an HTTP call
            # ok: SC-DB-008
            headers.get("x")
    return {"ok": True}
