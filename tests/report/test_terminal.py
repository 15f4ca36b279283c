"""Terminal renderer behaviour beyond the golden files: colour, markup safety, width, limits."""

from __future__ import annotations

from dataclasses import replace

from scalescope.report.model import Finding, ScanReport, SkippedFile
from scalescope.report.render import RenderOptions, render


def test_color_only_when_asked(rich_report: ScanReport) -> None:
    plain = render(rich_report, "terminal", RenderOptions(color=False))
    colored = render(rich_report, "terminal", RenderOptions(color=True))
    assert "\x1b[" not in plain
    assert "\x1b[" in colored


def test_messages_are_not_rich_markup(rich_report: ScanReport) -> None:
    out = render(rich_report, "terminal", RenderOptions(width=200))
    assert "4 x 100 requests [per window]." in out
    assert "<anonymous>" in out


def test_severity_groups_in_order(rich_report: ScanReport) -> None:
    out = render(rich_report, "terminal", RenderOptions(width=120))
    positions = [out.index(f" {s.upper()} · ") for s in ("critical", "high", "medium", "low", "info")]
    assert positions == sorted(positions)


def test_width_is_respected(rich_report: ScanReport) -> None:
    for width in (60, 80, 140):
        out = render(rich_report, "terminal", RenderOptions(width=width))
        assert max(len(line) for line in out.splitlines()) <= width


def test_duration_hidden_when_asked(rich_report: ScanReport) -> None:
    assert "1.23 s" in render(rich_report, "terminal", RenderOptions())
    assert "1.23 s" not in render(rich_report, "terminal", RenderOptions(show_duration=False))


def test_no_findings_line(empty_report: ScanReport) -> None:
    out = render(empty_report, "terminal", RenderOptions())
    assert "No findings" in out and "3 rules ran" in out
    assert "0 findings" in out


def test_skipped_list_is_capped(rich_report: ScanReport) -> None:
    many = tuple(SkippedFile(f"gen/f{i:03d}.js", "minified") for i in range(40))
    out = render(replace(rich_report, skipped=many), "terminal", RenderOptions(width=120))
    assert "gen/f009.js" in out and "gen/f010.js" not in out
    assert "… and 30 more" in out
    assert "skipped 40 files (40 minified)" in out


def test_hint_names_the_worst_rule(rich_report: ScanReport) -> None:
    out = render(rich_report, "terminal", RenderOptions(width=160))
    assert "scalescope explain SC-RATE-001" in out


def test_hint_pastes_as_a_command(rich_report: ScanReport) -> None:
    """The hint is a whole command, with the path as the user typed it (quoted for the shell)."""
    out = render(rich_report, "terminal", RenderOptions(width=200, command_path="../my api"))
    assert "next: scalescope scan '../my api' --format md -o scalability.md for the full report" in out


def test_finding_without_excerpt_or_line(options: RenderOptions) -> None:
    f = Finding(
        rule="SC-DB-001",
        rule_name="x",
        category="database",
        severity="high",
        title="T",
        message="M",
        file="a.py",
        line=0,
        end_line=0,
        excerpt="",
        recommendation="",
        effort="hours",
        confidence="high",
    )
    out = render(ScanReport(root="r", stack={}, findings=(f,)), "terminal", options)
    assert "SC-DB-001" in out and "a.py" in out and "fix:" not in out
