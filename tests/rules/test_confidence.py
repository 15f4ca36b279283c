"""Rules lower confidence, rather than stay silent or shout, when evidence is weaker."""

from __future__ import annotations

from pathlib import Path

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules

API = '''from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .db import get_db
from .models import Comment, Post

router = APIRouter()


@router.get("/posts")
def all_posts(db: Session = Depends(get_db)):
    return db.query(Post).all()


@router.get("/posts/{post_id}/comments")
def post_comments(post_id: int, db: Session = Depends(get_db)):
    return db.query(Comment).filter(Comment.post_id == post_id).all()


@router.get("/posts/by-tag")
def by_tag(tag: str, db: Session = Depends(get_db)):
    return db.query(Post).filter(Post.tag == tag).all()
'''


def test_unbounded_list_confidence_follows_the_filter(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "api.py").write_text(API)
    rule = next(r for r in all_rules() if r.meta.id == "SC-DB-004")
    report = scan(tmp_path, ScanConfig(min_confidence="low"), rules=[rule], jobs=1)
    by_line = {f.line: f.confidence for f in report.findings}
    assert by_line == {12: "high", 17: "low", 22: "medium"}, by_line
