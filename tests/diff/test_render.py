"""Diff renderers: golden files per format (``SCALESCOPE_UPDATE_GOLDEN=1`` rewrites them), a
terminal view within 80 columns whatever the names, and the JSON fields tools read."""

from __future__ import annotations

import json
from typing import Any

import pytest

from scalescope.diff import FORMATS, ReportDiff, compare, parse_side, render
from tests.diff.golden import GOLDEN, check_golden
from tests.diff.reports import audit, endpoint, finding, scan, step


def _audit_diff() -> ReportDiff:
    loop = finding("SC-DB-003", "app/main.py", 40, "fp-loop", "high", "OrderItem.all() runs once per order")
    index = finding("SC-DB-006", "app/main.py", 37, "fp-status", "medium", "Order filters on `status`")
    errors = finding("SC-AVAIL-102", "", 0, "fp-err", "critical", "GET /orders: 5% errors", measured=True)
    old = audit(
        [errors, loop, index, finding("SC-DB-004", "app/main.py", 23, "fp-list", "high", "Product.all()")],
        sustainable=149.0,
        saturation=180.0,
        users=746,
        steps=[step(50, 50, 40), step(149, 149, 120), step(200, 180, 900)],
        endpoints=[endpoint("GET", "/orders", 25.0), endpoint("GET", "/products", 40.0)],
        limiting="throughput",
    )
    new = audit(
        [
            finding("SC-DB-006", "app/main.py", 39, "fp-status", "high", "Order filters on `status`"),
            finding("SC-DB-004", "app/main.py", 25, "fp-list-edited", "high", "Product.all()"),
            finding("SC-CACHE-001", "app/main.py", 35, "fp-cache", "medium", "GET /products is read-only"),
        ],
        sustainable=212.5,
        saturation=240.0,
        users=1063,
        steps=[step(50, 50, 30), step(212.5, 212.5, 80), step(300, 240, 700)],
        endpoints=[
            endpoint("GET", "/orders", 10.0),
            endpoint("GET", "/products", 41.0),
            endpoint("GET", "/api/v1/customers/{customer_id}/orders", 12.0),
        ],
        limiting="latency",
    )
    return compare(parse_side(old, "before/audit.json"), parse_side(new, "after/audit.json"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(fmt: str) -> None:
    ext = {"terminal": "txt", "md": "md", "json": "json"}[fmt]
    check_golden(f"audit.{ext}", render(_audit_diff(), fmt))


def test_no_stale_golden_files() -> None:
    assert sorted(p.name for p in GOLDEN.iterdir()) == ["audit.json", "audit.md", "audit.txt"]


def test_terminal_fits_80_columns_with_long_names() -> None:
    long_file = "services/" + "very-long-folder-name/" * 6 + "handlers.py"
    old = scan([finding("SC-DB-003", long_file, 12345, "a", "critical", "x" * 300)], path="p" * 200)
    new = audit(
        [finding("SC-DB-004", long_file, 7, "b", "high", "y" * 300)],
        sustainable=1_234_567.8,
        saturation=None,
        users=99_999_999,
        steps=[],
        endpoints=[endpoint("POST", "/" + "segment/" * 20, 123456.7)],
        path="q" * 200,
    )
    for a, b in ((old, new), (new, old)):
        text = render(compare(parse_side(a, "o" * 120 + ".json"), parse_side(b, "n.json")), "terminal")
        assert max(len(line) for line in text.splitlines()) <= 80, text
    text = render(_audit_diff(), "terminal")
    assert max(len(line) for line in text.splitlines()) <= 80


def test_json_sections() -> None:
    data: dict[str, Any] = json.loads(render(_audit_diff(), "json"))
    assert data["kind"] == "diff" and data["schema_version"] == 1
    assert data["summary"] == {
        "new": 1,
        "fixed": 2,
        "severity_changed": 1,
        "unchanged": 1,
        "matched_by_rule_file_title": 1,
    }
    assert [f["rule"] for f in data["findings"]["new"]] == ["SC-CACHE-001"]
    assert [f["rule"] for f in data["findings"]["fixed"]] == ["SC-AVAIL-102", "SC-DB-003"]
    (changed,) = data["findings"]["severity_changed"]
    assert (changed["old_severity"], changed["severity"], changed["old_line"], changed["line"]) == (
        "medium",
        "high",
        37,
        39,
    )
    (kept,) = data["findings"]["unchanged"]
    assert kept["match"] == "rule+file+title"
    sustainable = data["capacity"]["figures"][0]
    assert sustainable == {
        "name": "sustainable rate",
        "unit": "req/s",
        "old": 149.0,
        "new": 212.5,
        "delta": 63.5,
        "relative": 0.4262,
        "change": "better",
    }
    assert data["capacity"]["limiting"] == {"old": "throughput", "new": "latency"}
    assert data["latency"]["figures"][0]["old"] == 120.0
    assert data["latency"]["endpoints_only_new"] == ["GET /api/v1/customers/{customer_id}/orders"]


def test_scan_diff_has_no_capacity_sections() -> None:
    diff = compare(parse_side(scan([]), "a"), parse_side(scan([]), "b"))
    assert "Capacity" not in render(diff, "terminal")
    assert "## Capacity" not in render(diff, "md")
    data = json.loads(render(diff, "json"))
    assert data["capacity"] is None and data["latency"] is None
