"""Issue 9 in the worker: pacing without spinning, every scheduled request accounted for, a send
path that cannot lose a connection, status codes and bytes. In-memory transport, no sockets."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from scalescope.load.aggregate import Aggregator
from scalescope.load.config import LoadConfig, Model, RequestSpec, Target, WorkerPlan
from scalescope.load.histogram import Histogram
from scalescope.load.stats import IntervalReport
from scalescope.load.transport import MockResponse, MockTransport
from scalescope.load.worker import Worker

TARGET = Target("http", "127.0.0.1", 9)


def ok(_: bytes) -> MockResponse:
    return MockResponse(200, b"ok")


def run(
    cfg: LoadConfig,
    handler: Callable[[bytes], MockResponse] = ok,
    delay: float = 0.0,
    stop_after: float | None = None,
    **plan: Any,
) -> tuple[Aggregator, Worker, MockTransport]:
    reports: list[IntervalReport] = []
    transport = MockTransport(handler, delay_s=delay)
    plan.setdefault("connections", cfg.model.connections)
    worker = Worker(WorkerPlan(cfg, **plan), transport, reports.append)

    async def main() -> None:
        if stop_after is not None:
            asyncio.get_running_loop().call_later(stop_after, worker.stop)
        await worker.run()

    asyncio.run(main())
    agg = Aggregator(1)
    for r in reports:
        agg.add(r)
    agg.finish()
    return agg, worker, transport


def test_pacer_never_sleeps_below_the_timer_resolution() -> None:
    """At 2,000/s requests are 0.5 ms apart: the pacer used to arm a sub-millisecond timer per
    request, which uvloop (1 ms timers) runs at once: a busy wait. Now it sleeps >= 1 ms and sends
    each batch that came due."""
    cfg = LoadConfig(
        TARGET, (RequestSpec("a"),), Model(kind="open", connections=8, rate=2000.0), duration_s=0.3
    )
    delays: list[float] = []
    original = asyncio.BaseEventLoop.call_later

    def spy(self: asyncio.BaseEventLoop, delay: float, callback: Any, *args: Any, **kw: Any) -> Any:
        if getattr(callback, "__name__", "") in ("_pace", "_on_timer"):
            delays.append(delay)
        return original(self, delay, callback, *args, **kw)

    asyncio.BaseEventLoop.call_later = spy  # type: ignore[method-assign]
    try:
        _, worker, _ = run(cfg)
    finally:
        asyncio.BaseEventLoop.call_later = original  # type: ignore[method-assign]
    assert worker.sent == 600
    assert delays and min(delays) >= 0.001
    assert len(delays) < worker.sent  # batches, not one timer per request


def test_every_scheduled_request_is_sent_or_dropped() -> None:
    """A target far slower than the rate: 2 connections x 20 ms = 100/s offered 400/s for 1 s.

    Requests still waiting for a connection when the run ends used to vanish (0 dropped, no
    warning); now sent + dropped is exactly the schedule."""
    reqs = (RequestSpec("a", path="/a"), RequestSpec("b", path="/b"))
    cfg = LoadConfig(TARGET, reqs, Model(kind="open", connections=2, rate=400.0), duration_s=1.0)
    agg, worker, _ = run(cfg, delay=0.02)
    assert worker.sent + agg.dropped == 400
    assert agg.scheduled == 400 and agg.sent == worker.sent
    assert 200 < agg.dropped < 400
    # Per name, and per second.
    assert agg.by_name["a"].dropped > 0 and agg.by_name["b"].dropped > 0
    assert agg.by_name["a"].dropped + agg.by_name["b"].dropped == agg.dropped
    assert sum(int(p["dropped"]) for p in agg.series) == agg.dropped  # type: ignore[call-overload]
    assert sum(int(p["scheduled"]) for p in agg.series) == 400  # type: ignore[call-overload]
    # How late the requests that did go out started: a histogram, not only a count.
    assert agg.late > 0 and agg.late_hist.count == worker.sent
    assert agg.late_hist.percentile_ms(99) > 100


def test_backlog_overflow_and_interrupt_are_counted_too() -> None:
    model = Model(kind="open", connections=1, rate=500.0, max_pending=10)
    cfg = LoadConfig(TARGET, (RequestSpec("a"),), model, duration_s=5.0)
    agg, worker, _ = run(cfg, delay=0.02, stop_after=0.5)
    assert worker.sent + agg.dropped == agg.scheduled
    assert 200 <= agg.scheduled <= 300  # half a second of a 500/s schedule (the rest was never due)


def test_connections_grow_up_to_max_connections_instead_of_dropping() -> None:
    """k6's maxVUs: 1 connection at 20 ms takes 50/s; offered 200/s it grows instead of dropping."""
    model = Model(kind="open", connections=1, rate=200.0, max_connections=16)
    cfg = LoadConfig(TARGET, (RequestSpec("a"),), model, duration_s=1.0)
    plan = WorkerPlan.split(cfg, 1)[0]
    assert plan.max_connections == 16
    agg, worker, transport = run(cfg, delay=0.02, max_connections=16)
    assert 4 < transport.connects <= 16
    assert agg.dropped <= 5 and worker.sent >= 195
    fixed = Model(kind="open", connections=1, rate=200.0)
    without, _, _ = run(LoadConfig(TARGET, (RequestSpec("a"),), fixed, duration_s=1.0), delay=0.02)
    assert without.dropped > 100


