"""The audit, step by step: scan → traffic mix → start the app → warm-up → per-endpoint cold
and warm latency → capacity search (open model) → concurrency sweep + USL fit (closed model)
→ more instances when a command for them is given → live probes of the app's PostgreSQL and
Redis when ``--db`` / ``--redis`` are given (read-only, cross-checked against the scan) →
SIGTERM under load → findings, users, plan and verdict.

Each phase checks the time budget before it starts and is skipped (and said so) when the
budget is spent. Whatever happens (the app never starts, dies mid-run, ignores SIGTERM, the
user presses Ctrl-C), the app is stopped, its process group is killed if needed, and a report
of what was measured so far comes back, with the log tail.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import psutil

from scalescope.audit.app import AppError, AppProcess, free_port, wait_healthy
from scalescope.audit.capacity import SLO, CapacityResult, search_capacity
from scalescope.audit.checks import data_size_finding, link_back, measured_findings, slow_endpoint_finding
from scalescope.audit.datasize import SizeSeries, size_series
from scalescope.audit.live import LiveResult, probe_servers
from scalescope.audit.measure import ConcurrencyPoint, EndpointLatency, Measurer
from scalescope.audit.plan import PlanRow, UsersEstimate, capacity_plan, concurrent_users
from scalescope.audit.report import AuditReport, Verdict
from scalescope.audit.sampler import ProcessSampler
from scalescope.audit.settings import AuditSettings
from scalescope.audit.shutdown import ShutdownResult, sigterm_under_load
from scalescope.audit.size_variants import http_fetch, openapi_params
from scalescope.audit.traffic import (
    TrafficMix,
    build_mix,
    fetch_openapi,
    openapi_candidates,
    route_candidates,
    route_shape,
)
from scalescope.audit.usl import UslError, USLFit, fit_usl
from scalescope.load.config import ConfigError as LoadConfigError
from scalescope.load.config import RequestSpec
from scalescope.load.scenario import load_scenario, parse_target
from scalescope.model.facts import Function, Route
from scalescope.model.project import ProjectModel
from scalescope.redact import redact
from scalescope.report.model import SEVERITY_RANK, Finding, ScanReport

__all__ = ["run_audit"]

#: rules whose findings can explain a slow endpoint (query shape on the request path)
EXPLAINING_RULES = frozenset({"SC-DB-003", "SC-DB-004", "SC-DB-006", "SC-DB-007", "SC-DB-005"})
#: rules whose findings make latency grow with the rows returned (N+1, unbounded list, nested includes)
DATA_SIZE_RULES = frozenset({"SC-DB-003", "SC-DB-004", "SC-DB-007"})
#: the response-size measurements stop when less than this share of the budget is left
DATA_SIZE_FLOOR = 0.4
SWEEP_LEVELS = (1, 2, 4, 8, 16, 32, 64, 128)
WARMUP_CONNECTIONS = 16
#: shares of the budget: the capacity search, and of that the part the other instance counts
#: get when an instances command is given
CAPACITY_SHARE = 0.45
INSTANCES_SHARE = 1 / 3
#: seconds a load step costs beyond its length (starting the generator's worker processes)
STEP_OVERHEAD_S = 1.0


@dataclass
class _State:
    settings: AuditSettings
    progress: Callable[[str], None]
    started: float = field(default_factory=time.monotonic)
    events: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    scan: ScanReport | None = None
    model: ProjectModel | None = None
    url: str = ""
    app: AppProcess | None = None
    sampler: ProcessSampler | None = None
    traffic: TrafficMix | None = None
    openapi: tuple[str, dict[str, object]] | None = None
    endpoints: list[EndpointLatency] = field(default_factory=list)
    sizes: list[SizeSeries] = field(default_factory=list)
    capacity: CapacityResult | None = None
    sweep: list[ConcurrencyPoint] = field(default_factory=list)
    usl: USLFit | None = None
    instances: dict[int, float] = field(default_factory=dict)
    shutdown: ShutdownResult | None = None
    log_tail: str = ""
    exit_during: tuple[str, int] | None = None
    failed: str = ""
    live: LiveResult | None = None
    probed: bool = False
    #: the project's min-confidence: static findings below it after the evidence are hidden
    floor: str = "medium"

    def left(self) -> float:
        return self.settings.budget_s - (time.monotonic() - self.started)

    def note(self, text: str) -> None:
        self.events.append(text)
        self.progress(text)


def run_audit(settings: AuditSettings, progress: Callable[[str], None] | None = None) -> AuditReport:
    """Run the whole audit (see the module docstring) and return its report."""
    st = _State(settings, progress or (lambda _m: None))
    workdir = Path(tempfile.mkdtemp(prefix="scalescope-audit-"))
    interrupted = False
    try:
        _scan(st)
        if _start(st, workdir):
            _measure(st, workdir)
        _probe(st)  # when the load phase ended early (the app died, nothing to load, ...)
    except KeyboardInterrupt:
        interrupted = True
        st.warnings.append("interrupted (Ctrl-C): the report holds what was measured before")
    finally:
        if st.sampler is not None:
            st.sampler.stop()
        if st.app is not None:
            if st.app.alive():
                st.app.stop(grace_s=settings.shutdown_grace_s)
            else:
                st.app.stop(grace_s=0.1)
            st.log_tail = redact(st.app.log_tail())
    report = _report(st)
    if interrupted:
        report = replace(report, verdict=replace(report.verdict, ok=False))
    return report


# --------------------------------------------------------------------------- phases


def _scan(st: _State) -> None:
    path = st.settings.path
    if path is None:
        return
    from scalescope.scan.config import ConfigError, ScanConfig, load_config
    from scalescope.scan.engine import scan_project

    st.progress(f"scanning {path}")
    try:
        config = load_config(path)
    except ConfigError as exc:
        st.warnings.append(f"the project's scan configuration was not used: {exc}")
        config = ScanConfig()
    st.floor = config.min_confidence
    try:
        # at low confidence: a finding whose truth depends on data the code does not show
        # (scan/calibration.py) may be raised by what the audit measures or the servers show;
        # what is still below the project's minimum afterwards is hidden (_report)
        st.scan, st.model = scan_project(path, replace(config, min_confidence="low"), jobs=None)
    except Exception as exc:
        st.warnings.append(f"the static scan failed: {type(exc).__name__}: {exc}")
        return
    shown = sum(1 for f in st.scan.findings if _shown(f, st.floor))
    st.note(
        f"scanned {st.scan.files_scanned} files: {shown} findings"
        + (
            f" ({len(st.scan.findings) - shown} more at lower confidence)"
            if shown < len(st.scan.findings)
            else ""
        )
    )


def _start(st: _State, workdir: Path) -> bool:
    s = st.settings
    if s.start is None:
        if not s.url:
            st.failed = "nothing to audit: give --start (a command that starts the app) or --url"
            return False
        st.url = s.url.rstrip("/")
        return _healthy(st)
    port = free_port()
    cwd = s.path if s.path is not None and s.path.is_dir() else Path.cwd()
    st.app = AppProcess(s.start, cwd=cwd, port=port, env=dict(s.env), log_path=workdir / "app.log")
    st.url = (s.url or "http://127.0.0.1:{port}").replace("{port}", str(port)).rstrip("/")
    st.progress(f"starting the app: {redact(st.app.command)}")
    try:
        st.app.start()
    except AppError as exc:
        st.failed = str(exc)
        return False
    if not _healthy(st):
        return False
    if st.app.pid is not None:
        st.sampler = ProcessSampler(st.app.pid, interval_s=0.5)
        st.sampler.start()
    return True


def _healthy(st: _State) -> bool:
    health = st.settings.health if st.settings.health.startswith("/") else "/" + st.settings.health
    try:
        waited = wait_healthy(st.url + health, timeout_s=st.settings.startup_timeout_s, app=st.app)
    except AppError as exc:
        st.failed = str(exc)
        return False
    st.note(f"the app answered {health} after {waited:.1f} s")
    return True


def _measure(st: _State, workdir: Path) -> None:
    s = st.settings
    st.traffic = _traffic(st)
    if not st.traffic.requests:
        st.failed = st.failed or "no request of the traffic mix answered successfully: nothing to load"
        return
    target, _ = parse_target(st.url)
    app = st.app
    measurer = Measurer(
        target,
        st.traffic.requests,
        step_s=s.step_s,
        workers=s.workers,
        sampler=st.sampler,
        exit_code=(app.exit_code if app is not None else None),
        on_step=st.progress,
    )
    slo = SLO(p95_ms=s.slo_p95_ms, error_rate=s.slo_errors)

    # 16 connections: a closed model holds at most that many requests in flight, so it cannot
    # overload the app, yet it reaches capacity X when X x response time <= 16 (4 connections
    # under-estimated a 200 req/s app at 50 ms by 2.5x and cost the search two doubling steps)
    warm = measurer.at_concurrency(WARMUP_CONNECTIONS, duration_s=min(s.step_s, 5.0))
    st.note(
        f"warm-up: {warm.throughput_rps:,.0f} req/s at {WARMUP_CONNECTIONS} connections, "
        f"p95 {warm.p95_ms:,.1f} ms"
    )
    if _died(st, "warm-up"):
        return

    if st.left() > 0.75 * s.budget_s - 5:
        for spec in st.traffic.requests[:8]:
            if st.left() < 0.6 * s.budget_s:
                st.warnings.append("per-endpoint latency: stopped early to keep the time budget")
                break
            st.endpoints.append(measurer.endpoint(spec, cold_requests=20, warm_s=min(2.0, s.step_s)))
            if _died(st, f"endpoint {spec.path}"):
                return

    if st.left() > DATA_SIZE_FLOOR * s.budget_s:
        _data_sizes(st, measurer)
        if _died(st, "response-size measurements"):
            return
    else:
        st.warnings.append("latency against response size: not measured, to keep the time budget")

    # the closed-model warm-up is a first estimate of capacity: start at half of it, double until
    # the SLO breaks, then bisect; about 8 steps find the rate within 5%, so the step length is
    # what fits 9 steps into 45% of the budget (3 to 10 s each; a third of it goes to the other
    # instance counts when --instances-cmd is given); a budget too short for 9 steps of 3 s gets
    # fewer steps (at least 4), a coarser search rather than an audit twice as long as asked
    share = CAPACITY_SHARE * s.budget_s * (1.0 - INSTANCES_SHARE if s.instances_cmd else 1.0)
    start_rps = max(5.0, 0.5 * warm.throughput_rps)
    measurer.step_s = max(3.0, min(10.0, share / 9 - 1.0))
    max_steps = _steps_within(share, measurer.step_s, low=4, high=9)
    st.progress(f"capacity search: from {start_rps:,.0f} req/s, {measurer.step_s:.0f} s steps")
    st.capacity = search_capacity(
        measurer.at_rate,
        slo,
        start_rps=start_rps,
        max_rps=max(50_000.0, start_rps * 64),
        max_steps=max_steps,
        precision=0.05,
        should_stop=lambda: app is not None and not app.alive(),
    )
    st.note(f"capacity: {st.capacity.summary}")
    if _died(st, "capacity search"):
        return

    if s.instances_cmd:
        # before the sweep: the sweep stops itself when the budget runs short, the instance
        # counts the user asked for would not
        _instances(st, slo, workdir)
    _sweep(st, measurer, slo)
    if _died(st, "concurrency sweep"):
        return
    _probe(st)  # after the load, while the app still holds its connections
    if app is not None:
        _shutdown(st)  # always: it costs a few seconds and answers a question nothing else does


def _died(st: _State, phase: str) -> bool:
    if st.app is None or st.app.alive():
        return False
    code = st.app.exit_code()
    st.exit_during = (phase, code if code is not None else -1)
    st.note(f"the app exited with status {code} during the {phase}")
    return True


def _traffic(st: _State) -> TrafficMix:
    s = st.settings
    if s.scenario is not None:
        try:
            config = load_scenario(s.scenario)
        except (LoadConfigError, OSError) as exc:
            st.failed = f"the scenario {s.scenario} cannot be used: {exc}"
            return TrafficMix(source=f"scenario {s.scenario.name}")
        mix = TrafficMix(requests=list(config.requests), source=f"scenario {s.scenario.name}")
        st.note(f"traffic mix: {len(mix.requests)} requests from {s.scenario.name}")
        return mix
    routes: list[tuple[str, str, str]] = []
    if st.model is not None:
        for route in _routes(st.model):
            routes.append((route.method, route.path, f"{route.loc.file}:{route.loc.line}"))
    st.openapi = fetch_openapi(st.url)
    candidates = route_candidates(
        [*routes, *((c.method, c.path, c.source) for c in openapi_candidates(st.url, document=st.openapi))]
    )
    mix = build_mix(st.url, candidates)
    if not mix.requests:
        health = s.health if s.health.startswith("/") else "/" + s.health
        mix.requests.append(RequestSpec(name=f"GET {health}", path=health))
        mix.source = "the health path only (no route found by the scan answered)"
        st.warnings.append("no route found by the scan answered 2xx/3xx: loading the health path only")
    st.note(f"traffic mix: {len(mix.requests)} endpoints ({mix.source}); {len(mix.skipped)} left out")
    return mix


def _data_sizes(st: _State, measurer: Measurer) -> None:
    """Each GET endpoint at the response sizes the app serves (``audit/datasize.py``)."""
    assert st.traffic is not None
    floor = DATA_SIZE_FLOOR * st.settings.budget_s

    def go_on() -> bool:
        if st.left() > floor and (st.app is None or st.app.alive()):
            return True
        st.warnings.append("latency against response size: stopped early to keep the time budget")
        return False

    st.sizes = size_series(
        st.traffic.requests,
        openapi_params(st.openapi[1]) if st.openapi is not None else None,
        http_fetch(st.url),
        measurer.interleaved,
        go_on=go_on,
        on_series=lambda series: st.note(
            f"{series.endpoint} at {len(series.points)} response sizes ({series.varied}): {series.why}"
        ),
    )


def _routes(model: ProjectModel) -> list[Route]:
    mounted = getattr(model, "routes", None)
    if isinstance(mounted, list | tuple):
        return [r for r in mounted if isinstance(r, Route)]
    return list(model.all(Route))


def _sweep(st: _State, measurer: Measurer, slo: SLO) -> None:
    """Closed-model levels 1, 2, 4, ... until throughput stops rising, errors appear, or the
    budget is spent; at least 4 levels (a USL fit needs 3 points) unless the app is gone."""
    duration = max(2.0, min(5.0, 0.2 * st.settings.budget_s / 6))
    best = 0.0
    flat = 0
    for level in SWEEP_LEVELS:
        if len(st.sweep) >= 4 and st.left() < duration + 8:
            st.warnings.append(f"concurrency sweep stopped at {level} connections to keep the time budget")
            break
        point = measurer.at_concurrency(level, duration_s=duration)
        st.sweep.append(point)
        if st.app is not None and not st.app.alive():
            break
        if point.error_rate > slo.error_rate or point.p95_ms > 4 * slo.p95_ms:
            break
        flat = flat + 1 if point.throughput_rps < 1.05 * best else 0
        best = max(best, point.throughput_rps)
        if flat >= 2 and len(st.sweep) >= 4:
            break  # past the peak: two levels without gain
    if len(st.sweep) >= 3:
        try:
            st.usl = fit_usl([p.concurrency for p in st.sweep], [p.throughput_rps for p in st.sweep])
            st.note(f"USL fit: σ={st.usl.sigma:.3f} κ={st.usl.kappa:.5f} R²={st.usl.r2:.2f}")
        except UslError as exc:
            st.warnings.append(f"no USL fit: {exc}")


def _gone(app: AppProcess) -> bool:
    return not app.alive()


def _steps_within(seconds: float, step_s: float, *, low: int, high: int) -> int:
    """How many load steps of ``step_s`` fit in ``seconds``, between ``low`` and ``high``."""
    return max(low, min(high, int(seconds // (step_s + STEP_OVERHEAD_S))))


def _instances(st: _State, slo: SLO, workdir: Path) -> None:
    """Capacity with 2..``max_instances`` instances started by ``instances_cmd`` (``{n}``: the
    count, ``{port}``: a free port), each count in its own process group, stopped before the
    next; the 1-instance figure is the main search's. Each search starts at the rate the count
    below sustained and first tries the linear ideal (n / (n - 1) of it), then bisects."""
    s = st.settings
    assert s.instances_cmd is not None
    if st.capacity is None or not st.capacity.sustainable_rps:
        st.warnings.append("instances: not measured, one instance sustained no rate to start from")
        return
    st.instances[1] = st.capacity.sustainable_rps
    counts = list(range(2, s.max_instances + 1))
    share = CAPACITY_SHARE * s.budget_s * INSTANCES_SHARE / max(len(counts), 1)
    health = s.health if s.health.startswith("/") else "/" + s.health
    cwd = s.path if s.path is not None and s.path.is_dir() else Path.cwd()
    for n in counts:
        max_steps = _steps_within(share, s.step_s, low=3, high=6)
        if st.left() < max_steps * (s.step_s + STEP_OVERHEAD_S):
            st.warnings.append(f"instances: stopped before {n} instances to keep the time budget")
            break
        port = free_port()
        command = s.instances_cmd.replace("{n}", str(n))
        group = AppProcess(
            command, cwd=cwd, port=port, env=dict(s.env), log_path=workdir / f"instances-{n}.log"
        )
        url = (s.url or "http://127.0.0.1:{port}").replace("{port}", str(port)).rstrip("/")
        st.progress(f"starting {n} instances: {redact(group.command)}")
        try:
            group.start()
            wait_healthy(url + health, timeout_s=s.startup_timeout_s, app=group)
            target, _ = parse_target(url)
            measurer = Measurer(
                target,
                st.traffic.requests if st.traffic else [],
                step_s=s.step_s,
                workers=s.workers,
                exit_code=group.exit_code,
                on_step=st.progress,
            )
            below = st.instances.get(n - 1) or st.instances[1]
            result = search_capacity(
                measurer.at_rate,
                slo,
                start_rps=below,
                growth=n / (n - 1),
                max_steps=max_steps,
                precision=0.05,
                should_stop=functools.partial(_gone, group),
            )
        except AppError as exc:
            tail = exc.log_tail.strip().splitlines()[-1:] or [""]
            st.warnings.append(
                f"{n} instances did not start: {exc}" + (f" ({tail[0][:200]})" if tail[0] else "")
            )
            break
        finally:
            group.stop(grace_s=s.shutdown_grace_s)
        if result.limiting == "process-exit":
            st.warnings.append(f"{n} instances: the process group exited under load ({result.summary})")
            break
        if result.limiting == "generator":
            st.warnings.append(
                f"{n} instances: the load generator, not the app, was the limit: the figure is a lower bound"
            )
        if not result.sustainable_rps:
            st.warnings.append(f"{n} instances: no sustainable rate ({result.summary})")
            break
        st.instances[n] = result.sustainable_rps
        st.note(f"{n} instances: {result.summary}")


def _probe(st: _State) -> None:
    """The live probes (``--db`` / ``--redis``), once; unreachable servers become warnings."""
    if st.probed or not (st.settings.db or st.settings.redis):
        return
    st.probed = True
    st.progress("probing the live servers (read-only)")
    st.live, warnings = probe_servers(st.settings, st.scan, st.model, os.environ, root=st.url or "audit")
    st.warnings.extend(warnings)
    if st.live is not None:
        for server in st.live.servers:
            if not server.error:
                st.note(
                    f"probed {server.label} ({server.version}): {len(server.findings)} findings; "
                    f"{sum(1 for c in st.live.cross_checks if c.server == server.label)} scan findings "
                    "cross-checked"
                )


def _shutdown(st: _State) -> None:
    app = st.app
    assert app is not None and app.pid is not None
    pid = app.pid
    path = st.traffic.requests[0].path if st.traffic and st.traffic.requests else st.settings.health
    target, _ = parse_target(st.url)
    st.progress("SIGTERM under load")

    def kill_group(sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, sig)

    st.shutdown = sigterm_under_load(
        target.host,
        target.port,
        path,
        send_sigterm=lambda: kill_group(signal.SIGTERM),
        exit_code=app.exit_code,
        kill=lambda: kill_group(signal.SIGKILL),
        connections=16,
        warm_s=1.0,
        grace_s=st.settings.shutdown_grace_s,
    )
    sd = st.shutdown
    st.note(
        f"SIGTERM under load: {sd.completed} of {sd.in_flight} requests in flight completed, {sd.failed} "
        "failed" + (", SIGKILL was needed" if sd.killed else "")
    )


# --------------------------------------------------------------------------- report


def _explaining(
    model: ProjectModel,
    findings: Sequence[Finding],
    route_path: str,
    rules: frozenset[str] = EXPLAINING_RULES,
) -> list[Finding]:
    """Static findings of ``rules`` on code that a route with ``route_path`` reaches (``/a/:id``
    and ``/a/{id}`` are one route)."""
    by_file: dict[str, list[Function]] = {}
    for fn in model.all(Function):
        by_file.setdefault(fn.loc.file, []).append(fn)
    shape = route_shape(route_path)
    out: list[Finding] = []
    for finding in findings:
        if finding.rule not in rules:
            continue
        inside = [
            fn
            for fn in by_file.get(finding.file, [])
            if fn.loc.line <= finding.line <= (fn.loc.end_line or fn.loc.line)
        ]
        inner = max(inside, key=lambda fn: fn.loc.line, default=None)
        if inner is None:
            continue
        if any(route_shape(r.path) == shape for r in model.routes_reaching(inner.id)):
            out.append(finding)
    return out


def _shown(finding: Finding, floor: str) -> bool:
    order = {"low": 0, "medium": 1, "high": 2}
    return order.get(finding.confidence, 1) >= order.get(floor, 1)


def _linked(
    findings: Sequence[Finding],
    explains: Sequence[Finding],
    measured: Finding,
    summary: str,
    *,
    confirms: bool,
) -> list[Finding]:
    keys = {(f.rule, f.file, f.line, f.fingerprint) for f in explains}
    return [
        link_back(f, measured, summary, confirms=confirms)
        if (f.rule, f.file, f.line, f.fingerprint) in keys
        else f
        for f in findings
    ]


def _report(st: _State) -> AuditReport:
    s = st.settings
    findings: list[Finding] = list(st.scan.findings) if st.scan is not None else []
    if st.live is not None:
        findings = list(st.live.findings)  # the scan's, cross-checked, then the servers'
    measured = measured_findings(
        st.capacity, st.shutdown, psutil.cpu_count() or 1, st.exit_during, st.log_tail
    )
    # measured findings tied to the static ones that explain them, linked both ways: the
    # measured one lists their places (kind "explains"), each of them cites the measurement.
    # Latency that grows with the rows returned confirms the N+1 / unbounded list on the
    # route's handler (one confidence step up: it may lift one the scan capped at low); the
    # slowest endpoint only points at what is shown
    for series in st.sizes:
        if not series.grows or series.fit is None:
            continue
        route = series.endpoint.split(" ", 1)[-1]
        explains = _explaining(st.model, findings, route, DATA_SIZE_RULES) if st.model is not None else []
        finding = data_size_finding(series, explains, s.slo_p95_ms)
        measured.append(finding)
        findings = _linked(findings, explains, finding, f"{series.endpoint} {series.why}", confirms=True)
    hidden = sum(1 for f in findings if not _shown(f, st.floor))
    findings = [f for f in findings if _shown(f, st.floor)]
    if hidden:
        st.events.append(
            f"{hidden} lower-confidence scan findings hidden: no measurement or server raised them to "
            f"{st.floor} (`scalescope scan --min-confidence low` lists them)"
        )
    if st.endpoints and st.model is not None and st.scan is not None:
        slowest = max(st.endpoints, key=lambda e: e.warm_p95_ms)
        written = slowest.name.split(" ", 1)[-1]
        explains = _explaining(st.model, findings, written)
        if explains:
            finding = slow_endpoint_finding(slowest, explains)
            measured.append(finding)
            summary = f"{slowest.name} is the slowest endpoint (warm p95 {slowest.warm_p95_ms:,.1f} ms)"
            findings = _linked(findings, explains, finding, summary, confirms=False)
    findings = measured + findings

    cap = st.capacity
    mean_s = _mean_response_s(cap)
    users: UsersEstimate | None = None
    if cap is not None and cap.sustainable_rps and s.think_time_s is not None:
        users = concurrent_users(cap.sustainable_rps, s.think_time_s, mean_s)
    plan: list[PlanRow] = []
    plan_fit: USLFit | None = None
    measured_instances = dict(st.instances)
    if cap is not None and cap.sustainable_rps and 1 not in measured_instances:
        measured_instances[1] = cap.sustainable_rps
    if measured_instances:
        plan, plan_fit = capacity_plan(
            measured_instances,
            think_time_s=s.think_time_s,
            response_time_s=mean_s,
            target_users=s.users,
            price_per_hour=s.price_per_hour,
        )
    verdict = _verdict(st, users, findings)
    samples: tuple[tuple[float, float, float], ...] = ()
    if st.sampler is not None and st.sampler.samples:
        t0 = st.sampler.samples[0].t
        samples = tuple((x.t - t0, x.cpu_percent, x.rss_mib) for x in st.sampler.samples[1:])
    warnings = list(st.warnings)
    if cap is not None and cap.limiting == "generator":
        warnings.append(
            "the load generator, not the app, was the limit at the last step: the capacity shown is a "
            "lower bound "
            "(the app and the generator share this machine's cores)"
        )
    if st.failed:
        warnings.insert(0, st.failed)
    settings = {
        k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(s).items() if k not in {"extra", "env"}
    }
    settings["env"] = sorted(k for k, _ in s.env)  # names only: values may be secrets
    for key in ("db", "redis"):  # servers by label (or the $NAME reference), never the URL
        if settings.get(key):
            settings[key] = _server_setting(str(settings[key]), "postgres" if key == "db" else "redis")
    if settings.get("start"):
        settings["start"] = redact(str(settings["start"]))
    return AuditReport(
        root=(s.path.resolve().name if s.path is not None else st.url),
        url=st.url,
        verdict=verdict,
        settings=settings,
        scan=st.scan,
        findings=tuple(findings),
        capacity=cap,
        sweep=tuple(st.sweep),
        usl=st.usl,
        users=users,
        plan=tuple(plan),
        plan_fit=plan_fit,
        endpoints=tuple(st.endpoints),
        data_sizes=tuple(st.sizes),
        traffic=st.traffic,
        shutdown=st.shutdown,
        resources=samples,
        events=tuple(st.events),
        warnings=tuple(warnings),
        log_tail=st.log_tail,
        cores=psutil.cpu_count() or 1,
        duration_s=time.monotonic() - st.started,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        stack=st.scan.stack if st.scan is not None else {},
        live=st.live,
    )


def _server_setting(value: str, kind: str) -> str:
    """A db/redis setting as reports show it: a ``$NAME`` reference as written, a URL by label."""
    from scalescope.probe.target import ProbeError, parse_target

    if value.strip().startswith("$"):
        return value.strip()
    try:
        return parse_target(kind, value).label
    except ProbeError:
        return "(not a valid URL)"


def _mean_response_s(cap: CapacityResult | None) -> float:
    """Mean response time at the sustainable rate, approximated by that step's p50 (seconds)."""
    if cap is None or cap.sustainable_rps is None:
        return 0.0
    step = min(cap.steps, key=lambda x: abs(x.achieved_rps - (cap.sustainable_rps or 0)))
    return step.p50_ms / 1000.0


