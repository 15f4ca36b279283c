from fastapi import Depends, FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import Article, Tag, get_db

app = FastAPI()


# ruleid: SC-CACHE-001
@app.get("/articles")
def list_articles(db: Session = Depends(get_db)):
    articles = db.scalars(select(Article).limit(20)).all()
    tags = db.scalars(select(Tag).limit(50)).all()
    return {"articles": articles, "tags": tags}


# ok: SC-CACHE-001
@app.get("/articles/{article_id}")
def get_article(article_id: int, db: Session = Depends(get_db)):
    return db.get(Article, article_id)


# ok: SC-CACHE-001
@app.post("/articles")
def create_article(payload: dict, db: Session = Depends(get_db)):
    article = Article(**payload)
    db.add(article)
    db.commit()
    return article
