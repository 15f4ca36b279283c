from fastapi import FastAPI
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.models import Account

app = FastAPI()
engine = create_engine("postgresql+psycopg://localhost/billing", pool_size=10)


@app.get("/accounts")
def accounts_in_region(region: str):
    with Session(engine) as session:
        return session.scalars(select(Account).where(Account.region == region).limit(50)).all()
