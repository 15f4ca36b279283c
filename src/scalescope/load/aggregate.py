"""The parent's side of measurement: merge worker reports into totals and a per-second series.

A second is summarised as soon as every worker has reported it, and its histograms are then
dropped; only per-name totals stay, so the parent's memory does not grow with the request count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scalescope.load.histogram import Histogram
from scalescope.load.stats import IntervalReport

__all__ = ["Aggregator", "LiveSnapshot", "NameTotal"]


class NameTotal:
    """Merged histogram and counters for one request name (or overall)."""

    __slots__ = ("errors", "hist", "responses")

    def __init__(self) -> None:
        self.hist = Histogram()
        self.responses = 0
        self.errors: dict[str, int] = {}

    def add(self, hist: Histogram, responses: int, errors: tuple[tuple[str, int], ...]) -> None:
        """Fold one report's numbers in."""
        self.hist.merge(hist)
        self.responses += responses
        for kind, n in errors:
            self.errors[kind] = self.errors.get(kind, 0) + n

    @property
    def error_count(self) -> int:
        """All errors, every kind."""
        return sum(self.errors.values())

    @property
    def requests(self) -> int:
        """Responses plus requests that failed without a response (an errored response counts once)."""
        return self.responses + sum(n for k, n in self.errors.items() if not k.startswith(_RESPONSE_KINDS))


_RESPONSE_KINDS = ("http_", "check_")


@dataclass
class _Second:
    names: dict[str, NameTotal] = field(default_factory=dict)
    in_flight: int = 0
    dropped: int = 0
    late: int = 0


@dataclass(frozen=True)
class LiveSnapshot:
    """What the live view shows: the last complete second and the running totals."""

    second: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    in_flight: int
    requests: int
    errors: dict[str, int]
    dropped: int
    late: int


class Aggregator:
    """Collects :class:`IntervalReport` objects from ``workers`` workers."""

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._latest: dict[int, int] = {}
        self._pending: dict[int, _Second] = {}
        self.by_name: dict[str, NameTotal] = {}
        self.overall = NameTotal()
        self.series: list[dict[str, object]] = []
        self.dropped = 0
        self.late = 0
        self._last: dict[str, object] | None = None

    def add(self, report: IntervalReport) -> None:
        """Merge a report; summarise every second that all workers have now reported."""
        sec = self._pending.setdefault(report.second, _Second())
        for name, part in report.names:
            hist = Histogram.decode(part.histogram)
            sec.names.setdefault(name, NameTotal()).add(hist, part.responses, part.errors)
            self.by_name.setdefault(name, NameTotal()).add(hist, part.responses, part.errors)
            self.overall.add(hist, part.responses, part.errors)
        sec.in_flight += report.in_flight
        sec.dropped += report.dropped
        sec.late += report.late
        self.dropped += report.dropped
        self.late += report.late
        self._latest[report.worker] = 1 << 62 if report.final else report.second
        if len(self._latest) == self._workers:
            ready = min(self._latest.values())
            for second in sorted(s for s in self._pending if s <= ready):
                self._close(second)

    def finish(self) -> None:
        """Summarise whatever is still open (workers that stopped early or died)."""
        for second in sorted(self._pending):
            self._close(second)

    def _close(self, second: int) -> None:
        sec = self._pending.pop(second)
        overall = NameTotal()
        for total in sec.names.values():
            overall.add(total.hist, total.responses, tuple(total.errors.items()))
        point: dict[str, object] = {
            "second": second,
            "requests": overall.requests,
            "responses": overall.responses,
            "errors": dict(sorted(overall.errors.items())),
            "latency_ms": _brief(overall.hist),
            "in_flight": sec.in_flight,
            "dropped": sec.dropped,
            "late_starts": sec.late,
            "by_name": {
                name: {
                    "requests": t.requests,
                    "errors": t.error_count,
                    "latency_ms": _brief(t.hist),
                }
                for name, t in sorted(sec.names.items())
            },
            "histogram": overall.hist.encode(),
        }
        self.series.append(point)
        self._last = point

    def snapshot(self) -> LiveSnapshot:
        """Numbers for the live view."""
        last = self._last or {}
        lat = last.get("latency_ms", {})
        assert isinstance(lat, dict)
        in_flight = last.get("in_flight", 0)
        rps = last.get("requests", 0)
        second = last.get("second", -1)
        assert isinstance(in_flight, int) and isinstance(rps, int) and isinstance(second, int)
        return LiveSnapshot(
            second=second,
            rps=float(rps),
            p50_ms=float(lat.get("p50", 0.0)),
            p95_ms=float(lat.get("p95", 0.0)),
            p99_ms=float(lat.get("p99", 0.0)),
            in_flight=in_flight,
            requests=self.overall.requests,
            errors=dict(self.overall.errors),
            dropped=self.dropped,
            late=self.late,
        )


def _brief(hist: Histogram) -> dict[str, float]:
    return hist.brief()  # not summary(): hdrh's mean walks every bucket in Python (~0.3 s a call)
