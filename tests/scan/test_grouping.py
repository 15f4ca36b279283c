"""One finding per cause: hits of one rule with the same cause are grouped, the most important
place is primary, the others are related places; suppressions apply per place; fingerprints
follow the cause; output is deterministic."""

from __future__ import annotations

import json
from pathlib import Path

from scalescope.report.model import Finding, ScanReport
from scalescope.report.render import RenderOptions, render
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules

SCHEMA = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model Order {
  id         Int    @id @default(autoincrement())
  customerId Int
  status     String
  total      Int
}
"""

DB = """import { PrismaClient } from "@prisma/client";

export const prisma = new PrismaClient();
"""

ORDERS = """import { Router } from "express";
import { prisma } from "./db";

export const orders = Router();

orders.get("/orders/open", async (req, res) => {
  const rows = await prisma.order.findMany({ where: { status: "open" }, take: 50 });
  res.json(rows);
});

orders.get("/orders/closed", async (req, res) => {
  const rows = await prisma.order.findMany({ where: { status: "closed" }, take: 50 });
  res.json(rows);
});

orders.get("/orders/count", async (req, res) => {
  const n = await prisma.order.count({ where: { status: String(req.query.s) } });
  res.json({ n });
});

orders.get("/customers/:id/orders", async (req, res) => {
  const rows = await prisma.order.findMany({ where: { customerId: Number(req.params.id) }, take: 50 });
  res.json(rows);
});
"""


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _scan(root: Path, rule_id: str, **config: object) -> ScanReport:
    rule = next(r for r in all_rules() if r.meta.id == rule_id)
    return scan(root, ScanConfig(min_confidence="low", **config), rules=[rule], jobs=1)  # type: ignore[arg-type]


def _places(f: Finding) -> list[tuple[str, int]]:
    return [(f.file, f.line)] + [(r.file, r.line) for r in f.other_places]


def test_one_missing_index_is_one_finding_with_every_query_as_a_place(tmp_path: Path) -> None:
    root = _write(tmp_path, {"prisma/schema.prisma": SCHEMA, "src/db.ts": DB, "src/orders.ts": ORDERS})
    report = _scan(root, "SC-DB-006")
    by_column = {f.message.split("filters on `", 1)[1].split("`", 1)[0]: f for f in report.findings}
    assert sorted(by_column) == ["customerId", "status"]
    status = by_column["status"]
    assert status.places == 3
    assert _places(status) == [("src/orders.ts", 7), ("src/orders.ts", 12), ("src/orders.ts", 17)]
    assert status.message.endswith("Same cause in 3 places.")
    # the schema line is cited once, not once per query
    assert [(r.file, r.line) for r in status.related if r.kind == "evidence"] == [("prisma/schema.prisma", 6)]
    assert all("filters on `status`" in r.note for r in status.other_places)
    assert by_column["customerId"].places == 1
    assert "places." not in by_column["customerId"].message


KEYS_SERVICE = """import Redis from "ioredis";

const redis = new Redis(process.env.REDIS_URL!);

export class CacheService {
  async keys(pattern: string): Promise<string[]> {
    return redis.keys(pattern);
  }
}
"""

KEYS_CALLERS = """import { CacheService } from "./cache.service";

export class SessionService {
  constructor(private cacheService: CacheService) {}

  async sessions(userId: string) {
    return this.cacheService.keys(`session:${userId}:*`);
  }

  async carts(userId: string) {
    return this.cacheService.keys(`cart:${userId}:*`);
  }

  async tokens(userId: string) {
    return this.cacheService.keys(`token:${userId}:*`);
  }
}
"""


def test_a_keys_helper_and_its_callers_are_one_finding_at_the_helper(tmp_path: Path) -> None:
    root = _write(tmp_path, {"src/cache.service.ts": KEYS_SERVICE, "src/session.service.ts": KEYS_CALLERS})
    report = _scan(root, "SC-CACHE-004")
    assert len(report.findings) == 1, [(f.file, f.line) for f in report.findings]
    f = report.findings[0]
    assert (f.file, f.line) == ("src/cache.service.ts", 7)  # the KEYS call itself is primary
    assert f.places == 4
    assert [(r.file, r.line) for r in f.other_places] == [
        ("src/session.service.ts", 7),
        ("src/session.service.ts", 11),
        ("src/session.service.ts", 15),
    ]


N_PLUS_ONE = """from sqlalchemy.orm import Session

