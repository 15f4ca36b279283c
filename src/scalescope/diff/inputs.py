"""Read one side of a diff: a ``scalescope scan --format json`` or ``scalescope audit --format
json`` file, checked against the parts of their contracts the diff reads (``docs/json-report.md``,
``docs/audit.md``). Anything else (a load result, a SARIF file, a truncated file) is a
:class:`DiffInputError` with a sentence saying what is wrong, never a traceback.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scalescope.report.model import SEVERITIES

__all__ = [
    "AuditFigures",
    "DiffInputError",
    "EndpointFigures",
    "Item",
    "ReportSide",
    "load_side",
    "parse_side",
]


class DiffInputError(Exception):
    """An input that cannot be diffed; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class Item:
    """One finding as the report gives it (the fields the diff matches, shows and passes on)."""

    rule: str
    severity: str
    title: str
    file: str
    line: int
    fingerprint: str
    category: str = ""
    rule_name: str = ""
    confidence: str = ""
    message: str = ""
    places: int = 1
    measured: bool = False  # made by the audit from a measurement (no file)

    @property
    def location(self) -> str:
        if not self.file:
            return "measured" if self.measured else "-"
        return f"{self.file}:{self.line}" if self.line else self.file

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "rule_name": self.rule_name,
            "category": self.category,
            "severity": self.severity,
            "confidence": self.confidence,
            "title": self.title,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "places": self.places,
            "fingerprint": self.fingerprint,
            "measured": self.measured,
        }


@dataclass(frozen=True, slots=True)
class EndpointFigures:
    name: str
    method: str
    path: str
    warm_p95_ms: float | None
    cold_p95_ms: float | None

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}" if self.method and self.path else self.name


@dataclass(frozen=True, slots=True)
class AuditFigures:
    """The measured figures of one audit the diff compares."""

    sustainable_rps: float | None
    saturation_rps: float | None
    knee_rps: float | None
    concurrent_users: float | None
    p95_at_sustainable_ms: float | None
    limiting: str | None
    slo_p95_ms: float | None
    endpoints: tuple[EndpointFigures, ...]
    ok: bool | None


@dataclass(frozen=True, slots=True)
class ReportSide:
    source: str  # the file as named on the command line
    kind: str  # scan | audit
    target: str
    version: str
    findings: tuple[Item, ...]
    figures: AuditFigures | None  # audits only


def load_side(path: Path | str, text: str | None = None) -> ReportSide:
    """Read and check ``path`` (``text`` when the caller already read it, e.g. from stdin)."""
    name = str(path)
    if text is None:
        try:
            raw = Path(path).read_bytes()
        except FileNotFoundError:
            raise DiffInputError(f"{name}: no such file") from None
        except IsADirectoryError:
            raise DiffInputError(f"{name}: is a folder, not a JSON report") from None
        except OSError as exc:
            raise DiffInputError(f"{name}: cannot read it ({exc.strerror or exc})") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DiffInputError(f"{name}: not UTF-8 text, so not a scalescope JSON report") from None
    if not text.strip():
        raise DiffInputError(f"{name}: the file is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DiffInputError(
            f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "write it with --format json"
        ) from None
    except RecursionError:
        raise DiffInputError(f"{name}: JSON nested too deeply to be a scalescope report") from None
    return parse_side(data, name)


def parse_side(data: object, name: str) -> ReportSide:
    """Check a decoded report and keep what the diff reads."""
    if not isinstance(data, dict):
        raise DiffInputError(f"{name}: a scalescope report is a JSON object, this is {_kind(data)}")
    if "$schema" in data and "runs" in data:
        raise DiffInputError(f"{name}: a SARIF file; diff reads --format json reports")
    kind = data.get("kind", "scan")
    if kind == "diff":
        raise DiffInputError(f"{name}: already a diff; give two scan or audit reports")
    if data.get("schema_version") != 1 or not isinstance(data.get("tool"), Mapping):
        raise DiffInputError(
            f"{name}: not a scalescope report (expected schema_version 1 from "
            "'scalescope scan --format json' or 'scalescope audit --format json')"
        )
    if "findings" not in data:
        if "summary" in data and "series" in data:
            raise DiffInputError(f"{name}: a 'scalescope load' result; diff compares scans and audits")
        raise DiffInputError(f"{name}: no 'findings' list, so neither a scan nor an audit report")
    if kind not in ("scan", "audit"):
        raise DiffInputError(f"{name}: unknown report kind {kind!r} (expected a scan or an audit)")
    findings_raw = data["findings"]
    if not isinstance(findings_raw, list):
        raise DiffInputError(f"{name}: 'findings' must be a list, is {_kind(findings_raw)}")
    findings = tuple(_item(f, f"{name}: findings[{i}]") for i, f in enumerate(findings_raw))
    tool = data["tool"]
    target = data.get("target")
    target_path = target.get("path") if isinstance(target, Mapping) else None
    return ReportSide(
        source=name,
        kind=kind,
        target=target_path if isinstance(target_path, str) else "",
        version=str(tool.get("version", "")),
        findings=findings,
        figures=_figures(data, name) if kind == "audit" else None,
    )


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


