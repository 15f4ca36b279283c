"""SC-DB-001 and SC-DB-002 on Django ``DATABASES`` entries whose database the settings leave to
the deployment (issue 8, items 3 and 8: which database, what the code already does).

- a second alias nothing uses (no ``using("old")``, router, ``connections["old"]``): Django
  connects to an alias only when something uses it, so its entry is low, saying so;
- an entry spread from ``dj_database_url.parse(os.environ.get("DATABASE_URL", default=...))``
  reads that variable, whose compose value is a SQLite URL: no PostgreSQL finding;
- ``if not url: <SQLite> else: dj_database_url.parse(url)``: the URL branch is the alternative
  to a SQLite database; low unless a URL value in the repository is PostgreSQL's."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules

RULES = [r for r in all_rules() if r.meta.id in {"SC-DB-001", "SC-DB-002"}]

_TWO_ALIASES = """DATABASES = {
    "default": {"ENGINE": "django.db.backends.postgresql", "NAME": "rx", "HOST": "db"},
    "old": {"ENGINE": "django.db.backends.postgresql", "NAME": "rx", "HOST": "old-db"},
}
"""


def _project(root: Path, settings: str, extra: dict[str, str] | None = None) -> None:
    (root / "proj").mkdir(parents=True, exist_ok=True)
    (root / "requirements.txt").write_text("Django>=5.0\npsycopg2-binary\ngunicorn\ndj-database-url\n")
    (root / "Procfile").write_text("web: gunicorn proj.wsgi --workers 3\n")
    (root / "proj" / "settings.py").write_text(settings)
    (root / "proj" / "views.py").write_text("def index(request):\n    return None\n")
    for rel, text in (extra or {}).items():
        (root / rel).write_text(text)


def _by_line(root: Path) -> dict[tuple[str, int], str]:
    report = scan(root, ScanConfig(min_confidence="low", calibrated=False), rules=RULES, jobs=1)
    return {(f.rule, f.line): f.confidence for f in report.findings if f.file == "proj/settings.py"}


_USES_OLD = (
    "from proj.models import Item\n\n\ndef index(request):\n    return Item.objects.using('old').all()\n"
)


@pytest.mark.parametrize(
    ("views", "used"), [("def index(request):\n    return None\n", False), (_USES_OLD, True)]
)
def test_an_alias_nothing_uses_is_low(tmp_path: Path, views: str, used: bool) -> None:
    _project(tmp_path, _TWO_ALIASES, {"proj/views.py": views})
    got = _by_line(tmp_path)
    assert got[("SC-DB-001", 1)] != "low" and got[("SC-DB-002", 1)] != "low"
    for rule in ("SC-DB-001", "SC-DB-002"):
        assert (got[(rule, 3)] == "low") is not used, got


@pytest.mark.parametrize(
    ("url", "reported"), [("sqlite:////storage/db.sqlite3", False), ("postgres://app@db/app", True)]
)
def test_an_entry_spread_from_a_url_reads_that_url(tmp_path: Path, url: str, reported: bool) -> None:
    settings = (
        "import os\n\nimport dj_database_url\n\n"
        "DATABASES = {\n"
        '    "default": {\n'
        '        **dj_database_url.parse(os.environ.get("DATABASE_URL", default="sqlite:///db.sqlite3")),\n'
        '        "OPTIONS": {"timeout": 15},\n'
        "    }\n"
        "}\n"
    )
    compose = f"services:\n  web:\n    build: .\n    environment:\n      - DATABASE_URL={url}\n"
    _project(tmp_path, settings, {"docker-compose.yaml": compose})
    got = _by_line(tmp_path)
    assert bool(got) is reported, got


_BRANCHES = """import os

import dj_database_url

database_url = os.environ.get("APP_DATABASE_URL")
if not database_url:
    # our production config
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "/data/db.sqlite3"}
    }
else:
    DATABASES = {"default": dj_database_url.parse(database_url)}
"""


@pytest.mark.parametrize(("env", "low"), [("", True), ("DATABASE_URL=postgres://app@db/app\n", False)])
def test_a_url_branch_beside_a_sqlite_branch_is_the_alternative(tmp_path: Path, env: str, low: bool) -> None:
    settings = _BRANCHES.replace('os.environ.get("APP_DATABASE_URL")', 'os.environ.get("DATABASE_URL")')
    _project(tmp_path, settings, {".env": env} if env else None)
    got = _by_line(tmp_path)
    assert set(got) == {("SC-DB-001", 12), ("SC-DB-002", 12)}, got
    assert {c == "low" for c in got.values()} == {low}, got


_CHOOSER = """import environ

