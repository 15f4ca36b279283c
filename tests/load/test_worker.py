"""The worker against the in-memory transport: no sockets, no processes."""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Callable

from scalescope.load.aggregate import Aggregator
from scalescope.load.config import Check, Feeder, LoadConfig, Model, RequestSpec, Stage, Target, WorkerPlan
from scalescope.load.histogram import BUCKET, SLOTS
from scalescope.load.stats import IntervalReport
from scalescope.load.transport import MockResponse, MockTransport
from scalescope.load.worker import Worker

TARGET = Target("http", "127.0.0.1", 9)


def ok(_: bytes) -> MockResponse:
    return MockResponse(200, b"ok")


def run(
    cfg: LoadConfig, handler: Callable[[bytes], MockResponse] = ok, delay: float = 0.0, **plan: int
) -> tuple[Aggregator, Worker, MockTransport]:
    reports: list[IntervalReport] = []
    transport = MockTransport(handler, delay_s=delay)
    worker = Worker(WorkerPlan(cfg, connections=cfg.model.connections, **plan), transport, reports.append)
    asyncio.run(worker.run())
    agg = Aggregator(1)
    for r in reports:
        agg.add(r)
    agg.finish()
    assert reports[-1].final
    return agg, worker, transport


def test_closed_model_request_count() -> None:
    cfg = LoadConfig(TARGET, (RequestSpec("a"),), Model(connections=4), max_requests=500, duration_s=5)
    agg, worker, transport = run(cfg, max_requests=500)
    assert agg.overall.responses == 500 and worker.sent == 500
    assert transport.connects == 4
    assert agg.overall.errors == {}


def test_weighted_names_and_error_classes() -> None:
    def handler(raw: bytes) -> MockResponse:
        path = raw.split(b" ")[1]
        if path == b"/404":
            return MockResponse(404)
        if path == b"/500":
            return MockResponse(503)
        if path == b"/reset":
            return MockResponse(error="reset")
        return MockResponse(200, b'{"id": 1}')

    reqs = (
        RequestSpec("ok", path="/ok", weight=2, checks=(Check("json", 1, path="$.id"),)),
        RequestSpec("bad-check", path="/ok", checks=(Check("json", 2, path="$.id"),)),
        RequestSpec("404", path="/404"),
        RequestSpec("500", path="/500"),
        RequestSpec("reset", path="/reset"),
        RequestSpec("expected-404", path="/404", checks=(Check("status", 404),)),
    )
    cfg = LoadConfig(TARGET, reqs, Model(connections=8), max_requests=3000, duration_s=5)
    agg, _, _ = run(cfg, handler, max_requests=3000)
    by = agg.by_name
    assert by["ok"].errors == {} and by["ok"].responses > by["404"].responses
    assert set(by["bad-check"].errors) == {"check_failed"}
    assert set(by["404"].errors) == {"http_4xx"}
    assert set(by["500"].errors) == {"http_5xx"}
    assert set(by["reset"].errors) == {"reset"} and by["reset"].responses == 0
    assert by["expected-404"].errors == {}
    assert agg.overall.requests == 3000


def test_open_model_sends_the_schedule_and_measures_from_intended_time() -> None:
    cfg = LoadConfig(
        TARGET, (RequestSpec("a"),), Model(kind="open", connections=4, rate=200.0), duration_s=1.0
    )
    agg, worker, _ = run(cfg, delay=0.002)
    assert 195 <= worker.sent <= 200
    assert agg.dropped == 0
    assert agg.overall.hist.percentile_ms(50) >= 1.9


def test_open_model_charges_queueing_and_drops_beyond_backlog() -> None:
    # One connection, 50 ms per response, 200 requests/s: demand is 10x capacity.
    model = Model(kind="open", connections=1, rate=200.0, max_pending=20)
    cfg = LoadConfig(TARGET, (RequestSpec("a"),), model, duration_s=1.0)
    agg, _, _ = run(cfg, delay=0.05)
    assert agg.dropped > 100
    assert agg.late > 5
    # Queued requests wait behind each other: latency from intended time is far above 50 ms.
    assert agg.overall.hist.percentile_ms(90) > 300


def test_two_workers_split_the_open_schedule() -> None:
    cfg = LoadConfig(
        TARGET, (RequestSpec("a"),), Model(kind="open", connections=2, rate=300.0), duration_s=0.5
    )
    sent = 0
    for plan in WorkerPlan.split(cfg, 2):
        worker = Worker(plan, MockTransport(ok), lambda r: None)
        asyncio.run(worker.run())
        sent += worker.sent
    assert 148 <= sent <= 150


def test_feeder_rows_and_think_time() -> None:
    seen: list[bytes] = []

    def handler(raw: bytes) -> MockResponse:
        seen.append(raw.split(b" ")[1])
        return MockResponse(200)

    feeder = Feeder("ids", ((("id", "1"),), (("id", "2"),), (("id", "3"),)))
    cfg = LoadConfig(
        TARGET,
        (RequestSpec("a", path="/x/{{id}}"),),
        Model(connections=1, think_time_s=0.01),
        max_requests=6,
        feeder=feeder,
    )
    run(cfg, handler, max_requests=6)
    assert seen == [b"/x/1", b"/x/2", b"/x/3", b"/x/1", b"/x/2", b"/x/3"]


