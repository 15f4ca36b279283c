"""What a worker counts, and the report it sends once a second.

Per request name and per second a worker keeps one :class:`Histogram` and a few integers; nothing
grows with the number of requests. Reports are plain frozen dataclasses with histograms encoded as
text, so they pickle across processes (or, later, machines) without shared memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from scalescope.load.histogram import Histogram

__all__ = ["IntervalReport", "NameCounters", "NameInterval", "WorkerStats"]


@dataclass(frozen=True)
class NameInterval:
    """One request name's second: encoded latency histogram, responses, errors by kind."""

    histogram: str
    responses: int
    errors: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class IntervalReport:
    """A worker's report for one second (``second`` counts from the run start)."""

    worker: int
    second: int
    names: tuple[tuple[str, NameInterval], ...]
    in_flight: int
    dropped: int
    late: int
    final: bool = False


class NameCounters:
    """Mutable per-name counters for the current second (hot path: attribute access only).

    The object and its ``hist.counts`` list live for the whole run (``reset`` clears them in
    place), so the worker's hot path may hold on to them.
    """

    __slots__ = ("errors", "hist", "responses")

    def __init__(self) -> None:
        self.hist = Histogram()
        self.responses = 0
        self.errors: dict[str, int] = {}

    def reset(self) -> None:
        """Start a fresh second."""
        self.hist.clear()
        self.responses = 0
        self.errors = {}

    def error(self, kind: str) -> None:
        """Count one error of ``kind``."""
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def freeze(self) -> NameInterval:
        """Encode into an immutable :class:`NameInterval`."""
        return NameInterval(self.hist.encode(), self.responses, tuple(sorted(self.errors.items())))


class WorkerStats:
    """Current-second counters for each request name, plus dropped/late counts.

    ``by_index`` (one :class:`NameCounters` per request spec) is never replaced, only reset.
    """

    __slots__ = ("by_index", "dropped", "late", "names")

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.by_index: list[NameCounters] = [NameCounters() for _ in names]
        self.dropped = 0
        self.late = 0

    def drain(self, worker: int, second: int, in_flight: int, final: bool = False) -> IntervalReport:
        """Return this second's report and start a fresh second."""
        merged: dict[str, NameCounters] = {}
        for name, counters in zip(self.names, self.by_index, strict=True):
            if name in merged:  # two specs sharing a name report as one
                target = merged[name]
                target.hist.merge(counters.hist)
                target.responses += counters.responses
                for kind, n in counters.errors.items():
                    target.errors[kind] = target.errors.get(kind, 0) + n
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
        )
        for counters in self.by_index:
            counters.reset()
        self.dropped = 0
        self.late = 0
        return report
