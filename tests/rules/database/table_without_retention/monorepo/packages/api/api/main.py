from datetime import datetime

from fastapi import Depends, FastAPI
from shopdb.models import AuditEvent

from api.repository import AuditEventRepository

app = FastAPI()


def get_repository() -> AuditEventRepository: ...


@app.post("/orders/{order_id}/cancel")
async def cancel(order_id: int, actor_id: int, repository: AuditEventRepository = Depends(get_repository)):
    # the insert goes through the repository; the admin package of the same monorepo reads the
    # table back, so it is not a write-only log
    # ruleid: SC-DB-015 low
    await repository.create(AuditEvent(actor_id=actor_id, action=f"cancel {order_id}", created_at=datetime.utcnow()))
    return {"ok": True}
