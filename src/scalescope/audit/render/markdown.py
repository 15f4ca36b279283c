"""The audit as Markdown, in the order a team reads it: verdict, scorecard, key findings,
performance against targets, capacity roadmap, the work ordered by impact over effort, key
files, then the measurements behind it all and how they were made."""

from __future__ import annotations

from scalescope.audit.report import AuditReport
from scalescope.audit.summary import key_files, performance_rows, roadmap, scorecard
from scalescope.report.model import Finding

_GRADE = {"green": "🟢 green", "amber": "🟠 amber", "red": "🔴 red"}


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _where(f: Finding) -> str:
    if not f.file:
        return "measured"
    return f"`{f.file}:{f.line}`" if f.line else f"`{f.file}`"  # line 0: a live server


def render(report: AuditReport, width: int = 100, color: bool = False) -> str:
    out: list[str] = [f"# Scalability audit: {report.root}", ""]
    meta = f"{report.url} · {report.generated_at} · {report.duration_s:.0f} s · {report.cores} CPU cores on the audit machine"
    out += [f"_{meta}_", "", "## Verdict", "", f"**{report.verdict.headline}**", ""]
    out.append(f"- First fix: {report.verdict.first_fix}")
    for warning in report.warnings:
        out.append(f"- ⚠ {warning}")
    out.append("")

    out += ["## Scorecard", "", "| category | grade | why |", "| --- | --- | --- |"]
    out += [f"| {r.category} | {_GRADE[r.grade]} | {_cell(r.why)} |" for r in scorecard(report)]
    out.append("")

    top = list(report.prioritised)[:8]
    out += ["## Key findings at a glance", ""]
    if not top:
        out.append("Nothing flagged.")
    for f in top:
        out.append(f"- **{f.severity}** · {f.rule} {f.title} ({_where(f)}): {_cell(f.message)}")
    out.append("")

    rows = performance_rows(report)
    out += ["## Performance against targets", ""]
    if rows:
        out += ["| metric | measured | target | gap |", "| --- | --- | --- | --- |"]
        out += [
            f"| {_cell(r.metric)} | {_cell(r.measured)} | {_cell(r.target or '—')} | {_cell(r.gap or '—')} |"
            for r in rows
        ]
    else:
        out.append("No capacity was measured.")
    out.append("")

    out += ["## Capacity roadmap", ""]
    if report.plan:
        out += [
            "| instances | req/s | concurrent users | basis | cost/hour |",
            "| ---: | ---: | ---: | --- | ---: |",
        ]
        for r in report.plan:
            users = f"{r.users:,}" if r.users is not None else "—"
            cost = f"{r.cost_per_hour:,.2f}" if r.cost_per_hour is not None else "—"
            out.append(f"| {r.instances} | {r.rps:,.0f} | {users} | {r.basis} | {cost} |")
        models = sorted({r.model for r in report.plan if r.model})
        for model in models:
            out.append(f"\nProjected rows: {model}.")
    else:
        out.append("No plan: no sustainable rate was measured.")
    out.append("")

    out += ["## What to fix, in order", ""]
    for bucket, items in roadmap(report).items():
        out += [f"### {bucket}", ""]
        if not items:
            out += ["Nothing here.", ""]
            continue
        for f in items[:15]:
            out.append(f"1. **{f.rule} {f.title}** ({f.severity}, {_where(f)}): {_cell(f.recommendation)}")
        if len(items) > 15:
            out.append(f"\n…and {len(items) - 15} more in the JSON report.")
        out.append("")

    files = key_files(report)
    if files:
        out += ["## Key files", "", "| file | findings | worst |", "| --- | ---: | --- |"]
        out += [f"| `{file}` | {n} | {worst} |" for file, n, worst in files]
        out.append("")

    out += _live(report)
    out += _measurements(report)
    return "\n".join(out).rstrip() + "\n"


def _live(report: AuditReport) -> list[str]:
    live = report.live
    if live is None:
        return []
    out = ["## Live servers", "", "Read after the load with read-only, bounded probes (docs/probes.md).", ""]
    out += ["| server | version | findings | notes |", "| --- | --- | --- | --- |"]
    for s in live.servers:
        found = ", ".join(s.findings) if s.findings else ("—" if s.error else "none")
        notes = f"⚠ not probed: {s.error}" if s.error else "; ".join(s.notices[:3]) or "—"
        out.append(f"| `{_cell(s.label)}` | {_cell(s.version or '—')} | {found} | {_cell(notes)} |")
    out.append("")
    if live.cross_checks:
        out += ["Scan findings checked against the live servers:", ""]
        out += ["| finding | where | outcome | server |", "| --- | --- | --- | --- |"]
        out += [
            f"| {c.rule} | `{_cell(c.file)}:{c.line}` | {c.outcome} | `{_cell(c.server)}` |"
            for c in live.cross_checks
        ]
    elif any(not s.error for s in live.servers):
        out.append("No scan finding was confirmed or contradicted by the servers.")
    out.append("")
    return out


