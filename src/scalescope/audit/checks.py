"""Findings made from measurements: what the running app did under load.

Each check is documented like a scan rule (What it finds / Why it matters at scale / Use
instead) so ``scalescope explain`` shows it, and produces the same :class:`Finding` shape in
the same categories, so one report ranks measured and static findings together. Their evidence
is the measurement itself (the step, the rate, the numbers), never a guess.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from scalescope.audit.capacity import CapacityResult, Step
from scalescope.audit.datasize import SizePoint, SizeSeries
from scalescope.audit.measure import EndpointLatency
from scalescope.audit.shutdown import ShutdownResult
from scalescope.report.model import Evidence, Finding, check_metadata

__all__ = [
    "CHECKS",
    "MeasuredCheck",
    "data_size_finding",
    "link_back",
    "measured_findings",
    "slow_endpoint_finding",
]


@dataclass(frozen=True, slots=True)
class MeasuredCheck:
    id: str
    name: str
    category: str
    severity: str
    title: str
    effort: str
    doc: str

    def __post_init__(self) -> None:
        if not re.match(r"^SC-[A-Z]+-1\d\d$", self.id):
            raise ValueError(f"measured check id {self.id!r} is not SC-<CAT>-1NN")
        check_metadata(self.id, self.name, self.category, self.severity, self.effort)
        parts = ("What it finds", "Why it matters at scale", "Use instead")
        if not all(f"## {part}" in self.doc for part in parts):
            raise ValueError(f"{self.id}: documentation misses a section")


CHECKS: dict[str, MeasuredCheck] = {
    c.id: c
    for c in (
        MeasuredCheck(
            "SC-AVAIL-101",
            "process-died-under-load",
            "availability",
            "critical",
            "The app process exited under load",
            "days",
            """The app's process exited while the audit was loading it.

## What it finds
The process started by the audit's start command exited during a load step: a crash, an
out-of-memory kill, an unhandled promise rejection or exception that takes the process down.

## Why it matters at scale
Every request in flight fails, and every instance fails at the same load level, so adding
instances behind a load balancer moves the cliff but does not remove it.

## Use instead
Read the log tail in the report; catch errors per request (framework error handlers), bound
memory (streaming, pagination), and run under a supervisor that restarts the process.""",
        ),
        MeasuredCheck(
            "SC-AVAIL-102",
            "errors-under-load",
            "availability",
            "high",
            "Error rate above the budget under load",
            "days",
            """Requests failed above the error budget at a load the app was otherwise serving.

## What it finds
A load step whose error rate (5xx, resets, timeouts, requests the generator had to drop)
exceeded the SLO's error budget, with the status codes and the offered rate.

## Why it matters at scale
Errors that appear with load are capacity errors (pool timeouts, exhausted file descriptors,
upstream timeouts): they grow with traffic and hit every user at peak.

## Use instead
Match the status codes to their cause in the app log: pool sizes and timeouts, rate limits,
upstream timeouts; shed load explicitly (429 with Retry-After) instead of failing at random.""",
        ),
        MeasuredCheck(
            "SC-AVAIL-103",
            "in-flight-requests-dropped-on-sigterm",
            "availability",
            "high",
            "Requests in flight fail when the app is stopped",
            "hours",
            """Requests in flight failed when the app received SIGTERM.

## What it finds
The audit sent SIGTERM to the app while requests were in flight; some of them got no full
response (reset or cut off).

## Why it matters at scale
Orchestrators stop instances with SIGTERM on every deploy, scale-in and node drain: each one
turns into a burst of failed requests, more of them the busier the service is.

## Use instead
Handle SIGTERM: stop accepting new connections, finish requests in flight, close pools, then
exit (Node: `server.close()` in a SIGTERM handler; gunicorn/uvicorn do this by default with a
graceful timeout). In Kubernetes add a short preStop delay so the endpoint is removed first.""",
        ),
        MeasuredCheck(
            "SC-AVAIL-104",
            "sigterm-ignored",
            "availability",
            "medium",
            "The app ignores SIGTERM",
            "hours",
            """The app did not exit within the grace period after SIGTERM and had to be killed.

## What it finds
After SIGTERM the process (or one of its children) was still running when the grace period
ended, so the audit sent SIGKILL.

