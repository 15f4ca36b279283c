"""Synthetic scan and audit reports in their JSON contracts (docs/json-report.md, docs/audit.md),
written here from scratch so each test states exactly what changed between OLD and NEW."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TITLES = {
    "SC-DB-003": "Query inside a loop (N+1 queries)",
    "SC-DB-004": "Unbounded list query reachable from a route",
    "SC-DB-006": "Query filters or sorts on a column without an index",
    "SC-CACHE-001": "Read endpoints with no cache layer",
    "SC-AVAIL-102": "Errors above the budget under load",
}


def finding(
    rule: str,
    file: str,
    line: int,
    fingerprint: str,
    severity: str = "high",
    message: str = "",
    *,
    measured: bool = False,
) -> dict[str, Any]:
    return {
        "rule": rule,
        "category": "availability" if measured else "database",
        "severity": severity,
        "title": TITLES[rule],
        "message": message or f"{rule} at {file}:{line}",
        "file": file,
        "line": line,
        "end_line": line,
        "excerpt": "",
        "recommendation": "",
        "effort": "hours",
        "confidence": "high",
        "fingerprint": fingerprint,
        "rule_name": "",
        "impact": "measured" if measured else "",
        "fix": None,
        "related": [],
        "places": 1,
    }


def scan(findings: list[dict[str, Any]], path: str = "shop") -> dict[str, Any]:
    return {
        "schema_version": 1,
        "tool": {"name": "scalescope", "version": "0.1.0"},
        "target": {"path": path, "stack": {}, "instances": None},
        "summary": {"files_scanned": 3, "lines_scanned": 100, "findings": len(findings)},
        "findings": findings,
        "skipped": [],
        "notices": [],
    }


def step(offered: float, achieved: float, p95: float, errors: float = 0.0) -> dict[str, Any]:
    return {
        "offered_rps": offered,
        "achieved_rps": achieved,
        "p50_ms": p95 / 2,
        "p95_ms": p95,
        "p99_ms": p95 * 1.5,
        "error_rate": errors,
        "requests": int(achieved * 10),
        "duration_s": 10.0,
        "dropped": 0,
        "generator_limited": False,
        "cpu_percent": 50.0,
        "rss_mib": 80.0,
        "process_exit": None,
        "errors": {},
        "backlog_growing": False,
    }


def endpoint(method: str, path: str, warm_p95: float, cold_p95: float = 100.0) -> dict[str, Any]:
    return {
        "name": f"{method} {path}",
        "method": method,
        "path": path,
        "cold": {"p50_ms": cold_p95 / 2, "p95_ms": cold_p95},
        "warm": {"p50_ms": warm_p95 / 2, "p95_ms": warm_p95},
        "error_rate": 0.0,
    }


def audit(
    findings: list[dict[str, Any]],
    *,
    sustainable: float | None,
    saturation: float | None,
    users: int | None,
    steps: list[dict[str, Any]],
    endpoints: list[dict[str, Any]],
    limiting: str = "latency",
    slo_p95: float = 250.0,
    path: str = "shop",
) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "kind": "audit",
        "tool": {"name": "scalescope", "version": "0.1.0"},
        "target": {"path": path, "url": "http://127.0.0.1:8000", "stack": {}},
        "generated_at": "2026-01-01T00:00:00+00:00",
        "duration_s": 90.0,
        "settings": {},
        "verdict": {
            "headline": "",
            "users_now": users,
            "sustainable_rps": sustainable,
            "limiting": limiting,
            "first_fix": "",
            "ok": sustainable is not None,
        },
        "capacity": {
            "sustainable_rps": sustainable,
            "saturation_rps": saturation,
            "knee_rps": None,
            "slo": {"p95_ms": slo_p95, "error_rate": 0.01},
            "limiting": limiting,
            "summary": "",
            "steps": steps,
        },
        "usl": None,
        "sweep": [],
        "users": None
        if users is None
        else {"think_time_s": 5.0, "response_time_s": 0.02, "throughput_rps": 1.0, "concurrent_users": users},
        "plan": [],
        "endpoints": endpoints,
        "traffic": None,
        "shutdown": None,
        "resources": {"cores": 2, "samples": []},
        "findings": findings,
        "scan": None,
        "events": [],
        "warnings": [],
        "log_tail": "",
    }


def write(tmp_path: Path, name: str, report: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(report), encoding="utf-8")
    return path
