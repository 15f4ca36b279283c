"""The capacity search against simulated servers of known capacity."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from scalescope.audit.capacity import SLO, Step, failure_reason, search_capacity


def _server(workers: int, service_s: float, *, die_at: float | None = None, errors_at: float | None = None):
    """A c-worker server, each request taking ``service_s``: below capacity the queue is short
    (M/D/c-like growth), above it the backlog grows for the whole step."""
    capacity = workers / service_s
    calls: list[float] = []

    def measure(rate: float) -> Step:
        calls.append(rate)
        rho = rate / capacity
        if rho < 1:
            wait = service_s * rho**workers / (1 - rho) / 2
            achieved, p95 = rate, (service_s + 3 * wait) * 1000
        else:
            duration = 10.0
            backlog = max(rate - capacity, 0.05 * capacity) * duration  # at rho = 1 the queue still grows
            achieved, p95 = capacity, (service_s + 0.95 * backlog / capacity) * 1000
        exit_code = 1 if die_at is not None and rate >= die_at else None
        errors = 0.2 if errors_at is not None and rate >= errors_at else 0.0
        requests = int(achieved * 10)
        return Step(rate, achieved, p95 / 2, p95, p95 * 1.2, errors, requests, 10.0, process_exit=exit_code)

    measure.calls = calls  # type: ignore[attr-defined]
    return measure, capacity


@pytest.mark.parametrize(("workers", "service_s"), [(1, 0.01), (4, 0.02), (8, 0.005), (2, 0.01)])
def test_sustainable_rate_is_near_capacity(workers: int, service_s: float) -> None:
    measure, capacity = _server(workers, service_s)
    result = search_capacity(measure, SLO(p95_ms=500), start_rps=5, precision=0.03, max_steps=20)
    assert result.sustainable_rps is not None
    assert 0.9 * capacity <= result.sustainable_rps <= capacity
    assert result.saturation_rps == pytest.approx(capacity, rel=0.01)
    assert result.limiting in {"latency", "throughput"}
    assert result.knee_rps is not None and result.knee_rps <= result.sustainable_rps
    rates = [s.offered_rps for s in result.steps]
    assert rates[:3] == [5, 10, 20]  # coarse doubling first


def test_error_budget_breaks_first() -> None:
    measure, _ = _server(8, 0.005, errors_at=300)
    result = search_capacity(measure, SLO(), start_rps=10, precision=0.05)
    assert result.limiting == "errors"
    assert result.sustainable_rps is not None and 280 <= result.sustainable_rps < 300
    assert "error rate reached 20.0%" in result.summary


def test_process_exit_stops_the_search() -> None:
    measure, _ = _server(8, 0.005, die_at=100)
    result = search_capacity(measure, SLO(), start_rps=10)
    assert result.limiting == "process-exit"
    assert [s.offered_rps for s in result.steps] == [10, 20, 40, 80, 160]  # no bisection into a dead app
    assert result.sustainable_rps == 80
    assert "the app exited (status 1)" in result.summary


def test_generator_limited_step_is_not_capacity() -> None:
    """The generator cannot send more than 1,000 req/s (the app could serve any rate): the
    search bisects below the generator's ceiling and says the generator was the limit."""

    def measure(rate: float) -> Step:
        limited = rate > 1000
        sent = min(rate, 1000.0) if limited else rate
        return Step(rate, sent, 1, 2, 3, 0.0, 100, 5.0, generator_limited=limited)

    result = search_capacity(measure, SLO(), start_rps=500, max_steps=20)
    assert result.limiting == "generator"
    assert result.sustainable_rps is not None and 950 <= result.sustainable_rps <= 1000
    assert "generator" in result.summary
    assert result.saturation_rps is not None and result.saturation_rps <= 1000
    failed = [s for s in result.steps if failure_reason(s, SLO()) is not None]
    assert failed and all(s.generator_limited for s in failed)  # never counted as capacity


def test_search_bisects_below_a_generator_limited_overload_step() -> None:
    """At twice the capacity the generator itself falls behind (an overloaded target ties up
    its connections): the app's limit lies below that step, and the bisection finds it."""
    measure, capacity = _server(8, 0.01)

    def overloaded(rate: float) -> Step:
        step = measure(rate)
        return replace(step, generator_limited=rate > 1.5 * capacity)

    result = search_capacity(overloaded, SLO(p95_ms=10_000), start_rps=38, precision=0.05, max_steps=14)
    assert result.limiting == "throughput"
    assert result.sustainable_rps is not None and 0.9 * capacity <= result.sustainable_rps <= capacity


def test_always_passing_reports_a_lower_bound() -> None:
    measure, _ = _server(64, 0.001)
    result = search_capacity(measure, SLO(), start_rps=100, max_rps=800)
    assert result.limiting == "none"
    assert result.sustainable_rps == 800
    assert "at least" in result.summary


