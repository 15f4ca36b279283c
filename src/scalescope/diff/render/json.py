"""JSON view of a diff (``kind: "diff"``, schema_version 1; fields documented in docs/diff.md)."""

from __future__ import annotations

import json
from typing import Any

from scalescope import __version__
from scalescope.diff.compare import ReportDiff
from scalescope.diff.inputs import ReportSide


def _side(report: ReportSide) -> dict[str, object]:
    return {
        "file": report.source,
        "kind": report.kind,
        "target": report.target,
        "version": report.version,
        "findings": len(report.findings),
    }


def to_dict(diff: ReportDiff) -> dict[str, Any]:
    changed = diff.severity_changed
    out: dict[str, Any] = {
        "schema_version": 1,
        "kind": "diff",
        "tool": {"name": "scalescope", "version": __version__},
        "old": _side(diff.old),
        "new": _side(diff.new),
        "summary": {
            "new": len(diff.new_findings),
            "fixed": len(diff.fixed),
            "severity_changed": len(changed),
            "unchanged": len(diff.unchanged),
            "matched_by_rule_file_title": len(diff.moved),
        },
        "findings": {
            "new": [f.as_dict() for f in diff.new_findings],
            "fixed": [f.as_dict() for f in diff.fixed],
            "severity_changed": [m.as_dict() for m in changed],
            "unchanged": [m.as_dict() for m in diff.unchanged],
        },
        "capacity": None,
        "latency": None,
        "notes": list(diff.notes),
    }
    if diff.audits:
        old_lim, new_lim = diff.limiting if diff.limiting is not None else (None, None)
        out["capacity"] = {
            "figures": [c.as_dict() for c in diff.capacity],
            "limiting": {"old": old_lim, "new": new_lim},
        }
        out["latency"] = {
            "figures": [c.as_dict() for c in diff.latency],
            "endpoints": [{"endpoint": e.endpoint, "warm_p95": e.warm_p95.as_dict()} for e in diff.endpoints],
            "endpoints_only_old": list(diff.endpoints_only_old),
            "endpoints_only_new": list(diff.endpoints_only_new),
        }
    return out


def render(diff: ReportDiff, width: int = 80) -> str:
    return json.dumps(to_dict(diff), indent=2, ensure_ascii=False) + "\n"
