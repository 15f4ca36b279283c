from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from .engines import TracingEngine
from .statements import TIMEOUT_STMT

tracing = TracingEngine()


async def spans(project_id: int) -> list[object]:
    async with AsyncSession(tracing.engine) as session, session.begin():
        await session.execute(TIMEOUT_STMT)
        rows = await session.execute(
            text("SELECT * FROM spans WHERE project_id = :p LIMIT 100"), {"p": project_id}
        )
        return list(rows)
