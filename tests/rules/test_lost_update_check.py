"""SC-DB-013's check form names the change the code makes: a compared value followed by an
atomic increment (a quota counter checked against its limit, then `{ increment: 1 }`) is
"incremented" and goes past the limit, never "decremented ... below zero"."""

from __future__ import annotations

from pathlib import Path

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules

ROOT = Path(__file__).parent / "database" / "lost_update" / "node" / "express_prisma"


def test_check_then_increment_is_worded_as_an_increment() -> None:
    report = scan(ROOT, ScanConfig(min_confidence="low"), all_rules())
    found = [f for f in report.findings if f.rule == "SC-DB-013" and "apiCalls" in f.message]
    assert len(found) == 1, [f.message for f in report.findings if f.rule == "SC-DB-013"]
    message = found[0].message
    assert "then incremented at" in message
    assert "both add" in message and "past the limit" in message
    assert "decremented" not in message and "below zero" not in message
