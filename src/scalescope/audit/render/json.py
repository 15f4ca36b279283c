"""The audit as JSON (schema_version 1, ``kind: audit``; see docs/audit.md)."""

from __future__ import annotations

import json

from scalescope.audit.report import AuditReport


def render(report: AuditReport, width: int = 100, color: bool = False) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
