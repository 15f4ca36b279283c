"""Markdown renderer behaviour beyond the golden files: escaping, ordering, sections."""

from __future__ import annotations

import re
from dataclasses import replace

from scalescope.report.model import Finding, ScanReport
from scalescope.report.priority import PRIORITY_FORMULA, STATUS_RULE
from scalescope.report.render import RenderOptions, render


def _md(report: ScanReport) -> str:
    return render(report, "md", RenderOptions(version="0.1.0"))


def test_sections_in_reading_order(rich_report: ScanReport) -> None:
    out = _md(rich_report)
    headings = re.findall(r"^## (.+)$", out, flags=re.M)
    assert headings == [
        "Verdict",
        "Scorecard",
        "What to fix first",
        "Findings",
        "Skipped files",
        "Notices",
        "Methodology",
    ]


def test_verdict_states_headline_and_where_to_start(rich_report: ScanReport) -> None:
    verdict = _md(rich_report).split("## Scorecard")[0]
    assert "**RED** \N{EM DASH} Fix before scaling out: 4 critical or high findings at medium" in verdict
    assert "**142 files**" in verdict and "**4 instances**" in verdict
    assert "1 critical, 3 high, 4 medium, 1 low and 1 info" in verdict
    start = verdict.split("Start with:")[1]
    assert start.index("In-memory rate-limit store") < start.index("Unbounded list query")
    assert "[`src/app.ts:14-17`](src/app.ts#L14); fix: one setting (hours)" in start


def test_findings_ordered_by_priority_each_once(rich_report: ScanReport) -> None:
    out = _md(rich_report)
    titles = re.findall(r"^### F(\d+) · (.+)$", out, flags=re.M)
    assert [int(n) for n, _ in titles] == list(range(1, len(rich_report.findings) + 1))
    names = [t for _, t in titles]
    assert len(names) == len(rich_report.findings)
    # high on a public route (SC-DB-004) outranks high in background work at lower confidence
    # (SC-DB-003); a medium reached only from an admin route comes after public mediums
    assert names.index("Unbounded list query reachable from a route") < names.index(
        "Query inside a loop (N+1 queries)"
    )
    assert names.index("Slow work done inside the request") < names.index(
        "Health check does not check dependencies"
    )
    table = out.split("## What to fix first")[1].split("## Findings")[0]
    assert table.count("| [F") == len(rich_report.findings)


def test_links_to_code_relative_or_from_link_base(rich_report: ScanReport) -> None:
    out = _md(rich_report)
    assert "[`src/routes/orders.ts:21-23`](src/routes/orders.ts#L21)" in out
    assert "- [`src/admin/report.ts:12`](src/admin/report.ts#L12) \N{EM DASH}" in out  # other places too
    up = render(rich_report, "md", RenderOptions(version="0.1.0", link_prefix="../shop api"))
    assert "](../shop%20api/src/routes/orders.ts#L21)" in up
    base = "https://github.com/org/repo/blob/0123abc"
    linked = render(rich_report, "md", RenderOptions(version="0.1.0", link_base=base + "/"))
    assert f"]({base}/src/routes/orders.ts#L21)" in linked
    assert "](src/" not in linked


def test_effort_from_scope_and_impact_specific(rich_report: ScanReport) -> None:
    out = _md(rich_report)
    blocks = {b.split("\n", 1)[0]: b for b in out.split("\n### ")[1:]}
    index = next(b for h, b in blocks.items() if "column without an index" in h)
    assert "**Effort:** a schema migration (days)" in index
    assert "Every request to GET /orders and GET /admin/report runs this code." in index
    assert "One fix covers all 3 places in 3 files." in index
    limiter = next(b for h, b in blocks.items() if "rate-limit store" in h)
    assert "**Effort:** one setting (hours)" in limiter
    assert "every instance of the app (4 declared)" in limiter
    assert "Expected improvement" not in out
    impacts = re.findall(r"^\*\*Impact at scale:\*\* (.+)$", out, flags=re.M)
    assert len(set(impacts)) == len(impacts) == len(rich_report.findings)


def test_scorecard_status_and_why(rich_report: ScanReport) -> None:
    out = _md(rich_report)
    assert (
        "| Rate limiting | **red** | 1 | 1 critical; worst: [F1](#f1--in-memory-rate-limit-store) "
        "In-memory rate-limit store |" in out
    )
    assert "| Observability | **green** | 1 | 1 low; only low or info findings" in out
    assert "| Availability | **amber** |" in out


def test_contents_anchors_match_headings(rich_report: ScanReport) -> None:
    from scalescope.report.render._text import slug

    out = _md(rich_report)
    anchors = set(re.findall(r"\]\(#([^)]+)\)", out))
    headings = {slug(h.replace("`", "")) for h in re.findall(r"^#{2,3} (.+)$", out, flags=re.M)}
    assert anchors and anchors <= headings


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
    table = out.split("## What to fix first")[1].split("## Findings")[0]
    row = next(line for line in table.splitlines() if line.startswith("| [F1]"))
    assert r"A \| B title" in row and r"`src/a\|b.ts:3`" in row
    assert len(re.findall(r"(?<!\\)\|", row)) == 8  # seven cells


def test_fences_use_the_file_language_and_survive_backticks(rich_report: ScanReport) -> None:
    out = _md(rich_report)
    assert "```python\nfor invoice in invoices:" in out
    assert "```yaml\ncache:\n  image: redis:7\n```" in out
    f = replace(rich_report.findings[0], excerpt="const s = `a ${b}`;\n```\nnot a fence end")
    out = _md(replace(rich_report, findings=(f,)))
    assert "````ts\nconst s" in out


def test_methodology_says_nothing_is_projected(empty_report: ScanReport) -> None:
    out = _md(empty_report)
    assert "No rule found evidence" in out and "**GREEN**" in out
    assert "derived from static evidence" in out and "no latency, throughput" in out
    assert PRIORITY_FORMULA in out and STATUS_RULE in out


def test_commands_named_in_reports_exist(rich_report: ScanReport, empty_report: ScanReport) -> None:
    import click

    from scalescope.cli import cli

    commands = set(cli.list_commands(click.Context(cli)))
    for fmt in ("md", "terminal"):
        for report in (rich_report, empty_report):
            out = render(report, fmt, RenderOptions(version="1"))
            # commands: in code spans (Markdown) and in the terminal's "next:" hints
            named = set(re.findall(r"(?:`|next: |· )scalescope ([a-z]+)", out))
            assert named <= commands, named - commands
