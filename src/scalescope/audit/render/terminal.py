"""The audit in the terminal: verdict, performance, plan and the first findings, at the
terminal's width."""

from __future__ import annotations

from io import StringIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from scalescope.audit.report import AuditReport
from scalescope.audit.summary import performance_rows, scorecard

_SEV = {"critical": "bold white on red", "high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}
_GRADE = {"red": "bold red", "amber": "yellow", "green": "green"}


def render(report: AuditReport, width: int = 100, color: bool = False) -> str:
    buf = StringIO()
    console = Console(file=buf, width=width, color_system="standard" if color else None, highlight=False)
    console.print(Text(f"scalescope audit · {report.root} · {report.url}", style="bold"))
    console.print(Text(report.verdict.headline, style="bold green" if report.verdict.ok else "bold red"))
    console.print(Text(f"first fix: {report.verdict.first_fix}"))
    for warning in report.warnings:
        console.print(Text(f"⚠ {warning}", style="yellow"))
    rows = performance_rows(report)
    if rows:
        table = Table(title="performance", box=box.SIMPLE_HEAD, title_justify="left")
        for col in ("metric", "measured", "target", "gap"):
            table.add_column(col, overflow="fold")
        for r in rows:
            style = "green" if r.ok else "red" if r.ok is False else ""
            table.add_row(r.metric, r.measured, r.target or "—", Text(r.gap or "—", style=style))
        console.print(table)
    if report.plan:
        plan = Table(title="capacity plan", box=box.SIMPLE_HEAD, title_justify="left")
        for col in ("instances", "req/s", "users", "basis"):
            plan.add_column(col, justify="right" if col != "basis" else "left")
        for p in report.plan:
            plan.add_row(
                str(p.instances), f"{p.rps:,.0f}", f"{p.users:,}" if p.users is not None else "—", p.basis
            )
        console.print(plan)
    if report.data_sizes:
        sizes = Table(title="latency against the data returned", box=box.SIMPLE_HEAD, title_justify="left")
        for col in ("endpoint", "sizes", "p50 ms", "fit", "finding"):
            sizes.add_column(col, overflow="fold")
        for d in report.data_sizes:
            small = min(d.points, key=lambda p: p.bytes) if d.points else None
            large = max(d.points, key=lambda p: p.bytes) if d.points else None
            span = (
                f"{small.bytes / 1000:,.1f} to {large.bytes / 1000:,.1f} kB"
                if small is not None and large is not None
                else "—"
            )
            ms = (
                f"{small.p50_ms:,.1f} to {large.p50_ms:,.1f}"
                if small is not None and large is not None
                else "—"
            )
            fit = f"{d.fit.slope_ms_per_kb:.3f} ms/kB, R² {d.fit.r2:.2f}" if d.fit is not None else "—"
            sizes.add_row(
                d.endpoint,
                f"{len(d.points)}: {span}",
                ms,
                fit,
                Text("SC-DB-102", style="red") if d.grows else Text("none", style="green"),
            )
        console.print(sizes)
    if report.live is not None:
        live = Table(title="live servers", box=box.SIMPLE_HEAD, title_justify="left")
        for col in ("server", "findings", "cross-checked"):
            live.add_column(col, overflow="fold")
        for s in report.live.servers:
            checked = [c for c in report.live.cross_checks if c.server == s.label]
            found = (
                Text(f"not probed: {s.error}", style="yellow")
                if s.error
                else Text(", ".join(s.findings) or "none")
            )
            live.add_row(
                s.label,
                found,
                ", ".join(f"{c.rule} {c.outcome}" for c in checked) or "—",
            )
        console.print(live)
    cards = Table(title="scorecard", box=box.SIMPLE_HEAD, title_justify="left")
    cards.add_column("category")
    cards.add_column("grade")
    cards.add_column("why", overflow="fold")
    for row in scorecard(report):
        cards.add_row(row.category, Text(row.grade, style=_GRADE[row.grade]), row.why)
    console.print(cards)
    for f in list(report.prioritised)[:8]:
        where = (f"{f.file}:{f.line}" if f.line else f.file) if f.file else "measured"
        line = Text(f" {f.severity} ", style=_SEV.get(f.severity, ""))
        line.append(f" {f.rule} {f.title} · {where}")
        console.print(line)
    if len(report.findings) > 8:
        console.print(
            Text(
                f"… {len(report.findings) - 8} more findings: --format html -o audit.html for the full report",
                style="dim",
            )
        )
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines()) + "\n"
