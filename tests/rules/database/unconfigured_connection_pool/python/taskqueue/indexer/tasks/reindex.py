import asyncio

from celery import shared_task
from sqlalchemy import text

from indexer.tasks import get_task_session_maker


async def _reindex(document_id: int) -> None:
    async with get_task_session_maker()() as session:
        await session.execute(text("update documents set indexed = true where id = :id"), {"id": document_id})
        await session.commit()


@shared_task
def reindex_document(document_id: int) -> None:
    asyncio.run(_reindex(document_id))
