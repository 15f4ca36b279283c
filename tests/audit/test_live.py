"""Live probes from the audit (``--db`` / ``--redis``): settings and ``$NAME`` references, the
probe results joined into the report, every renderer showing them, unreachable servers as
warnings, and no password anywhere in the output."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from scalescope.audit.live import LiveResult, probe_servers
from scalescope.audit.pipeline import run_audit
from scalescope.audit.render import FORMATS, render
from scalescope.audit.settings import AuditSettings, SettingsError, load_settings, resolve_url
from scalescope.probe.result import ProbeResult
from scalescope.probe.target import ProbeError
from scalescope.report.model import Finding

from .test_render import _report

HERE = Path(__file__).parent
SECRET = "s3cret-pw"


def _finding(rule: str, file: str, line: int = 0, **kw: str) -> Finding:
    base = {
        "rule": rule,
        "rule_name": "name",
        "category": "database",
        "severity": "medium",
        "title": f"title of {rule}",
        "message": f"message of {rule}",
        "file": file,
        "line": line,
        "end_line": line,
        "excerpt": "",
        "recommendation": "do better",
        "effort": "hours",
        "confidence": "medium",
        "fingerprint": f"fp-{rule}-{line}",
    }
    base.update(kw)
    return Finding(**base)  # type: ignore[arg-type]


def _pg_result(label: str) -> ProbeResult:
    return ProbeResult(
        server="postgres",
        label=label,
        version="PostgreSQL 16.4",
        findings=(_finding("SC-PG-005", label, message="order_items(order_id) has no index"),),
        notices=("pg_stat_statements is not installed",),
        checks=(),
        duration_s=0.2,
    )


def test_settings_from_file_and_flags(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.scalescope.audit]\nstart = "app {port}"\ndb = "$DATABASE_URL"\nredis = "redis://127.0.0.1:6379/2"\n'
    )
    s = load_settings(tmp_path, {})
    assert (s.db, s.redis) == ("$DATABASE_URL", "redis://127.0.0.1:6379/2")
    s = load_settings(tmp_path, {"db": "postgresql://127.0.0.1/x"})
    assert s.db == "postgresql://127.0.0.1/x"
    (tmp_path / "pyproject.toml").write_text("[tool.scalescope.audit]\ndb = 5\n")
    with pytest.raises(SettingsError, match="db must be a string"):
        load_settings(tmp_path, {})


def test_resolve_url_reads_the_apps_env_then_the_environment() -> None:
    app_env = {"DATABASE_URL": "postgresql://app@db/shop"}
    environ = {"DATABASE_URL": "postgresql://other@db/x", "CACHE": "redis://c:6379/0"}
    assert resolve_url("$DATABASE_URL", app_env, environ) == (
        "postgresql://app@db/shop",
        "$DATABASE_URL from the app's env",
    )
    assert resolve_url("${CACHE}", {}, environ) == ("redis://c:6379/0", "$CACHE from the environment")
    assert resolve_url("$MISSING", app_env, environ) == (None, "$MISSING (not set)")
    assert resolve_url(" redis://x:1/0 ", {}, {}) == ("redis://x:1/0", "the setting")


def test_probe_findings_join_the_report_and_cross_checks_are_listed() -> None:
    scan = _report().findings  # measured + one static SC-DB-003
    from scalescope.report.model import ScanReport

    scan_report = ScanReport(root="shop", stack={}, findings=tuple(f for f in scan if f.file))
    settings = AuditSettings(db=f"postgresql://app:{SECRET}@127.0.0.1:5432/shop")
    seen: list[tuple[str, str]] = []

    def prober(kind: str, url: str) -> object:
        seen.append((kind, url))
        return _pg_result("postgresql://127.0.0.1:5432/shop")

    live, warnings = probe_servers(settings, scan_report, None, {}, prober=prober)
    assert warnings == []
    assert seen == [("postgres", f"postgresql://app:{SECRET}@127.0.0.1:5432/shop")]  # the driver gets it
    assert live is not None
    assert [s.label for s in live.servers] == ["postgresql://127.0.0.1:5432/shop"]
    assert live.servers[0].findings == ("SC-PG-005",)
    assert [f.rule for f in live.findings] == ["SC-DB-003", "SC-PG-005"]
    assert SECRET not in json.dumps(live.as_dict())


def test_sqlalchemy_driver_suffix_is_dropped_for_the_probe() -> None:
    seen: list[str] = []

    def prober(kind: str, url: str) -> object:
        seen.append(url)
        return _pg_result("postgresql://db:5432/shop")

    settings = AuditSettings(db="$DATABASE_URL", env=(("DATABASE_URL", "postgresql+psycopg://app@db/shop"),))
    probe_servers(settings, None, None, {}, prober=prober)
    assert seen == ["postgresql://app@db/shop"]


def test_unreachable_and_unset_servers_are_warnings_without_secrets() -> None:
    settings = AuditSettings(db="$SHOP_DB", redis=f"redis://:{SECRET}@127.0.0.1:1/0")

    def prober(kind: str, url: str) -> object:
        raise ProbeError(f"cannot reach Redis at {url}: Connection refused ({SECRET})", 3)

    live, warnings = probe_servers(settings, None, None, {}, prober=prober)
    assert live is not None
    assert [s.kind for s in live.servers] == ["postgres", "redis"]
    assert warnings[0] == "PostgreSQL probe skipped: $SHOP_DB (not set)"
    assert warnings[1].startswith("Redis probe failed, the audit went on without it: cannot reach Redis")
    assert all(SECRET not in w for w in warnings)
    assert SECRET not in json.dumps(live.as_dict())
    assert live.findings == ()


def test_no_server_configured_is_no_section() -> None:
    assert probe_servers(AuditSettings(), None, None, {}) == (None, [])


def _with_live() -> tuple[LiveResult, str]:
    report = _report()
    from scalescope.audit.live import CrossCheck, LiveServer

    label = "postgresql://127.0.0.1:5432/shop"
    live = LiveResult(
        servers=(
            LiveServer("postgres", label, "PostgreSQL 16.4", ("SC-PG-005",), ("a notice",)),
            LiveServer("redis", "redis://127.0.0.1:6379/3", error="cannot reach Redis: refused"),
        ),
        findings=(*report.findings, _pg_result(label).findings[0]),
        cross_checks=(CrossCheck("SC-DB-006", "app/main.py", 40, "confirmed", label),),
    )
    return live, label


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_renderer_shows_the_live_servers(fmt: str) -> None:
    live, label = _with_live()
    report = replace(_report(), live=live, findings=live.findings)
    out = render(report, fmt, width=120)
    assert label in out and "redis://127.0.0.1:6379/3" in out
    assert "SC-PG-005" in out and "confirmed" in out
    assert "cannot reach Redis" in out
    without = render(_report(), fmt, width=120)
    assert "SC-PG-005" not in without and "Live servers" not in without and "live servers" not in without
    if fmt == "json":
        data = json.loads(out)
        assert data["probes"]["servers"][0]["findings"] == ["SC-PG-005"]
        assert data["probes"]["cross_checks"][0]["outcome"] == "confirmed"
        assert json.loads(without)["probes"] is None
    if fmt == "md":
        assert out.index("## Live servers") < out.index("## Measurements")


def test_audit_with_unreachable_servers_completes_and_never_prints_the_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The whole audit with --db and --redis pointing at a closed port: the load is measured,
    the probes become warnings, and no rendering carries the password."""
    monkeypatch.setenv("SHOP_DB", f"postgresql://app:{SECRET}@127.0.0.1:1/shop")
    settings = AuditSettings(
        start=f"{sys.executable} {HERE / 'target_app.py'} {{port}}",
        env=(("WORKERS", "4"), ("SERVICE_S", "0.01")),
        scenario=HERE / "target_scenario.yaml",
        health="/health",
        budget_s=20.0,
        startup_timeout_s=15.0,
        db="$SHOP_DB",
        redis=f"redis://:{SECRET}@127.0.0.1:1/0",
    )
    report = run_audit(settings)
    assert report.capacity is not None and report.capacity.steps
    assert report.live is not None and all(s.error for s in report.live.servers)
    assert any(w.startswith("PostgreSQL probe failed") for w in report.warnings), report.warnings
    assert any(w.startswith("Redis probe failed") for w in report.warnings), report.warnings
    assert report.settings["db"] == "$SHOP_DB" and report.settings["redis"] == "redis://127.0.0.1:1/0"
    for fmt in FORMATS:
        assert SECRET not in render(report, fmt), fmt
