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


def test_check_then_insert_in_a_request_hook_says_every_request() -> None:
    """A request hook (FastAPI ``@app.middleware("http")``, Flask ``before_request``) runs on
    every request though no route calls it: the finding says so instead of "no mounted route
    reaches it (a job or a script runs it)"."""
    root = Path(__file__).parent / "database" / "check_then_insert" / "python" / "fastapi_users"
    report = scan(root, ScanConfig(min_confidence="low", calibrated=False), all_rules())
    (finding,) = [f for f in report.findings if f.rule == "SC-DB-018" and f.file == "app/main.py"]
    assert "It runs on every request, in the middleware `remember_device`" in finding.message
    assert "Two concurrent requests" in finding.message
    assert "no mounted route" not in finding.message.lower()
    assert finding.confidence != "low"
    assert finding.reach == "app"  # every request goes through it, not a background job


def test_lost_update_reached_by_a_trpc_mutation_serves_it() -> None:
    """A read-modify-write in a service that a tRPC mutation calls is on a request path: the
    finding names the procedure (not "no mounted route reaches it") and is not lowered for
    reach; one that only an admin procedure reaches is low, and one that only a router no
    adapter serves reaches is still "no mounted route" (low, background)."""
    root = Path(__file__).parent / "database" / "lost_update" / "node" / "next_trpc_coupons"
    report = scan(root, ScanConfig(min_confidence="low", calibrated=False), all_rules())
    found = {f.line: f for f in report.findings if f.rule == "SC-DB-013"}
    assert set(found) == {6, 13, 24, 30}, sorted(found)
    for line, procedure in ((6, "checkout.confirm"), (13, "checkout.pay")):
        finding = found[line]
        assert f"It serves tRPC mutation {procedure}" in finding.message
        assert "no mounted route" not in finding.message.lower()
        assert finding.confidence != "low"
        assert finding.reach != "job"
    admin = found[24]
    assert "It serves tRPC mutation checkout.topUp" in admin.message
    assert "Only admin routes reach it" in admin.message and admin.confidence == "low"
    assert admin.reach == "admin"
    unserved = found[30]
    assert "no mounted route reaches it" in unserved.message.lower() and unserved.confidence == "low"
