"""When each request is meant to be sent: the coordinated-omission fix, as pure functions.

An open-model run follows a fixed arrival schedule. Latency is measured from the *intended* send
time of each request (wrk2's fix), so a server stall is charged to every request it delayed, not
only to the few that were already in flight.

The schedule is a piecewise-linear arrival rate. Within a segment that moves from rate ``r0`` to
``r1`` over ``d`` seconds, the expected number of arrivals by time ``t`` is
``N(t) = r0*t + (r1 - r0)*t**2 / (2*d)``; the ``n``-th request (0-based) is due when ``N(t) = n``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scalescope.load.config import Stage

__all__ = ["RateSchedule", "Segment", "intended_time", "level_at"]


def intended_time(start: float, rate: float, n: int) -> float:
    """Intended send time of the ``n``-th request (0-based) at a constant ``rate`` from ``start``."""
    return start + n / rate


@dataclass(frozen=True)
class Segment:
    """A stretch of the schedule: rate moves linearly from ``r0`` to ``r1`` over ``duration``."""

    t0: float
    duration: float
    r0: float
    r1: float
    n0: float

    @property
    def count(self) -> float:
        """Expected arrivals within this segment."""
        return (self.r0 + self.r1) * self.duration / 2.0

    def time_of(self, m: float) -> float:
        """Offset into the segment at which ``m`` arrivals have happened (``0 <= m <= count``)."""
        a = (self.r1 - self.r0) / (2.0 * self.duration)
        b = self.r0
        if abs(a) < 1e-12:
            return m / b
        disc = max(0.0, b * b + 4.0 * a * m)
        root = math.sqrt(disc)
        # Stable form of (-b + sqrt(b^2 + 4am)) / 2a.
        if b + root > 0:
            return 2.0 * m / (b + root)
        return (-b + root) / (2.0 * a)


@dataclass(frozen=True)
class RateSchedule:
    """An arrival schedule of requests per second over time (offsets in seconds from the start)."""

    segments: tuple[Segment, ...]

    @classmethod
    def constant(cls, rate: float, duration: float) -> RateSchedule:
        """A flat ``rate`` for ``duration`` seconds."""
        return cls((Segment(0.0, duration, rate, rate, 0.0),))

    @classmethod
    def from_stages(cls, stages: tuple[Stage, ...], start_rate: float = 0.0) -> RateSchedule:
        """Ramp through ``stages`` (each moves linearly to its target), starting at ``start_rate``."""
        segments = []
        t = 0.0
        n = 0.0
        rate = start_rate
        for stage in stages:
            if stage.duration_s <= 0:
                rate = stage.target
                continue
            seg = Segment(t, stage.duration_s, rate, stage.target, n)
            segments.append(seg)
            t += stage.duration_s
            n += seg.count
            rate = stage.target
        return cls(tuple(segments))

    @property
    def duration(self) -> float:
        """Total length of the schedule in seconds."""
        if not self.segments:
            return 0.0
        last = self.segments[-1]
        return last.t0 + last.duration

    @property
    def total(self) -> float:
        """Expected number of requests over the whole schedule."""
        if not self.segments:
            return 0.0
        last = self.segments[-1]
        return last.n0 + last.count

    def send_time(self, n: int) -> float | None:
        """Offset of the ``n``-th request (0-based), or ``None`` when the schedule ends before it."""
        for seg in self.segments:
            if n < seg.n0 + seg.count - 1e-9:
                m = n - seg.n0
                if m < 0:
                    m = 0.0
                return seg.t0 + min(seg.duration, seg.time_of(m))
        return None

    def rate_at(self, t: float) -> float:
        """Arrival rate (requests/s) at offset ``t``."""
        for seg in self.segments:
            if seg.t0 <= t < seg.t0 + seg.duration:
                return seg.r0 + (seg.r1 - seg.r0) * (t - seg.t0) / seg.duration
        return 0.0


def level_at(stages: tuple[Stage, ...], t: float, start: float = 0.0) -> float:
    """Value of a staged level (e.g. virtual users) at offset ``t``: linear between stage targets."""
    level = start
    elapsed = 0.0
    for stage in stages:
        if t < elapsed + stage.duration_s:
            frac = (t - elapsed) / stage.duration_s if stage.duration_s > 0 else 1.0
            return level + (stage.target - level) * frac
        elapsed += stage.duration_s
        level = stage.target
    return level
