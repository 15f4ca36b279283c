"""One worker: takes a :class:`WorkerPlan`, drives connections, emits a report every second.

The worker knows nothing about processes: it gets a transport and an ``emit`` callback, so the same
code runs in-process in tests (with :class:`MockTransport`), in a local worker process, or later on
another machine. Closed model: each virtual user owns a connection and sends its next request when
the previous one completes (after optional think time).

Open model: a pacer follows the arrival schedule in per-tick batches. Each time it runs it takes
every request whose intended time has passed: onto an idle connection, else into a backlog (served
first by the next free connection), else (beyond ``max_pending``) dropped. Then it sleeps until the
next intended time, never less than :data:`MIN_SLEEP_S` (the loop's timer resolution), so it never
spins. Only the pacer's tick sends newly due requests: a response that arrives between ticks frees
its connection for the next tick (or for a request already waiting in the backlog), so at high
rates the requests of one tick go out together and their responses come back together, a few
wake-ups for many requests as in the closed model, instead of one wake-up per request. The price
is at most one tick of start delay, charged to the request's latency like any other. Latency is measured from
the *intended* time, and how late each request started goes into a histogram. When the run ends,
everything that came due and was not sent (still in the backlog, or never reached because the
worker itself was behind) is counted as dropped, so sent + dropped = scheduled. With
``max_connections`` the pool grows (k6's maxVUs) while requests wait. Every second's report
carries the worker's own CPU time, so the parent can tell a saturated generator from a slow target.

Hot path: a response lands in :meth:`_Slot.on_done`, called straight from the connection's
``on_message_complete``. It takes one ``perf_counter_ns`` reading, counts the latency into the
name's bucket list (``counts[BUCKET[us]] += 1``) and the status code, classifies it and, in the
closed model without think time, writes the next (pre-encoded) request on the same connection right
there, with the same clock reading as its start. The connection reads no clock; the 100 ms timeout
sweep compares each busy slot's ``sent_at`` (when the request was written, not its intended time)
with the timeout. Nothing raised while building, writing or judging a request escapes: it is
counted as a ``client_error`` and the slot carries on (on the next loop turn), so no exception can
lose a connection or stall the run. Everything else (open model, think time, parked virtual users,
reconnects, stopping) goes through :meth:`Worker.after`.
"""

from __future__ import annotations

import asyncio
import bisect
import random
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from scalescope.load.checks import run_checks
from scalescope.load.config import LATE_START_S, WorkerPlan
from scalescope.load.histogram import BUCKET, FAST_LIMIT_US
from scalescope.load.request import PreparedRequest, prepare_requests
from scalescope.load.schedule import RateSchedule, level_at
from scalescope.load.stats import IntervalReport, WorkerStats
from scalescope.load.transport import (
    CHECK_FAILED,
    CLIENT_ERROR,
    HTTP_4XX,
    HTTP_5XX,
    TIMEOUT,
    Connection,
    Transport,
    TransportError,
)

__all__ = ["Worker", "WorkerTotals"]

TICK_S = 0.1
STOP_GRACE_S = 1.0
MIN_SLEEP_S = 0.001
"""Shortest pacer sleep: the event loop's timer resolution (libuv's is 1 ms)."""
_NEVER = sys.maxsize
_LATE_NS = int(LATE_START_S * 1e9)
BEHIND_S = 0.050
"""A request the pacer itself reaches this late counts as ``behind`` (the worker, not the target,
was slow): longer than the 10-20 ms wake-up hiccups of a busy machine, short next to a generator
that cannot keep up, whose lag keeps growing."""
_BEHIND_NS = int(BEHIND_S * 1e9)
_LATE_US = int(LATE_START_S * 1e6)
_now_ns = time.perf_counter_ns  # same clock as time.perf_counter, as an int: no float maths


@dataclass(frozen=True)
class WorkerTotals:
    """What a worker did in total (the reports carry the measurements)."""

    sent: int
    seconds: int


