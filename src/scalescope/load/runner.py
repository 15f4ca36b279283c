"""The parent process: check the target, run setup, spawn workers, merge reports, stop cleanly.

Ctrl-C and SIGTERM do not kill anything: they ask every worker to stop, the workers send their
final (partial) reports, and the run returns normally with ``interrupted=True`` so the caller still
prints and saves the result. Workers ignore SIGINT themselves (it is ignored while they are spawned,
and the disposition is inherited), so one Ctrl-C in a terminal stops the run exactly once.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection as Pipe
from multiprocessing.connection import wait
from types import FrameType

from scalescope.load.aggregate import Aggregator, LiveSnapshot
from scalescope.load.config import LoadConfig, WorkerPlan
from scalescope.load.process import worker_process_main
from scalescope.load.request import prepare_requests
from scalescope.load.setup import probe, run_setup
from scalescope.load.stats import IntervalReport
from scalescope.load.transport import TransportError

__all__ = ["RunOutcome", "TargetUnreachable", "run_load"]

READY_TIMEOUT_S = 30.0
START_DELAY_S = 0.1
SILENCE_S = 5.0
"""A worker that sends nothing for this long during the run counts as dead (it reports every second)."""


class TargetUnreachable(RuntimeError):
    """The target did not accept a connection; the message is one plain sentence."""


@dataclass(frozen=True)
class RunOutcome:
    """A finished (or interrupted) run: merged measurements plus how the run went."""

    config: LoadConfig
    aggregator: Aggregator
    started_at: float
    duration_s: float
    workers: int
    interrupted: bool
    worker_errors: tuple[str, ...]
    captured: tuple[str, ...]
    lost_workers: tuple[int, ...] = ()


@contextmanager
def _stop_signals(on_stop: Callable[[], None]) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        on_stop()

    old_int = signal.signal(signal.SIGINT, handler)
    old_term = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old_int)
        signal.signal(signal.SIGTERM, old_term)


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


def run_load(
    config: LoadConfig,
    on_update: Callable[[LiveSnapshot, float], None] | None = None,
) -> RunOutcome:
    """Run ``config`` to completion (or interruption) in worker processes and merge the results.

    Raises :class:`TargetUnreachable` when no connection can be opened, ``SetupError`` when the
    setup phase fails and ``ConfigError`` on a bad template, before any worker starts.
    """
    try:
        asyncio.run(probe(config))
    except TransportError as exc:
        raise TargetUnreachable(f"Cannot reach {config.target.url}: {exc}.") from exc
    captured: dict[str, str] = {}
    if config.setup:
        captured = asyncio.run(run_setup(config))
        config = config.with_variables(captured)
    runtime = frozenset(k for row in (config.feeder.rows if config.feeder else ()) for k, _ in row)
    rows = [dict(row) for row in config.feeder.rows] if config.feeder else []
    prepare_requests(
        config.requests, config.target, config.default_headers, dict(config.variables), runtime, rows
    )

    workers = max(1, min(config.workers, config.model.connections))
    plans = WorkerPlan.split(config, workers)
    aggregator = Aggregator(workers)
    stop = threading.Event()
    ctx = mp.get_context("spawn")
    procs: list[mp.process.BaseProcess] = []
    pipes: list[Pipe] = []
    errors: list[str] = []
    lost: list[int] = []
    with _stop_signals(stop.set):
        with _sigint_ignored():
            for plan in plans:
                parent_end, child_end = ctx.Pipe()
                proc = ctx.Process(target=worker_process_main, args=(plan, child_end), daemon=True)
                proc.start()
                child_end.close()
                procs.append(proc)
                pipes.append(parent_end)
        try:
            started, stopped_at = _drive(config, pipes, aggregator, stop, errors, on_update, procs, lost)
        finally:
            for pipe in pipes:
                pipe.close()
            for child in procs:
                child.join(timeout=2.0)
                if child.is_alive():
                    child.terminate()
                    child.join(timeout=2.0)
                child.close()
    aggregator.finish()
    duration = max(1e-3, min(stopped_at, started + config.duration_s) - started)
    return RunOutcome(
        config=config,
        aggregator=aggregator,
        started_at=started,
        duration_s=duration,
        workers=workers,
        interrupted=stop.is_set(),
        worker_errors=tuple(errors),
        captured=tuple(sorted(captured)),
        lost_workers=tuple(sorted(lost)),
    )


def _drive(
    config: LoadConfig,
    pipes: list[Pipe],
    aggregator: Aggregator,
    stop: threading.Event,
    errors: list[str],
    on_update: Callable[[LiveSnapshot, float], None] | None,
    procs: list[mp.process.BaseProcess] | None = None,
    lost: list[int] | None = None,
    silence_s: float = SILENCE_S,
) -> tuple[float, float]:
    """Ready, go, collect. Returns (start, end) in epoch seconds.

    A worker whose pipe closes before it said ``done``, or that sends nothing for ``silence_s``
    seconds, is dead: it is reported (with what it had sent), the aggregator stops waiting for it,
    and the other workers are told to stop, so the run ends with a partial result.
    """
    lost = lost if lost is not None else []
    index = {id(pipe): i for i, pipe in enumerate(pipes)}
    live = list(pipes)
    waiting = set(live)
    deadline = time.time() + READY_TIMEOUT_S
    while waiting and not stop.is_set() and time.time() < deadline:
        for pipe in wait(list(waiting), timeout=0.1):
            assert isinstance(pipe, Pipe)
            kind, payload = _recv(pipe)
            if kind != "ready":
                if kind == "error":
                    errors.append(str(payload))
                live.remove(pipe)
                _lost(index[id(pipe)], "before it started", aggregator, errors, lost, procs)
            waiting.discard(pipe)
    start = time.time() + START_DELAY_S
    for pipe in live:
        _send(pipe, ("stop", None) if stop.is_set() else ("go", start))
    stop_sent = stop.is_set()
    end: float | None = None
    hard_deadline = start + config.duration_s + config.timeout_s + 10.0
    heard = {id(pipe): start for pipe in live}
    while live:
        now = time.time()
        for pipe in list(live):
            if now - heard[id(pipe)] > silence_s:
                live.remove(pipe)
                i = index[id(pipe)]
                if procs is not None and procs[i].is_alive():
                    procs[i].terminate()
                _lost(i, f"stopped reporting for {silence_s:g}s", aggregator, errors, lost, procs)
        if (stop.is_set() or lost) and not stop_sent:
            end = time.time()
            for pipe in live:
                _send(pipe, ("stop", None))
            stop_sent = True
            hard_deadline = min(hard_deadline, time.time() + 5.0)
        if time.time() > hard_deadline:
            errors.append("a worker did not finish in time and was stopped")
            break
        for pipe in wait(list(live), timeout=0.1):
            assert isinstance(pipe, Pipe)
            kind, payload = _recv(pipe)
            heard[id(pipe)] = time.time()
            if kind == "interval":
                assert isinstance(payload, IntervalReport)
                aggregator.add(payload)
                if on_update is not None:
                    on_update(aggregator.snapshot(), time.time() - start)
            elif kind == "error":
                errors.append(str(payload))
            elif kind == "done":
                live.remove(pipe)
            elif kind == "eof":
                live.remove(pipe)
                _lost(index[id(pipe)], "during the run", aggregator, errors, lost, procs)
        if on_update is not None and live:
            on_update(aggregator.snapshot(), time.time() - start)
    return start, end if end is not None else time.time()


def _lost(
    worker: int,
    when: str,
    aggregator: Aggregator,
    errors: list[str],
    lost: list[int],
    procs: list[mp.process.BaseProcess] | None,
) -> None:
    """Record a dead worker: what it had sent, how it ended; stop waiting for its reports."""
    how = ""
    if procs is not None:
        proc = procs[worker]
        proc.join(timeout=1.0)
        code = proc.exitcode
        if code is not None and code < 0:
            try:
                how = f", killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f", killed by signal {-code}"
        elif code is not None:
            how = f", exit status {code}"
    sent = aggregator.health[worker].sent if worker in aggregator.health else 0
    errors.append(
        f"worker {worker} died {when}{how} after sending {sent:,} requests; "
        "the run was stopped and these are partial results"
    )
    lost.append(worker)
    aggregator.lose(worker)


def _recv(pipe: Pipe) -> tuple[str, object]:
    try:
        kind, payload = pipe.recv()
    except (EOFError, OSError):
        return "eof", None
    return str(kind), payload


def _send(pipe: Pipe, message: tuple[str, object]) -> None:
    with suppress(BrokenPipeError, OSError):
        pipe.send(message)
