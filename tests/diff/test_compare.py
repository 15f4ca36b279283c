"""The comparison: findings matched by fingerprint, then rule + file + title; audit figures."""

from __future__ import annotations

from typing import Any

import pytest

from scalescope.diff import ReportDiff, compare, gate_failures, parse_side
from tests.diff.reports import audit, endpoint, finding, scan, step


def _diff(old: dict[str, Any], new: dict[str, Any]) -> ReportDiff:
    return compare(parse_side(old, "old.json"), parse_side(new, "new.json"))


def _keys(items: Any) -> list[tuple[str, str, int]]:
    return [(f.rule, f.file, f.line) for f in items]


def test_code_moved_down_is_unchanged_and_a_new_finding_on_its_old_line_is_new() -> None:
    # Lines were inserted above the N+1: it moved from :40 to :52 with the same cause
    # (fingerprint); a different problem now sits on line 40. Compared by file:line, the N+1
    # would look fixed and the finding on :40 unchanged.
    old = scan([finding("SC-DB-003", "app/main.py", 40, "fp-loop")])
    new = scan(
        [
            finding("SC-DB-003", "app/main.py", 52, "fp-loop"),
            finding("SC-DB-004", "app/main.py", 40, "fp-list"),
        ]
    )
    diff = _diff(old, new)
    assert _keys(diff.new_findings) == [("SC-DB-004", "app/main.py", 40)]
    assert diff.fixed == ()
    assert [(m.old.line, m.new.line, m.by) for m in diff.unchanged] == [(40, 52, "fingerprint")]


def test_a_new_cause_with_the_same_rule_and_line_in_another_file_is_new() -> None:
    # Same rule, same file, same line; the index on `status` was added and a filter on
    # `region` (a new cause, with a different message) appeared elsewhere in the same file.
    old = scan([finding("SC-DB-006", "app/main.py", 30, "fp-status", "medium", "filters on `status`")])
    new = scan(
        [
            finding("SC-DB-006", "app/main.py", 30, "fp-status", "medium", "filters on `status`"),
            finding("SC-DB-006", "lib/other.py", 30, "fp-region", "medium", "filters on `region`"),
        ]
    )
    diff = _diff(old, new)
    assert _keys(diff.new_findings) == [("SC-DB-006", "lib/other.py", 30)]
    assert len(diff.unchanged) == 1 and diff.fixed == ()


def test_edited_line_is_matched_by_rule_file_and_title() -> None:
    # The query's line was reformatted, so its fingerprint (rule + file + source text) changed.
    old = scan([finding("SC-DB-004", "app/main.py", 23, "fp-old-text", message="Product.all() returns")])
    new = scan([finding("SC-DB-004", "app/main.py", 25, "fp-new-text", message="Product.all() returns")])
    diff = _diff(old, new)
    assert diff.new_findings == () and diff.fixed == ()
    (match,) = diff.unchanged
    assert match.by == "rule+file+title" and diff.moved == (match,)


def test_fingerprint_pairs_first_then_closest_message() -> None:
    old = scan(
        [
            finding("SC-DB-006", "app/main.py", 10, "fp-a", "medium", "Order filters on `status`"),
            finding("SC-DB-006", "app/main.py", 20, "fp-b", "medium", "Product filters on `category`"),
            finding("SC-DB-006", "app/main.py", 30, "fp-c", "medium", "Item filters on `order_id`"),
        ]
    )
    new = scan(
        [
            # fp-b kept, moved to the top; the other two were edited (new fingerprints)
            finding("SC-DB-006", "app/main.py", 5, "fp-b", "medium", "Product filters on `category`"),
            finding("SC-DB-006", "app/main.py", 11, "fp-c2", "medium", "Item filters on `order_id`"),
            finding("SC-DB-006", "app/main.py", 31, "fp-a2", "medium", "Order filters on `status`"),
        ]
    )
    diff = _diff(old, new)
    assert diff.new_findings == () and diff.fixed == ()
    pairs = sorted((m.old.fingerprint, m.new.fingerprint, m.by) for m in diff.matched)
    assert pairs == [
        ("fp-a", "fp-a2", "rule+file+title"),
        ("fp-b", "fp-b", "fingerprint"),
        ("fp-c", "fp-c2", "rule+file+title"),
    ]


