"""SC-DB-002 on clients bound to a name for a developer's database (issue 8, item 2: what
runs in production): a knexfile's or config module's ``localConfig`` beside the deployment's
``remoteConfig`` is one of its alternatives, and the deployment runs the other one."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules

RULE = next(r for r in all_rules() if r.meta.id == "SC-DB-002")

_KNEXFILE = """const testConfig = {
  client: 'postgresql',
  connection: { host: 'localhost', database: 'test' },
};

const localConfig = {
  client: 'postgresql',
  connection: { database: 'app', user: 'postgres' },
};

const %s = {
  client: 'pg',
  connection: { host: process.env.DB_HOST, database: process.env.DB_NAME },
};

module.exports = { test: testConfig, local: localConfig, production: %s };
"""


@pytest.mark.parametrize(("other", "dev_low"), [("remoteConfig", True), ("devConfig", False)])
def test_a_developers_config_beside_the_deployments_is_low(tmp_path: Path, other: str, dev_low: bool) -> None:
    """A knexfile's ``localConfig`` beside a ``remoteConfig``: the developer's database, low,
    saying so; the deployment's own entry keeps its confidence. With no configuration named
    for anything but development and tests, nothing says which one production runs."""
    (tmp_path / "package.json").write_text('{"name": "svc", "dependencies": {"knex": "^3", "pg": "^8"}}')
    (tmp_path / "knexfile.js").write_text(_KNEXFILE % (other, other))
    (tmp_path / "db.js").write_text(
        "const knex = require('knex')(require('./knexfile')[process.env.NODE_ENV]);\nmodule.exports = knex;\n"
    )
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    by_line = {f.line: f for f in report.findings if f.file == "knexfile.js"}
    local = by_line[6]
    assert (local.confidence == "low") is dev_low, local.message
    assert ("a name for a developer's database" in local.message) is dev_low
    assert by_line[11].confidence != "low" or other == "devConfig"


_APP = """const pg = require('pg');
const { Sequelize } = require('sequelize');
const express = require('express');

const pgPool = new pg.Pool({ host: process.env.DB_HOST, database: process.env.DB_NAME });
const sequelize = new Sequelize(process.env.DATABASE_URL, { dialect: 'postgres', pool: { max: 5 } });

const app = express();
app.get('/items', async (req, res) => {
  res.json(await %s);
});
app.listen(3000);
"""


@pytest.mark.parametrize(
    ("query", "unused"),
    [("sequelize.query('SELECT 1')", True), ("pgPool.query('SELECT name FROM items LIMIT 10')", False)],
)
def test_a_pool_nothing_uses_is_low(tmp_path: Path, query: str, unused: bool) -> None:
    """``const pgPool = new pg.Pool(...)`` that no code queries: node-postgres opens a
    connection only when a query needs one, so the missing timeout is low, saying so; the
    same pool queried by a route keeps its confidence."""
    (tmp_path / "package.json").write_text(
        '{"name": "svc", "main": "app.js", "dependencies": {"express": "^4", "pg": "^8", "sequelize": "^6"}}'
    )
    (tmp_path / "app.js").write_text(_APP % query)
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    (finding,) = [f for f in report.findings if f.line == 5]
    assert (finding.confidence == "low") is unused, finding.message
    assert ("nothing uses `pgPool` after it is built" in finding.message) is unused


_SESSIONS = """from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import sessionmaker

engine = create_async_engine("postgresql+asyncpg://app@db/app", pool_size=5, max_overflow=5, pool_timeout=10)
SessionLocal = async_sessionmaker(autocommit=False, expire_on_commit=False, bind=engine)

#: for interactive shells
sync_engine = create_engine(
    "postgresql://app@db/app",
    pool_size=5, max_overflow=5, pool_timeout=10,
)
SyncSessionLocal = sessionmaker(
    autocommit=False, autoflush=False, bind=sync_engine
)
"""


@pytest.mark.parametrize("used", [False, True])
def test_an_engine_used_only_by_a_session_factory_nothing_uses_is_low(tmp_path: Path, used: bool) -> None:
    """``sync_engine`` is bound only into ``SyncSessionLocal = sessionmaker(bind=sync_engine)``
    and nothing uses that factory: no query runs on the engine, low, saying so. A route that
    opens ``SyncSessionLocal()`` makes both used."""
    (tmp_path / "app" / "db").mkdir(parents=True)
    (tmp_path / "requirements.txt").write_text("fastapi\nsqlalchemy\nasyncpg\npsycopg2\n")
    (tmp_path / "app" / "db" / "session.py").write_text(_SESSIONS)
    names = "SessionLocal, SyncSessionLocal" if used else "SessionLocal"
    sync_route = (
        '\n\n@app.get("/sync")\ndef sync_items():\n    with SyncSessionLocal() as db:\n'
        '        return db.execute(text("SELECT id FROM items LIMIT 10")).all()\n'
    )
    (tmp_path / "app" / "main.py").write_text(
        f"from fastapi import FastAPI\nfrom sqlalchemy import text\n\nfrom app.db.session import {names}\n\n"
        'app = FastAPI()\n\n\n@app.get("/items")\nasync def items():\n    async with SessionLocal() as db:\n'
        '        return (await db.execute(text("SELECT id FROM items LIMIT 10"))).all()\n'
        + (sync_route if used else "")
    )
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    by_line = {f.line: f for f in report.findings if f.file == "app/db/session.py"}
    assert by_line[5].confidence != "low", by_line[5].message
    assert (by_line[9].confidence == "low") is not used, by_line[9].message
    assert ("nothing uses `sync_engine` after it is built" in by_line[9].message) is not used


_TWO_ENGINES = """from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

