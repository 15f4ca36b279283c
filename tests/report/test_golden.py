"""Every renderer's exact output for a rich and an empty report, against golden files."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.report.model import ScanReport
from scalescope.report.render import RenderOptions, render
from tests.report.golden_files import check_golden

CASES = [
    ("terminal", "txt"),
    ("md", "md"),
    ("sarif", "sarif.json"),
    ("json", "json"),
]


@pytest.mark.parametrize(("fmt", "ext"), CASES)
def test_rich_report_golden(fmt: str, ext: str, rich_report: ScanReport, options: RenderOptions) -> None:
    check_golden(f"report.{ext}", render(rich_report, fmt, options))


@pytest.mark.parametrize(("fmt", "ext"), CASES)
def test_empty_report_golden(fmt: str, ext: str, empty_report: ScanReport, options: RenderOptions) -> None:
    check_golden(f"empty.{ext}", render(empty_report, fmt, options))


def test_terminal_narrow_golden(rich_report: ScanReport) -> None:
    options = RenderOptions(version="0.1.0", width=60, color=False, show_duration=False)
    check_golden("report-60.txt", render(rich_report, "terminal", options))


@pytest.mark.parametrize("fmt", ["terminal", "md", "json", "sarif"])
def test_deterministic_and_pure(fmt: str, rich_report: ScanReport, options: RenderOptions) -> None:
    first = render(rich_report, fmt, options)
    assert render(rich_report, fmt, options) == first
    assert str(Path.cwd()) not in first and "/tmp/" not in first  # no absolute paths leak in
    assert "\x1b[" not in first  # color is off


def test_redacted_excerpt_stays_redacted(rich_report: ScanReport, options: RenderOptions) -> None:
    for fmt in ("terminal", "md", "sarif"):
        out = render(rich_report, fmt, options)
        assert "POSTGRES_PASSWORD: ***" in out or "POSTGRES_PASSWORD: \\\\*\\\\*\\\\*" in out


def test_html_golden(rich_report: ScanReport, options: RenderOptions) -> None:
    """HTML is not yet in the format dispatch, so the module is called directly."""
    from scalescope.report.render import html

    out = html.render(rich_report, options)
    check_golden("report.html", out)
    assert "<script" not in out and " src=" not in out  # self-contained, no requests
    assert "in &lt;anonymous&gt;" in out  # message text is escaped, never markup
