"""SARIF 2.1.0 renderer, in the shape GitHub code scanning accepts.

One run; ``tool.driver.rules`` holds one descriptor per rule that ran (plus any rule a finding
names that the report does not list), and each result points at its rule by ``ruleId`` and
``ruleIndex``. Locations are relative POSIX URIs under ``%SRCROOT%`` (the repository root when
``RenderOptions.path_prefix`` says where the scanned folder sits in it, else the scanned root),
so the file never carries a machine's absolute path. Scan notices become tool execution
notifications of the one invocation.

Levels: critical/high -> ``error``, medium -> ``warning``, low/info -> ``note``. Security
rules also carry ``security-severity`` (GitHub's 0-10 scale) so code scanning ranks them.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from scalescope.report.model import Evidence, Finding, Notice, RuleInfo, ScanReport
from scalescope.report.render import RenderOptions

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/scalescope/scalescope"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "scalescope/v1"

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
# GitHub: 9.0+ critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
PRECISION = {"high": "high", "medium": "medium", "low": "low"}


def render(report: ScanReport, options: RenderOptions) -> str:
    """Render ``report`` as a SARIF 2.1.0 log (pretty-printed JSON, trailing newline)."""
    return json.dumps(to_sarif(report, options), indent=2, ensure_ascii=False) + "\n"


def to_sarif(report: ScanReport, options: RenderOptions) -> dict[str, Any]:
    """The SARIF log as plain JSON data."""
    rules = _rules(report)
    index = {r.id: i for i, r in enumerate(rules)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "scalescope",
                "semanticVersion": options.version,
                "version": options.version,
                "informationUri": INFORMATION_URI,
                "rules": [_descriptor(r) for r in rules],
            }
        },
        "invocations": [_invocation(report, options.path_prefix)],
        "originalUriBaseIds": {SRCROOT: {"description": {"text": _root_text(report, options)}}},
        "results": [_result(f, index[f.rule], options.path_prefix) for f in report.findings],
        "columnKind": "utf16CodeUnits",
        "properties": {
            "target": report.root,
            "stack": report.stack,
            "instances": report.instances,
            "filesScanned": report.files_scanned,
            "linesScanned": report.lines_scanned,
            "suppressed": report.suppressed,
            "skippedFiles": len(report.skipped),
        },
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rules(report: ScanReport) -> list[RuleInfo]:
    """The report's rules, plus a descriptor built from the finding for any rule it lacks."""
    rules = list(report.rules)
    known = {r.id for r in rules}
    for f in report.findings:
        if f.rule not in known:
            known.add(f.rule)
            rules.append(
                RuleInfo(
                    id=f.rule,
                    name=f.rule_name,
                    category=f.category,
                    severity=f.severity,
                    title=f.title,
                    summary=f.title,
                    help_markdown="",
                    effort=f.effort,
                    confidence=f.confidence,
                )
            )
    return rules


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.replace("_", "-").split("-") if part)


def _descriptor(rule: RuleInfo) -> dict[str, Any]:
    summary = " ".join(rule.summary.split()) or rule.title
    help_md = rule.help_markdown.strip() or f"{rule.title}\n\n{summary}"
    if rule.references and "http" not in help_md:
        help_md += "\n\n## References\n" + "\n".join(f"- {ref}" for ref in rule.references)
    properties: dict[str, Any] = {
        "tags": [rule.category, "scalability"],
        "precision": PRECISION.get(rule.confidence, "medium"),
    }
    if rule.category == "security":
        properties["security-severity"] = SECURITY_SEVERITY.get(rule.severity, "5.5")
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": _pascal(rule.name) or rule.id,
        "shortDescription": {"text": rule.title or rule.id},
        "fullDescription": {"text": summary},
        "help": {"text": help_md, "markdown": help_md},
    }
    if rule.references:
        descriptor["helpUri"] = rule.references[0]
    descriptor["defaultConfiguration"] = {"level": LEVELS.get(rule.severity, "warning")}
    descriptor["properties"] = properties
    return descriptor


def _root_text(report: ScanReport, options: RenderOptions) -> str:
    if options.path_prefix:
        return f"The repository root; the scanned folder is {options.path_prefix}."
    return f"The scanned root ({report.root})."


def _uri(path: str, prefix: str = "") -> str:
    """A relative POSIX URI reference for a report path (never absolute, percent-encoded),
    under ``prefix`` (the scanned folder's path from the SARIF root) when one is given."""
    posix = path.replace("\\", "/").lstrip("/")
    base = prefix.replace("\\", "/").strip("/")
    if base and base != ".":
        posix = f"{base}/{posix}"
    return quote(posix, safe="/-._~+@:")


def _physical(file: str, line: int, end_line: int = 0, snippet: str = "", prefix: str = "") -> dict[str, Any]:
    start = max(line, 1)
    region: dict[str, Any] = {"startLine": start, "endLine": max(end_line, start)}
    if snippet:
        region["snippet"] = {"text": snippet}
    return {"artifactLocation": {"uri": _uri(file, prefix), "uriBaseId": SRCROOT}, "region": region}


def _message(f: Finding) -> str:
    return f"{f.message}\n\nFix: {f.recommendation}" if f.recommendation else f.message


def _result(f: Finding, rule_index: int, prefix: str = "") -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": _message(f)},
    }
    if f.file:
        result["locations"] = [{"physicalLocation": _physical(f.file, f.line, f.end_line, f.excerpt, prefix)}]
    related = [_related(i, r, prefix) for i, r in enumerate(f.related, 1) if r.file]
    if related:
        result["relatedLocations"] = related
    if f.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: f.fingerprint}
    result["properties"] = {
        "severity": f.severity,
        "category": f.category,
        "effort": f.effort,
        "confidence": f.confidence,
        "title": f.title,
        "recommendation": f.recommendation,
        "impact": f.impact,
        "places": f.places,
    }
    return result


def _related(i: int, evidence: Evidence, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": i,
        "physicalLocation": _physical(evidence.file, evidence.line, prefix=prefix),
    }
    if evidence.note:
        out["message"] = {"text": evidence.note}
    return out


def _invocation(report: ScanReport, prefix: str = "") -> dict[str, Any]:
    return {
        "executionSuccessful": True,
        "toolExecutionNotifications": [_notification(n, prefix) for n in report.notices],
    }


def _notification(notice: Notice, prefix: str = "") -> dict[str, Any]:
    failed = notice.message.startswith(("extractor error", "rule "))
    out: dict[str, Any] = {"level": "warning" if failed else "note", "message": {"text": notice.message}}
    if notice.file:
        out["locations"] = [{"physicalLocation": _physical(notice.file, notice.line, prefix=prefix)}]
    return out
