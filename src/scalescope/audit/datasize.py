"""Latency against the data an endpoint returns: the evidence behind SC-DB-102.

The sizes come from ``audit/size_variants.py`` (page sizes, filter values and ids the app
itself exposes). An endpoint's sizes are measured in **one** closed-model run on one
connection, interleaved at random, so drift on a shared machine hits every size alike; the
median latency of each size is fitted against its response bytes by least squares.

**When it fires** (:func:`judge`): the fitted slope is positive with R² >= :data:`MIN_R2`,
over the measured range the fitted latency at least doubles (:data:`MIN_GROWTH`) and rises by
:data:`MIN_INCREASE_MS` or more, and the largest response's median is above the smallest
one's p95 (the two distributions are apart, so scheduling noise on a shared machine cannot make
the slope; a run failing only that is measured once more). A bounded endpoint (a page size
capped at 50) also costs more for 50 rows than for 20, but within the range it serves its
latency does not double; an unbounded list's range is the table.

The fit and the verdict are pure; the measurement is injected (``Measurer.interleaved``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from scalescope.audit.size_variants import (
    MIN_SIZES,
    Fetch,
    QueryParam,
    Variant,
    collect_values,
    discover,
    items_of,
    template_for,
)
from scalescope.load.config import RequestSpec

__all__ = ["NOISE", "SizeFit", "SizePoint", "SizeSeries", "fit_sizes", "judge", "size_series"]

MIN_R2 = 0.8
MIN_GROWTH = 2.0
MIN_INCREASE_MS = 2.0
#: the verdict's words when the distributions overlap (then the sizes are measured once more)
NOISE = "noise on this machine"
#: endpoints of the traffic mix looked at
MAX_ENDPOINTS = 8
#: requests of each size a measurement aims for, and its length in seconds
REQUESTS_PER_SIZE = 40
RUN_SECONDS = (1.5, 5.0)

#: ``([(name, path)], duration_s=, max_requests=) -> {name: (p50 ms, p95 ms, requests, errors)}``:
#: one interleaved run (``Measurer.interleaved``)
Measure = Callable[..., Mapping[str, tuple[float, float, int, int]]]


@dataclass(frozen=True, slots=True)
class SizePoint:
    """One size, measured: median and p95 latency over ``requests`` requests."""

    path: str
    bytes: int
    items: int | None
    p50_ms: float
    p95_ms: float
    requests: int

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "bytes": self.bytes,
            "items": self.items,
            "p50_ms": round(self.p50_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "requests": self.requests,
        }


@dataclass(frozen=True, slots=True)
class SizeFit:
    """Median latency = ``intercept_ms`` + ``slope_ms_per_kb`` x kB, fitted by least squares."""

    slope_ms_per_kb: float
    intercept_ms: float
    r2: float
    #: fitted latency at the smallest and largest size measured
    smallest_ms: float
    largest_ms: float

    def at(self, size_bytes: float) -> float:
        return self.intercept_ms + self.slope_ms_per_kb * size_bytes / 1000.0

    def bytes_for(self, latency_ms: float) -> float | None:
        """Response size at which the fitted latency reaches ``latency_ms`` (a projection)."""
        if self.slope_ms_per_kb <= 0:
            return None
        return max(0.0, (latency_ms - self.intercept_ms) / self.slope_ms_per_kb * 1000.0)

    def as_dict(self) -> dict[str, float]:
        return {
            "slope_ms_per_kb": round(self.slope_ms_per_kb, 4),
            "intercept_ms": round(self.intercept_ms, 3),
            "r2": round(self.r2, 4),
            "smallest_ms": round(self.smallest_ms, 2),
            "largest_ms": round(self.largest_ms, 2),
        }


@dataclass(frozen=True, slots=True)
class SizeSeries:
    """An endpoint measured at several response sizes, its fit and the verdict."""

    endpoint: str  # "GET /products" as the route is written
    varied: str  # what changed the size: "query parameter category", ...
    points: tuple[SizePoint, ...]
    fit: SizeFit | None
    grows: bool
    why: str  # the verdict in words, with the numbers it rests on

    def as_dict(self) -> dict[str, object]:
        return {
            "endpoint": self.endpoint,
            "varied": self.varied,
            "points": [p.as_dict() for p in self.points],
            "fit": self.fit.as_dict() if self.fit is not None else None,
            "grows": self.grows,
            "why": self.why,
        }


def _ok(status: int | None) -> bool:
    return status is not None and 200 <= status < 300


def size_series(
    requests: Sequence[RequestSpec],
    declared: Mapping[str, list[QueryParam]] | None,
    fetch: Fetch,
    measure: Measure,
    *,
    go_on: Callable[[], bool] = lambda: True,
    on_series: Callable[[SizeSeries], None] = lambda _s: None,
) -> list[SizeSeries]:
    """Each GET of ``requests`` (the traffic mix) at the sizes the app serves, measured and
    judged (see the module docstring). ``declared``: the query parameters of the app's OpenAPI
    document by path template (``None`` without a document); ``go_on`` is asked before each
    measurement (the time budget)."""
    specs = [r for r in requests if r.method == "GET" and not r.body][:MAX_ENDPOINTS]
    bases = {spec.name: fetch(spec.path) for spec in specs}
    values = collect_values(body for status, body, _ in bases.values() if _ok(status))
    out: list[SizeSeries] = []
    for spec in specs:
        status, body, seconds = bases[spec.name]
        if not _ok(status):
            continue
        written = spec.name.split(" ", 1)[1] if spec.name.startswith("GET /") else spec.path
        template = template_for(spec.path, declared) if declared is not None else None
        params = declared.get(template) if declared is not None and template is not None else None
        base = Variant(spec.path, len(body), items_of(body), seconds)
        varied, variants = discover(template or written, spec.path, params, values, fetch, base)
        if not variants:
            continue
        if not go_on():
            break
        names = [(f"size {i + 1}", v.path) for i, v in enumerate(variants)]
        low, high = RUN_SECONDS
        duration = max(low, min(high, REQUESTS_PER_SIZE * sum(v.seconds for v in variants) * 1.3))
        for attempt in range(2):
            measured = measure(names, duration_s=duration, max_requests=(REQUESTS_PER_SIZE + 5) * len(names))
            points = []
            for (name, _), variant in zip(names, variants, strict=True):
                p50, p95, count, errors = measured.get(name, (0.0, 0.0, 0, 0))
                if count >= 5 and errors == 0:
                    points.append(SizePoint(variant.path, variant.bytes, variant.items, p50, p95, count))
            fit = fit_sizes(points)
            grows, why = judge(points, fit)
            # a burst of load on a shared machine spreads one run: measure once more
            if NOISE not in why or attempt == 1 or not go_on():
                break
        if attempt == 1:
            why += " (measured twice: the first run was as spread)"
        series = SizeSeries(f"GET {template or written}", varied, tuple(points), fit, grows, why)
        out.append(series)
        on_series(series)
    return out


# --------------------------------------------------------------------------- fit and verdict


def fit_sizes(points: Sequence[SizePoint]) -> SizeFit | None:
    """Least-squares line of median latency against response size (``None`` under 2 sizes)."""
    xs = [p.bytes / 1000.0 for p in points]
    ys = [p.p50_ms for p in points]
    n = len(xs)
    if n < 2 or max(xs) == min(xs):
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = my - slope * mx
    ss_res = sum((y - (intercept + slope * x)) ** 2 for x, y in zip(xs, ys, strict=True))
    ss_tot = sum((y - my) ** 2 for y in ys)
    r2 = 1.0 - ss_res / ss_tot if ss_tot > 0 else 0.0
    return SizeFit(slope, intercept, r2, intercept + slope * min(xs), intercept + slope * max(xs))


def judge(points: Sequence[SizePoint], fit: SizeFit | None) -> tuple[bool, str]:
    """Whether latency clearly grows with the data returned, and why (see the module docstring)."""
    if fit is None or len(points) < MIN_SIZES:
        return False, f"fewer than {MIN_SIZES} sizes measured"
    smallest, largest = min(points, key=lambda p: p.bytes), max(points, key=lambda p: p.bytes)
    span = f"{_kb(smallest.bytes)} to {_kb(largest.bytes)}"
    if fit.slope_ms_per_kb <= 0 or fit.r2 < MIN_R2:
        return False, (
            f"no clear relation over {span} (slope {fit.slope_ms_per_kb:+.3f} ms per kB, R² {fit.r2:.2f}; "
            f"needs a positive slope with R² >= {MIN_R2:g})"
        )
    increase = fit.largest_ms - fit.smallest_ms
    base = max(fit.smallest_ms, 0.0)
    if increase < MIN_INCREASE_MS or fit.largest_ms < MIN_GROWTH * base:
        return False, (
            f"latency grows {fit.slope_ms_per_kb:.3f} ms per kB (R² {fit.r2:.2f}) but only from "
            f"{fit.smallest_ms:.1f} to {fit.largest_ms:.1f} ms over {span}, the range the app serves "
            f"(needs x{MIN_GROWTH:g} and +{MIN_INCREASE_MS:g} ms)"
        )
    if largest.p50_ms <= smallest.p95_ms:
        return False, (
            f"the median at {_kb(largest.bytes)} ({largest.p50_ms:.1f} ms) is within the spread of the "
            f"smallest response ({_kb(smallest.bytes)}: p95 {smallest.p95_ms:.1f} ms): {NOISE} could "
            "explain the slope"
        )
    return True, (
        f"latency grows from {fit.smallest_ms:.1f} to {fit.largest_ms:.1f} ms over {span} "
        f"({fit.slope_ms_per_kb:.3f} ms per kB, R² {fit.r2:.2f})"
    )


def _kb(size: float) -> str:
    return f"{size / 1000:,.1f} kB" if size >= 1000 else f"{size:,.0f} B"
