from fastapi import FastAPI, Request

from app.db import SessionLocal
from app.models import RequestLog
from app.routers import invoices

app = FastAPI(title="billing")
app.include_router(invoices.router)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.middleware("http")
async def log_request(request: Request, call_next):
    response = await call_next(request)
    with SessionLocal() as db:
        db.add(RequestLog(method=request.method, path=request.url.path, status=response.status_code))
        db.commit()
    return response
