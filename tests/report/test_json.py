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
    jsonschema = pytest.importorskip("jsonschema")
    report = rich_report if which == "rich" else empty_report
    data = json.loads(render(report, "json", options))
    jsonschema.Draft202012Validator(_schema()).validate(data)


def test_places_count_the_related_places(rich_report: ScanReport, options: RenderOptions) -> None:
    data = json.loads(render(rich_report, "json", options))
    for f in data["findings"]:
        assert f["places"] == 1 + sum(r["kind"] == "place" for r in f["related"])
    assert any(f["places"] == 3 for f in data["findings"])
