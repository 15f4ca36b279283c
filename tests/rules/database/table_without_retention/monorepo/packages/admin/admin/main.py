from fastapi import FastAPI
from shopdb.models import AuditEvent
from sqlalchemy import desc, sql
from sqlalchemy.ext.asyncio import AsyncSession

app = FastAPI()


@app.get("/audit/{actor_id}")
async def audit_trail(actor_id: int, session: AsyncSession):
    stmt = sql.select(AuditEvent).where(AuditEvent.actor_id == actor_id).order_by(desc(AuditEvent.created_at)).limit(50)
    rows = (await session.execute(stmt)).scalars().all()
    return [{"action": r.action} for r in rows]
