import requests
from fastapi import APIRouter, Depends
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from app.config import settings
from app.db import get_db
from app.models import Customer, Invoice, InvoiceLine
from app.services.rates import rate_for

router = APIRouter(prefix="/invoices")


@router.get("")
def list_invoices(status: str = "open", db: Session = Depends(get_db)):
    invoices = db.query(Invoice).filter(Invoice.status == status).all()
    out = []
    for invoice in invoices:
        customer = db.get(Customer, invoice.customer_id)
        out.append({"id": invoice.id, "customer": customer.name, "total_eur": invoice.total_cents * rate_for(invoice.currency)})
    return out


@router.post("")
def create_invoice(customer_id: int, currency: str = "EUR", db: Session = Depends(get_db)):
    # the next invoice number from a count of every invoice
    count = db.scalar(select(func.count()).select_from(Invoice))
    invoice = Invoice(number=f"INV-{count + 1:06d}", customer_id=customer_id, status="open", currency=currency, total_cents=0)
    db.add(invoice)
    db.commit()
    return {"id": invoice.id, "number": invoice.number}


@router.get("/page")
def page_invoices(page: int = 1, size: int = 50, db: Session = Depends(get_db)):
    query = db.query(Invoice).order_by(Invoice.id.desc())
    total = query.count()
    rows = query.offset((page - 1) * size).limit(size).all()
    return {"total": total, "rows": [{"id": r.id, "status": r.status} for r in rows]}


@router.get("/customers/statements")
def customer_statements(country: str, db: Session = Depends(get_db)):
    stmt = (
        select(Customer)
        .where(Customer.country == country)
        .options(joinedload(Customer.invoices).joinedload(Invoice.lines).joinedload(InvoiceLine.product))
        .limit(50)
    )
    customers = db.execute(stmt).unique().scalars().all()
    return [{"customer": c.name, "invoices": len(c.invoices)} for c in customers]


@router.get("/customers/search")
def search_customers(q: str, db: Session = Depends(get_db)):
    rows = db.scalars(select(Customer).where(Customer.name.ilike(f"%{q}%")).order_by(Customer.id).limit(20)).all()
    return [{"id": c.id, "name": c.name} for c in rows]


@router.post("/{invoice_id}/send")
def send_invoice(invoice_id: int, db: Session = Depends(get_db)):
    with db.begin():
        invoice = db.get(Invoice, invoice_id)
        invoice.status = "sent"
        requests.post(settings.webhook_url, json={"invoice": invoice_id}, timeout=10)
    return {"ok": True}


@router.post("/{invoice_id}/pay-with-credit")
def pay_with_credit(invoice_id: int, db: Session = Depends(get_db)):
    invoice = db.get(Invoice, invoice_id)
    customer = db.get(Customer, invoice.customer_id)
    if customer.credit_cents < invoice.total_cents:
        return {"ok": False, "error": "not enough credit"}
    # two concurrent payments both read the same credit and both write their own result
    customer.credit_cents = customer.credit_cents - invoice.total_cents
    invoice.status = "paid"
    db.commit()
    return {"ok": True}
