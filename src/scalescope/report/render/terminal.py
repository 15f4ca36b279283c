"""Terminal renderer: findings grouped by severity, then a one-screen summary.

Rendered with rich into an in-memory console of ``options.width`` columns, so the output is a
plain string (ANSI styles only when ``options.color``). User text is always passed as
:class:`rich.text.Text`, never as markup, so ``[brackets]`` in messages print as they are.
"""

from __future__ import annotations

import shlex
from collections import Counter
from io import StringIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from scalescope.report.model import SEVERITIES, Evidence, Finding, ScanReport
from scalescope.report.render import RenderOptions
from scalescope.report.render._text import (
    category_label,
    duration_text,
    fence_language,
    file_counts,
    lexer_name,
    location,
    plural,
    stack_summary,
)

SEVERITY_STYLES = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "bold yellow",
    "low": "bold cyan",
    "info": "bold blue",
}
MAX_SKIPPED = 10
MAX_NOTICES = 10
MAX_TOP_FILES = 5
MAX_PLACES = 5


def render(report: ScanReport, options: RenderOptions) -> str:
    """Render ``report`` for a terminal ``options.width`` columns wide."""
    console = Console(
        file=StringIO(),
        width=options.width,
        height=50,
        force_terminal=options.color,
        force_jupyter=False,
        force_interactive=False,
        color_system="256" if options.color else None,
        no_color=not options.color,
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
        soft_wrap=False,
        _environ={},  # deterministic: no COLUMNS / NO_COLOR / TERM from the caller's environment
    )
    for part in _parts(report, options):
        console.print(part)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(out, str)
    if not options.color:
        out = "\n".join(line.rstrip() for line in out.splitlines()) + "\n"
    return out


def _parts(report: ScanReport, options: RenderOptions) -> list[RenderableType]:
    parts: list[RenderableType] = [_header(report, options), Text("")]
    if report.findings:
        by_severity: dict[str, list[Finding]] = {}
        for f in sorted(report.findings, key=lambda x: x.sort_key):
            by_severity.setdefault(f.severity, []).append(f)
        for severity in SEVERITIES:
            group = by_severity.get(severity)
            if not group:
                continue
            title = Text(f" {severity.upper()} · {len(group)} ", style=SEVERITY_STYLES[severity])
            parts.append(Rule(title, style="dim", align="left"))
            for f in group:
                parts.append(_finding(f, options))
    else:
        ran = f" ({plural(len(report.rules), 'rule')} ran)" if report.rules else ""
        parts.append(
            Text(f"No findings: no rule found evidence of a scalability problem{ran}.", style="bold green")
        )
        parts.append(Text(""))
    parts.extend(_summary(report, options))
    return parts


def _header(report: ScanReport, options: RenderOptions) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column()
    scanned = [plural(report.files_scanned, "file"), plural(report.lines_scanned, "line")]
    if options.show_duration and report.duration_s is not None:
        scanned.append(duration_text(report.duration_s))
    grid.add_row("target", Text(report.root, style="bold"))
    grid.add_row("stack", Text(stack_summary(report.stack)))
    grid.add_row("scanned", Text(" · ".join(scanned)))
    if report.instances:
        grid.add_row("instances", Text(f"{report.instances} (from deployment files or config)"))
    title = Text.assemble(("scalescope", "bold"), f" {options.version} · scan report")
    if options.generated_at:
        title.append(f" · {options.generated_at}", style="dim")
    return Group(title, grid)


def _badge(severity: str, color: bool) -> Text:
    label = severity.upper()
    return Text(f" {label} " if color else label, style=SEVERITY_STYLES.get(severity, "bold"))


def _finding(f: Finding, options: RenderOptions) -> RenderableType:
    head = Text.assemble(_badge(f.severity, options.color), "  ", (f.rule, "bold"), "  ", f.title)
    where = Text.assemble(
        (location(f), "underline" if options.color else ""),
        (f"  {category_label(f.category).lower()} · effort {f.effort} · confidence {f.confidence}", "dim"),
    )
    body: list[RenderableType] = [where, Text(f.message)]
    if f.excerpt:
        body.append(Padding(_excerpt(f, options), (0, 0, 0, 2)))
    places = f.other_places
    if places:
        body.append(_places(places))
    if f.recommendation:
        body.append(Text.assemble(("fix: ", "bold green"), f.recommendation))
    return Group(head, Padding(Group(*body), (0, 0, 1, 2)))


def _places(places: tuple[Evidence, ...]) -> RenderableType:
    """The other places of the finding's cause, the first :data:`MAX_PLACES` of them."""
    parts: list[RenderableType] = [Text(f"also in {plural(len(places), 'other place')}:", style="bold")]
    for r in places[:MAX_PLACES]:
        where = f"{r.file}:{r.line}" if r.line > 0 else r.file
        line = Text(f"  {where}", no_wrap=True, overflow="ellipsis")
        if r.note:
            line.append(f"  {r.note}", style="dim")
        parts.append(line)
    more = len(places) - MAX_PLACES
    if more > 0:
        parts.append(Text(f"  … and {more} more (the Markdown and JSON reports list them all)", style="dim"))
    return Group(*parts)


