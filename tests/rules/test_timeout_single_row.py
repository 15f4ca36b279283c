"""SC-DB-002 on a client whose every query reads or writes one row (issue 8, item 8: what the
code already does).

A store whose code only gets rows by key, creates and deletes single objects has no query that
can run long but a lock wait: the missing statement timeout is low, saying so. One list query,
count, sort, search or hand-written SQL beside them keeps the finding at its confidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules

RULE = next(r for r in all_rules() if r.meta.id == "SC-DB-002")

_DB = """import os

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

engine = create_engine(os.environ["DATABASE_URL"], pool_size=5, max_overflow=5, pool_timeout=10)
Session = sessionmaker(bind=engine)
"""

_STORE = """from app.db import Session
from app.models import Payment, Request


def find_request(record_hash):
    with Session() as session:
        return session.query(Request).filter_by(record_hash=record_hash).first()


def get_payment(payment_id):
    with Session() as session:
        return session.get(Payment, payment_id)


def get_request(request_id):
    with Session() as session:
        return session.get(Request, request_id)


def save_payment(payment):
    with Session() as session:
        session.add(payment)
        session.commit()
{extra}
"""

_LIST = """

def open_requests(status):
    with Session() as session:
        return session.query(Request).filter_by(status=status).all()
"""

_ROUTES = """from flask import Flask

from app.store import find_request, get_payment{more}

app = Flask(__name__)


@app.get("/requests/<h>")
def show(h):
    return str(find_request(h))


@app.get("/payments/<int:pid>")
def payment(pid):
    return str(get_payment(pid))
"""


@pytest.mark.parametrize(("extra", "single_row"), [("", True), (_LIST, False)])
def test_a_store_of_single_row_queries_is_low(tmp_path: Path, extra: str, single_row: bool) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "requirements.txt").write_text("flask\nsqlalchemy\npsycopg2-binary\ngunicorn\n")
    (tmp_path / "Procfile").write_text("web: gunicorn app.main:app --workers 3\n")
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "db.py").write_text(_DB)
    (tmp_path / "app" / "models.py").write_text("class Request: ...\n\n\nclass Payment: ...\n")
    (tmp_path / "app" / "store.py").write_text(_STORE.format(extra=extra))
    (tmp_path / "app" / "main.py").write_text(_ROUTES.format(more=", open_requests" if extra else ""))
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    (finding,) = report.findings
    assert (finding.confidence == "low") is single_row, finding.message
    assert ("reads or writes a single row by equality" in finding.message) is single_row