def test_stop_request_is_honoured() -> None:
    measure, _ = _server(1, 0.01)
    result = search_capacity(measure, SLO(), start_rps=5, should_stop=lambda: len(measure.calls) >= 2)  # type: ignore[attr-defined]
    assert len(result.steps) == 2


def test_failure_reasons() -> None:
    base = Step(100, 100, 10, 20, 30, 0.0, 1000, 10)
    slo = SLO(p95_ms=50, error_rate=0.01)
    assert failure_reason(base, slo) is None
    assert failure_reason(Step(100, 100, 10, 60, 70, 0.0, 1000, 10), slo) == "latency"
    assert failure_reason(Step(100, 100, 10, 20, 30, 0.05, 1000, 10), slo) == "errors"
    assert failure_reason(Step(100, 50, 10, 20, 30, 0.0, 500, 10), slo) == "throughput"
    assert not math.isnan(base.as_dict()["p95_ms"])  # type: ignore[arg-type]


def test_slow_endpoint_is_latency_limited_below_capacity() -> None:
    """250 ms per request against a 500 ms p95 SLO: queueing breaks the SLO before throughput."""
    measure, capacity = _server(2, 0.25)
    result = search_capacity(measure, SLO(p95_ms=500), start_rps=1, precision=0.03, max_steps=20)
    assert result.limiting == "latency"
    assert result.sustainable_rps is not None and result.sustainable_rps < 0.9 * capacity


def test_backlog_growth_detection() -> None:
    from scalescope.audit.measure import backlog_growing

    def series(p50s: list[float], flight: list[int]) -> list[dict[str, object]]:
        return [
            {"responses": 100, "latency_ms": {"p50": p}, "in_flight": f}
            for p, f in zip(p50s, flight, strict=True)
        ]

    assert backlog_growing(series([20, 21, 40, 80, 120, 160], [4, 5, 9, 17, 25, 33]))
    assert not backlog_growing(series([20, 21, 20, 22, 21, 20], [4, 4, 5, 4, 4, 4]))
    assert not backlog_growing(series([20, 90, 21, 22], [4, 4, 4, 4]))  # one slow second is not a queue
    assert not backlog_growing(series([2, 3, 4, 5], [1, 1, 1, 1]))  # rising, but by less than timer noise
    assert not backlog_growing(None)
    step = Step(100, 100, 10, 20, 30, 0.0, 1000, 10, backlog_growing=True)
    assert failure_reason(step, SLO()) == "throughput"


def test_generator_stall_in_a_passing_step_is_still_capacity() -> None:
    """A step the generator was late in but that met the SLO is evidence the app held the rate
    (latency counts from intended send times, so lateness only makes it look worse)."""
    measure, capacity = _server(4, 0.02)

    def stalled(rate: float) -> Step:
        step = measure(rate)
        return replace(step, generator_limited=rate < 40)  # a few late sends at the first step

    result = search_capacity(stalled, SLO(p95_ms=10_000), start_rps=31, precision=0.03, max_steps=20)
    assert result.limiting == "throughput"
    assert result.sustainable_rps is not None and 0.9 * capacity <= result.sustainable_rps <= capacity
    assert result.steps[0].generator_limited and len(result.steps) > 2


def test_failing_generator_limited_step_is_measured_again() -> None:
    """A failing step the generator was limited in is retried once; a transient stall passes."""
    measure, capacity = _server(4, 0.02)
    seen: dict[float, int] = {}

    def flaky(rate: float) -> Step:
        seen[rate] = seen.get(rate, 0) + 1
        step = measure(rate)
        if rate == 62 and seen[rate] == 1:  # first try: late sends and a short delivery
            return replace(step, generator_limited=True, achieved_rps=40.0)
        return step

    result = search_capacity(flaky, SLO(p95_ms=10_000), start_rps=31, precision=0.03, max_steps=20)
    assert seen[62] == 2
    assert result.limiting == "throughput"
    assert result.sustainable_rps is not None and result.sustainable_rps >= 0.9 * capacity


def test_app_failure_above_an_inconclusive_generator_step_is_what_broke() -> None:
    """The app failed on errors at 49 req/s; the bisection's 45 req/s step was generator-limited
    (inconclusive): what broke first is the app's errors, not the generator."""
    measure, capacity = _server(2, 0.05)

    def run(rate: float) -> Step:
        step = measure(rate)
        if rate > capacity:
            step = replace(step, error_rate=0.1)
        return replace(step, generator_limited=capacity < rate < 1.2 * capacity)

    result = search_capacity(run, SLO(p95_ms=1e9), start_rps=16.4, precision=0.03, max_steps=12)
    assert [round(s.offered_rps, 1) for s in result.steps][:3] == [16.4, 32.8, 65.6]
    assert any(s.generator_limited for s in result.steps)
    assert result.limiting == "errors", result.summary
    assert "error rate reached 10.0%" in result.summary
    assert result.sustainable_rps is not None and 0.9 * capacity <= result.sustainable_rps <= capacity
