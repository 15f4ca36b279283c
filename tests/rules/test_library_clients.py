"""SC-DB-002 on a client a published library package builds (issue 8: which process runs a
client): a connector class that ``@acme/connectors`` exports and no app of the repository uses
is built and configured by the library's users, so the finding is low and says why; the same
class used by an app beside it is that app's client."""

from __future__ import annotations

import json
from pathlib import Path

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules

RULE = next(r for r in all_rules() if r.meta.id == "SC-DB-002")

CONNECTOR = """import { Pool } from "pg";

export class PgConnector {
  private pool: Pool;

  constructor() {
    this.pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5 });
  }

  query(sql: string) {
    return this.pool.query(sql);
  }
}
"""


def _repo(root: Path, app_uses_it: bool) -> None:
    lib = root / "packages" / "connectors"
    (lib / "src").mkdir(parents=True)
    (lib / "package.json").write_text(
        json.dumps(
            {
                "name": "@acme/connectors",
                "version": "1.0.0",
                "main": "dist/index.js",
                "publishConfig": {"access": "public"},
                "dependencies": {"pg": "^8.11.0"},
            }
        )
    )
    (lib / "src" / "index.ts").write_text('export { PgConnector } from "./pg-connector";\n')
    (lib / "src" / "pg-connector.ts").write_text(CONNECTOR)
    app = root / "apps" / "web"
    (app / "src").mkdir(parents=True)
    (app / "package.json").write_text(
        json.dumps(
            {
                "name": "web",
                "private": True,
                "scripts": {"start": "node dist/server.js"},
                "dependencies": {"express": "^4.19.0", "pg": "^8.11.0", "@acme/connectors": "1.0.0"},
            }
        )
    )
    use = (
        'import { PgConnector } from "@acme/connectors";\n'
        "const db = new PgConnector();\n"
        if app_uses_it
        else "const db = { query: async (_: string) => [] };\n"
    )
    (app / "src" / "server.ts").write_text(
        'import express from "express";\n'
        + use
        + "const app = express();\n"
        + 'app.get("/orders", async (_req, res) => res.json(await db.query("SELECT 1")));\n'
        "app.listen(3000);\n"
    )
    (root / "docker-compose.yml").write_text("services:\n  db:\n    image: postgres:16\n")


def test_a_connector_only_a_published_library_builds_is_low(tmp_path: Path) -> None:
    for used in (False, True):
        root = tmp_path / str(used)
        _repo(root, used)
        report = scan(root, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
        found = [f for f in report.findings if f.file == "packages/connectors/src/pg-connector.ts"]
        assert len(found) == 1, [f.message for f in report.findings]
        (finding,) = found
        library = "belongs to the published library @acme/connectors" in finding.message
        assert library is not used, finding.message
        if not used:
            assert finding.confidence == "low"
