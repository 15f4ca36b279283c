from fastapi import FastAPI

from app import accounts

app = FastAPI()
app.include_router(accounts.router, prefix="/api")
