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