def test_other_file_or_rule_is_not_matched_by_the_fallback() -> None:
    old = scan([finding("SC-DB-004", "app/main.py", 23, "fp1")])
    new = scan(
        [finding("SC-DB-004", "app/other.py", 23, "fp2"), finding("SC-DB-003", "app/main.py", 23, "fp3")]
    )
    diff = _diff(old, new)
    assert _keys(diff.fixed) == [("SC-DB-004", "app/main.py", 23)]
    assert len(diff.new_findings) == 2 and diff.matched == ()


def test_severity_changed_is_reported_once_and_not_as_unchanged() -> None:
    old = scan(
        [finding("SC-DB-006", "app/main.py", 37, "fp", "medium"), finding("SC-DB-004", "a.py", 1, "k")]
    )
    new = scan([finding("SC-DB-006", "app/main.py", 37, "fp", "high"), finding("SC-DB-004", "a.py", 1, "k")])
    diff = _diff(old, new)
    (changed,) = diff.severity_changed
    assert (changed.old.severity, changed.new.severity, changed.raised) == ("medium", "high", True)
    assert _keys(m.new for m in diff.unchanged) == [("SC-DB-004", "a.py", 1)]
    assert diff.new_findings == () and diff.fixed == ()


def test_duplicate_fingerprints_pair_one_to_one() -> None:
    old = scan([finding("SC-DB-004", "a.py", 1, "same"), finding("SC-DB-004", "a.py", 9, "same")])
    new = scan([finding("SC-DB-004", "a.py", 1, "same")])
    diff = _diff(old, new)
    assert len(diff.matched) == 1 and len(diff.fixed) == 1


def test_new_and_fixed_are_ordered_most_severe_first() -> None:
    new = scan(
        [
            finding("SC-DB-006", "b.py", 1, "1", "low"),
            finding("SC-DB-004", "z.py", 1, "2", "critical"),
            finding("SC-DB-003", "a.py", 1, "3", "medium"),
        ]
    )
    diff = _diff(scan([]), new)
    assert [f.severity for f in diff.new_findings] == ["critical", "medium", "low"]


def test_scan_against_audit_compares_static_findings_only() -> None:
    static = finding("SC-DB-003", "app/main.py", 40, "fp-loop")
    measured = finding("SC-AVAIL-102", "", 0, "fp-errors", "critical", measured=True)
    old = scan([static])
    new = audit(
        [measured, static],
        sustainable=100,
        saturation=120,
        users=500,
        steps=[step(100, 100, 50)],
        endpoints=[],
    )
    diff = _diff(old, new)
    assert diff.new_findings == () and diff.fixed == () and len(diff.unchanged) == 1
    assert not diff.audits and diff.capacity == ()
    assert any("measured findings (1) are left out" in n for n in diff.notes)


def _audit(
    sustainable: float | None, saturation: float | None, users: int | None, p95_at: float, **kw: Any
) -> dict[str, Any]:
    steps = [step(50, 50, p95_at / 2), step(400, 180, 2000)]
    if sustainable is not None:
        steps.insert(1, step(sustainable, sustainable, p95_at))
    return audit(
        kw.pop("findings", []), sustainable=sustainable, saturation=saturation, users=users, steps=steps, **kw
    )


def test_two_audits_compare_capacity_latency_endpoints_and_limit() -> None:
    old = _audit(
        149.0,
        180.0,
        746,
        120.0,
        limiting="throughput",
        endpoints=[endpoint("GET", "/orders", 25.0), endpoint("GET", "/products", 40.0)],
        findings=[finding("SC-AVAIL-102", "", 0, "fp-errors", "critical", measured=True)],
    )
    new = _audit(
        212.5,
        240.0,
        1063,
        80.0,
        limiting="latency",
        endpoints=[endpoint("GET", "/orders", 10.0), endpoint("GET", "/health", 1.0)],
    )
    diff = _diff(old, new)
    cap = {c.name: c for c in diff.capacity}
    s = cap["sustainable rate"]
    assert (s.old, s.new, s.delta, s.direction) == (149.0, 212.5, 63.5, "better")
    assert s.relative == pytest.approx(63.5 / 149.0)
    assert cap["saturation rate"].delta == 60.0
    assert cap["concurrent users"].delta == 317
    (lat,) = diff.latency
    assert (lat.old, lat.new, lat.direction) == (120.0, 80.0, "better")
    (orders,) = diff.endpoints
    assert orders.endpoint == "GET /orders"
    assert (orders.warm_p95.delta, orders.warm_p95.direction) == (-15.0, "better")
    assert orders.warm_p95.relative == pytest.approx(-0.6)
    assert diff.endpoints_only_old == ("GET /products",) and diff.endpoints_only_new == ("GET /health",)
    assert diff.limiting == ("throughput", "latency")
    assert _keys(diff.fixed) == [("SC-AVAIL-102", "", 0)]  # measured findings count between audits


