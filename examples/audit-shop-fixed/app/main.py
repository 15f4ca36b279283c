import json
import random

from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy import func
from sqlalchemy.orm import Session

from app.cache import redis_client
from app.db import get_db
from app.models import Order, OrderItem, Product
from app.seed import seed

app = FastAPI(title="audit-shop")
seed()


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/products")
def list_products(category: str | None = None, page: int = 1, db: Session = Depends(get_db)):
    query = db.query(Product).order_by(Product.id)
    if category:
        query = query.filter(Product.category == category)
    products = query.offset((max(page, 1) - 1) * 50).limit(50).all()
    return [{"id": p.id, "name": p.name, "category": p.category, "price_cents": p.price_cents} for p in products]


@app.get("/products/{product_id}")
def get_product(product_id: int, db: Session = Depends(get_db)):
    if redis_client is not None:
        hit = redis_client.get(f"shop:product:{product_id}")
        if hit is not None:
            return json.loads(hit)
    product = db.get(Product, product_id)
    if product is None:
        raise HTTPException(status_code=404)
    out = {"id": product.id, "name": product.name, "price_cents": product.price_cents}
    if redis_client is not None:
        # expires, with jitter so entries written together do not all expire together
        redis_client.set(f"shop:product:{product_id}", json.dumps(out), ex=300 + random.randint(0, 60))
    return out


@app.get("/orders")
def list_orders(status: str = "open", db: Session = Depends(get_db)):
    orders = db.query(Order).filter(Order.status == status).order_by(Order.id.desc()).limit(50).all()
    counts = dict(
        db.query(OrderItem.order_id, func.count(OrderItem.id))
        .filter(OrderItem.order_id.in_([o.id for o in orders]))
        .group_by(OrderItem.order_id)
        .all()
    )
    return [{"id": o.id, "status": o.status, "items": counts.get(o.id, 0)} for o in orders]


@app.get("/stats")
def stats(db: Session = Depends(get_db)):
    return {"orders": db.query(func.count(Order.id)).scalar(), "products": db.query(func.count(Product.id)).scalar()}
