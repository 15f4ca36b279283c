import json

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
def list_products(category: str | None = None, db: Session = Depends(get_db)):
    query = db.query(Product)
    if category:
        query = query.filter(Product.category == category)
    products = query.all()
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
        redis_client.set(f"shop:product:{product_id}", json.dumps(out))
    return out


@app.get("/orders")
def list_orders(status: str = "open", db: Session = Depends(get_db)):
    orders = db.query(Order).filter(Order.status == status).order_by(Order.id.desc()).limit(50).all()
    out = []
    for order in orders:
        items = db.query(OrderItem).filter(OrderItem.order_id == order.id).all()
        out.append({"id": order.id, "status": order.status, "items": len(items)})
    return out


@app.get("/stats")
def stats(db: Session = Depends(get_db)):
    return {"orders": db.query(func.count(Order.id)).scalar(), "products": db.query(func.count(Product.id)).scalar()}