## Why it matters at scale
Every deploy then waits the full grace period per instance and ends with SIGKILL, which fails
whatever was in flight and skips cleanup (pools, queues, buffered logs).

## Use instead
Make PID 1 forward signals (exec form in Dockerfiles, `tini`, `--init`), handle SIGTERM in the
app, and close long-lived connections so the process can exit.""",
        ),
        MeasuredCheck(
            "SC-RES-101",
            "cpu-bound-at-saturation",
            "resource-management",
            "medium",
            "The app is CPU-bound at its capacity",
            "days",
            """The app's processes used all the CPU they could at the rate where the SLO broke.

## What it finds
At the first failing step the app's process tree used at least 90% of the cores it can use
(one core for a single-process app).

## Why it matters at scale
Capacity is set by CPU per request: more instances or more worker processes scale it nearly
linearly until a shared resource (the database) takes over; a single-process Node/Python app
leaves the host's other cores idle.

## Use instead
Run one worker per core (gunicorn/uvicorn workers, Node cluster/PM2), cache expensive
responses, and profile the hottest endpoint (serialization and template rendering are common
culprits).""",
        ),
        MeasuredCheck(
            "SC-RES-102",
            "memory-grows-under-constant-load",
            "resource-management",
            "high",
            "Memory grows during a constant-rate step",
            "days",
            """The app's resident memory grew steadily while the offered load stayed constant.

## What it finds
During constant-rate steps the process tree's RSS rose by more than a quarter of its size
(and at least 50 MiB) and did not come back down.

## Why it matters at scale
Memory that grows with requests served is a leak or an unbounded in-process cache: the
process is eventually OOM-killed, on every instance, at a time set by traffic.

## Use instead
Bound in-process caches (LRU with max size and TTL) or move them to Redis; look for
module-level maps/lists that grow per request; take heap snapshots before and after a step.""",
        ),
        MeasuredCheck(
            "SC-DB-102",
            "latency-grows-with-data-returned",
            "database",
            "medium",
            "Endpoint latency grows with the data it returns",
            "days",
            """An endpoint whose latency the audit measured rising with the size of its response.

## What it finds
A GET endpoint measured at several response sizes the app itself serves (page sizes its
OpenAPI document declares or that it honours, filter values and ids its own responses carry):
its median latency, fitted against response bytes, rises in a straight line (R² >= 0.8) and
at least doubles, by 2 ms or more, between the smallest and the largest response, and the
largest response's median is above the smallest one's p95 (noise on a busy machine cannot
draw the line; such a run is measured once more). The finding
gives the sizes and latencies measured, the slope in ms per kB, where the slope would reach
the SLO by itself (a projection), and the N+1 / unbounded-list / nested-include finding on the
route's handler when the scan has one (that finding cites the measurement back).

## Why it matters at scale
Its cost is per row returned, and the rows grow with the tables: the endpoint slows down as
the business grows, without any change in traffic, and each request holds a worker and a
database connection longer, so the whole app's capacity falls with it. A bounded endpoint (a
capped page size) also costs more for 50 rows than for 10, but it stops there.

## Use instead
Bound what the endpoint returns: pagination with a maximum page size (cursor/keyset
pagination for deep pages), only the fields the client needs, aggregates computed in the
database; load related rows in one query (no N+1). Then re-run the audit: the fitted slope and
the largest response show the bound.""",
        ),
        MeasuredCheck(
            "SC-DB-101",
            "slow-endpoint-explained-by-query",
            "database",
            "high",
            "The slowest endpoint runs a query the scan flagged",
            "days",
            """The slowest endpoint measured is served by code with a flagged query pattern.

## What it finds
The endpoint with the highest warm p95 latency is a route whose handler reaches a static
finding of the N+1, unbounded-list or unindexed-filter rules.

## Why it matters at scale
Its latency grows with the data behind it, so it is the first endpoint to break the SLO as
tables grow, and it holds connections the longest.

