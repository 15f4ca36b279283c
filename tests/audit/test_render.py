"""Audit renderers on a synthetic report: sections in reading order, the JSON contract, an HTML
file that renders offline in headless Chromium with no console errors, a terminal view that fits."""

from __future__ import annotations

import json
import shutil
import subprocess
from importlib import resources
from pathlib import Path

from scalescope.audit.capacity import SLO, CapacityResult, Step
from scalescope.audit.checks import measured_findings
from scalescope.audit.measure import ConcurrencyPoint, EndpointLatency
from scalescope.audit.plan import capacity_plan, concurrent_users
from scalescope.audit.render import render
from scalescope.audit.report import AuditReport, Verdict
from scalescope.audit.shutdown import ShutdownResult
from scalescope.audit.traffic import TrafficMix
from scalescope.audit.usl import fit_usl, usl_throughput
from scalescope.load.config import RequestSpec
from scalescope.report.model import Finding
from tests.ci import cannot_run_here

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]


def _report() -> AuditReport:
    slo = SLO(p95_ms=250, error_rate=0.01)
    steps = (
        Step(50, 50, 10, 20, 30, 0.0, 500, 10, cpu_percent=30, rss_mib=80),
        Step(100, 100, 12, 30, 45, 0.0, 1000, 10, cpu_percent=60, rss_mib=82),
        Step(200, 150, 200, 900, 1200, 0.0, 1500, 10, cpu_percent=99, rss_mib=85, backlog_growing=True),
        Step(150, 149, 30, 120, 200, 0.0, 1490, 10, cpu_percent=95, rss_mib=84),
    )
    cap = CapacityResult(
        slo, steps, 149.0, 150.0, 100.0, "throughput", "sustained 149 req/s; at 200 req/s only 150 served"
    )
    sweep = tuple(
        ConcurrencyPoint(n, usl_throughput(n, 0.05, 0.001, 40.0), 5.0 * n, 9.0 * n, 0.0, 90.0)
        for n in (1, 2, 4, 8, 16, 32)
    )
    fit = fit_usl([p.concurrency for p in sweep], [p.throughput_rps for p in sweep])
    shutdown = ShutdownResult(12, 7, 5, 30, 30, 0.05, False, -15)
    findings = measured_findings(cap, shutdown, cores=1)
    static = Finding(
        rule="SC-DB-003",
        rule_name="n-plus-one-query",
        category="database",
        severity="high",
        title="Query inside a loop (N+1 queries)",
        message="OrderItem lookup per order <script>alert(1)</script>",
        file="app/main.py",
        line=40,
        end_line=40,
        excerpt="items = db.query(OrderItem)",
        recommendation="Load the items of all orders in one query.",
        effort="hours",
        confidence="high",
        fingerprint="abc",
    )
    users = concurrent_users(149.0, 5.0, 0.012)
    plan, plan_fit = capacity_plan({1: 149.0}, think_time_s=5.0, response_time_s=0.012, price_per_hour=0.2)
    return AuditReport(
        root="shop",
        url="http://127.0.0.1:8000",
        verdict=Verdict(
            "One instance holds about 746 concurrent users.",
            users.concurrent_users,
            149.0,
            "throughput",
            "SC-DB-003 fix",
            True,
        ),
        settings={"users": 2000},
        findings=(*findings, static),
        capacity=cap,
        sweep=sweep,
        usl=fit,
        users=users,
        plan=tuple(plan),
        plan_fit=plan_fit,
        endpoints=(EndpointLatency("GET /orders", "GET", "/orders", 40, 90, 10, 25, 0.0),),
        traffic=TrafficMix(
            [RequestSpec(name="GET /orders", path="/orders")],
            [("GET /admin", "answered 401")],
            "routes found by the scan",
        ),
        shutdown=shutdown,
        resources=tuple((float(t), 50.0 + t, 80.0 + t / 10) for t in range(20)),
        events=("the app answered /health after 1.2 s",),
        warnings=("a warning",),
        log_tail="INFO started",
        cores=1,
        duration_s=95.0,
        generated_at="2026-01-01T00:00:00+00:00",
    )


def test_markdown_reads_in_order() -> None:
    md = render(_report(), "md")
    order = [
        "## Verdict",
        "## Scorecard",
        "## Key findings at a glance",
        "## Performance against targets",
        "## Capacity roadmap",
        "## What to fix, in order",
        "## Key files",
        "## Measurements",
        "## Method",
    ]
    positions = [md.index(h) for h in order]
    assert positions == sorted(positions)
    assert "| 1 | 149 | 746 | measured |" in md and "projected" in md
    assert "5 of 12 requests in flight failed" in md  # the measured SIGTERM finding
    assert "USL fit: σ = 0.05" in md


def test_json_contract() -> None:
    data = json.loads(render(_report(), "json"))
    assert data["schema_version"] == 1 and data["kind"] == "audit"
    assert set(data["capacity"]) >= {
        "sustainable_rps",
        "saturation_rps",
        "knee_rps",
        "slo",
        "limiting",
        "steps",
    }
    assert set(data["usl"]) >= {"sigma", "kappa", "lambda", "r2", "peak_concurrency", "peak_rps"}
    assert set(data["users"]) >= {"think_time_s", "concurrent_users"}
    assert {r["basis"] for r in data["plan"]} == {"measured", "projected"}
    assert data["endpoints"][0]["cold"]["p95_ms"] == 90 and data["endpoints"][0]["warm"]["p50_ms"] == 10
    assert data["shutdown"] == {
        "in_flight": 12,
        "completed": 7,
        "failed": 5,
        "after_signal_sent": 30,
        "after_signal_refused": 30,
        "exit_seconds": 0.05,
        "killed": False,
        "exit_code": -15,
    }
    step = data["capacity"]["steps"][0]
    assert set(step) >= {
        "offered_rps",
        "achieved_rps",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "error_rate",
        "cpu_percent",
        "rss_mib",
    }
    assert data["findings"][0]["impact"] == "measured"  # measured findings first within a severity


