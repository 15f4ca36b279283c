"""SC-DB-002 on an engine only background jobs build (issue 8, item 3: which process).

An ingest helper that builds its own engine and is run only by Celery tasks (and a manage.py
command) serves no request: a long statement there stalls that job, which is what such jobs
do, not the requests users wait on. It is reported low, saying so. The same helper reached
from a route keeps its confidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules

RULE = next(r for r in all_rules() if r.meta.id == "SC-DB-002")

_INGEST = """import os

import sqlalchemy as sa


def ingest_people_from_s3() -> None:
    engine = sa.create_engine(os.environ["DATABASE_URL"])
    with engine.connect() as conn:
        conn.execute(sa.text("DELETE FROM people_staging"))
"""

_TASKS = """from celery import shared_task

from app.ingest import ingest_people_from_s3


@shared_task
def ingest_people_task():
    ingest_people_from_s3()
"""

_ROUTES = """from fastapi import FastAPI

from app.ingest import ingest_people_from_s3
from app.tasks import ingest_people_task

app = FastAPI()


@app.post("/people/refresh")
def refresh():
    {body}
    return {{"queued": True}}
"""


@pytest.mark.parametrize(
    ("body", "job_only"),
    [("ingest_people_task.delay()", True), ("ingest_people_from_s3()", False)],
)
def test_an_engine_only_jobs_build_is_low(tmp_path: Path, body: str, job_only: bool) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "svc"\nversion = "1"\n'
        'dependencies = ["fastapi", "celery", "sqlalchemy", "psycopg"]\n'
    )
    (tmp_path / "Dockerfile").write_text(
        'FROM python:3.12\nCMD ["uvicorn", "app.main:app", "--workers", "2"]\n'
    )
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "ingest.py").write_text(_INGEST)
    (tmp_path / "app" / "tasks.py").write_text(_TASKS)
    (tmp_path / "app" / "main.py").write_text(_ROUTES.format(body=body))
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    (finding,) = [f for f in report.findings if f.file == "app/ingest.py"]
    assert (finding.confidence == "low") is job_only, finding.message
    assert ("only background jobs run `ingest_people_from_s3`" in finding.message) is job_only


_DAG = '''from datetime import datetime

from airflow import DAG
from airflow.operators.python import PythonOperator

from pipeline.db import engine


def load():
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO daily SELECT * FROM staging")


with DAG("daily_load", start_date=datetime(2024, 1, 1), schedule="@daily") as dag:
    PythonOperator(task_id="load", python_callable=load)
'''

_API = '''from fastapi import FastAPI
from sqlalchemy import text

from pipeline.db import engine

app = FastAPI()


@app.get("/daily")
def daily():
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT * FROM daily LIMIT 50")))
'''


@pytest.mark.parametrize("served", [False, True])
def test_an_engine_only_airflow_dags_use_is_low(tmp_path: Path, served: bool) -> None:
    """An engine in a DAG folder's shared module, imported only by Airflow DAGs: scheduled
    batch work, low; the same module imported by a route file too serves requests."""
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "requirements.txt").write_text("apache-airflow\nfastapi\nsqlalchemy\npsycopg2-binary\n")
    (tmp_path / "pipeline" / "__init__.py").write_text("")
    (tmp_path / "pipeline" / "db.py").write_text(
        "import os\n\nfrom sqlalchemy import create_engine\n\n"
        'engine = create_engine(os.environ["DATABASE_URL"], pool_size=5, max_overflow=5, pool_timeout=10)\n'
    )
    (tmp_path / "pipeline" / "daily_dag.py").write_text(_DAG)
    (tmp_path / "pipeline" / "main.py").write_text(_API if served else "")
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    (finding,) = [f for f in report.findings if f.file == "pipeline/db.py"]
    assert (finding.confidence == "low") is not served, finding.message
    assert ("only Airflow batch code uses it" in finding.message) is not served


_LOADER = """from sqlalchemy import create_engine, text

engine = create_engine("postgresql+psycopg2://app@db/app")


def process() -> None:
    with engine.begin() as conn:
        for row in conn.execute(text("SELECT id, payload FROM staging")):
            conn.execute(
                text("INSERT INTO facts (id, payload) VALUES (:id, :p)"), {"id": row.id, "p": row.payload}
            )


if __name__ == "__main__":
    process()
"""


@pytest.mark.parametrize(
    ("requirements", "extra", "batch"),
    [
        ("sqlalchemy\npsycopg2\nrequests\n", "", True),
        # a web framework among its dependencies or its imports, or a standard-library server
        ("sqlalchemy\npsycopg2\nflask\n", "", False),
        ("sqlalchemy\npsycopg2\nfalcon\n", "import falcon\n", False),
        ("sqlalchemy\npsycopg2\n", "from http.server import HTTPServer\n", False),
        # nothing says what the package runs with
        ("", "", False),
    ],
)
def test_an_engine_of_a_program_that_serves_no_request_is_low(
    tmp_path: Path, requirements: str, extra: str, batch: bool
) -> None:
    """A loader run as a script (no route anywhere, and no web framework or server among its
    declared dependencies or its imports) answers no request: a long query stalls that run,
    low. A package that declares a framework, imports a server, or declares nothing keeps its
    confidence."""
    if requirements:
        (tmp_path / "requirements.txt").write_text(requirements)
    (tmp_path / "docker-compose.yml").write_text("services:\n  db:\n    image: postgres:16\n")
    (tmp_path / "loader.py").write_text(extra + _LOADER)
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    (finding,) = [f for f in report.findings if f.file == "loader.py"]
    assert (finding.confidence == "low") is batch, finding.message
    assert ("a batch program" in finding.message) is batch
