"""Reach and fix scope on scan findings: who runs the code (a public route, the whole app, an
admin route) and how big the fix is, from what the model and the rule know."""

from __future__ import annotations

from pathlib import Path

from scalescope.report.priority import by_priority
from scalescope.report.render import RenderOptions, render
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan

PACKAGE = (
    '{"name": "rt", "main": "server.js", "dependencies": {"express": "^4.19.0", "@prisma/client": "^5.0.0"}}'
)
SERVER = """const express = require('express');
const { PrismaClient } = require('@prisma/client');

const prisma = new PrismaClient();
const app = express();

app.get('/admin/orders', async (req, res) => {
  res.json(await prisma.order.findMany({ where: { status: req.query.status } }));
});

app.get('/orders', async (req, res) => {
  res.json(await prisma.order.findMany({ where: { status: req.query.status } }));
});

app.listen(3000);
"""


def _project(root: Path) -> Path:
    (root / "package.json").write_text(PACKAGE)
    (root / "server.js").write_text(SERVER)
    return root


def test_reach_public_admin_and_app(tmp_path: Path) -> None:
    report = scan(_project(tmp_path), ScanConfig(min_confidence="low"), jobs=1)
    by_line = {(f.rule, f.line): f for f in report.findings}
    public, admin = by_line[("SC-DB-004", 12)], by_line[("SC-DB-004", 8)]
    assert (public.reach, public.routes) == ("public", ("GET /orders",))
    assert (admin.reach, admin.routes) == ("admin", ("GET /admin/orders",))
    pool = by_line[("SC-DB-001", 4)]
    assert (pool.reach, pool.routes) == ("app", ())
    # the same severity and confidence: the public route comes first
    ordered = [f for f in by_priority(report.findings) if f.rule == "SC-DB-004"]
    assert ordered == [public, admin]
    md = render(report, "md", RenderOptions())
    assert md.index("[`server.js:12`]") < md.index("[`server.js:8`]")
    assert "Only admin routes reach it (GET /admin/orders)" in md


def test_scope_from_the_rule_and_the_effort_it_implies(tmp_path: Path) -> None:
    report = scan(_project(tmp_path), ScanConfig(min_confidence="low"), jobs=1)
    scopes = {f.rule: (f.scope, f.effort) for f in report.findings}
    assert scopes["SC-DB-001"] == ("setting", "hours")  # a pool size on the client
    assert scopes["SC-DB-004"] == ("local", "hours")  # a limit on the query
    assert scopes["SC-CACHE-001"] == ("files", "days")  # a cache layer


def test_pool_built_per_request_is_a_code_change(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(PACKAGE)
    (tmp_path / "server.js").write_text(
        "const express = require('express');\nconst { PrismaClient } = require('@prisma/client');\n"
        "const app = express();\n\napp.get('/orders', async (req, res) => {\n"
        "  const prisma = new PrismaClient();\n"
        "  res.json(await prisma.order.findMany({ take: 10 }));\n});\n\n"
        "app.listen(3000);\n"
    )
    report = scan(tmp_path, ScanConfig(min_confidence="low"), jobs=1)
    pool = next(f for f in report.findings if f.rule == "SC-DB-001")
    assert (pool.severity, pool.scope, pool.reach) == ("critical", "local", "public")


def test_local_fix_with_places_in_several_files_is_several_files() -> None:
    from scalescope.model.facts import Loc
    from scalescope.scan.grouping import Place, group
    from scalescope.scan.rules.base import Hit, rule_by_id

    rule = rule_by_id("SC-CACHE-004")
    assert rule is not None and rule.meta.scope == "local"

    def place(file: str, line: int) -> Place:
        hit = Hit(Loc(file, line), "KEYS via helper", "use SCAN", cause=Loc("lib/cache.ts", 3))
        return Place(rule.meta, hit, "high", "high", "x", ("SC-CACHE-004", "c"), "c")

    one = group([place("lib/cache.ts", 3), place("lib/cache.ts", 9)]).findings[0]
    assert (one.scope, one.effort) == ("local", "hours")
    two = group([place("lib/cache.ts", 3), place("routes/a.ts", 4), place("routes/b.ts", 7)]).findings[0]
    assert (two.scope, two.effort, two.places) == ("files", "days", 3)


def test_a_factory_called_at_module_load_is_app_set_up(tmp_path: Path) -> None:
    """A client built in a factory that its module calls at load time (``export const db =
    globalThis.prisma ?? createPrismaClient()``) is set up for every process, like a
    module-level client: ``app``; a function nothing calls at load time stays ``job``."""
    (tmp_path / "package.json").write_text(PACKAGE)
    (tmp_path / "db.js").write_text(
        """const { PrismaClient } = require('@prisma/client');

function createPrismaClient() {
  const client = new PrismaClient();
  return client;
}

function reportClient() {
  return new PrismaClient();
}

const db = globalThis.prisma ?? createPrismaClient();
module.exports = { db, reportClient };
"""
    )
    report = scan(tmp_path, ScanConfig(min_confidence="low"), jobs=1)
    reach = {f.line: f.reach for f in report.findings if f.rule in {"SC-DB-001", "SC-DB-002"}}
    assert reach.get(4) == "app"
    assert reach.get(9) == "job"