def test_terminal_fits_80_columns() -> None:
    text = render(_report(), "terminal", width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "One instance holds about 746 concurrent users." in text


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _console_messages(html_path: Path, tmp_path: Path) -> tuple[str, list[str]]:
    browser = _chromium()
    if browser is None:
        cannot_run_here(
            "chromium is not installed", "chromium is not installed (.ci/run installs Debian's chromium)"
        )
    proc = subprocess.run(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            html_path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    return proc.stdout, [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]


def test_html_renders_offline_without_console_errors(tmp_path: Path) -> None:
    page = tmp_path / "audit.html"
    page.write_text(render(_report(), "html"), encoding="utf-8")
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html
    for remote in ('src="http', "src='http", 'href="http', "<link", "@import", "url(http"):
        assert remote not in html  # nothing is fetched: the file works offline
    assert html.count("<svg") == 4  # latency, USL, endpoints, resources
    assert "&lt;script&gt;alert(1)" in html  # finding text is escaped
    dom, console = _console_messages(page, tmp_path)
    assert console == []
    assert "Verdict" in dom and "<svg" in dom


def test_console_check_can_fail(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<html><body><script>throw new Error('boom')</script></body></html>", encoding="utf-8")
    _, console = _console_messages(page, tmp_path)
    assert any("boom" in line for line in console)


def test_explain_finds_measured_and_probe_checks() -> None:
    from click.testing import CliRunner

    from scalescope.cli import cli

    for wanted, needle in (
        ("SC-AVAIL-103", "in-flight-requests-dropped-on-sigterm"),
        ("sigterm-ignored", "SC-AVAIL-104"),
        ("SC-DB-102", "latency-grows-with-data-returned"),
        ("latency-grows-with-data-returned", "ms per kB"),
        ("SC-PG-003", "idle"),
    ):
        result = CliRunner().invoke(cli, ["explain", wanted])
        assert result.exit_code == 0, result.output
        assert needle in result.output and "What it finds" in result.output


def test_every_renderer_shows_latency_against_the_data_returned(tmp_path: Path) -> None:
    from dataclasses import replace

    from scalescope.audit.checks import data_size_finding, link_back
    from scalescope.audit.datasize import SizePoint, SizeSeries, fit_sizes, judge

    points = tuple(
        SizePoint(f"/products?category={c}", n * 70, n, ms, ms * 1.4, 40)
        for c, n, ms in (("music", 20, 2.0), ("garden", 60, 3.2), ("books", 184, 6.1), ("all", 400, 11.3))
    )
    fit = fit_sizes(points)
    grows, why = judge(points, fit)
    series = SizeSeries("GET /products", "query parameter category", points, fit, grows, why)
    base = _report()
    static = next(f for f in base.findings if f.rule == "SC-DB-003")
    measured = data_size_finding(series, [static], 250.0)
    linked = link_back(static, measured, f"GET /products {why}", confirms=True)
    report = replace(
        base,
        data_sizes=(series,),
        findings=(measured, *(linked if f is static else f for f in base.findings)),
    )
    data = json.loads(render(report, "json"))
    assert data["data_size"][0]["endpoint"] == "GET /products" and data["data_size"][0]["grows"] is True
    assert data["data_size"][0]["points"][0] == {
        "path": "/products?category=music",
        "bytes": 1400,
        "items": 20,
        "p50_ms": 2.0,
        "p95_ms": 2.8,
        "requests": 40,
    }
    assert set(data["data_size"][0]["fit"]) == {
        "slope_ms_per_kb",
        "intercept_ms",
        "r2",
        "smallest_ms",
        "largest_ms",
    }
    assert any(f["rule"] == "SC-DB-102" for f in data["findings"])
    # audit findings keep the scan's finding shape, with the two link kinds it documents
    import jsonschema

    text = resources.files("scalescope.report").joinpath("scan-report.schema.json").read_text("utf-8")
    defs = json.loads(text)["$defs"]
    validator = jsonschema.Draft202012Validator({"$ref": "#/$defs/finding", "$defs": defs})
    for f in data["findings"]:
        validator.validate(f)
    kinds = {r["kind"] for f in data["findings"] for r in f["related"]}
    assert {"explains", "measured"} <= kinds

    md = render(report, "md")
    assert (
        "Latency against the data returned" in md and "| `/products?category=books` | 184 | 12,880 B |" in md
    )
    assert "SC-DB-102 Endpoint latency grows with the data it returns" in md
    text = render(report, "terminal", width=80)
    assert "latency against the data returned" in text and "0.346 ms/kB" in text
    assert "GET /products   4: 1.4 to" in text and "SC-DB-102" in text
    assert max(len(line) for line in text.splitlines()) <= 80
    html = render(report, "html")
    assert html.count("<svg") == 5 and "Latency against the data returned" in html
    assert "/products?category=books" in html


def test_every_measured_check_is_in_the_audit_docs() -> None:
    from scalescope.audit.checks import CHECKS

    docs = (Path(__file__).resolve().parents[2] / "docs" / "audit.md").read_text(encoding="utf-8")
    for check in CHECKS.values():
        assert f"| {check.id} {check.name} |" in docs, check.id
