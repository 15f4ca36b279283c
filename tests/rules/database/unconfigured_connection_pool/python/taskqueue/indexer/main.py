from fastapi import FastAPI
from sqlalchemy import text

from indexer.db import get_request_engine
from indexer.tasks.reindex import reindex_document

app = FastAPI()


@app.get("/documents/{document_id}")
async def read_document(document_id: int) -> dict[str, object]:
    async with get_request_engine().connect() as conn:
        row = (await conn.execute(text("select id, title from documents where id = :id"), {"id": document_id})).one()
    return {"id": row.id, "title": row.title}


@app.post("/documents/{document_id}/reindex")
async def queue_reindex(document_id: int) -> dict[str, str]:
    reindex_document.delay(document_id)
    return {"status": "queued"}
