"""The JSON report against its published JSON Schema (``report/scan-report.schema.json``)."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from scalescope.report.model import ScanReport
from scalescope.report.render import RenderOptions, render


def _schema() -> dict[str, object]:
    text = resources.files("scalescope.report").joinpath("scan-report.schema.json").read_text("utf-8")
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("which", ["rich", "empty"])
def test_json_report_matches_its_schema(
    which: str, rich_report: ScanReport, empty_report: ScanReport, options: RenderOptions
) -> None:
    import jsonschema
    report = rich_report if which == "rich" else empty_report
    data = json.loads(render(report, "json", options))
    jsonschema.Draft202012Validator(_schema()).validate(data)


def test_places_count_the_related_places(rich_report: ScanReport, options: RenderOptions) -> None:
    data = json.loads(render(rich_report, "json", options))
    for f in data["findings"]:
        assert f["places"] == 1 + sum(r["kind"] == "place" for r in f["related"])
    assert any(f["places"] == 3 for f in data["findings"])


def test_every_field_is_documented(rich_report: ScanReport, options: RenderOptions) -> None:
    """docs/json-report.md names every key the renderer writes (so the contract cannot drift)."""
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "json-report.md").read_text(encoding="utf-8")
    data = json.loads(render(rich_report, "json", options))
    keys: set[str] = set(data) | set(data["tool"]) | set(data["target"]) | set(data["summary"])
    for f in data["findings"]:
        keys |= set(f)
        keys |= {k for r in f["related"] for k in r}
        keys |= set(f["fix"] or {})
    keys |= {k for s in data["skipped"] for k in s} | {k for n in data["notices"] for k in n}
    missing = sorted(k for k in keys if f"`{k}`" not in doc)
    assert not missing, f"undocumented JSON fields: {missing}"
