from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.orm import Session

from .db import SessionLocal
from .models import Article, Download

app = FastAPI()


@app.get("/articles/{article_id}")
def read_article(article_id: int):
    with SessionLocal() as session:
        # ruleid: SC-DB-011
        session.execute(update(Article).where(Article.id == article_id).values(views=Article.views + 1))
        session.commit()
        return session.get(Article, article_id)


@app.get("/files/{file_id}")
def download(file_id: int, track: bool = False):
    with SessionLocal() as session:
        if track:
            # ok: SC-DB-011
            session.execute(update(Download).where(Download.file_id == file_id).values(count=Download.count + 1))
        return {"id": file_id}


@app.post("/articles/{article_id}/like")
def like(article_id: int):
    with SessionLocal() as session:
        # ok: SC-DB-011
        session.execute(update(Article).where(Article.id == article_id).values(likes=Article.likes + 1))
        session.commit()