class _Slot:
    """A connection and the request it carries (a virtual user in the closed model)."""

    __slots__ = ("backoff", "cb", "conn", "connecting", "idx", "number", "sent_at", "t0", "w")

    def __init__(self, worker: Worker, number: int) -> None:
        self.w = worker
        self.number = number
        self.conn: Connection | None = None
        self.connecting = False
        self.idx = 0
        self.t0 = 0
        """When the in-flight request started (intended time in the open model), perf_counter_ns."""
        self.sent_at = 0
        """When the in-flight request was written, perf_counter_ns (the timeout sweep's clock)."""
        self.backoff = 0.05
        self.cb = self.on_done

    def on_done(
        self, status: int, body: bytes | None, headers: dict[str, str] | None, err: str | None
    ) -> None:
        now = _now_ns()
        w = self.w
        idx = self.idx
        counters = w.counters[idx]
        try:
            if err is None:
                us = (now - self.t0) // 1000
                if us < FAST_LIMIT_US:
                    w.latency_counts[idx][BUCKET[us]] += 1
                else:
                    counters.hist.record(us)
                counters.responses += 1
                statuses = counters.statuses
                statuses[status] = statuses.get(status, 0) + 1
                if w.checks[idx]:
                    if not run_checks(w.requests[idx].spec.checks, status, body):
                        counters.error(CHECK_FAILED)
                elif status >= 400:
                    counters.error(HTTP_5XX if status >= 500 else HTTP_4XX)
            else:
                counters.error(err)
        except Exception:  # a bad response must not cost the connection or the run
            counters.error(CLIENT_ERROR)
        if w.chain and w.sent < w.limit and self.number < w.active:
            conn = self.conn
            if conn is not None and conn.is_open:
                # Closed model, no think time: the next request goes out now, on this connection.
                w.sent += 1
                try:
                    if w.single:
                        data = w.constant[0] or w.requests[0].encode(w.values())
                    else:
                        idx = self.idx = w.pick()
                        data = w.constant[idx] or w.requests[idx].encode(w.values())
                    self.t0 = self.sent_at = now
                    w.stats.bytes_sent += len(data)
                    conn.send(data, w.want_body[idx], self.cb)
                    return
                except Exception:
                    w.send_failed(self)
                    return
        w.in_flight -= 1
        w.after(self)


