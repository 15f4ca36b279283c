"""SC-DB-001 on engines a factory function builds (issue 8, item 8: what the code already does).

A function that builds and returns an engine is called per request only if its callers call it
per request: a caller memoised for the life of the process (``@lru_cache``, ``@functools.cache``)
runs once, so the engine it gets is built once, as with a module-level engine. A caller with no
such cache, on a route's path, builds one engine per request."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.report.model import Finding
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules
from scalescope.scan.rules.database._pools import version_cap

RULE = next(r for r in all_rules() if r.meta.id == "SC-DB-001")


def _assert_built_per_call(root: Path, per_request: bool) -> list[Finding]:
    """Scan ``root`` with SC-DB-001 and check whether a client is reported as constructed per
    call (per request) exactly when ``per_request``; the per-call findings."""
    report = scan(root, ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
    per_call = [f for f in report.findings if "constructed inside a function" in f.message]
    assert bool(per_call) is per_request, [f.message for f in report.findings]
    return per_call


_SESSION = """import os
import functools
from functools import cache, lru_cache

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker


def _create_engine():
    engine = create_engine(os.environ["DATABASE_URL"], pool_size=5, max_overflow=5, pool_timeout=10)
    return engine


{decorator}
def _session_factory():
    engine = _create_engine()
    return sessionmaker(bind=engine)


def get_session():
    db = _session_factory()()
    try:
        yield db
    finally:
        db.close()
"""

_MAIN = """from fastapi import Depends, FastAPI
from sqlalchemy import text

from app.session import get_session

app = FastAPI()


@app.get("/health")
def health(session=Depends(get_session)):
    return {"ok": session.execute(text("SELECT 1")).scalar()}