def test_an_exception_in_the_send_path_is_an_error_not_a_lost_connection() -> None:
    """Every third request raises while it is written; the run still completes its count."""
    calls = 0

    def flaky(raw: bytes) -> MockResponse:
        nonlocal calls
        calls += 1
        if calls % 3 == 0:
            raise UnicodeEncodeError("latin-1", "東", 0, 1, "ordinal not in range")
        return MockResponse(200, b"ok")

    for think in (0.0, 0.001):  # the chained send inside on_done, and the general path
        calls = 0
        cfg = LoadConfig(
            TARGET, (RequestSpec("a"),), Model(connections=2, think_time_s=think), max_requests=300
        )
        agg, worker, _ = run(cfg, flaky, max_requests=300)
        assert worker.sent == 300 and agg.overall.requests == 300
        assert agg.overall.errors == {"client_error": 100}
        assert worker.in_flight == 0


def test_status_codes_per_name_and_bytes_both_ways() -> None:
    def handler(raw: bytes) -> MockResponse:
        return MockResponse(503, b"busy!") if raw.startswith(b"GET /bad") else MockResponse(200, b"ok")

    reqs = (RequestSpec("good", path="/good"), RequestSpec("bad", path="/bad"))
    cfg = LoadConfig(TARGET, reqs, Model(connections=2), max_requests=400)
    agg, worker, transport = run(cfg, handler, max_requests=400)
    good, bad = agg.by_name["good"], agg.by_name["bad"]
    assert good.statuses == {200: good.responses} and bad.statuses == {503: bad.responses}
    assert agg.overall.statuses == {200: good.responses, 503: bad.responses}
    size = {name: len(r.constant or b"") for name, r in zip(("good", "bad"), worker.requests, strict=True)}
    assert agg.bytes_sent == good.responses * size["good"] + bad.responses * size["bad"]
    assert agg.bytes_received == transport.received_bytes == 2 * good.responses + 5 * bad.responses


def test_min_survives_a_second_without_responses() -> None:
    """An empty histogram merged in used to reset the minimum to 0."""
    hist = Histogram()
    hist.record(1500)
    hist.merge(Histogram())
    assert hist.min_ms() == 1.5
    assert hist.summary()["min"] == 1.5


def test_reports_carry_worker_cpu_time() -> None:
    cfg = LoadConfig(TARGET, (RequestSpec("a"),), Model(connections=2), max_requests=2000)
    agg, _, _ = run(cfg, max_requests=2000)
    health = agg.health[0]
    assert health.cpu_s > 0 and health.wall_s > 0 and health.sent == 2000
