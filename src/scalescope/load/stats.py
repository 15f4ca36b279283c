"""What a worker counts, and the report it sends once a second.

Per request name and per second a worker keeps one :class:`Histogram`, a status-code count and a
few integers; nothing grows with the number of requests. Reports are plain frozen dataclasses with
histograms encoded as text, so they pickle across processes (or, later, machines) without shared
memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from scalescope.load.histogram import Histogram

__all__ = ["IntervalReport", "NameCounters", "NameInterval", "WorkerStats"]


@dataclass(frozen=True)
class NameInterval:
    """One request name's second: encoded latency histogram, responses, errors, status codes, drops."""

    histogram: str
    responses: int
    errors: tuple[tuple[str, int], ...]
    statuses: tuple[tuple[int, int], ...] = ()
    dropped: int = 0


@dataclass(frozen=True)
class IntervalReport:
    """A worker's report for one second (``second`` counts from the run start).

    ``sent`` requests went out this second; in the open model ``scheduled`` of the schedule's
    requests came due, ``dropped`` were given up unsent, ``late`` went out more than
    ``LATE_START_S`` after their intended time (``late_histogram``: how late, every open-model send,
    µs) and ``behind`` were reached by the worker's own pacer more than ``BEHIND_S`` (50 ms) late
    (its event loop or CPU, not the target). ``cpu_s`` is the worker's CPU time over ``wall_s``
    seconds of wall time.
    """

    worker: int
    second: int
    names: tuple[tuple[str, NameInterval], ...]
    in_flight: int
    dropped: int
    late: int
    final: bool = False
    sent: int = 0
    scheduled: int = 0
    behind: int = 0
    late_histogram: str = ""
    bytes_sent: int = 0
    bytes_received: int = 0
    cpu_s: float = 0.0
    wall_s: float = 0.0
    connections: int = 0


class NameCounters:
    """Mutable per-name counters for the current second (hot path: attribute access only).

    The object and its ``hist.counts`` list live for the whole run (``reset`` clears them in
    place), so the worker's hot path may hold on to them.
    """

    __slots__ = ("dropped", "errors", "hist", "responses", "statuses")

    def __init__(self) -> None:
        self.hist = Histogram()
        self.responses = 0
        self.errors: dict[str, int] = {}
        self.statuses: dict[int, int] = {}
        self.dropped = 0

    def reset(self) -> None:
        """Start a fresh second."""
        self.hist.clear()
        self.responses = 0
        self.errors = {}
        self.statuses = {}
        self.dropped = 0

    def error(self, kind: str) -> None:
        """Count one error of ``kind``."""
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def absorb(self, other: NameCounters) -> None:
        """Add ``other``'s numbers (two request specs sharing a name report as one)."""
        self.hist.merge(other.hist)
        self.responses += other.responses
        self.dropped += other.dropped
        for kind, n in other.errors.items():
            self.errors[kind] = self.errors.get(kind, 0) + n
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n

    def freeze(self) -> NameInterval:
        """Encode into an immutable :class:`NameInterval`."""
        return NameInterval(
            self.hist.encode(),
            self.responses,
            tuple(sorted(self.errors.items())),
            tuple(sorted(self.statuses.items())),
            self.dropped,
        )


class WorkerStats:
    """Current-second counters for each request name, plus the worker-wide counts of one second.

    ``by_index`` (one :class:`NameCounters` per request spec) is never replaced, only reset.
    """

    __slots__ = ("behind", "by_index", "bytes_sent", "late", "late_hist", "names", "scheduled", "sent")

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.by_index: list[NameCounters] = [NameCounters() for _ in names]
        self.late = 0
        self.late_hist = Histogram()
        self.scheduled = 0
        self.behind = 0
        self.sent = 0
        self.bytes_sent = 0

    @property
    def dropped(self) -> int:
        """Requests dropped this second, all names."""
        return sum(c.dropped for c in self.by_index)

    def drain(
        self,
        worker: int,
        second: int,
        in_flight: int,
        final: bool = False,
        *,
        bytes_received: int = 0,
        cpu_s: float = 0.0,
        wall_s: float = 0.0,
        connections: int = 0,
    ) -> IntervalReport:
        """Return this second's report and start a fresh second."""
        merged: dict[str, NameCounters] = {}
        for name, counters in zip(self.names, self.by_index, strict=True):
            if name in merged:
                merged[name].absorb(counters)
            else:
                merged[name] = counters
        report = IntervalReport(
            worker=worker,
            second=second,
            names=tuple((name, c.freeze()) for name, c in merged.items()),
            in_flight=in_flight,
            dropped=self.dropped,
            late=self.late,
            final=final,
            sent=self.sent,
            scheduled=self.scheduled,
            behind=self.behind,
            late_histogram=self.late_hist.encode() if self.late_hist.count else "",
            bytes_sent=self.bytes_sent,
            bytes_received=bytes_received,
            cpu_s=cpu_s,
            wall_s=wall_s,
            connections=connections,
        )
        for counters in self.by_index:
            counters.reset()
        self.late = 0
        self.late_hist.clear()
        self.scheduled = 0
        self.behind = 0
        self.sent = 0
        self.bytes_sent = 0
        return report
