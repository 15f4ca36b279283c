from pymongo import MongoClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

engine = create_engine("postgresql+psycopg://app@db/app", pool_size=10)
SessionLocal = sessionmaker(engine)
mongo = MongoClient("mongodb://mongo:27017").app


def get_db():
    with SessionLocal() as session:
        yield session