## Use instead
Fix the linked static finding first (its own recommendation says how), then re-run the audit
and compare with `scalescope diff`.""",
        ),
    )
}


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _finding(check_id: str, message: str, recommendation: str, related: Sequence[Evidence] = ()) -> Finding:
    check = CHECKS[check_id]
    return Finding(
        rule=check.id,
        rule_name=check.name,
        category=check.category,
        severity=check.severity,
        title=check.title,
        message=message,
        file="",
        line=0,
        end_line=0,
        excerpt="",
        recommendation=recommendation,
        effort=check.effort,
        confidence="high",
        fingerprint=_fingerprint(check.id, message.split(":")[0]),
        impact="measured",
        related=tuple(related),
    )


def _step_text(step: Step) -> str:
    return (
        f"{step.offered_rps:,.0f} req/s offered, {step.achieved_rps:,.0f} served, p95 {step.p95_ms:,.0f} ms, "
        f"errors {step.error_rate * 100:.1f}%"
    )


def measured_findings(
    capacity: CapacityResult | None,
    shutdown: ShutdownResult | None,
    cores: int,
    exit_during: tuple[str, int] | None = None,
    log_tail: str = "",
) -> list[Finding]:
    """Findings from what was measured (see :data:`CHECKS`)."""
    out: list[Finding] = []
    steps = list(capacity.steps) if capacity is not None else []
    died = next((s for s in steps if s.process_exit is not None), None)
    if died is not None or exit_during is not None:
        where = _step_text(died) if died is not None else (exit_during[0] if exit_during else "")
        code = died.process_exit if died is not None else (exit_during[1] if exit_during else None)
        tail = log_tail.strip().splitlines()[-1:] if log_tail.strip() else []
        out.append(
            _finding(
                "SC-AVAIL-101",
                f"the app exited with status {code} during the step at {where}"
                + (f"; last log line: {tail[0][:200]}" if tail else ""),
                "Read the log tail in the report for the cause; fix it before reading any capacity figure.",
            )
        )
    erring = next((s for s in steps if capacity is not None and s.error_rate > capacity.slo.error_rate), None)
    if erring is not None and died is None:
        kinds = ", ".join(f"{k}: {v}" for k, v in sorted(erring.errors.items(), key=lambda kv: -kv[1])[:4])
        dropped = f", {erring.dropped} dropped" if erring.dropped else ""
        out.append(
            _finding(
                "SC-AVAIL-102",
                f"errors {erring.error_rate * 100:.1f}% (budget {capacity.slo.error_rate * 100:g}%) at "  # type: ignore[union-attr]
                f"{erring.offered_rps:,.0f} req/s offered ({kinds or 'no status breakdown'}{dropped})",
                "Find the failing status codes' cause in the app log (pool or upstream timeouts, limits); "
                "shed excess load with 429 + Retry-After rather than failing at random.",
            )
        )
    if shutdown is not None:
        if shutdown.failed > 0:
            out.append(
                _finding(
                    "SC-AVAIL-103",
                    f"{shutdown.failed} of {shutdown.in_flight} requests in flight failed when SIGTERM was "
                    "sent "
                    f"(the app exited after {shutdown.exit_seconds or 0:.2f} s)",
                    "Handle SIGTERM: stop accepting, drain requests in flight, close pools, then exit.",
                )
            )
        if shutdown.killed:
            out.append(
                _finding(
                    "SC-AVAIL-104",
                    "the app was still running at the end of the grace period after SIGTERM and was "
                    "killed with SIGKILL",
                    "Forward signals to the app (exec form, tini) and handle SIGTERM.",
                )
            )
    failing = next(
        (
            s
            for s in steps
            if capacity is not None
            and s.offered_rps > (capacity.sustainable_rps or 0)
            and s.cpu_percent is not None
        ),
        None,
    )
    if (
        failing is not None
        and failing.cpu_percent is not None
        and capacity is not None
        and capacity.limiting in {"latency", "throughput"}
    ):
        usable = 100.0 * cores
        if failing.cpu_percent >= 0.9 * min(usable, 100.0 * max(1, cores)):
            out.append(
                _finding(
                    "SC-RES-101",
                    f"the app's processes used {failing.cpu_percent:.0f}% CPU (of {usable:.0f}% on {cores} "
                    "cores) "
                    f"at {_step_text(failing)}",
                    "Scale CPU: one worker per core, cache expensive responses, profile the hottest "
                    "endpoint.",
                )
            )
    constant = [s for s in steps if s.rss_mib is not None and s.process_exit is None]
    if len(constant) >= 3:
        first, last = constant[0].rss_mib or 0.0, max(s.rss_mib or 0.0 for s in constant)
        if last - first >= max(50.0, 0.25 * first):
            out.append(
                _finding(
                    "SC-RES-102",
                    f"resident memory grew from {first:,.0f} MiB to {last:,.0f} MiB over {len(constant)} "
                    "load steps",
                    "Bound in-process caches and per-request state; compare heap snapshots before and "
                    "after a step.",
                )
            )
    return out


def slow_endpoint_finding(endpoint: EndpointLatency, explained_by: Sequence[Finding]) -> Finding:
    """The slowest endpoint, linked to the static findings on its handler's code."""
    related = [Evidence(f.file, f.line, f"{f.rule} {f.title}", kind="explains") for f in explained_by]
    names = ", ".join(sorted({f.rule for f in explained_by}))
    return _finding(
        "SC-DB-101",
        f"{endpoint.method} {endpoint.path} is the slowest endpoint measured (warm p95 "
        f"{endpoint.warm_p95_ms:,.1f} ms, cold p95 {endpoint.cold_p95_ms:,.1f} ms) and its handler "
        f"reaches {names}",
        "Fix the linked static findings first, then re-run the audit and compare with scalescope diff.",
        related,
    )