def _text(f: Mapping[str, Any], key: str, where: str, required: bool = False) -> str:
    value = f.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise DiffInputError(f"{where}: '{key}' must be a string, is {_kind(value)}")
    return value


def _int(f: Mapping[str, Any], key: str, where: str, default: int) -> int:
    value = f.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise DiffInputError(f"{where}: '{key}' must be an integer, is {_kind(value)}")
    return value


def _item(f: object, where: str) -> Item:
    if not isinstance(f, dict):
        raise DiffInputError(f"{where}: a finding must be an object, is {_kind(f)}")
    severity = _text(f, "severity", where, required=True)
    if severity not in SEVERITIES:
        raise DiffInputError(f"{where}: unknown severity {severity!r} (one of {', '.join(SEVERITIES)})")
    rule = _text(f, "rule", where, required=True)
    if not rule:
        raise DiffInputError(f"{where}: 'rule' is empty")
    return Item(
        rule=rule,
        severity=severity,
        title=_text(f, "title", where),
        file=_text(f, "file", where),
        line=_int(f, "line", where, 0),
        fingerprint=_text(f, "fingerprint", where),
        category=_text(f, "category", where),
        rule_name=_text(f, "rule_name", where),
        confidence=_text(f, "confidence", where),
        message=_text(f, "message", where),
        places=_int(f, "places", where, 1),
        measured=f.get("impact") == "measured",
    )


def _number(section: Mapping[str, Any], key: str, where: str) -> float | None:
    value = section.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise DiffInputError(f"{where}: '{key}' must be a number or null, is {_kind(value)}")
    return float(value)


def _section(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise DiffInputError(f"{where}: '{key}' must be an object or null, is {_kind(value)}")
    return value


def _figures(data: Mapping[str, Any], name: str) -> AuditFigures:
    capacity = _section(data, "capacity", name)
    where = f"{name}: capacity"
    sustainable = _number(capacity, "sustainable_rps", where)
    steps = capacity.get("steps", [])
    if not isinstance(steps, list):
        raise DiffInputError(f"{where}: 'steps' must be a list, is {_kind(steps)}")
    p95_at: float | None = None
    if sustainable is not None:
        # the step the sustainable rate was measured in (its achieved rate, rounded in the JSON)
        best: tuple[float, float] | None = None
        for i, step in enumerate(steps):
            if not isinstance(step, dict):
                raise DiffInputError(f"{where}: steps[{i}] must be an object, is {_kind(step)}")
            achieved = _number(step, "achieved_rps", f"{where}: steps[{i}]")
            p95 = _number(step, "p95_ms", f"{where}: steps[{i}]")
            if achieved is None or p95 is None:
                continue
            gap = abs(achieved - sustainable)
            if gap <= 0.051 + 1e-9 and (best is None or gap < best[0]):
                best = (gap, p95)
        p95_at = best[1] if best is not None else None
    slo = _section(capacity, "slo", where)
    limiting = capacity.get("limiting")
    users = _section(data, "users", name)
    endpoints_raw = data.get("endpoints") or []
    if not isinstance(endpoints_raw, list):
        raise DiffInputError(f"{name}: 'endpoints' must be a list, is {_kind(endpoints_raw)}")
    endpoints: list[EndpointFigures] = []
    for i, e in enumerate(endpoints_raw):
        ewhere = f"{name}: endpoints[{i}]"
        if not isinstance(e, dict):
            raise DiffInputError(f"{ewhere}: must be an object, is {_kind(e)}")
        endpoints.append(
            EndpointFigures(
                name=_text(e, "name", ewhere),
                method=_text(e, "method", ewhere),
                path=_text(e, "path", ewhere),
                warm_p95_ms=_number(_section(e, "warm", ewhere), "p95_ms", f"{ewhere}: warm"),
                cold_p95_ms=_number(_section(e, "cold", ewhere), "p95_ms", f"{ewhere}: cold"),
            )
        )
    verdict = _section(data, "verdict", name)
    ok = verdict.get("ok")
    return AuditFigures(
        sustainable_rps=sustainable,
        saturation_rps=_number(capacity, "saturation_rps", where),
        knee_rps=_number(capacity, "knee_rps", where),
        concurrent_users=_number(users, "concurrent_users", f"{name}: users"),
        p95_at_sustainable_ms=p95_at,
        limiting=limiting if isinstance(limiting, str) else None,
        slo_p95_ms=_number(slo, "p95_ms", f"{where}: slo"),
        endpoints=tuple(endpoints),
        ok=ok if isinstance(ok, bool) else None,
    )
