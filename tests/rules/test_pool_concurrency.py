"""SC-DB-001 on a SQLAlchemy engine served by gunicorn (issue 8, item 3: which process, with
what concurrency).

SQLAlchemy's QueuePool opens a connection only when a checkout needs one, so a process serves
at most as many connections as it serves requests at once: one for gunicorn's sync worker,
one per thread with ``--threads``. The default pool's ceiling (5 + 10 per process) is what a
greenlet or async worker can reach; a sync deployment's arithmetic is processes x 1. Blind
review found "7 processes x 15 = 105 connections" false on a sync-worker deployment that holds
about 7."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules

RULE = next(r for r in all_rules() if r.meta.id == "SC-DB-001")

_DB = """import os

from sqlalchemy import create_engine

engine = create_engine(os.environ["DATABASE_URL"])
"""

_MAIN = """from flask import Flask
from sqlalchemy import text

from app.db import engine

app = Flask(__name__)


@app.get("/orders/<int:order_id>")
def order(order_id):
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT * FROM orders WHERE id = :id"), {"id": order_id}).one())
"""


@pytest.mark.parametrize(
    ("flags", "confidence", "arithmetic"),
    [
        # 12 sync workers: about 12 connections in use, far under max_connections
        ("-w 12", "low", "12 app processes (replicas x workers) each serving 1 request at a time"),
        # 13 x 8 threads: up to 104 at once, past max_connections 100
        ("-w 13 --threads 8", "high", "each serving 8 requests at a time"),
        # gevent: a process serves many requests at once, so the pool's ceiling counts
        ("-w 12 -k gevent", "high", "12 app processes (replicas x workers) that is up to 180"),
    ],
)
def test_a_sync_workers_pool_holds_a_connection_per_request_it_serves(
    tmp_path: Path, flags: str, confidence: str, arithmetic: str
) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "requirements.txt").write_text("flask\nsqlalchemy\npsycopg2-binary\ngunicorn\n")
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "db.py").write_text(_DB)
    (tmp_path / "app" / "main.py").write_text(_MAIN)
    (tmp_path / "Procfile").write_text(f"web: gunicorn app.main:app {flags}\n")
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    (finding,) = [f for f in report.findings if f.file == "app/db.py"]
    assert finding.confidence == confidence, finding.message
    assert arithmetic in finding.message, finding.message


_REPORT = """import os

import sqlalchemy
from flask import Flask

app = Flask(__name__)


def cherrypicked(ids):
    db_connection = None
    try:
        engine = sqlalchemy.create_engine(os.environ["WAREHOUSE_URL"])
{body}


@app.post("/reports/new")
def new_report():
    return {{"rows": cherrypicked([1, 2])}}
"""


@pytest.mark.parametrize(
    ("body", "closed"),
    [
        # the one connection it takes goes back in ``finally``; the engine goes with the call
        (
            "        db_connection = engine.connect()\n        return db_connection.execute(ids)\n"
            "    except Exception:\n        return None\n    finally:\n        db_connection.close()",
            True,
        ),
        (
            "        with engine.connect() as conn:\n            return conn.execute(ids)\n"
            "    except Exception:\n        return None",
            True,
        ),
        # nothing gives the connection back
        (
            "        db_connection = engine.connect()\n        return db_connection.execute(ids)\n"
            "    except Exception:\n        return None",
            False,
        ),
    ],
)
def test_an_engine_built_per_call_whose_connection_the_call_closes(
    tmp_path: Path, body: str, closed: bool
) -> None:
    """A SQLAlchemy engine built inside a function a route reaches, whose one connection the
    function closes (``finally: conn.close()``, ``with engine.connect()``): a connect and
    authentication per call, no leak, low; left open, it is the critical per-request client."""
    (tmp_path / "requirements.txt").write_text("flask\nsqlalchemy\npymysql\n")
    (tmp_path / "reports.py").write_text(_REPORT.format(body=body))
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    (finding,) = [f for f in report.findings if f.file == "reports.py"]
    assert (finding.confidence == "low") is closed, finding.message
    assert ("no connection is leaked" in finding.message) is closed, finding.message