engine = create_engine("postgresql://app@db/app", pool_size=5, max_overflow=5, pool_timeout=10)

migration_engine = create_engine(
    "postgresql://app@db/app",
    pool_size=20, max_overflow=20, pool_timeout=30,
)
MigrationSession = sessionmaker(autocommit=False, bind=migration_engine)


def get_session():
    with Session(engine) as session:
        yield session


def get_migration_session():
    db = MigrationSession()
    try:
        return db
    finally:
        pass
"""


@pytest.mark.parametrize("served", [False, True])
def test_an_engine_only_seed_scripts_reach_is_low(tmp_path: Path, served: bool) -> None:
    """``migration_engine`` is used only through ``MigrationSession`` and
    ``get_migration_session()``, which only ``app/seed/load_items.py`` imports: its
    connections are the seed run's, low, naming the importers. A route that imports
    ``get_migration_session`` makes it a request pool."""
    (tmp_path / "app" / "seed").mkdir(parents=True)
    (tmp_path / "requirements.txt").write_text("fastapi\nsqlalchemy\npsycopg2\n")
    (tmp_path / "app" / "session.py").write_text(_TWO_ENGINES)
    (tmp_path / "app" / "seed" / "load_items.py").write_text(
        "from sqlalchemy import text\n\nfrom app.session import get_migration_session\n\n\n"
        "def main():\n"
        '    get_migration_session().execute(text("INSERT INTO items SELECT * FROM staging"))\n\n\n'
        'if __name__ == "__main__":\n    main()\n'
    )
    extra = "from app.session import get_migration_session\n" if served else ""
    use = (
        '\n\n@app.get("/bulk")\ndef bulk():\n'
        '    return get_migration_session().execute(text("SELECT id FROM items LIMIT 5")).all()\n'
    )
    (tmp_path / "app" / "main.py").write_text(
        "from fastapi import Depends, FastAPI\nfrom sqlalchemy import text\n\n"
        f"from app.session import get_session\n{extra}\n"
        'app = FastAPI()\n\n\n@app.get("/items")\ndef items(db=Depends(get_session)):\n'
        '    return db.execute(text("SELECT id FROM items LIMIT 10")).all()\n' + (use if served else "")
    )
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    by_line = {f.line: f for f in report.findings if f.file == "app/session.py"}
    assert by_line[4].confidence != "low", by_line[4].message
    finding = by_line[6]
    assert (finding.confidence == "low") is not served, finding.message
    assert (
        "only code that is not production's uses `migration_engine`: app/seed/load_items.py"
        in finding.message
    ) is (not served)


@pytest.mark.parametrize("run_by_procfile", [False, True])
def test_an_engine_only_a_script_nothing_runs_uses_is_low(tmp_path: Path, run_by_procfile: bool) -> None:
    """``migration_engine``'s only user is a top-level script that nothing imports and no
    deployment command runs (an unimported file: a script run by hand, if at all): no request
    path opens its connections, low, naming it. The same script run by a Procfile line is a
    production process, though no route: the finding stands as it was."""
    (tmp_path / "app").mkdir()
    (tmp_path / "requirements.txt").write_text("fastapi\nsqlalchemy\npsycopg2\nuvicorn\n")
    procfile = "web: uvicorn app.main:app\n" + ("scrape: python scrape_items.py\n" if run_by_procfile else "")
    (tmp_path / "Procfile").write_text(procfile)
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "session.py").write_text(_TWO_ENGINES)
    (tmp_path / "scrape_items.py").write_text(
        "from sqlalchemy import text\n\nfrom app.session import get_migration_session\n\n\n"
        "def main():\n"
        '    get_migration_session().execute(text("INSERT INTO items SELECT * FROM staging"))\n\n\n'
        'if __name__ == "__main__":\n    main()\n'
    )
    (tmp_path / "app" / "main.py").write_text(
        "from fastapi import Depends, FastAPI\nfrom sqlalchemy import text\n\n"
        "from app.session import get_session\n\n"
        'app = FastAPI()\n\n\n@app.get("/items")\ndef items(db=Depends(get_session)):\n'
        '    return db.execute(text("SELECT id FROM items LIMIT 10")).all()\n'
    )
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    by_line = {f.line: f for f in report.findings if f.file == "app/session.py"}
    assert by_line[4].confidence != "low", by_line[4].message
    finding = by_line[6]
    low = not run_by_procfile
    assert (finding.confidence == "low") is low, finding.message
    assert (
        "only code that is not production's uses `migration_engine`: scrape_items.py" in finding.message
    ) is low
