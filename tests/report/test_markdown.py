"""Markdown renderer behaviour beyond the golden files: escaping, ordering, sections."""

from __future__ import annotations

import re
from dataclasses import replace

from scalescope.report.model import Finding, ScanReport
from scalescope.report.render import RenderOptions, render
from scalescope.report.render._text import GRADE_FORMULA


def _md(report: ScanReport) -> str:
    return render(report, "md", RenderOptions(version="0.1.0"))


def test_sections_in_reading_order(rich_report: ScanReport) -> None:
    out = _md(rich_report)
    headings = re.findall(r"^## (.+)$", out, flags=re.M)
    assert headings == [
        "Executive summary",
        "Scorecard",
        "Key findings at a glance",
        "Database",
        "Caching",
        "Rate limiting",
        "Async processing",
        "Availability",
        "Observability",
        "Security",
        "Infrastructure",
        "Roadmap",
        "Key files",
        "Skipped files",
        "Notices",
        "Methodology",
    ]


def test_executive_summary_states_headline(rich_report: ScanReport) -> None:
    summary = _md(rich_report).split("## Scorecard")[0]
    assert "**142 files**" in summary and "**4 instances**" in summary
    assert "1 critical, 3 high, 4 medium, 1 low and 1 info" in summary
    assert "**rate limiting** layer" in summary and "`src/app.ts:14-17`" in summary


def test_messages_are_escaped_but_code_spans_kept(rich_report: ScanReport) -> None:
    out = _md(rich_report)
    assert r"in \<anonymous\>" in out  # not an HTML tag
    assert "has no `take`" in out  # the rule's code span survives
    assert r"a_b\*c" in out


def test_table_cells_escape_pipes() -> None:
    f = Finding(
        rule="SC-DB-001",
        rule_name="x",
        category="database",
        severity="high",
        title="A | B title",
        message="m",
        file="src/a|b.ts",
        line=3,
        end_line=3,
        excerpt="x",
        recommendation="r",
        effort="hours",
        confidence="high",
    )
    out = _md(ScanReport(root="r", stack={}, findings=(f,), key_files=("src/a|b.ts",)))
    glance = out.split("## Key findings at a glance")[1].split("##")[0]
    row = next(line for line in glance.splitlines() if line.startswith("| F1"))
    assert r"A \| B title" in row and r"`src/a\|b.ts:3`" in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 6  # five cells


def test_fences_use_the_file_language_and_survive_backticks(rich_report: ScanReport) -> None:
    out = _md(rich_report)
    assert "```python\nfor invoice in invoices:" in out
    assert "```yaml\ncache:\n  image: redis:7\n```" in out
    f = replace(rich_report.findings[0], excerpt="const s = `a ${b}`;\n```\nnot a fence end")
    out = _md(replace(rich_report, findings=(f,)))
    assert "````ts\nconst s" in out


def test_roadmap_buckets_follow_effort(rich_report: ScanReport) -> None:
    roadmap = _md(rich_report).split("## Roadmap")[1].split("## Key files")[0]
    week, rest = roadmap.split("### This month")
    month, later = rest.split("### Later")
    assert "SC-" not in roadmap  # titles, not ids
    assert "In-memory rate-limit store" in week and "(rate limiting, hours)" in week
    assert "Query inside a loop" in month and "Slow work done inside the request" in later
    assert "Service declared with one replica" not in roadmap  # info is not scheduled
    first_items = [line for line in week.splitlines() if line[:2] == "1."]
    assert "F1" in first_items[0]  # critical first


def test_grade_formula_stated_and_applied(rich_report: ScanReport) -> None:
    out = _md(rich_report)
    assert GRADE_FORMULA in out and "penalty = 10 \N{MULTIPLICATION SIGN} critical" in out
    assert "| Rate limiting | 1 | 1 | · | · | · | · | **D** |" in out
    assert "| Infrastructure | 1 | · | · | · | · | 1 | **A** |" in out


def test_methodology_says_nothing_is_projected(empty_report: ScanReport) -> None:
    out = _md(empty_report)
    assert "No findings" in out
    assert "derived from static evidence" in out and "no latency, throughput" in out