def _verdict(st: _State, users: UsersEstimate | None, findings: list[Finding]) -> Verdict:
    cap = st.capacity
    ranked = sorted(
        findings, key=lambda f: (SEVERITY_RANK.get(f.severity, 9), f.impact != "measured", f.sort_key)
    )
    first = ranked[0] if ranked else None
    first_fix = (
        f"{first.rule} {first.title}: {first.message[:160]}" if first is not None else "nothing flagged"
    )
    if st.failed and cap is None:
        return Verdict(
            f"The audit could not measure capacity: {st.failed}", None, None, "none", first_fix, False
        )
    if cap is None or cap.sustainable_rps is None:
        return Verdict(
            "No sustainable rate was found: " + (cap.summary if cap is not None else "nothing was measured"),
            None,
            None,
            cap.limiting if cap is not None else "none",
            first_fix,
            False,
        )
    limiting = {
        "latency": "latency (the p95 SLO)",
        "errors": "errors (the error budget)",
        "throughput": "throughput (requests queued faster than served)",
        "process-exit": "the process exiting",
        "generator": "the load generator (a lower bound)",
        "none": "nothing within the rates tried (a lower bound)",
    }[cap.limiting]
    cpu = next((f for f in findings if f.rule == "SC-RES-101"), None)
    if cpu is not None:
        limiting += "; the app was CPU-bound"
    who = (
        f"about {users.concurrent_users:,} concurrent users at {users.think_time_s:g} s think time"
        if users is not None
        else f"{cap.sustainable_rps:,.0f} req/s (give --think-time to convert to users)"
    )
    headline = f"One instance holds {who} within p95 < {cap.slo.p95_ms:g} ms; what breaks first: {limiting}."
    return Verdict(
        headline,
        users.concurrent_users if users is not None else None,
        cap.sustainable_rps,
        cap.limiting,
        first_fix,
        True,
    )
