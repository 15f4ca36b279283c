"""Latency against the data returned (``audit/datasize.py``): the fit, when it fires, the series
measured from a traffic mix, and the SC-DB-102 finding linked both ways. A fake shop stands in
for HTTP; test_datasize_example.py measures the bundled example and its fixed twin."""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest

from scalescope.audit.checks import CHECKS, data_size_finding, link_back
from scalescope.audit.datasize import SizePoint, SizeSeries, fit_sizes, judge, size_series
from scalescope.audit.size_variants import openapi_params
from scalescope.load.config import RequestSpec
from scalescope.report.model import Finding
from tests.audit.fake_shop import FakeShop, openapi_document


def _points(ms: Mapping[int, float]) -> list[SizePoint]:
    return [SizePoint(f"/p?n={n}", n * 70, n, v, v * 1.5, 25) for n, v in ms.items()]


def test_fit_and_verdict() -> None:
    grows = _points({20: 2.0, 36: 2.5, 60: 3.2, 100: 4.0, 184: 6.1, 400: 11.3})
    fit = fit_sizes(grows)
    assert fit is not None and fit.slope_ms_per_kb == pytest.approx(0.346, abs=0.001) and fit.r2 > 0.99
    ok, why = judge(grows, fit)
    assert ok and "from 2.1 to 11.3 ms" in why and "1.4 kB to 28.0 kB" in why
    assert fit.bytes_for(250.0) == pytest.approx((250.0 - fit.intercept_ms) / fit.slope_ms_per_kb * 1000)

    bounded = _points({20: 2.1, 36: 2.3, 50: 2.6})  # a capped page size: it rises, but not 2x
    ok, why = judge(bounded, fit_sizes(bounded))
    assert not ok and "range the app serves" in why

    noisy = _points({20: 5.0, 36: 2.0, 60: 9.0, 100: 3.0, 400: 6.0})
    ok, why = judge(noisy, fit_sizes(noisy))
    assert not ok and "no clear relation" in why

    two = _points({20: 2.0, 400: 11.0})
    assert judge(two, fit_sizes(two)) == (False, "fewer than 3 sizes measured")

    # a clean line, but the smallest response's p95 reaches past the largest one's median: the
    # machine's noise could draw it
    spread = [SizePoint(p.path, p.bytes, p.items, p.p50_ms, p.p50_ms * 6, 25) for p in grows]
    ok, why = judge(spread, fit_sizes(spread))
    assert not ok and "within the spread" in why


def test_series_from_the_traffic_mix() -> None:
    shop = FakeShop()
    calls: list[list[tuple[str, str]]] = []

    def measure(
        requests: list[tuple[str, str]], *, duration_s: float, max_requests: int
    ) -> dict[str, tuple[float, float, int, int]]:
        calls.append(requests)
        assert 1.5 <= duration_s <= 5.0 and max_requests == 45 * len(requests)
        out = {}
        for name, path in requests:
            items = len(json.loads(shop(path)[1]))
            out[name] = (1.5 + 0.025 * items, 2.0 + 0.03 * items, 25, 0)
        return out

    declared = openapi_params(openapi_document())
    mix = [
        RequestSpec(name="GET /products", path="/products"),
        RequestSpec(name="GET /products/{product_id}", path="/products/1"),
        RequestSpec(name="POST /orders", method="POST", path="/orders"),
    ]
    series = size_series(mix, declared, shop, measure)
    assert [s.endpoint for s in series] == ["GET /products"] and len(calls) == 1
    only = series[0]
    assert only.grows and only.fit is not None and only.fit.r2 > 0.99
    assert [p.items for p in only.points] == [20, 36, 60, 100, 184, 400]
    assert only.as_dict()["fit"]["slope_ms_per_kb"] > 0  # type: ignore[index]

    # a run spread by a burst of load (p95 of the smallest past the largest's median) is measured
    # once more, and the second run decides
    runs: list[int] = []

    def bursty(
        requests: list[tuple[str, str]], *, duration_s: float, max_requests: int
    ) -> dict[str, tuple[float, float, int, int]]:
        runs.append(1)
        clean = measure(requests, duration_s=duration_s, max_requests=max_requests)
        return {k: (p50, p50 * (40 if len(runs) == 1 else 1.3), n, e) for k, (p50, _, n, e) in clean.items()}

    again = size_series(mix[:1], declared, FakeShop(), bursty)
    assert len(runs) == 2 and again[0].grows and "measured twice" in again[0].why

    # out of time before the measurement: nothing measured
    calls.clear()
    assert size_series(mix, declared, FakeShop(), measure, go_on=lambda: False) == []
    assert calls == []


def _static(rule: str, line: int) -> Finding:
    return Finding(
        rule=rule,
        rule_name="unbounded-list-query",
        category="database",
        severity="high",
        title="Unbounded list query reachable from a route",
        message="Product.all() returns every row.",
        file="app/main.py",
        line=line,
        end_line=line,
        excerpt="products = query.all()",
        recommendation="Paginate.",
        effort="hours",
        confidence="medium",
        fingerprint="f" * 16,
    )


def test_the_finding_gives_the_numbers_and_links_both_ways() -> None:
    assert CHECKS["SC-DB-102"].name == "latency-grows-with-data-returned"
    points = tuple(_points({20: 2.0, 60: 3.2, 184: 6.1, 400: 11.3}))
    fit = fit_sizes(points)
    ok, why = judge(points, fit)
    series = SizeSeries("GET /products", "query parameter category", points, fit, ok, why)
    static = _static("SC-DB-004", 26)
    finding = data_size_finding(series, [static], slo_p95_ms=250.0)
    assert (
        finding.rule == "SC-DB-102" and finding.impact == "measured" and finding.routes == ("GET /products",)
    )
    assert "2.0 ms for 1.4 kB (20 items) to 11.3 ms for 28.0 kB (400 items)" in finding.message
    assert "4 sizes measured" in finding.message and "ms per kB (R² 1.00)" in finding.message
    assert "250 ms SLO at about" in finding.message and "projected" in finding.message
    assert "its handler reaches SC-DB-004" in finding.message
    assert [(e.file, e.line, e.kind) for e in finding.related] == [("app/main.py", 26, "explains")]

    back = link_back(static, finding, f"GET /products {why}", confirms=True)
    assert back.confidence == "high" and back.fingerprint == static.fingerprint
    assert "Measured by the audit (SC-DB-102 latency-grows-with-data-returned)" in back.message
    assert back.related[-1].kind == "measured" and "SC-DB-102" in back.related[-1].note
    assert link_back(static, finding, "x", confirms=False).confidence == "medium"

    # one step at a time, as a live server's confirmation: an unbounded list the scan capped at
    # low (its ceiling's sentence in the message) is lifted to medium and loses that sentence;
    # code that does not run in production is never raised
    from dataclasses import replace

    from scalescope.scan.calibration import ceiling_of

    ceiling = ceiling_of("SC-DB-004")
    assert ceiling is not None
    capped = replace(static, confidence="low", message=f"{static.message} {ceiling.note}")
    lifted = link_back(capped, finding, "grows", confirms=True)
    assert lifted.confidence == "medium" and ceiling.note not in lifted.message
    offline = replace(capped, reach="offline")
    assert link_back(offline, finding, "grows", confirms=True).confidence == "low"
