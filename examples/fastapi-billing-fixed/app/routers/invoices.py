import requests
from fastapi import APIRouter, Depends
from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from app.config import settings
from app.db import get_db
from app.models import Customer, Invoice, invoice_number_seq
from app.services.cache import cached
from app.services.rates import rate_for

router = APIRouter(prefix="/invoices")


@router.get("")
def list_invoices(status: str = "open", after_id: int = 0, db: Session = Depends(get_db)):
    invoices = (
        db.query(Invoice)
        .options(joinedload(Invoice.customer))
        .filter(Invoice.status == status, Invoice.id > after_id)
        .order_by(Invoice.id)
        .limit(100)
        .all()
    )
    return [
        {"id": i.id, "customer": i.customer.name, "total_eur": i.total_cents * rate_for(i.currency)}
        for i in invoices
    ]


@router.post("")
def create_invoice(customer_id: int, currency: str = "EUR", db: Session = Depends(get_db)):
    # the database hands out the number: no two requests get the same one, nothing is counted
    number = db.scalar(select(invoice_number_seq.next_value()))
    invoice = Invoice(number=f"INV-{number:06d}", customer_id=customer_id, status="open", currency=currency, total_cents=0)
    db.add(invoice)
    db.commit()
    return {"id": invoice.id, "number": invoice.number}


@router.get("/page")
def page_invoices(after_id: int = 0, size: int = 50, db: Session = Depends(get_db)):
    rows = db.query(Invoice).filter(Invoice.id > after_id).order_by(Invoice.id).limit(size).all()
    return {"rows": [{"id": r.id, "status": r.status} for r in rows], "next": rows[-1].id if rows else None}


@router.get("/customers/statements")
def customer_statements(country: str, db: Session = Depends(get_db)):
    def load() -> list[dict[str, object]]:
        # One extra SELECT ... WHERE customer_id IN (...) instead of a multiplied join.
        stmt = (
            select(Customer)
            .where(Customer.country == country)
            .options(selectinload(Customer.invoices))
            .limit(50)
        )
        customers = db.execute(stmt).scalars().all()
        return [{"customer": c.name, "invoices": len(c.invoices)} for c in customers]

    return cached(f"statements:{country}", 300, load)


@router.get("/customers/search")
def search_customers(q: str, db: Session = Depends(get_db)):
    rows = db.scalars(select(Customer).where(Customer.name.ilike(f"%{q}%")).order_by(Customer.id).limit(20)).all()
    return [{"id": c.id, "name": c.name} for c in rows]


@router.post("/{invoice_id}/send")
def send_invoice(invoice_id: int, db: Session = Depends(get_db)):
    with db.begin():
        invoice = db.get(Invoice, invoice_id)
        invoice.status = "sent"
    # Notify after commit: the webhook's latency no longer holds the transaction open.
    requests.post(settings.webhook_url, json={"invoice": invoice_id}, timeout=10)
    return {"ok": True}


@router.post("/{invoice_id}/pay-with-credit")
def pay_with_credit(invoice_id: int, db: Session = Depends(get_db)):
    invoice = db.get(Invoice, invoice_id)
    # the database subtracts, and only while enough credit is left: no read-modify-write race
    charged = db.execute(
        update(Customer)
        .where(Customer.id == invoice.customer_id, Customer.credit_cents >= invoice.total_cents)
        .values(credit_cents=Customer.credit_cents - invoice.total_cents)
    )
    if charged.rowcount == 0:
        return {"ok": False, "error": "not enough credit"}
    invoice.status = "paid"
    db.commit()
    return {"ok": True}