"""


@pytest.mark.parametrize(
    ("decorator", "per_request"),
    [
        ("@lru_cache(maxsize=1)", False),
        ("@functools.cache", False),
        ("@cache", False),
        ("", True),
        ("@flask_cache.memoize(timeout=60)", True),  # a TTL cache runs the function again on expiry
    ],
)
def test_a_memoised_caller_builds_the_engine_once(tmp_path: Path, decorator: str, per_request: bool) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "svc"\nversion = "1"\ndependencies = ["fastapi", "sqlalchemy", "psycopg"]\n'
    )
    (tmp_path / "Dockerfile").write_text(
        'FROM python:3.12\nCMD ["uvicorn", "app.main:app", "--workers", "2"]\n'
    )
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "session.py").write_text(_SESSION.format(decorator=decorator))
    (tmp_path / "app" / "main.py").write_text(_MAIN)
    per_call = _assert_built_per_call(tmp_path, per_request)
    if per_request:
        assert "GET /health" in per_call[0].message


@pytest.mark.parametrize(
    ("spec", "cap"),
    [
        ("==4.2.21", (4, 3)),
        ("4.2.21", (4, 3)),
        ("4.2.*", (4, 3)),
        ("~=4.2.21", (4, 3)),
        ("~=4.2", (5, 0)),
        ("^4.2", (5, 0)),
        ("~4.2", (4, 3)),
        ("<5.0", (5, 0)),
        ("<5", (5, 0)),
        ("<=5.0.3", (5, 1)),
        (">=4.2,<5.1", (5, 1)),
        ("<5.1.2", (5, 2)),
        (">=4.2", None),
        ("", None),
        ("*", None),
    ],
)
def test_version_cap_is_the_first_release_a_requirement_excludes(
    spec: str, cap: tuple[int, int] | None
) -> None:
    assert version_cap(spec) == cap


@pytest.mark.parametrize(("driver", "expected"), [("mysql-python", "low"), ("psycopg2-binary", "medium")])
def test_nullpool_on_mysql_is_a_handshake_not_a_backend_process(
    tmp_path: Path, driver: str, expected: str
) -> None:
    """``create_engine(url, poolclass=NullPool)`` where the package's only driver is MySQL's
    (``mysql-python``, MySQLdb's former name): a connect per checkout is a handshake, often a
    deliberate choice, so the finding is low and names MySQL, with no PgBouncer advice."""
    (tmp_path / "app").mkdir()
    (tmp_path / "requirements.txt").write_text(f"flask\nsqlalchemy\n{driver}\n")
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "database.py").write_text(
        "import os\n\nfrom sqlalchemy import create_engine\nfrom sqlalchemy.pool import NullPool\n\n"
        'engine = create_engine(os.environ["DATABASE_URL"], poolclass=NullPool)\n'
    )
    (tmp_path / "app" / "views.py").write_text("from app.database import engine\n\nCONN = engine\n")
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    (finding,) = report.findings
    assert finding.confidence == expected, finding.message
    assert ("MySQL" in finding.message) is (expected == "low")
    assert ("PgBouncer" in finding.recommendation) is (expected != "low")


_KNEX_DB = """import knex, { Knex } from "knex"

let _knexInstance: Knex | undefined = undefined

const getNewKnexInstance = (): Knex => {
    return knex({
        client: "mysql2",
        connection: { host: process.env.DB_HOST, database: "app" },
    })
}

export const knexInstance = (): Knex => {
    if (_knexInstance) return _knexInstance
    {assign}
    return _knexInstance
}
"""

_KNEX_APP = """import express from "express"
import { knexInstance } from "./db"
import { saveViews } from "./views"

const app = express()

app.get("/views", async (req, res) => {
    await saveViews(knexInstance(), ["a", "b"])
    res.json(await knexInstance()("views").select("id").limit(10))
})

app.listen(3000)
"""

_KNEX_VIEWS = """import type { Knex } from "knex"

const ViewsTable = "views"

export async function saveViews(knex: Knex.Transaction, names: string[]): Promise<void> {
    for (const name of names) {
        await knex(ViewsTable).insert({ name })
    }
}
"""


@pytest.mark.parametrize(
    ("assign", "per_request"),
    [
        ("_knexInstance = getNewKnexInstance()", False),  # a module-level slot
        ("const fresh = getNewKnexInstance()\n    _knexInstance = undefined\n    return fresh", True),
    ],
)
def test_a_knex_factory_whose_caller_keeps_the_instance_in_a_module_slot(
    tmp_path: Path, assign: str, per_request: bool
) -> None:
    """``_knexInstance = getNewKnexInstance()`` with ``let _knexInstance`` at the top of the
    module keeps one instance per process (like ``??=``): not a client per request. And
    ``knex(ViewsTable)`` on a function's ``knex`` parameter is a query on a transaction, not a
    client construction: it is never reported."""
    (tmp_path / "package.json").write_text(
        '{"name": "svc", "main": "app.ts", "dependencies": {"express": "^4", "knex": "^3", "mysql2": "^3"}}'
    )
    (tmp_path / "db.ts").write_text(_KNEX_DB.replace("{assign}", assign))
    (tmp_path / "app.ts").write_text(_KNEX_APP)
    (tmp_path / "views.ts").write_text(_KNEX_VIEWS)
    report = scan(tmp_path, ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
    assert not [f for f in report.findings if f.file == "views.ts"], [f.message for f in report.findings]
    per_call = [f for f in report.findings if "constructed inside a function" in f.message]
    assert bool(per_call) is per_request, [f.message for f in report.findings]


_GLOBAL_SESSION = """import os

from sqlalchemy import create_engine

_engine = None


def _make_engine():
    return create_engine(os.environ["DATABASE_URL"], pool_size=5, max_overflow=5, pool_timeout=10)


def get_engine():
    {body}
    return _engine
"""


@pytest.mark.parametrize(
    ("body", "per_request"),
    [
        ("global _engine\n    if _engine is None:\n        _engine = _make_engine()", False),
        ("_engine = _make_engine()", True),  # no ``global``: a local, built on every call
    ],
)
def test_a_python_factory_whose_caller_keeps_the_engine_in_a_global(
    tmp_path: Path, body: str, per_request: bool
) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "svc"\nversion = "1"\ndependencies = ["fastapi", "sqlalchemy", "psycopg"]\n'
    )
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "session.py").write_text(_GLOBAL_SESSION.replace("{body}", body))
    (tmp_path / "app" / "main.py").write_text(
        "from fastapi import FastAPI\nfrom sqlalchemy import text\n\nfrom app.session import get_engine\n\n"
        'app = FastAPI()\n\n\n@app.get("/health")\ndef health():\n'
        "    with get_engine().connect() as conn:\n"
        '        return {"ok": conn.execute(text("SELECT 1")).scalar()}\n'
    )
    _assert_built_per_call(tmp_path, per_request)


_EXTENDED = """import { PrismaClient } from "@prisma/client";

const createExtendedClient = () => {
  const baseClient = new PrismaClient({ log: ["warn"] });
  const extendedClient = baseClient.$extends({ query: {} });
  return {returned};
};

let prismaClient: ReturnType<typeof createExtendedClient> | undefined;

export const prisma = () => {
  prismaClient ??= createExtendedClient();
  return prismaClient;
};
"""


@pytest.mark.parametrize(
    ("returned", "per_request"),
    [("extendedClient", False), ("{ client: extendedClient, startedAt: Date.now() }", True)],
)
def test_a_factory_returning_the_client_extended_builds_one_per_process(
    tmp_path: Path, returned: str, per_request: bool
) -> None:
    """``const extendedClient = baseClient.$extends(...)``, returned, and kept by the caller with
    ``??=``: the factory's client is the one the process keeps. A factory that returns something
    else built around it is not known to hand its client on: reported as before."""
    (tmp_path / "package.json").write_text(
        '{"name": "svc", "main": "server.ts", "dependencies": {"express": "^4", "@prisma/client": "^6"}}'
    )
    (tmp_path / "db.ts").write_text(_EXTENDED.replace("{returned}", returned))
    (tmp_path / "server.ts").write_text(
        'import express from "express";\nimport { prisma } from "./db";\n\nconst app = express();\n'
        'app.get("/items", async (req, res) => res.json(await prisma().item.findMany({ take: 10 })));\n'
        "app.listen(3000);\n"
    )
    _assert_built_per_call(tmp_path, per_request)
