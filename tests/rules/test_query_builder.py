"""SC-DB-001 and SC-DB-002 on a Knex instance that only builds SQL (issue 8, item 3: which
client serves requests): ``knex({ client: 'pg' })`` without a ``connection`` opens no
connection and keeps no pool; the strings it builds run on the application's own client, so
neither its pool nor its timeout is reported. The same call with a ``connection`` is a pool."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules

RULES = [r for r in all_rules() if r.meta.id in ("SC-DB-001", "SC-DB-002")]


@pytest.mark.parametrize(
    ("options", "reported"),
    [
        ("{ client: 'pg' }", False),
        ("{ client: 'pg', connection: process.env.DATABASE_URL }", True),
    ],
)
def test_a_knex_instance_without_a_connection_builds_sql_only(
    tmp_path: Path, options: str, reported: bool
) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "package.json").write_text(
        json.dumps({"main": "src/server.js", "dependencies": {"express": "^4", "knex": "^3", "pg": "^8"}})
    )
    (tmp_path / "src" / "db.js").write_text(
        f"const knex = require('knex');\n\nconst builder = knex({options});\n\n"
        "module.exports = { builder };\n"
    )
    (tmp_path / "src" / "server.js").write_text(
        "const express = require('express');\nconst { builder } = require('./db');\n"
        "const app = express();\n"
        "app.get('/users', async (req, res) =>\n"
        "  res.json(await builder('users').where({ id: req.query.id })));\n"
        "app.listen(3000);\n"
    )
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=RULES, jobs=1)
    found = {f.rule for f in report.findings if f.file == "src/db.js"}
    assert (found == {"SC-DB-001", "SC-DB-002"}) is reported, found
    assert bool(found) is reported, found
