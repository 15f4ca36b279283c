"""The README's first command: the whole audit of the bundled example (FastAPI + SQLAlchemy on
SQLite, no other service), all formats into one folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from click.testing import CliRunner

from scalescope.audit.datasize import NOISE
from scalescope.cli import cli
from tests.ci import cannot_run_here

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "audit-shop"


def test_audit_of_the_bundled_example(tmp_path: Path) -> None:
    out = tmp_path / "report"
    start = f"{sys.executable} -m uvicorn app.main:app --host 127.0.0.1 --port {{port}} --log-level warning"
    result = CliRunner().invoke(
        cli,
        [
            "audit",
            str(EXAMPLE),
            "--start",
            start,
            "--env",
            f"DATABASE_URL=sqlite:///{tmp_path / 'shop.db'}",
            "--budget",
            "45s",
            "--out",
            str(out),
        ],
    )
    assert sorted(p.name for p in out.iterdir()) == ["audit.html", "audit.json", "audit.md", "audit.txt"], (
        result.output
    )
    data = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    if (
        data["capacity"]
        and data["capacity"]["limiting"] == "generator"
        and not data["capacity"]["sustainable_rps"]
    ):
        # the machine was too busy to deliver even the first step: the audit must say so
        assert any("generator, not the app" in w for w in data["warnings"]), data["warnings"]
        # CI runs alone on its machine: a busy generator is a defect there
        cannot_run_here(
            "the load generator was the limit on this busy machine",
            "the load generator was the limit on the CI machine",
        )
    assert result.exit_code == 0, result.output
    assert data["verdict"]["ok"] is True
    assert data["capacity"]["sustainable_rps"] > 0
    assert data["users"]["think_time_s"] == 5.0  # from [tool.scalescope.audit] in the example
    paths = {r["path"] for r in data["traffic"]["requests"]}
    assert {"/products", "/orders"} <= paths and any(p.startswith("/products/") for p in paths)
    rules = {f["rule"] for f in data["findings"]}
    # the planted N+1 on GET /orders: SC-DB-003 is capped at low (the loop's size decides it) and
    # no measurement of /orders raises it, so the report counts it among the hidden findings
    assert "SC-DB-003" not in rules
    assert any("lower-confidence scan findings hidden" in e for e in data["events"]), data["events"]
    # uvicorn drains the requests it is serving on SIGTERM (an app that exits at once completes
    # none); it closes connections whose request it has not begun to read, and on a busy machine
    # some of the probe's fresh connections race the signal (seen on main too: 4 of 16 in 1 of 6
    # runs), so SC-AVAIL-103 may rightly report those
    shutdown = data["shutdown"]
    assert shutdown["in_flight"] > 0 and shutdown["completed"] > 0, shutdown
    assert "SCALESCOPE" not in (out / "audit.md").read_text(encoding="utf-8")
    assert "<svg" in (out / "audit.html").read_text(encoding="utf-8")

    # GET /products returns every product: measured at the sizes its category filter serves (20
    # to 400 products), its latency grows with the data, and the finding is linked both ways
    # with the unbounded list on its handler, which the scan alone reports at low confidence
    # (scan/calibration.py: hidden by default) and the measurement raises to medium
    sizes = {d["endpoint"]: d for d in data["data_size"]}
    products = sizes.get("GET /products")
    assert products is not None, (data["warnings"], data["events"])
    assert [p["items"] for p in products["points"]] == [20, 36, 60, 100, 184, 400]
    if not products["grows"] and NOISE in products["why"]:
        cannot_run_here("this machine was too busy to measure latency against size: " + products["why"])
    assert products["grows"], products["why"]
    measured = next(f for f in data["findings"] if f["rule"] == "SC-DB-102")
    assert measured["message"].startswith("GET /products: median latency rises from ")
    assert "(400 items)" in measured["message"] and "ms per kB" in measured["message"]
    unbounded = next(f for f in data["findings"] if f["rule"] == "SC-DB-004" and f["file"] == "app/main.py")
    assert unbounded["confidence"] == "medium" and "Low confidence:" not in unbounded["message"]
    explains = [(r["file"], r["line"]) for r in measured["related"] if r["kind"] == "explains"]
    assert ("app/main.py", unbounded["line"]) in explains
    assert any(r["kind"] == "measured" and "SC-DB-102" in r["note"] for r in unbounded["related"])
    assert "Measured by the audit (SC-DB-102" in unbounded["message"]
    assert "SC-DB-102" in (out / "audit.md").read_text(encoding="utf-8")
    assert "Latency against the data returned" in (out / "audit.html").read_text(encoding="utf-8")