def test_timeouts_are_classified() -> None:
    cfg = LoadConfig(TARGET, (RequestSpec("a"),), Model(connections=2), duration_s=0.6, timeout_s=0.15)
    agg, _, _ = run(cfg, delay=5.0)
    assert agg.overall.errors.get("timeout", 0) >= 2
    assert agg.overall.responses == 0


def test_refused_connections_back_off_and_count() -> None:
    cfg = LoadConfig(TARGET, (RequestSpec("a"),), Model(connections=2), duration_s=0.5)
    reports: list[IntervalReport] = []
    transport = MockTransport(ok, refuse=True)
    worker = Worker(WorkerPlan(cfg, connections=2), transport, reports.append)
    asyncio.run(worker.run())
    agg = Aggregator(1)
    for r in reports:
        agg.add(r)
    refused = agg.overall.errors["connect_refused"]
    assert 2 <= refused <= 20  # backed off, not a tight loop


def test_closed_stages_ramp_virtual_users() -> None:
    cfg = LoadConfig(
        TARGET,
        (RequestSpec("a"),),
        Model(connections=10, stages=(Stage(0.5, 10.0), Stage(0.5, 10.0))),
        duration_s=1.0,
    )
    agg, worker, _ = run(cfg, delay=0.01)
    series_in_flight = [p["in_flight"] for p in agg.series]
    assert worker.sent > 0 and agg.overall.responses > 0
    assert all(isinstance(n, int) and n <= 10 for n in series_in_flight)


def test_state_is_histograms_only_after_many_requests() -> None:
    """Memory stays flat: no per-request lists anywhere in the worker after 20k requests."""
    cfg = LoadConfig(TARGET, (RequestSpec("a"),), Model(connections=8), max_requests=20_000, duration_s=30)
    reports: list[IntervalReport] = []
    worker = Worker(WorkerPlan(cfg, connections=8, max_requests=20_000), MockTransport(ok), reports.append)
    asyncio.run(worker.run())
    assert worker.sent == 20_000
    # Walk everything the worker references; no container may grow with the request count.
    seen: set[int] = {id(BUCKET)}  # the module's fixed 65,536-entry latency -> bucket table
    stack: list[object] = [worker]
    biggest = 0
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, str | bytes | int | float | type):
            continue
        seen.add(id(obj))
        if isinstance(obj, list | tuple | dict | set | frozenset):
            biggest = max(biggest, len(obj))
        if sys.getsizeof(obj) > 0:
            stack.extend(gc.get_referents(obj))
        if len(seen) > 200_000:
            break
    # The largest containers are the fixed-size bucket-count lists (one per request name).
    assert biggest <= max(5_000, SLOTS)
    # Reports carry encoded histograms, never samples.
    assert all(isinstance(part.histogram, str) for r in reports for _, part in r.names)
    total = sum(part.responses for r in reports for _, part in r.names)
    assert total == 20_000


def _classifying_handler(raw: bytes) -> MockResponse:
    path = raw.split(b" ")[1]
    if path == b"/404":
        return MockResponse(404)
    if path == b"/500":
        return MockResponse(500)
    if path == b"/reset":
        return MockResponse(error="reset")
    return MockResponse(200, b'{"id": 1}')


def test_chained_and_scheduled_sends_classify_alike() -> None:
    """The closed model's in-callback send (no think time) and the general path give the same result."""
    reqs = (
        RequestSpec("ok", path="/ok"),
        RequestSpec("status-ok", path="/ok", checks=(Check("status", 200),)),
        RequestSpec("body-ok", path="/ok", checks=(Check("json", 1, path="$.id"),)),
        RequestSpec("body-bad", path="/ok", checks=(Check("contains", "nope"),)),
        RequestSpec("404", path="/404"),
        RequestSpec("500", path="/500"),
        RequestSpec("reset", path="/reset"),
    )
    outcomes = []
    for think in (0.0, 1e-6):  # 0: chained in on_done; > 0: through Worker.after and a timer
        cfg = LoadConfig(TARGET, reqs, Model(connections=4, think_time_s=think), max_requests=1400)
        agg, worker, _ = run(cfg, _classifying_handler, max_requests=1400)
        assert worker.chain is (think == 0.0)
        assert agg.overall.requests == 1400
        outcomes.append(
            {name: (sorted(t.errors), t.requests > 0, t.responses > 0) for name, t in agg.by_name.items()}
        )
    assert outcomes[0] == outcomes[1]
    assert outcomes[0] == {
        "ok": ([], True, True),
        "status-ok": ([], True, True),
        "body-ok": ([], True, True),
        "body-bad": (["check_failed"], True, True),
        "404": (["http_4xx"], True, True),
        "500": (["http_5xx"], True, True),
        "reset": (["reset"], True, False),
    }


def test_open_model_timeout_counts_from_the_write_not_the_intended_time() -> None:
    """Backlogged requests are late, not timed out: each spends 50 ms on the wire, under 0.2 s."""
    model = Model(kind="open", connections=1, rate=100.0)
    cfg = LoadConfig(TARGET, (RequestSpec("a"),), model, duration_s=1.0, timeout_s=0.2)
    agg, _, _ = run(cfg, delay=0.05)
    assert agg.overall.errors == {}
    assert agg.overall.responses > 5
    assert agg.overall.hist.percentile_ms(90) > 200  # yet queueing is charged to latency
