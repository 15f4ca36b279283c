"""JSON renderer: the stable contract other tools read (schema_version 1, see DESIGN.md).

Contract fields come first and never change meaning; extras (``rule_name``, ``impact``,
``related``, ``places``...) may be added but never removed within a schema version. The full
contract: ``docs/json-report.md`` and the JSON Schema ``report/scan-report.schema.json``.
"""

from __future__ import annotations

import json
from typing import Any

from scalescope.report.model import Finding, ScanReport
from scalescope.report.render import RenderOptions


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "category": f.category,
        "severity": f.severity,
        "title": f.title,
        "message": f.message,
        "file": f.file,
        "line": f.line,
        "end_line": f.end_line,
        "excerpt": f.excerpt,
        "recommendation": f.recommendation,
        "effort": f.effort,
        "confidence": f.confidence,
        "fingerprint": f.fingerprint,
        "rule_name": f.rule_name,
        "impact": f.impact,
        "fix": {"snippet": f.fix_snippet, "language": f.fix_language} if f.fix_snippet else None,
        "related": [{"file": r.file, "line": r.line, "note": r.note, "kind": r.kind} for r in f.related],
        "places": f.places,
        "scope": f.scope,
        "reach": f.reach,
        "routes": list(f.routes),
    }


def to_dict(report: ScanReport, options: RenderOptions) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "tool": {"name": "scalescope", "version": options.version},
        "target": {"path": report.root, "stack": report.stack, "instances": report.instances},
        "summary": {
            "files_scanned": report.files_scanned,
            "lines_scanned": report.lines_scanned,
            "findings": len(report.findings),
            "by_severity": report.counts(),
            "suppressed": report.suppressed,
        },
        "findings": [finding_dict(f) for f in report.findings],
        "skipped": [{"file": s.file, "reason": s.reason} for s in report.skipped],
        "notices": [{"file": n.file, "line": n.line, "message": n.message} for n in report.notices],
    }


def render(report: ScanReport, options: RenderOptions) -> str:
    return json.dumps(to_dict(report, options), indent=2, ensure_ascii=False) + "\n"