def test_p95_at_the_sustainable_rate_is_read_from_its_step() -> None:
    # sustainable_rps is rounded to 0.1 in the JSON, the step's achieved rate to 0.01
    steps = [step(100, 99.98, 40.0), step(150, 149.04, 95.0), step(200, 160.0, 900.0)]
    a = audit([], sustainable=149.0, saturation=160.0, users=700, steps=steps, endpoints=[])
    side = parse_side(a, "a.json")
    assert side.figures is not None and side.figures.p95_at_sustainable_ms == 95.0


def test_worse_capacity_is_worse_and_missing_figures_are_na() -> None:
    diff = _diff(_audit(200.0, 220.0, 1000, 50.0, endpoints=[]), _audit(None, 90.0, None, 0.0, endpoints=[]))
    cap = {c.name: c for c in diff.capacity}
    assert cap["sustainable rate"].direction == "n/a"
    assert cap["saturation rate"].direction == "worse"
    assert any("NEW audit did not run to a capacity figure" in n for n in diff.notes)


def test_different_slos_are_noted() -> None:
    diff = _diff(
        _audit(100.0, 120.0, 500, 50.0, endpoints=[], slo_p95=250.0),
        _audit(100.0, 120.0, 500, 50.0, endpoints=[], slo_p95=500.0),
    )
    assert any("different latency objectives" in n for n in diff.notes)


# --- CI gates ---------------------------------------------------------------------------------


def test_fail_on_counts_new_findings_at_or_above_the_severity_only() -> None:
    kept_high = finding("SC-DB-004", "a.py", 1, "kept", "high")
    old = scan([kept_high])
    new = scan([kept_high, finding("SC-DB-006", "b.py", 2, "new-medium", "medium")])
    diff = _diff(old, new)
    assert gate_failures(diff, "high", None) == ([], [])  # the high one is not new
    reasons, _ = gate_failures(diff, "medium", None)
    assert reasons == [
        "--fail-on medium: 1 new finding at medium or worse, first SC-DB-006 (medium) at b.py:2"
    ]
    assert gate_failures(diff, "critical", None) == ([], [])


def test_fail_on_capacity_drop_is_strictly_more_than_the_percentage() -> None:
    old = _audit(200.0, 220.0, 1000, 50.0, endpoints=[])
    assert gate_failures(_diff(old, _audit(180.0, 200.0, 900, 50.0, endpoints=[])), None, 10) == ([], [])
    reasons, _ = gate_failures(_diff(old, _audit(179.0, 200.0, 900, 50.0, endpoints=[])), None, 10)
    assert reasons == ["--fail-on-capacity-drop 10: sustainable rate fell 10.5% (200.0 → 179.0 req/s)"]
    assert gate_failures(_diff(old, _audit(300.0, 320.0, 1500, 50.0, endpoints=[])), None, 0) == ([], [])


def test_capacity_gate_when_a_side_measured_nothing() -> None:
    measured = _audit(200.0, 220.0, 1000, 50.0, endpoints=[])
    nothing = _audit(None, None, None, 0.0, endpoints=[])
    reasons, _ = gate_failures(_diff(measured, nothing), None, 50)
    assert reasons == ["--fail-on-capacity-drop 50: NEW measured no sustainable rate (OLD: 200.0 req/s)"]
    reasons, warnings = gate_failures(_diff(nothing, measured), None, 50)
    assert reasons == [] and warnings and "OLD has no sustainable rate" in warnings[0]
