"""Capacity search on the open model: raise the arrival rate until the SLO breaks.

The search is a pure function of a ``measure(rate) -> Step`` callable, so it is tested with a
simulated server and driven in production by the load engine (``audit/measure.py``):

1. **coarse**: start low and multiply the offered rate by ``growth`` until a step fails the
   SLO (or the rate cap or the step budget is reached);
2. **bisect** between the highest passing and the lowest failing rate until they are within
   ``precision`` of each other (or the budget is spent).

A step *fails* when its p95 latency or error rate breaks the SLO, when the target could not keep
up (achieved throughput below ``keep_up`` × offered, or latency and requests in flight rising
through the step: a queue building without bound), or when the app process exited.

The load generator's own trouble (``generator_limited``: it ran out of CPU or was late to more
than 1 % of its sends, which a shared machine causes with a few scheduler stalls) matters only
for a step that fails: latency counts from each request's *intended* send time, so a late
generator can only make a step look worse, and a step that met the SLO anyway is evidence the
app held that rate. A failing step the generator was limited in is not evidence about the app:
it is measured once more (a stall on a busy machine passes), and if the generator is still the
limit, that rate is the ceiling: the search bisects below it (a lower rate may be
deliverable) and, unless a lower step fails on the app's account, says the generator was the
limit; no capacity is claimed above the last trustworthy step.

Reported: ``sustainable_rps`` (highest offered rate that met the SLO, as achieved),
``saturation_rps`` (highest throughput achieved by any step), ``knee_rps`` (the last rate
before p95 rose past ``knee_factor`` × its low-load value) and ``limiting`` (what broke first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

__all__ = ["SLO", "CapacityResult", "Step", "failure_reason", "search_capacity"]


@dataclass(frozen=True, slots=True)
class SLO:
    """The service-level objective a step must meet."""

    p95_ms: float = 500.0
    error_rate: float = 0.01  # a fraction: 0.01 = 1 %

    def as_dict(self) -> dict[str, float]:
        return {"p95_ms": self.p95_ms, "error_rate": self.error_rate}


@dataclass(frozen=True, slots=True)
class Step:
    """One constant-rate measurement."""

    offered_rps: float
    achieved_rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    error_rate: float
    requests: int
    duration_s: float
    dropped: int = 0
    generator_limited: bool = False
    cpu_percent: float | None = None  # the app's process tree, % of one core
    rss_mib: float | None = None
    process_exit: int | None = None  # the app's exit status if it died during the step
    errors: dict[str, int] = field(default_factory=dict)
    #: latency and requests in flight rose through the step: a queue was building, so this
    #: rate is above capacity however short the step made the damage look
    backlog_growing: bool = False

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        for key in ("offered_rps", "achieved_rps", "p50_ms", "p95_ms", "p99_ms", "duration_s"):
            out[key] = round(float(out[key]), 2)
        out["error_rate"] = round(self.error_rate, 5)
        if self.cpu_percent is not None:
            out["cpu_percent"] = round(self.cpu_percent, 1)
        if self.rss_mib is not None:
            out["rss_mib"] = round(self.rss_mib, 1)
        return out


@dataclass(frozen=True, slots=True)
class CapacityResult:
    slo: SLO
    steps: tuple[Step, ...]
    sustainable_rps: float | None
    saturation_rps: float | None
    knee_rps: float | None
    #: what broke first: latency | errors | throughput | process-exit | generator | none
    limiting: str
    #: a sentence for the report
    summary: str
    cpu_cores: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "sustainable_rps": _round(self.sustainable_rps),
            "saturation_rps": _round(self.saturation_rps),
            "knee_rps": _round(self.knee_rps),
            "slo": self.slo.as_dict(),
            "limiting": self.limiting,
            "summary": self.summary,
            "steps": [s.as_dict() for s in self.steps],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def failure_reason(step: Step, slo: SLO, keep_up: float = 0.9) -> str | None:
    """Why ``step`` fails the SLO (``None`` when it passes). Order: the strongest evidence first."""
    if step.process_exit is not None:
        return "process-exit"
    reason = _app_reason(step, slo, keep_up)
    if reason is not None and step.generator_limited:
        return "generator"  # the failure may be the generator's: not evidence about the app
    return reason


def _app_reason(step: Step, slo: SLO, keep_up: float) -> str | None:
    if step.error_rate > slo.error_rate:
        return "errors"
    if step.p95_ms > slo.p95_ms:
        return "latency"
    if step.offered_rps > 0 and step.achieved_rps < keep_up * step.offered_rps:
        return "throughput"
    if step.backlog_growing:
        return "throughput"
    return None


def search_capacity(
    measure: Callable[[float], Step],
    slo: SLO,
    *,
    start_rps: float = 10.0,
    max_rps: float = 50_000.0,
    growth: float = 2.0,
    precision: float = 0.05,
    max_steps: int = 14,
    knee_factor: float = 2.0,
    keep_up: float = 0.9,
    should_stop: Callable[[], bool] | None = None,
) -> CapacityResult:
    """Find the highest arrival rate that meets ``slo`` (see the module docstring)."""
    steps: list[Step] = []
    passing: Step | None = None
    failing: Step | None = None
    failing_reason = "none"

    def run(rate: float) -> str | None:
        step = measure(rate)
        steps.append(step)
        reason = failure_reason(step, slo, keep_up)
        if reason == "generator" and len(steps) < max_steps and not (should_stop and should_stop()):
            step = measure(rate)  # once more: a scheduler stall on a shared machine passes
            steps.append(step)
            reason = failure_reason(step, slo, keep_up)
        return reason

    rate = max(start_rps, 1.0)
    while len(steps) < max_steps and not (should_stop and should_stop()):
        reason = run(rate)
        if reason is None:
            passing = steps[-1]
            if rate >= max_rps:
                break
            rate = min(rate * growth, max_rps)
            continue
        failing, failing_reason = steps[-1], reason
        break

    if failing is not None and failing_reason != "process-exit":
        # bisect below a failing step; below a generator-limited one too: the generator may well
        # deliver a lower rate, and the app's limit may lie between the two
        lo = passing.offered_rps if passing is not None else 0.0
        hi = failing.offered_rps
        while (
            len(steps) < max_steps
            and hi - lo > precision * max(lo, 1.0)
            and not (should_stop and should_stop())
        ):
            mid = (lo + hi) / 2.0 if lo > 0 else hi / growth
            if mid < 1.0:
                break
            reason = run(mid)
            if reason is None:
                passing, lo = steps[-1], mid
            elif reason == "process-exit":
                failing, failing_reason = steps[-1], reason
                break
            else:
                failing, failing_reason, hi = steps[-1], reason, mid

    if failing_reason == "generator":
        # the generator's ceiling is no evidence about the app, but a step above it that failed
        # on the app's own account is: report what the app did there
        floor = passing.offered_rps if passing is not None else 0.0
        evidence = [
            s
            for s in steps
            if s.offered_rps > floor and failure_reason(s, slo, keep_up) not in (None, "generator")
        ]
        if evidence:
            failing = min(evidence, key=lambda s: s.offered_rps)
            failing_reason = failure_reason(failing, slo, keep_up) or "none"

    trusted = [s for s in steps if not s.generator_limited or failure_reason(s, slo, keep_up) is None]
    sustainable = passing.achieved_rps if passing is not None else None
    saturation = max((s.achieved_rps for s in trusted), default=None)
    knee = _knee(trusted, knee_factor, slo, keep_up)
    limiting = failing_reason if failing is not None else "none"
    return CapacityResult(
        slo=slo,
        steps=tuple(steps),
        sustainable_rps=sustainable,
        saturation_rps=saturation,
        knee_rps=knee,
        limiting=limiting,
        summary=_summary(passing, failing, limiting, slo, len(steps), max_rps),
    )


def _knee(steps: list[Step], factor: float, slo: SLO, keep_up: float) -> float | None:
    """The highest passing rate before p95 first exceeds ``factor`` × the lowest-rate p95."""
    ordered = sorted(steps, key=lambda s: s.offered_rps)
    if not ordered:
        return None
    base = max(ordered[0].p95_ms, 1.0)
    knee: float | None = None
    for step in ordered:
        if step.p95_ms > factor * base or failure_reason(step, slo, keep_up) is not None:
            break
        knee = step.achieved_rps
    return knee


def _summary(
    passing: Step | None, failing: Step | None, limiting: str, slo: SLO, count: int, max_rps: float
) -> str:
    target = f"p95 < {slo.p95_ms:g} ms and errors < {slo.error_rate * 100:g}%"
    if failing is None:
        if passing is None:
            return "no step ran (stopped before the first measurement)"
        return (
            f"met {target} at every rate tried, up to {passing.offered_rps:,.0f} req/s "
            f"({count} steps; the cap was {max_rps:,.0f} req/s): capacity is at least that"
        )
    what = {
        "latency": f"p95 reached {failing.p95_ms:,.0f} ms",
        "errors": f"the error rate reached {failing.error_rate * 100:.1f}%",
        "throughput": (
            f"only {failing.achieved_rps:,.0f} of {failing.offered_rps:,.0f} req/s were served "
            "(requests queued without bound)"
        ),
        "process-exit": f"the app exited (status {failing.process_exit})",
        "generator": "the load generator could not deliver the offered rate (generator-limited step)",
    }[limiting]
    if passing is None:
        return f"the SLO ({target}) failed already at {failing.offered_rps:,.0f} req/s: {what}"
    return (
        f"sustained {passing.achieved_rps:,.0f} req/s within {target}; at "
        f"{failing.offered_rps:,.0f} req/s {what}"
    )
