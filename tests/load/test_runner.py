"""The parent's collection loop with fake workers on real pipes (threads, no processes)."""

from __future__ import annotations

import threading
import time
from multiprocessing import Pipe
from multiprocessing.connection import Connection

from scalescope.load.aggregate import Aggregator
from scalescope.load.config import LoadConfig, Model, RequestSpec, Target
from scalescope.load.histogram import Histogram
from scalescope.load.runner import _drive
from scalescope.load.stats import IntervalReport, NameInterval

CFG = LoadConfig(Target("http", "127.0.0.1", 9), (RequestSpec("a"),), Model(connections=2), duration_s=60.0)


def _interval(worker: int, second: int, final: bool = False) -> IntervalReport:
    hist = Histogram()
    hist.record(1000)
    part = NameInterval(hist.encode(), 10, (), ((200, 10),))
    return IntervalReport(
        worker, second, (("a", part),), 0, 0, 0, final=final, sent=10, cpu_s=0.1, wall_s=1.0
    )


def _healthy(pipe: Connection) -> None:
    """Reports every 20 ms until told to stop, then sends its final report."""
    assert pipe.recv()[0] == "go"
    second = 0
    while not pipe.poll(0.02):
        pipe.send(("interval", _interval(0, second)))
        second += 1
    pipe.recv()
    pipe.send(("interval", _interval(0, second, final=True)))
    pipe.send(("done", None))


def _dying(pipe: Connection, after: int, close: bool) -> None:
    """Reports ``after`` seconds, then dies (pipe closed) or hangs (pipe open, silent)."""
    assert pipe.recv()[0] == "go"
    for second in range(after):
        pipe.send(("interval", _interval(1, second)))
    if close:
        pipe.close()
    else:
        time.sleep(3.0)


def _run(close: bool) -> tuple[Aggregator, list[str], list[int], float]:
    parents, threads = [], []
    for target, extra in ((_healthy, ()), (_dying, (3, close))):
        parent, child = Pipe()
        parents.append(parent)
        child.send(("ready", None))
        threads.append(threading.Thread(target=target, args=(child, *extra), daemon=True))
    for t in threads:
        t.start()
    agg = Aggregator(2)
    errors: list[str] = []
    lost: list[int] = []
    started = time.monotonic()
    _drive(CFG, parents, agg, threading.Event(), errors, None, None, lost, silence_s=0.5)
    took = time.monotonic() - started
    agg.finish()
    return agg, errors, lost, took


def test_a_dead_worker_ends_the_run_with_a_partial_result() -> None:
    """Its pipe closes mid-run: reported with what it sent, the others stop, nothing waits for it."""
    agg, errors, lost, took = _run(close=True)
    assert lost == [1]
    assert any("worker 1 died during the run after sending 30 requests" in e for e in errors)
    assert took < 30  # the run's 60 s were not waited out (a bound, not a timing measurement)
    assert agg.health[0].finished and agg.health[1].lost
    assert agg.health[1].sent == 30 and agg.overall.responses >= 30


def test_a_silent_worker_counts_as_dead() -> None:
    _, errors, lost, _ = _run(close=False)
    assert lost == [1]
    assert any("stopped reporting" in e for e in errors)


def test_seconds_close_when_a_worker_is_lost() -> None:
    """The aggregator used to hold every later second open, waiting for the dead worker."""
    agg = Aggregator(2)
    agg.add(_interval(1, 0))
    for second in range(10):
        agg.add(_interval(0, second))
    assert len(agg.series) == 1
    agg.lose(1)
    assert [p["second"] for p in agg.series] == list(range(10))
