"""The SARIF log: valid SARIF 2.1.0 and shaped the way GitHub code scanning reads it.

Every log is validated against the SARIF 2.1.0 schema vendored in ``tests/report/schemas``
(see its README for where it comes from), so the test means the same on every machine.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scalescope.report.model import Evidence, Finding, ScanReport
from scalescope.report.render import RenderOptions, render

SCHEMA = Path(__file__).parent / "schemas" / "sarif-2.1.0.json"
LEVELS = {"none", "note", "warning", "error"}


def _schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return data


_LOCATION: dict[str, Any] = {
    "type": "object",
    "required": ["physicalLocation"],
    "properties": {
        "physicalLocation": {
            "type": "object",
            "required": ["artifactLocation", "region"],
            "properties": {
                "artifactLocation": {
                    "type": "object",
                    "required": ["uri"],
                    "properties": {"uri": {"type": "string", "pattern": "^[^/]"}},
                },
                "region": {
                    "type": "object",
                    "required": ["startLine"],
                    "properties": {
                        "startLine": {"type": "integer", "minimum": 1},
                        "endLine": {"type": "integer", "minimum": 1},
                    },
                },
            },
        }
    },
}
# The constraints of SARIF 2.1.0 that GitHub code scanning relies on, written from the spec.
_MINIMAL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["version", "runs", "$schema"],
    "properties": {
        "version": {"enum": ["2.1.0"]},
        "runs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool", "results"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name", "rules"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id", "shortDescription"],
                                            "properties": {
                                                "id": {"type": "string"},
                                                "shortDescription": {
                                                    "type": "object",
                                                    "required": ["text"],
                                                },
                                                "defaultConfiguration": {
                                                    "type": "object",
                                                    "properties": {"level": {"enum": sorted(LEVELS)}},
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["ruleId", "message", "locations"],
                            "properties": {
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": 0},
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "message": {"type": "object", "required": ["text"]},
                                "locations": {"type": "array", "minItems": 1, "items": _LOCATION},
                                "relatedLocations": {"type": "array", "items": _LOCATION},
                                "partialFingerprints": {
                                    "type": "object",
                                    "additionalProperties": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


def _sarif(report: ScanReport, options: RenderOptions) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render(report, "sarif", options))
    return data


@pytest.mark.parametrize("which", ["rich_report", "empty_report"])
def test_validates_against_sarif_schema(
    which: str, request: pytest.FixtureRequest, options: RenderOptions
) -> None:
    """Full validation against the official SARIF 2.1.0 schema, plus the stricter subset of
    constraints GitHub code scanning relies on (relative URIs, 1-based lines...)."""
    import jsonschema

    report = request.getfixturevalue(which)
    log = _sarif(report, options)
    schema = _schema()
    validator_cls = jsonschema.validators.validator_for(schema)
    validator_cls.check_schema(schema)
    for validator in (validator_cls(schema), jsonschema.Draft4Validator(_MINIMAL_SCHEMA)):
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_schema_rejects_a_broken_log(rich_report: ScanReport, options: RenderOptions) -> None:
    """The validation can fail: a result without a message is not SARIF."""
    import jsonschema

    log = _sarif(rich_report, options)
    del log["runs"][0]["results"][0]["message"]
    schema = _schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    assert list(validator.iter_errors(log))


def test_structure(rich_report: ScanReport, options: RenderOptions) -> None:
    log = _sarif(rich_report, options)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "scalescope"
    assert driver["semanticVersion"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [r.id for r in rich_report.rules]
    for rule in rules:
        assert rule["name"] and rule["name"][0].isupper() and "-" not in rule["name"]
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and "## What it finds" in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in LEVELS
        props = rule["properties"]
        assert props["tags"][1] == "scalability" and props["precision"] in {"high", "medium", "low"}
        assert ("security-severity" in props) == (props["tags"][0] == "security")
    results = run["results"]
    assert len(results) == len(rich_report.findings)
    for result, finding in zip(results, rich_report.findings, strict=True):
        assert result["ruleId"] == finding.rule
        assert rules[result["ruleIndex"]]["id"] == finding.rule
        assert result["level"] in LEVELS
        assert finding.message in result["message"]["text"]
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        uri = loc["artifactLocation"]["uri"]
        assert uri == finding.file and not uri.startswith("/") and "\\" not in uri and ":" not in uri
        region = loc["region"]
        assert isinstance(region["startLine"], int) and region["startLine"] >= 1
        assert region["endLine"] >= region["startLine"]
        assert region["snippet"]["text"] == finding.excerpt
        assert result["partialFingerprints"] == {"scalescope/v1": finding.fingerprint}
        assert {k: result["properties"][k] for k in ("severity", "category", "effort", "confidence")} == {
            "severity": finding.severity,
            "category": finding.category,
            "effort": finding.effort,
            "confidence": finding.confidence,
        }


def test_levels_and_security_severity(rich_report: ScanReport, options: RenderOptions) -> None:
    run = _sarif(rich_report, options)["runs"][0]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["SC-RATE-001"] == "error"  # critical
    assert levels["SC-DB-004"] == "error"  # high
    assert levels["SC-CACHE-007"] == "warning"  # medium
    assert levels["SC-OBS-001"] == "note"  # low
    assert levels["SC-INFRA-002"] == "note"  # info
    security = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "SC-SEC-003")
    assert security["properties"]["security-severity"] == "8.0"


def test_related_locations(rich_report: ScanReport, options: RenderOptions) -> None:
    run = _sarif(rich_report, options)["runs"][0]
    result = next(r for r in run["results"] if r["ruleId"] == "SC-DB-004")
    related = result["relatedLocations"]
    assert [r["id"] for r in related] == [1, 2]
    first = related[0]
    assert first["physicalLocation"]["artifactLocation"]["uri"] == "prisma/schema.prisma"
    assert first["physicalLocation"]["region"]["startLine"] == 40
    assert first["message"]["text"] == "Order.customerId has no @@index"


def test_notices_become_notifications(rich_report: ScanReport, options: RenderOptions) -> None:
    invocation = _sarif(rich_report, options)["runs"][0]["invocations"][0]
    notes = invocation["toolExecutionNotifications"]
    assert invocation["executionSuccessful"] is True
    assert [n["message"]["text"] for n in notes] == [n.message for n in rich_report.notices]
    assert notes[1]["level"] == "warning"  # extractor error
    assert "locations" not in notes[2]  # a scan-wide notice has no file


def test_odd_paths_and_missing_rules(options: RenderOptions) -> None:
    """A path with spaces is percent-encoded, a Windows separator normalised, line 0 clamped to
    1, and a finding whose rule the report does not list still gets a descriptor."""
    finding = Finding(
        rule="SC-DB-009",
        rule_name="made-up",
        category="database",
        severity="low",
        title="t",
        message="m",
        file="src\\my dir/a b.ts",
        line=0,
        end_line=0,
        excerpt="",
        recommendation="",
        effort="hours",
        confidence="low",
        related=(Evidence("/abs/x.ts", 3),),
    )
    report = ScanReport(root="r", stack={}, findings=(finding,))
    run = _sarif(report, options)["runs"][0]
    assert run["tool"]["driver"]["rules"][0]["id"] == "SC-DB-009"
    assert run["tool"]["driver"]["rules"][0]["name"] == "MadeUp"
    result = run["results"][0]
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "src/my%20dir/a%20b.ts"
    assert loc["region"] == {"startLine": 1, "endLine": 1}
    assert result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "abs/x.ts"
    assert "partialFingerprints" not in result
    import jsonschema

    jsonschema.Draft4Validator(_schema() or _MINIMAL_SCHEMA).validate(_sarif(report, options))


def test_paths_under_a_repository_prefix(rich_report: ScanReport) -> None:
    """A scanned monorepo subfolder: every location (results, related, notices) is relative to
    the repository root, so GitHub code scanning resolves it."""
    log = _sarif(rich_report, RenderOptions(version="0.1.0", path_prefix="services/api"))
    run = log["runs"][0]
    uris = [
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for result in run["results"]
        for loc in result.get("locations", []) + result.get("relatedLocations", [])
    ]
    assert uris and all(u.startswith("services/api/") for u in uris)
    first = rich_report.findings[0]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        f"services/api/{first.file}"
    )
    assert "services/api" in run["originalUriBaseIds"]["%SRCROOT%"]["description"]["text"]
