import os

from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, sessionmaker

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///./.audit-shop.db")

# SQLite by default (no other service needed); any SQLAlchemy URL works, e.g. PostgreSQL with
# postgresql+psycopg://user@127.0.0.1:5432/shop. check_same_thread is SQLite's option only.
SQLITE = DATABASE_URL.startswith("sqlite")
engine = create_engine(DATABASE_URL, connect_args={"check_same_thread": False} if SQLITE else {})
SessionLocal = sessionmaker(bind=engine, expire_on_commit=False)


class Base(DeclarativeBase):
    pass


def get_db():
    with SessionLocal() as session:
        yield session