def _size(size: float) -> str:
    return f"{size / 1000:,.1f} kB" if size >= 1000 else f"{size:,.0f} B"


def data_size_finding(series: SizeSeries, explained_by: Sequence[Finding], slo_p95_ms: float) -> Finding:
    """SC-DB-102 for an endpoint whose measured latency grows with its response (``series.grows``),
    linked to the static findings on its handler's code."""
    fit = series.fit
    assert fit is not None and series.points
    small = min(series.points, key=lambda p: p.bytes)
    large = max(series.points, key=lambda p: p.bytes)

    def at(p: SizePoint) -> str:
        items = f" ({p.items:,} items)" if p.items is not None else ""
        return f"{p.p50_ms:,.1f} ms for {_size(p.bytes)}{items}"

    text = (
        f"{series.endpoint}: median latency rises from {at(small)} to {at(large)} "
        f"({series.varied}, {len(series.points)} sizes measured); "
        f"fitted {fit.slope_ms_per_kb:,.3f} ms per kB (R² {fit.r2:.2f})"
    )
    reach = fit.bytes_for(slo_p95_ms)
    if reach is not None and reach > large.bytes:
        text += (
            f"; at this slope the data alone takes it to the {slo_p95_ms:g} ms SLO at about {_size(reach)} "
            f"({reach / max(large.bytes, 1):,.0f}x the largest response measured; projected, linear)"
        )
    if explained_by:
        text += f"; its handler reaches {', '.join(sorted({f.rule for f in explained_by}))}"
    related = [Evidence(f.file, f.line, f"{f.rule} {f.title}", kind="explains") for f in explained_by]
    finding = _finding(
        "SC-DB-102",
        text,
        "Bound what the endpoint returns (a maximum page size, cursor pagination, only the fields "
        "needed) and load related rows in one query; fix the linked static findings first.",
        related,
    )
    return replace(finding, routes=(series.endpoint,))


def link_back(static: Finding, measured: Finding, summary: str, *, confirms: bool) -> Finding:
    """``static`` citing the measured finding that it explains (the other half of the link).
    ``confirms``: the measurement shows the defect itself, so the confidence moves one step up
    (as a live server's confirmation does, ``probe/verdict.py``; never for code that does not
    run in production), and a finding lifted above its rule's calibrated ceiling loses the
    ceiling's "Low confidence" sentence: the measurement answered it."""
    from scalescope.probe.verdict import CONFIDENCE_UP
    from scalescope.scan.calibration import ceiling_of

    level = CONFIDENCE_UP[static.confidence] if confirms and static.reach != "offline" else static.confidence
    message = static.message
    ceiling = ceiling_of(static.rule)
    order = {"low": 0, "medium": 1, "high": 2}
    if ceiling is not None and order[level] > order[ceiling.confidence]:
        message = message.replace(f" {ceiling.note}", "")
    cites = f"Measured by the audit ({measured.rule} {measured.rule_name}): {summary}."
    return replace(
        static,
        confidence=level,
        message=f"{message.rstrip()} {cites}",
        related=(
            *static.related,
            Evidence("", 0, f"{measured.rule} {measured.title}: {summary}", kind="measured"),
        ),
    )