from .models import Customer, Invoice, Order


def totals(db: Session):
    out = []
    for order in db.query(Order).all():
        customer = db.query(Customer).filter(Customer.id == order.customer_id).first()
        invoices = db.query(Invoice).filter(Invoice.order_id == order.id).all()
        out.append((customer, invoices))
    return out
"""


def test_an_n_plus_one_loop_with_two_inner_queries_is_one_finding(tmp_path: Path) -> None:
    root = _write(tmp_path, {"app/report.py": N_PLUS_ONE})
    report = _scan(root, "SC-DB-003")
    assert len(report.findings) == 1, [(f.file, f.line, f.message) for f in report.findings]
    f = report.findings[0]
    assert _places(f) == [("app/report.py", 9), ("app/report.py", 10)]
    assert f.places == 2 and "Same cause in 2 places." in f.message


def test_two_scans_give_byte_identical_json(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        {
            "prisma/schema.prisma": SCHEMA,
            "src/db.ts": DB,
            "src/orders.ts": ORDERS,
            "src/cache.service.ts": KEYS_SERVICE,
            "src/session.service.ts": KEYS_CALLERS,
            "app/report.py": N_PLUS_ONE,
        },
    )
    options = RenderOptions(version="0.1.0")
    outs = []
    for _ in range(2):
        report = scan(root, ScanConfig(min_confidence="low"), jobs=1)
        outs.append(render(report, "json", options))
    assert outs[0] == outs[1]
    data = json.loads(outs[0])
    assert data["schema_version"] == 1
    grouped = [f for f in data["findings"] if f["places"] > 1]
    assert {f["rule"] for f in grouped} >= {"SC-DB-006", "SC-CACHE-004", "SC-DB-003"}
    for f in grouped:
        assert len([r for r in f["related"] if r["kind"] == "place"]) == f["places"] - 1


def _ignore(text: str, line_no: int) -> str:
    """``text`` with a suppression of SC-DB-006 at the end of line ``line_no`` (1-based)."""
    lines = text.splitlines()
    lines[line_no - 1] += " // scalescope: ignore[SC-DB-006] small table"
    return "\n".join(lines) + "\n"


def test_a_suppression_on_the_primary_place_suppresses_the_cause(tmp_path: Path) -> None:
    root = _write(
        tmp_path, {"prisma/schema.prisma": SCHEMA, "src/db.ts": DB, "src/orders.ts": _ignore(ORDERS, 7)}
    )
    report = _scan(root, "SC-DB-006")
    assert [f for f in report.findings if "`status`" in f.message] == []
    assert report.suppressed == 1
    assert not any("unused suppression" in n.message for n in report.notices)


def test_a_suppression_on_another_place_removes_only_that_place(tmp_path: Path) -> None:
    root = _write(
        tmp_path, {"prisma/schema.prisma": SCHEMA, "src/db.ts": DB, "src/orders.ts": _ignore(ORDERS, 12)}
    )
    report = _scan(root, "SC-DB-006")
    (status,) = [f for f in report.findings if "`status`" in f.message]
    assert _places(status) == [("src/orders.ts", 7), ("src/orders.ts", 17)]
    assert status.places == 2
    assert report.suppressed == 0
    assert not any("unused suppression" in n.message for n in report.notices)


def test_the_fingerprint_follows_the_cause_not_the_primary_place(tmp_path: Path) -> None:
    root = _write(tmp_path, {"prisma/schema.prisma": SCHEMA, "src/db.ts": DB, "src/orders.ts": ORDERS})
    before = {f.fingerprint for f in _scan(root, "SC-DB-006").findings if "`status`" in f.message}
    # a new, earlier query on the same column becomes the primary place; the cause is the same
    (root / "src/a.ts").write_text(
        'import { Router } from "express";\nimport { prisma } from "./db";\n\nexport const a = Router();\n\n'
        'a.get("/a", async (req, res) => {\n'
        '  res.json(await prisma.order.findMany({ where: { status: "x" }, take: 5 }));\n});\n'
    )
    (status,) = [f for f in _scan(root, "SC-DB-006").findings if "`status`" in f.message]
    assert status.places == 4
    assert (status.file, status.line) == ("src/a.ts", 7)
    assert {status.fingerprint} == before
