"""The JSON result and the terminal summary: generator health, error budget, units, 80 columns."""

from __future__ import annotations

import time

from scalescope.load.aggregate import Aggregator
from scalescope.load.config import LoadConfig, Model, RequestSpec, Target
from scalescope.load.histogram import Histogram
from scalescope.load.render import render_line, render_terminal
from scalescope.load.result import build_result
from scalescope.load.runner import RunOutcome
from scalescope.load.stats import IntervalReport, NameInterval
from scalescope.load.thresholds import evaluate, parse_threshold

TARGET = Target("http", "127.0.0.1", 9)


def _hist(*values_us: int) -> str:
    hist = Histogram()
    for v in values_us:
        hist.record(v)
    return hist.encode()


def _outcome(
    reports: list[IntervalReport], kind: str = "closed", names: tuple[str, ...] = ("a",)
) -> RunOutcome:
    model = Model(kind="open", rate=100.0) if kind == "open" else Model()
    cfg = LoadConfig(TARGET, tuple(RequestSpec(n) for n in names), model, duration_s=2.0)
    agg = Aggregator(1)
    for r in reports:
        agg.add(r)
    agg.finish()
    return RunOutcome(cfg, agg, time.time(), 2.0, 1, False, (), ())


def _report(
    second: int, *, cpu_s: float = 0.2, behind: int = 0, scheduled: int = 0, **names: NameInterval
) -> IntervalReport:
    return IntervalReport(
        worker=0, second=second, names=tuple(names.items()), in_flight=0, dropped=0, late=0,
        sent=sum(n.responses for n in names.values()), scheduled=scheduled, behind=behind,
        cpu_s=cpu_s, wall_s=1.0,
    )  # fmt: skip


def test_a_saturated_generator_marks_the_result_generator_limited() -> None:
    part = NameInterval(_hist(900, 1100), 2, (), ((200, 2),))
    busy = build_result(_outcome([_report(0, cpu_s=0.97, a=part), _report(1, cpu_s=0.95, a=part)]))
    assert busy["generator"]["limited"] is True  # type: ignore[index]
    assert busy["summary"]["generator_limited"] is True  # type: ignore[index]
    assert any("generator, not the target, was the limit" in w for w in busy["warnings"])  # type: ignore[attr-defined]
    calm = build_result(_outcome([_report(0, cpu_s=0.3, a=part), _report(1, cpu_s=0.2, a=part)]))
    assert calm["generator"]["limited"] is False  # type: ignore[index]
    assert calm["warnings"] == []


def test_a_worker_behind_its_schedule_is_generator_limited_even_with_cpu_to_spare() -> None:
    part = NameInterval(_hist(900), 100, (), ((200, 100),))
    late = build_result(_outcome([_report(0, cpu_s=0.4, behind=30, scheduled=100, a=part)], kind="open"))
    assert late["generator"]["limited"] is True  # type: ignore[index]
    assert "late to 30 of its 100 scheduled requests" in str(late["generator"])
    # A few wake-up hiccups of a busy machine are not a limited generator.
    hiccups = build_result(_outcome([_report(0, cpu_s=0.1, behind=5, scheduled=120, a=part)], kind="open"))
    assert hiccups["generator"]["limited"] is False  # type: ignore[index]


def test_min_is_not_reset_by_a_name_without_responses_in_a_second() -> None:
    a = NameInterval(_hist(2000, 3000), 2, ())
    b_silent = NameInterval(Histogram().encode(), 0, (("timeout", 1),))
    result = build_result(
        _outcome(
            [_report(0, a=a, b=NameInterval(_hist(5000), 1, ())), _report(1, a=a, b=b_silent)],
            names=("a", "b"),
        )
    )
    assert result["summary"]["latency_ms"]["min"] == 2.0  # type: ignore[index]
    assert result["by_name"]["b"]["latency_ms"]["min"] == 5.0  # type: ignore[index]


def test_all_5xx_fails_the_default_error_budget_with_a_status_breakdown() -> None:
    part = NameInterval(_hist(500), 10, (("http_5xx", 10),), ((503, 10),))
    result = build_result(_outcome([_report(0, a=part)]))
    assert result["passed"] is False
    assert result["error_budget"] == {"max_error_rate": 0.01, "error_rate": 1.0, "applies": True, "ok": False}  # type: ignore[comparison-overlap]
    assert str(result["warnings"][0]).startswith("error budget exceeded: 100% of requests failed")  # type: ignore[index]
    assert result["summary"]["status_codes"] == {"503": 10}  # type: ignore[index]
    text = render_terminal(result)
    assert "status codes: 503: 10" in text and "warning: error budget exceeded" in text


def test_threshold_lines_carry_units() -> None:
    part = NameInterval(
        _hist(*([612_000] * 60), *([1_000] * 40)), 100, (("http_5xx", 32),), ((200, 68), (500, 32))
    )
    result = build_result(_outcome([_report(0, a=part)]))
    thresholds = tuple(parse_threshold(t) for t in ("p95 < 500", "error_rate < 0.1%", "rps > 10"))
    from scalescope.load.result import attach_thresholds

    attach_thresholds(result, evaluate(thresholds, result))
    text = render_terminal(result)
    assert "✗ p95 < 500 ms  actual 612 ms" in text
    assert "✗ error_rate < 0.1%  actual 32%" in text
    assert "✓ rps > 10 req/s  actual 50 req/s" in text
    assert result["error_budget"]["applies"] is False  # type: ignore[index]  # the threshold decides


def test_the_table_fits_80_columns() -> None:
    names = ("GET /api/v1/organisations/{{org}}/projects?page=1", "POST /login", "x")
    part = NameInterval(_hist(1_234_567, 99_000, 12), 12_345_678, (("timeout", 1_234),), ((200, 12_345_678),))
    reports = [_report(0, **{n: part for n in names})]
    result = build_result(_outcome(reports, kind="open", names=names))
    text = render_terminal(result)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if line.startswith("name"))
    assert "p50 ms" in header and "p99 ms" in header and "max ms" in header
    assert sum(1 for line in lines if "12,346,912" in line) == 3  # one row per name, none wrapped


def test_one_line_summary_for_json_to_a_file() -> None:
    part = NameInterval(_hist(900), 5, (), ((200, 5),))
    line = render_line(build_result(_outcome([_report(0, a=part)])), "out/r.json")
    assert (
        line.count("\n") == 1
        and line.endswith("saved to out/r.json\n")
        and line.startswith("passed: 5 requests")
    )
