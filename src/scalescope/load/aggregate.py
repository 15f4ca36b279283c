"""The parent's side of measurement: merge worker reports into totals and a per-second series.

A second is summarised as soon as every worker has reported it, and its histograms are then
dropped; only per-name totals stay, so the parent's memory does not grow with the request count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from scalescope.load.histogram import Histogram
from scalescope.load.stats import IntervalReport

__all__ = ["Aggregator", "LiveSnapshot", "NameTotal", "WorkerHealth", "status_codes"]


class NameTotal:
    """Merged histogram and counters for one request name (or overall)."""

    __slots__ = ("dropped", "errors", "hist", "responses", "statuses")

    def __init__(self) -> None:
        self.hist = Histogram()
        self.responses = 0
        self.errors: dict[str, int] = {}
        self.statuses: dict[int, int] = {}
        self.dropped = 0

    def add(
        self,
        hist: Histogram,
        responses: int,
        errors: Iterable[tuple[str, int]],
        statuses: Iterable[tuple[int, int]] = (),
        dropped: int = 0,
    ) -> None:
        """Fold one report's numbers in."""
        self.hist.merge(hist)
        self.responses += responses
        self.dropped += dropped
        for kind, n in errors:
            self.errors[kind] = self.errors.get(kind, 0) + n
        for status, n in statuses:
            self.statuses[status] = self.statuses.get(status, 0) + n

    def absorb(self, other: NameTotal) -> None:
        """Add another total's numbers."""
        self.add(other.hist, other.responses, other.errors.items(), other.statuses.items(), other.dropped)

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
    late: int = 0
    sent: int = 0
    scheduled: int = 0
    behind: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0


@dataclass
class WorkerHealth:
    """One worker's totals and CPU use, as its reports told them."""

    sent: int = 0
    scheduled: int = 0
    behind: int = 0
    cpu_s: float = 0.0
    wall_s: float = 0.0
    peak_cpu: float = 0.0
    seconds: int = 0
    connections: int = 0
    finished: bool = False
    lost: bool = False

    @property
    def cpu(self) -> float:
        """Mean CPU use over the run, as a fraction of one core."""
        return self.cpu_s / self.wall_s if self.wall_s > 0 else 0.0


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
        self.late = 0
        self.late_hist = Histogram()
        self.bytes_sent = 0
        self.bytes_received = 0
        self.health: dict[int, WorkerHealth] = {i: WorkerHealth() for i in range(workers)}
        self._last: dict[str, object] | None = None

    @property
    def dropped(self) -> int:
        """Scheduled requests never sent, all names."""
        return self.overall.dropped

    @property
    def sent(self) -> int:
        """Requests written (or attempted), all workers."""
        return sum(h.sent for h in self.health.values())

    @property
    def scheduled(self) -> int:
        """Open model: requests that came due, all workers."""
        return sum(h.scheduled for h in self.health.values())

    @property
    def behind(self) -> int:
        """Open model: requests that came due while their worker was itself late."""
        return sum(h.behind for h in self.health.values())

    def add(self, report: IntervalReport) -> None:
        """Merge a report; summarise every second that all workers have now reported."""
        sec = self._pending.setdefault(report.second, _Second())
        for name, part in report.names:
            hist = Histogram.decode(part.histogram)
            numbers = (hist, part.responses, part.errors, part.statuses, part.dropped)
            sec.names.setdefault(name, NameTotal()).add(*numbers)
            self.by_name.setdefault(name, NameTotal()).add(*numbers)
            self.overall.add(*numbers)
        sec.in_flight += report.in_flight
        sec.late += report.late
        sec.sent += report.sent
        sec.scheduled += report.scheduled
        sec.behind += report.behind
        sec.bytes_sent += report.bytes_sent
        sec.bytes_received += report.bytes_received
        self.late += report.late
        self.bytes_sent += report.bytes_sent
        self.bytes_received += report.bytes_received
        if report.late_histogram:
            self.late_hist.merge(Histogram.decode(report.late_histogram))
        health = self.health.setdefault(report.worker, WorkerHealth())
        health.sent += report.sent
        health.scheduled += report.scheduled
        health.behind += report.behind
        health.cpu_s += report.cpu_s
        health.wall_s += report.wall_s
        health.seconds = max(health.seconds, report.second + 1)
        health.connections = max(health.connections, report.connections)
        if report.wall_s >= 0.5:  # a full second (the last one may be a sliver)
            health.peak_cpu = max(health.peak_cpu, report.cpu_s / report.wall_s)
        health.finished = health.finished or report.final
        self._latest[report.worker] = 1 << 62 if report.final else report.second
        self._close_ready()

    def lose(self, worker: int) -> None:
        """``worker`` died or stopped reporting: stop waiting for it (its seconds so far stay)."""
        self.health.setdefault(worker, WorkerHealth()).lost = True
        self._latest[worker] = 1 << 62
        self._close_ready()

    def _close_ready(self) -> None:
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
            overall.absorb(total)
        point: dict[str, object] = {
            "second": second,
            "requests": overall.requests,
            "responses": overall.responses,
            "sent": sec.sent,
            "errors": dict(sorted(overall.errors.items())),
            "status_codes": status_codes(overall.statuses),
            "latency_ms": _brief(overall.hist),
            "in_flight": sec.in_flight,
            "scheduled": sec.scheduled,
            "dropped": overall.dropped,
            "late_starts": sec.late,
            "behind": sec.behind,
            "bytes_sent": sec.bytes_sent,
            "bytes_received": sec.bytes_received,
            "by_name": {
                name: {
                    "requests": t.requests,
                    "errors": t.error_count,
                    "dropped": t.dropped,
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


def status_codes(statuses: dict[int, int]) -> dict[str, int]:
    """Status-code counts keyed by the code as text, in code order (JSON keys are strings)."""
    return {str(code): n for code, n in sorted(statuses.items())}


def _brief(hist: Histogram) -> dict[str, float]:
    return hist.brief()  # not summary(): hdrh's mean walks every bucket in Python (~0.3 s a call)
