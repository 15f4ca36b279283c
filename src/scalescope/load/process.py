"""The worker side of a worker process: a pipe in, a pipe out, one event loop.

Messages are tuples ``(kind, payload)``. Worker to parent: ``ready``, ``interval``
(:class:`IntervalReport`), ``done`` (:class:`WorkerTotals`), ``error`` (plain message). Parent to
worker: ``go`` (start time, epoch seconds) and ``stop``. Nothing is shared but the pipe.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable, Coroutine
from multiprocessing.connection import Connection as Pipe
from typing import Any

from scalescope.load.config import WorkerPlan
from scalescope.load.stats import IntervalReport
from scalescope.load.transport import HttpTransport
from scalescope.load.worker import Worker

__all__ = ["worker_process_main"]


def _event_loop_runner() -> Callable[[Coroutine[Any, Any, None]], None]:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency off Windows
        return asyncio.run
    run: Callable[[Coroutine[Any, Any, None]], None] = uvloop.run
    return run


def worker_process_main(plan: WorkerPlan, pipe: Pipe) -> None:
    """Entry point of a worker process (the parent handles Ctrl-C and tells us to stop)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _event_loop_runner()(_serve(plan, pipe))
    except Exception as exc:  # report, never print a traceback from a child
        with contextlib.suppress(OSError):
            pipe.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        pipe.close()


async def _serve(plan: WorkerPlan, pipe: Pipe) -> None:
    loop = asyncio.get_running_loop()
    cfg = plan.config
    transport = HttpTransport(cfg.target, cfg.connect_timeout_s)

    def emit(report: IntervalReport) -> None:
        pipe.send(("interval", report))

    worker = Worker(plan, transport, emit)
    go: asyncio.Future[float | None] = loop.create_future()

    def on_message() -> None:
        try:
            kind, payload = pipe.recv()
        except (EOFError, OSError):
            kind, payload = "stop", None
            loop.remove_reader(pipe.fileno())
        if kind == "go" and not go.done():
            go.set_result(float(payload))
        elif kind == "stop":
            worker.stop()
            if not go.done():
                go.set_result(None)

    loop.add_reader(pipe.fileno(), on_message)
    pipe.send(("ready", None))
    try:
        start_epoch = await go
        start = None if start_epoch is None else time.perf_counter() + (start_epoch - time.time())
        if start_epoch is None:
            worker.stop()
        totals = await worker.run(start)
    finally:
        with contextlib.suppress(OSError, ValueError):
            loop.remove_reader(pipe.fileno())
    pipe.send(("done", totals))