class Worker:
    """Runs one plan against one transport; see the module docstring."""

    def __init__(
        self,
        plan: WorkerPlan,
        transport: Transport,
        emit: Callable[[IntervalReport], None],
    ) -> None:
        cfg = plan.config
        self.plan = plan
        self.transport = transport
        self.emit = emit
        rows = cfg.feeder.rows if cfg.feeder else ()
        runtime = frozenset(k for row in rows for k, _ in row)
        self._rows = [dict(row) for row in rows]
        self.requests: tuple[PreparedRequest, ...] = prepare_requests(
            cfg.requests, cfg.target, cfg.default_headers, dict(cfg.variables), runtime, self._rows
        )
        self.stats = WorkerStats(tuple(r.name for r in self.requests))
        # Hot-path views, fixed for the run (the stats objects are reset in place every second).
        self.counters = self.stats.by_index
        self.latency_counts = [c.hist.counts for c in self.counters]
        self._late_counts = self.stats.late_hist.counts
        self.checks = tuple(bool(r.spec.checks) for r in self.requests)
        self.constant = tuple(r.constant for r in self.requests)
        self.want_body = tuple(r.want_body for r in self.requests)
        self.single = len(self.requests) == 1
        total = sum(r.weight for r in self.requests)
        acc, cum = 0.0, []
        for r in self.requests:
            acc += r.weight / total
            cum.append(acc)
        self._cum = cum
        self._row_next = plan.index
        self.in_flight = 0
        self.sent = 0
        self._quota = plan.max_requests
        self._stopping = False
        self.limit = sys.maxsize if plan.max_requests is None else plan.max_requests
        """``sent < limit`` exactly when another request may go out (0 once stopping)."""
        self._slots = [_Slot(self, i) for i in range(plan.connections)]
        self._max_slots = max(plan.connections, plan.max_connections or 0)
        self._idle: list[_Slot] = []
        self._parked: list[_Slot] = []
        self.active = plan.connections
        self._pending: deque[int] = deque()
        self._open = cfg.model.kind == "open"
        self.chain = not self._open and cfg.model.think_time_s <= 0
        """Closed model without think time: :meth:`_Slot.on_done` sends the next request itself."""
        self._schedule: RateSchedule | None = None
        self._rate = 0.0
        self._n = 0
        self._next_due = _NEVER
        """Intended time of this worker's next scheduled request, perf_counter_ns (``_NEVER``: none)."""
        self._timer: asyncio.TimerHandle | None = None
        self._given_up = False
        self._start = 0.0
        self._start_ns = 0
        self._second = 0
        self._end = 0.0
        self._done: asyncio.Future[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._last_sent = 0
        self._last_received = 0
        self._last_cpu = 0.0
        self._last_wall = 0.0

    # ---------------------------------------------------------------- lifecycle
    async def run(self, start: float | None = None) -> WorkerTotals:
        """Run until the duration, the request quota or :meth:`stop`; ``start`` is a perf_counter time."""
        loop = self._loop = asyncio.get_running_loop()
        self._done = loop.create_future()
        if self._stopping:
            self._done.set_result(None)
            self.emit(self.stats.drain(self.plan.index, 0, 0, final=True))
            return WorkerTotals(0, 0)
        now = time.perf_counter()
        self._start = start if start is not None and start > now else now
        self._start_ns = int(self._start * 1e9)
        cfg = self.plan.config
        self._end = self._start + cfg.duration_s
        model = cfg.model
        if self._open:
            if model.stages:
                self._schedule = RateSchedule.from_stages(model.stages)
            else:
                assert model.rate is not None
                self._schedule = RateSchedule.constant(model.rate, cfg.duration_s)
                self._rate = model.rate
        elif model.stages:
            self.active = self._vus_at(0.0)
        self._last_cpu = time.process_time()
        self._last_wall = self._start
        self._last_received = self.transport.received_bytes
        delay = max(0.0, self._start - time.perf_counter())
        loop.call_later(delay, self._begin)
        await self._done
        return WorkerTotals(self.sent, self._second)

    def stop(self) -> None:
        """Stop sending; in-flight requests get a short grace period, then the final report goes out."""
        if not self._stopping:
            self._end = min(self._end, time.perf_counter())
            self._set_stopping()

    def _set_stopping(self) -> None:
        self._stopping = True
        self.limit = 0
        if self._open and self._schedule is not None:
            self._give_up()

    def _begin(self) -> None:
        for slot in self._slots:
            if slot.number < self.active or self._open:
                self._spawn_connect(slot)
            else:
                self._parked.append(slot)
        if self._open:
            self._next_due = self._advance_schedule()
            self._pace()
        self._housekeeping()

    def _spawn_connect(self, slot: _Slot) -> None:
        assert self._loop is not None
        slot.connecting = True
        task = self._loop.create_task(self._connect(slot))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _connect(self, slot: _Slot) -> None:
        if slot.conn is not None:
            slot.conn.close()
            slot.conn = None
        try:
            slot.conn = await self.transport.connect()
        except TransportError as exc:
            slot.connecting = False
            if self._stopping:
                self._maybe_finish()
                return
            self.stats.by_index[self.pick()].error(exc.kind)
            assert self._loop is not None
            self._loop.call_later(slot.backoff, self._retry, slot)
            slot.backoff = min(1.0, slot.backoff * 2)
            return
        slot.connecting = False
        slot.backoff = 0.05
        self.after(slot)

    def _retry(self, slot: _Slot) -> None:
        if self._stopping:
            self._maybe_finish()
        else:
            self._spawn_connect(slot)

    # ---------------------------------------------------------------- hot path
    def pick(self) -> int:
        cum = self._cum
        if len(cum) == 1:
            return 0
        return min(bisect.bisect_left(cum, random.random()), len(cum) - 1)

    def values(self) -> dict[str, str]:
        rows = self._rows
        if not rows:
            return {}
        cfg = self.plan.config
        assert cfg.feeder is not None
        if cfg.feeder.mode == "random":
            return rows[random.randrange(len(rows))]
        row = rows[self._row_next % len(rows)]
        self._row_next += self.plan.count
        return row

    def _send(self, slot: _Slot, t0: int) -> None:
        """Write the next request on ``slot``; ``t0`` is its (intended) start, perf_counter_ns."""
        idx = slot.idx = self.pick()
        self.sent += 1
        self.in_flight += 1
        try:
            data = self.constant[idx] or self.requests[idx].encode(self.values())
            slot.t0 = t0
            slot.sent_at = _now_ns()
            self.stats.bytes_sent += len(data)
            assert slot.conn is not None
            slot.conn.send(data, self.want_body[idx], slot.cb)
        except Exception:
            self.send_failed(slot)

    def send_failed(self, slot: _Slot) -> None:
        """Building or writing a request raised: count it as a ``client_error`` and carry on.

        The request counts as sent (so a request quota still ends the run); the connection is
        dropped (it may hold half a request) and the slot continues on the next loop turn, never
        recursively, so a request that always fails cannot blow the stack or spin the loop dry.
        """
        self.counters[slot.idx].error(CLIENT_ERROR)
        conn = slot.conn
        if conn is not None:
            conn.close()
            slot.conn = None
        self.in_flight -= 1
        assert self._loop is not None
        self._loop.call_soon(self.after, slot)

    def _may_send(self) -> bool:
        return self.sent < self.limit

    def after(self, slot: _Slot) -> None:
        """A slot is free (connected, or its response arrived): give it its next request."""
        if not self._may_send():
            self._maybe_finish()
            return
        conn = slot.conn
        if conn is None or not conn.is_open:
            if not slot.connecting:
                self._spawn_connect(slot)
            return
        if self._open:
            pending = self._pending
            if pending:
                self._dispatch(slot, pending.popleft(), _now_ns())
            else:
                self._idle.append(slot)  # the pacer's next tick gives it a request
            return
        if slot.number >= self.active:
            self._parked.append(slot)
            return
        think = self.plan.config.model.think_time_s
        if think > 0:
            assert self._loop is not None
            self._loop.call_later(think, self._think_done, slot)
        else:
            self._send(slot, _now_ns())

    def _think_done(self, slot: _Slot) -> None:
        if not self._may_send():
            self._maybe_finish()
        elif slot.conn is None or not slot.conn.is_open:
            self._spawn_connect(slot)
        else:
            self._send(slot, _now_ns())

    # ---------------------------------------------------------------- open model pacing
    def _advance_schedule(self) -> int:
        """Intended time (perf_counter_ns) of this worker's next request, or ``_NEVER``."""
        plan = self.plan
        n = plan.index + self._n * plan.count
        self._n += 1
        rate = self._rate
        if rate:
            if n >= rate * plan.config.duration_s - 1e-9:
                return _NEVER
            return self._start_ns + int(n * 1e9 / rate)
        assert self._schedule is not None
        offset = self._schedule.send_time(n)
        return _NEVER if offset is None else self._start_ns + int(offset * 1e9)

    def _dispatch(self, slot: _Slot, intended: int, now: int) -> None:
        """Send the request due at ``intended`` on ``slot``; record how late it starts."""
        us = (now - intended) // 1000
        if us < FAST_LIMIT_US:
            self._late_counts[BUCKET[us] if us > 0 else 0] += 1
        else:
            self.stats.late_hist.record(us)
        if us > _LATE_US:
            self.stats.late += 1
        self._send(slot, intended)

    def _pace(self) -> None:
        """Send (or queue, or drop) every request whose intended time has passed; then sleep.

        Never spins: the next wake-up is at the next intended time but at least
        :data:`MIN_SLEEP_S` away (the event loop's timer resolution), so at high rates each wake-up
        sends a batch; responses between wake-ups only free their connections (see the module
        docstring).
        """
        if self._stopping or self._done is None or self._done.done():
            return
        now = _now_ns()
        due = self._next_due
        if due <= now:
            stats = self.stats
            pending = self._pending
            idle = self._idle
            limit = self.plan.config.model.max_pending
            quota = self._quota
            while due <= now:
                if quota is not None and self.sent + len(pending) >= quota:
                    due = _NEVER
                    break
                stats.scheduled += 1
                if now - due > _BEHIND_NS:
                    stats.behind += 1  # the worker itself was late to this one
                sent = False
                while idle and not pending:
                    slot = idle.pop()
                    if slot.conn is not None and slot.conn.is_open:
                        self._dispatch(slot, due, now)
                        sent = True
                        break
                    self._spawn_connect(slot)
                if not sent:
                    if len(pending) >= limit:
                        self.counters[self.pick()].dropped += 1
                    else:
                        pending.append(due)
                due = self._advance_schedule()
            self._next_due = due
            if pending and len(self._slots) < self._max_slots:
                self._grow(len(pending))
        if self._timer is None and due < int(self._end * 1e9):
            assert self._loop is not None
            delay = max(MIN_SLEEP_S, (due - _now_ns()) / 1e9)
            self._timer = self._loop.call_later(delay, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        self._pace()

    def _grow(self, waiting: int) -> None:
        """k6's maxVUs: open more connections (up to ``max_connections``) for requests that wait."""
        connecting = sum(1 for s in self._slots if s.connecting)
        extra = min(waiting - connecting, self._max_slots - len(self._slots))
        for _ in range(max(0, extra)):
            slot = _Slot(self, len(self._slots))
            self._slots.append(slot)
            self._spawn_connect(slot)

    def _give_up(self) -> None:
        """The run is over: every request that came due but was not sent is dropped, and counted."""
        if self._given_up:
            return
        self._given_up = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        stop = min(_now_ns(), int(self._end * 1e9))
        due = self._next_due
        quota = self._quota
        dropped = len(self._pending)
        self._pending.clear()
        while due <= stop and (quota is None or self.sent + dropped < quota):
            self.stats.scheduled += 1
            if stop - due > _BEHIND_NS:
                self.stats.behind += 1
            dropped += 1
            due = self._advance_schedule()
        self._next_due = _NEVER
        for _ in range(dropped):
            self.counters[self.pick()].dropped += 1

    # ---------------------------------------------------------------- housekeeping
    def _vus_at(self, t: float) -> int:
        model = self.plan.config.model
        share = self.plan.connections / model.connections
        return min(self.plan.connections, round(level_at(model.stages, t) * share))

    def _housekeeping(self) -> None:
        if self._done is None or self._done.done():
            return
        now = time.perf_counter()
        second = int((now - self._start) // 1.0)
        while self._second < second:
            self.emit(self._drain())
            self._second += 1
        timeout = self.plan.config.timeout_s
        expired = _now_ns() - int(timeout * 1e9)
        for slot in self._slots:
            conn = slot.conn
            if conn is not None and slot.sent_at < expired and conn.busy:
                conn.abort(TIMEOUT)
        if not self._open and self.plan.config.model.stages and not self._stopping:
            self.active = self._vus_at(now - self._start)
            ready = [s for s in self._parked if s.number < self.active]
            if ready:
                self._parked = [s for s in self._parked if s.number >= self.active]
                for slot in ready:
                    self.after(slot)
        if now >= self._end and not self._stopping:
            if self._open:
                self._pace()  # what came due before the end goes out; the rest is dropped
            self._set_stopping()
        if self._stopping:
            if now >= self._end + min(STOP_GRACE_S, timeout):
                self._finish()
                return
            if self.in_flight == 0:
                self._finish()
                return
        elif self._quota is not None and self.sent >= self._quota and self.in_flight == 0:
            self._finish()
            return
        assert self._loop is not None
        self._loop.call_later(TICK_S, self._housekeeping)

    def _drain(self, final: bool = False) -> IntervalReport:
        """This second's report, with the worker's own CPU time (generator health) and bytes."""
        cpu, wall = time.process_time(), time.perf_counter()
        received = self.transport.received_bytes
        stats = self.stats
        stats.sent = self.sent - self._last_sent
        report = stats.drain(
            self.plan.index,
            self._second,
            self.in_flight,
            final,
            bytes_received=received - self._last_received,
            cpu_s=cpu - self._last_cpu,
            wall_s=max(0.0, wall - self._last_wall),
            connections=len(self._slots),
        )
        self._last_sent = self.sent
        self._last_received = received
        self._last_cpu, self._last_wall = cpu, wall
        return report

    def _maybe_finish(self) -> None:
        if self.in_flight == 0 and (self._stopping or (self._quota is not None and self.sent >= self._quota)):
            assert self._loop is not None
            self._loop.call_soon(self._finish)

    def _finish(self) -> None:
        if self._done is None or self._done.done():
            return
        self._set_stopping()
        for task in self._tasks:
            task.cancel()
        for slot in self._slots:
            if slot.conn is not None:
                slot.conn.close()
                slot.conn = None
        self.emit(self._drain(final=True))
        self.in_flight = 0
        self._done.set_result(None)