def _measurements(report: AuditReport) -> list[str]:
    out = ["## Measurements", ""]
    cap = report.capacity
    if cap is not None:
        out += [
            f"Capacity search (open model, SLO p95 < {cap.slo.p95_ms:g} ms, errors < {cap.slo.error_rate * 100:g}%): {cap.summary}.",
            "",
        ]
        out += [
            "| offered req/s | served req/s | p50 ms | p95 ms | p99 ms | errors | dropped | app CPU % | RSS MiB |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for s in sorted(cap.steps, key=lambda x: x.offered_rps):
            cpu = f"{s.cpu_percent:.0f}" if s.cpu_percent is not None else "—"
            rss = f"{s.rss_mib:.0f}" if s.rss_mib is not None else "—"
            flag = " (generator-limited)" if s.generator_limited else ""
            out.append(
                f"| {s.offered_rps:,.0f}{flag} | {s.achieved_rps:,.0f} | {s.p50_ms:,.1f} | {s.p95_ms:,.1f} | {s.p99_ms:,.1f} | "
                f"{s.error_rate * 100:.2f}% | {s.dropped} | {cpu} | {rss} |"
            )
        out.append("")
    if report.sweep:
        out += [
            "Concurrency sweep (closed model):",
            "",
            "| connections | req/s | p50 ms | p95 ms | errors |",
            "| ---: | ---: | ---: | ---: | ---: |",
        ]
        out += [
            f"| {p.concurrency} | {p.throughput_rps:,.0f} | {p.p50_ms:,.1f} | {p.p95_ms:,.1f} | {p.error_rate * 100:.2f}% |"
            for p in report.sweep
        ]
        if report.usl is not None:
            u = report.usl
            peak = (
                f"peak {u.peak_rps:,.0f} req/s at {u.peak_concurrency:,.0f} connections"
                if u.peak_concurrency is not None and u.peak_rps is not None
                else "no retrograde region (κ = 0)"
            )
            out += [
                "",
                f"USL fit: σ = {u.sigma:.4f} (contention), κ = {u.kappa:.6f} (coherency), λ = {u.lam:,.1f} req/s per connection, R² = {u.r2:.3f}; {peak} (projected from the fit).",
            ]
        out.append("")
    if report.endpoints:
        out += [
            "Per-endpoint latency (one connection; cold = first 20 requests, warm = after them):",
            "",
            "| endpoint | cold p50 | cold p95 | warm p50 | warm p95 |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        out += [
            f"| `{e.method} {_cell(e.path)}` | {e.cold_p50_ms:,.1f} ms | {e.cold_p95_ms:,.1f} ms | {e.warm_p50_ms:,.1f} ms | {e.warm_p95_ms:,.1f} ms |"
            for e in report.endpoints
        ]
        out.append("")
    if report.data_sizes:
        out += [
            "Latency against the data returned (each endpoint at the response sizes the app serves, one "
            "connection, sizes interleaved; median latency fitted against response size):",
            "",
            "| endpoint | request | items | size | p50 ms | p95 ms | requests |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        verdicts = []
        for d in report.data_sizes:
            for i, p in enumerate(d.points):
                first = f"`{_cell(d.endpoint)}` ({_cell(d.varied)})" if i == 0 else ""
                items = f"{p.items:,}" if p.items is not None else "—"
                out.append(
                    f"| {first} | `{_cell(p.path)}` | {items} | {p.bytes:,} B | {p.p50_ms:,.1f} | "
                    f"{p.p95_ms:,.1f} | {p.requests} |"
                )
            verdicts.append(f"- `{_cell(d.endpoint)}`: {d.why}" + (" (SC-DB-102)." if d.grows else "."))
        out += ["", *verdicts, ""]
    if report.traffic is not None:
        out += [
            f"Traffic mix: {len(report.traffic.requests)} endpoints from {report.traffic.source}, equal weights."
        ]
        for what, why in report.traffic.skipped[:12]:
            out.append(f"- left out `{_cell(what)}`: {why}")
        out.append("")
    if report.shutdown is not None:
        sd = report.shutdown
        exited = f"exited after {sd.exit_seconds:.2f} s" if sd.exit_seconds is not None else "did not exit"
        out += [
            f"SIGTERM under load: {sd.in_flight} requests in flight, {sd.completed} completed, {sd.failed} failed; the app {exited}"
            + (" and was killed with SIGKILL" if sd.killed else "")
            + ".",
            "",
        ]
    if report.events:
        out += ["What happened:", ""] + [f"- {e}" for e in report.events] + [""]
    if report.log_tail:
        out += ["App log (last lines):", "", "```text", report.log_tail, "```", ""]
    out += [
        "## Method",
        "",
        "Every figure above was measured by this audit on this machine, except rows marked projected, which name their model. "
        "Capacity comes from constant-rate steps of the open model (latency counted from each request's intended send time, "
        "so a stalled server cannot hide its queue), raised by doubling and then bisection until the SLO or the error budget broke. "
        "The USL is fitted to a closed-model concurrency sweep by bounded least squares. Users = throughput × (think time + response time) "
        "(Little's law). The app and the load generator share this machine's CPU cores, so absolute figures are lower than on a dedicated host; "
        "a step where the generator was the limit is marked and never counted as capacity.",
        "",
    ]
    return out
