"""SC-DB-002 on SQLAlchemy engines whose options say what the database is or hide what is set
(issue 8, item 8: what the code already does).

- ``create_async_engine(**configuration.postgres.model_dump())``: every option comes from a
  configuration object the file does not show (a YAML file, a settings model), where a
  statement timeout may well be set: nothing to report, as for a JavaScript ``...spread``;
  a splat of a dict literal the file shows is read as before;
- ``connect_args={"check_same_thread": False}`` is sqlite3's own connect option: a SQLite
  database, which has no statement timeout to set."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules

RULE = next(r for r in all_rules() if r.meta.id == "SC-DB-002")


def _findings(tmp_path: Path, engine_line: str) -> list[int]:
    (tmp_path / "app").mkdir()
    (tmp_path / "requirements.txt").write_text("fastapi\nsqlalchemy\nasyncpg\npsycopg2-binary\n")
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "session.py").write_text(
        "import os\n\nfrom sqlalchemy import create_engine\nfrom sqlalchemy.pool import StaticPool\n"
        "from sqlalchemy.ext.asyncio import create_async_engine\n\nfrom app.config import configuration\n\n"
        "ENGINE_ARGS = {'url': os.environ['DATABASE_URL'], 'pool_size': 5}\n\n" + engine_line + "\n"
    )
    (tmp_path / "app" / "config.py").write_text("configuration = None\n")
    (tmp_path / "app" / "views.py").write_text("from app.session import engine\n\nCONN = engine\n")
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    return [f.line for f in report.findings if f.file == "app/session.py"]


@pytest.mark.parametrize(
    ("engine_line", "reported"),
    [
        ("engine = create_async_engine(**configuration.dependencies.postgres.model_dump())", False),
        ("engine = create_async_engine(**ENGINE_ARGS)", True),
        (
            'engine = create_engine(os.environ["DATABASE_URL"], connect_args={"check_same_thread": False}, '
            "poolclass=StaticPool)",
            False,
        ),
        ('engine = create_engine(os.environ["DATABASE_URL"], pool_size=5)', True),
    ],
)
def test_engine_options_that_hide_or_name_the_database(
    tmp_path: Path, engine_line: str, reported: bool
) -> None:
    assert bool(_findings(tmp_path, engine_line)) is reported
