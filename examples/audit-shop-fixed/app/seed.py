"""Creates the tables and a few hundred rows the first time the app starts."""

import random

from app.db import Base, SessionLocal, engine
from app.models import Order, OrderItem, Product

# uneven, as a real catalogue is: 184 books, 100 games, 60 garden, 36 kitchen, 20 music
CATEGORIES = {"books": 184, "games": 100, "garden": 60, "kitchen": 36, "music": 20}


def seed() -> None:
    Base.metadata.create_all(engine)
    with SessionLocal() as db:
        if db.query(Product).first() is not None:
            return
        rng = random.Random(42)
        categories = [name for name, count in CATEGORIES.items() for _ in range(count)]
        rng.shuffle(categories)
        products = [
            Product(name=f"product {i}", category=category, price_cents=rng.randint(100, 9999))
            for i, category in enumerate(categories, start=1)
        ]
        db.add_all(products)
        db.flush()
        for n in range(1, 301):
            order = Order(customer_email=f"customer{n % 90}@example.test", status=rng.choice(["open", "paid", "sent"]))
            db.add(order)
            db.flush()
            for _ in range(rng.randint(1, 6)):
                db.add(OrderItem(order_id=order.id, product_id=rng.randint(1, 400), quantity=rng.randint(1, 3)))
        db.commit()