env = environ.Env()
TARGET_ENV = env("TARGET_ENV", default="")

if TARGET_ENV == "local" or TARGET_ENV == "codebuild":
    from proj.settings.base_local import *  # noqa: F403
else:
    from proj.settings.base_ec2 import *  # noqa: F403
"""

_ENTRY = """DATABASES = {
    "default": {"ENGINE": "django.db.backends.postgresql", "NAME": "bb", "HOST": "%s"},
}
"""


def test_a_settings_module_a_base_star_imports_for_production_is_what_runs(tmp_path: Path) -> None:
    """``base.py`` star-imports ``base_local`` for a developer's or a CI run and ``base_ec2``
    otherwise (under ``else``): ``base_ec2`` is what production runs, its findings keep their
    confidence; ``base_local`` is only imported for local and CI runs, so it stays in doubt."""
    (tmp_path / "proj" / "settings").mkdir(parents=True)
    (tmp_path / "requirements.txt").write_text("Django>=5.0\npsycopg2-binary\ngunicorn\ndjango-environ\n")
    (tmp_path / "Procfile").write_text("web: gunicorn proj.wsgi --workers 3\n")
    (tmp_path / "proj" / "__init__.py").write_text("")
    (tmp_path / "proj" / "settings" / "__init__.py").write_text("")
    (tmp_path / "proj" / "wsgi.py").write_text(
        'import os\n\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.base")\n'
    )
    (tmp_path / "proj" / "settings" / "base.py").write_text(_CHOOSER)
    (tmp_path / "proj" / "settings" / "base_local.py").write_text(_ENTRY % "localhost")
    (tmp_path / "proj" / "settings" / "base_ec2.py").write_text(_ENTRY % "db.internal")
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=RULES, jobs=1)
    by_file: dict[str, set[str]] = {}
    for f in report.findings:
        by_file.setdefault(f.file, set()).add(f.confidence)
    assert by_file["proj/settings/base_local.py"] == {"low"}, by_file
    assert "low" not in by_file["proj/settings/base_ec2.py"], by_file


_WRAPS_POSTGIS = "from django.contrib.gis.db.backends.postgis.base import DatabaseWrapper as Base\n"
_WRAPS_CLICKHOUSE = "from clickhouse_backend.backend.base import DatabaseWrapper as Base\n"


@pytest.mark.parametrize(
    ("engine", "backend", "reported"),
    [
        ("clickhouse_backend.backend", "", False),  # django-clickhouse-backend: not PostgreSQL
        ("django_prometheus.db.backends.postgresql", "", True),  # a PostgreSQL wrapper names it
        # a backend module of the repository: the backend it imports says which database
        ("proj.db_backend", _WRAPS_POSTGIS, True),
        ("proj.db_backend", _WRAPS_CLICKHOUSE, False),
    ],
)
def test_an_engine_module_that_names_another_database_is_not_postgresql(
    tmp_path: Path, engine: str, backend: str, reported: bool
) -> None:
    """A Django ENGINE written as a module path that names neither PostgreSQL nor MySQL is
    another database's backend (ClickHouse, Snowflake, MongoDB through djongo): PostgreSQL's
    connection and ``statement_timeout`` advice does not apply to it, even when the package's
    only SQL driver is PostgreSQL's (for the other aliases). The project's own backend module
    (``proj.db_backend``, often a wrapper adding retries or tenants) is read: the backend it
    imports says which database it talks to, whatever words its code uses."""
    settings = (
        'ANALYTICS = {\n    "ENGINE": "' + engine + '",\n    "NAME": "events",\n    "PORT": 9000,\n}\n\n'
        "DATABASES = {\n"
        '    "default": {"ENGINE": "django.db.backends.postgresql", "NAME": "rx", "HOST": "db"},\n'
        '    "analytics": {**ANALYTICS, "USER": "reader"},\n'
        "}\n"
    )
    views = (
        "from proj.models import Item\n\n\ndef index(request):\n    return Item.objects.using('analytics')\n"
    )
    extra = {"proj/views.py": views}
    if backend:
        (tmp_path / "proj" / "db_backend").mkdir(parents=True)
        # its code may name PostgreSQL for other reasons (a query it forwards): not what it wraps
        extra["proj/db_backend/base.py"] = backend + "\n\nPOSTGRES_SOURCE = 'postgresql'\n"
    _project(tmp_path, settings, extra)
    got = _by_line(tmp_path)
    assert ("SC-DB-001", 7) in got and ("SC-DB-002", 7) in got, got  # default (the dict opens on 7)
    for rule in ("SC-DB-001", "SC-DB-002"):
        assert ((rule, 9) in got) is reported, got