def _excerpt(f: Finding, options: RenderOptions) -> RenderableType:
    start = max(f.line, 1)
    if options.color:
        return Syntax(
            f.excerpt,
            lexer_name(fence_language(f.file)),
            theme="ansi_dark",
            line_numbers=True,
            start_line=start,
            word_wrap=False,
            background_color="default",
        )
    lines = f.excerpt.splitlines()
    digits = len(str(start + len(lines) - 1))
    text = Text(no_wrap=True, overflow="ellipsis")
    for i, line in enumerate(lines):
        if i:
            text.append("\n")
        text.append(f"{start + i:>{digits}} │ {line}")
    return text


def _summary(report: ScanReport, options: RenderOptions) -> list[RenderableType]:
    counts = report.counts()
    out: list[RenderableType] = [Rule(Text(" Summary ", style="bold"), style="dim", align="left")]
    line = Text(plural(len(report.findings), "finding") + ": ", style="bold")
    line.append(" · ".join(f"{counts.get(s, 0)} {s}" for s in SEVERITIES), style="")
    if report.suppressed:
        line.append(f"  ({report.suppressed} suppressed inline)", style="dim")
    out.append(line)
    if report.findings:
        out.append(_category_table(report))
        out.append(_top_files(report))
    if report.skipped:
        out.append(_skipped(report))
    if report.notices:
        out.append(_notices(report))
    out.append(Text(""))
    out.append(_hint(report, options))
    return out


def _category_table(report: ScanReport) -> RenderableType:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
    table.add_column("category")
    for s in SEVERITIES:
        table.add_column(s, justify="right", style=SEVERITY_STYLES[s].replace("bold ", "") or None)
    table.add_column("total", justify="right", style="bold")
    for category, findings in report.by_category().items():
        c = Counter(f.severity for f in findings)
        table.add_row(
            category_label(category), *[str(c[s]) if c[s] else "·" for s in SEVERITIES], str(len(findings))
        )
    return Padding(table, (1, 0, 0, 0))


def _top_files(report: ScanReport) -> RenderableType:
    rows = [row for row in file_counts(report) if row[1]][:MAX_TOP_FILES]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, overflow="ellipsis")
    grid.add_column(justify="right")
    grid.add_column(style="dim")
    for file, n, worst in rows:
        grid.add_row(file, str(n), f"worst: {worst}")
    return Group(Text(""), Text("top files", style="bold"), Padding(grid, (0, 0, 0, 2)))


def _skipped(report: ScanReport) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True, overflow="ellipsis")
    grid.add_column(style="dim")
    for s in report.skipped[:MAX_SKIPPED]:
        grid.add_row(s.file, s.reason)
    parts: list[RenderableType] = [
        Text(""),
        Text(f"skipped {plural(len(report.skipped), 'file')} ({_reasons(report)})", style="bold"),
        Padding(grid, (0, 0, 0, 2)),
    ]
    more = len(report.skipped) - MAX_SKIPPED
    if more > 0:
        parts.append(Text(f"  … and {more} more (the Markdown and JSON reports list them all)", style="dim"))
    return Group(*parts)


def _reasons(report: ScanReport) -> str:
    reasons = Counter(s.reason for s in report.skipped)
    return ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))


def _notices(report: ScanReport) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for n in report.notices[:MAX_NOTICES]:
        where = n.file + (f":{n.line}" if n.file and n.line > 0 else "") if n.file else "scan"
        grid.add_row(Text(where, style="dim"), Text(n.message))
    parts: list[RenderableType] = [
        Text(""),
        Text(f"notices ({len(report.notices)})", style="bold"),
        Padding(grid, (0, 0, 0, 2)),
    ]
    more = len(report.notices) - MAX_NOTICES
    if more > 0:
        parts.append(Text(f"  … and {more} more", style="dim"))
    return Group(*parts)


def _hint(report: ScanReport, options: RenderOptions) -> Text:
    """Next steps as commands that paste into a shell as they are."""
    target = shlex.quote(options.command_path or report.root)
    hint = Text("next: ", style="dim")
    hint.append(f"scalescope scan {target} --format md -o scalability.md", style="bold")
    hint.append(" for the full report", style="dim")
    if report.findings:
        first = min(report.findings, key=lambda f: f.sort_key).rule
        hint.append(" · ", style="dim")
        hint.append(f"scalescope explain {first}", style="bold")
        hint.append(" for a rule's docs", style="dim")
    return hint
