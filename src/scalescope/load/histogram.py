"""A fixed-memory latency histogram in microseconds, over HdrHistogram (``hdrh``).

``hdrh``'s ``record_value`` costs several microseconds in pure Python, too much for the hot path. So
``record`` first rounds the value down to the HDR bucket it belongs to (3 significant figures: 2,048
sub-buckets) and counts it; the counts are folded into the real histogram lazily, so the result is
exactly what recording each value into ``hdrh`` would give. Values below :data:`FAST_LIMIT_US`
(65.5 ms) are counted in a flat list through a precomputed table (``counts[BUCKET[us]] += 1``: one
index and one add, which the worker's hot path inlines); larger ones go to a small dict. Both hold at
most one slot per HDR bucket, so memory stays bounded whatever the request count.

Histograms cross process boundaries encoded (``encode``/``decode``: compressed base64 text).
"""

from __future__ import annotations

import weakref

from hdrh.histogram import HdrHistogram

__all__ = ["BUCKET", "FAST_LIMIT_US", "HIGHEST_US", "LATENCY_FIELDS", "SLOTS", "Histogram", "bucket_floor"]

LOWEST_US = 1
HIGHEST_US = 3_600_000_000  # one hour
SIGNIFICANT_FIGURES = 3
_SUB_BUCKET_BITS = 11  # 2,048 sub-buckets give 3 significant figures
FAST_LIMIT_US = 1 << 16
"""Latencies below this many microseconds are counted through :data:`BUCKET`."""


def bucket_floor(us: int) -> int:
    """The lowest value of ``us``'s HDR bucket (after clamping to 0..1 h)."""
    if us >= 2048:
        if us > HIGHEST_US:
            us = HIGHEST_US
        shift = us.bit_length() - _SUB_BUCKET_BITS
        return us >> shift << shift
    return us if us > 0 else 0


def _tables() -> tuple[list[int], tuple[int, ...]]:
    # 0..2047 are exact; then each power of two [2^b, 2^(b+1)) has 1,024 buckets of width 2^(b-10).
    index = list(range(2048))
    floors = list(range(2048))
    low = 2048
    while low < FAST_LIMIT_US:
        width = low >> 10
        for floor in range(low, 2 * low, width):
            index.extend([len(floors)] * width)
            floors.append(floor)
        low *= 2
    return index, tuple(floors)


BUCKET, _FLOORS = _tables()
"""``BUCKET[us]`` is the slot of ``us`` (0 <= us < FAST_LIMIT_US) in :attr:`Histogram.counts`.

The slots are laid out exactly like the start of ``HdrHistogram.counts`` for 1 µs..1 h at 3
significant figures (unit magnitude 0, 2,048 sub-buckets), so slot ``i`` is HDR counts index ``i``.
"""
SLOTS = len(_FLOORS)
"""Length of :attr:`Histogram.counts` (7,168: fixed, whatever the request count)."""
_ZEROS = (0,) * SLOTS

LATENCY_FIELDS: tuple[tuple[str, float], ...] = (
    ("p50", 50.0),
    ("p90", 90.0),
    ("p95", 95.0),
    ("p99", 99.0),
    ("p999", 99.9),
)
"""Percentile names used in results and thresholds, with their percentile."""


def _acyclic(hdr: HdrHistogram) -> HdrHistogram:
    """Break ``hdrh``'s histogram <-> encoder reference cycle (the encoder points back at its
    histogram), so a dropped histogram and its ~180 KB counts array are freed at once by reference
    counting. With the cycle, one histogram per name per second piles up as cyclic garbage until
    a full garbage collection, which a long, allocation-light load run rarely triggers: resident
    memory then grows by that much every second."""
    hdr.encoder.histogram = weakref.proxy(hdr)
    return hdr


class Histogram:
    """Latency histogram: ``record`` microseconds, read percentiles in milliseconds.

    ``counts`` is public for the hot path: ``counts[BUCKET[us]] += 1`` equals ``record(us)`` for
    ``0 <= us < FAST_LIMIT_US``. The list object never changes (``clear`` empties it in place), so a
    caller may keep a reference to it.
    """

    __slots__ = ("_hdr", "_pending", "counts")

    def __init__(self) -> None:
        self._hdr: HdrHistogram | None = None
        self._pending: dict[int, int] = {}
        self.counts: list[int] = [0] * SLOTS

    def record(self, us: int) -> None:
        """Record one latency in microseconds (clamped to 0..1 h)."""
        if 0 <= us < FAST_LIMIT_US:
            self.counts[BUCKET[us]] += 1
            return
        us = bucket_floor(us)
        pending = self._pending
        pending[us] = pending.get(us, 0) + 1

    def clear(self) -> None:
        """Forget every value (``counts`` stays the same list object)."""
        self._hdr = None
        self._pending = {}
        counts = self.counts
        counts[:] = _ZEROS

    def _folded(self) -> HdrHistogram:
        hdr = self._hdr
        if hdr is None:
            hdr = self._hdr = _acyclic(HdrHistogram(LOWEST_US, HIGHEST_US, SIGNIFICANT_FIGURES))
        counts = self.counts
        if any(counts):
            # What hdr.record_value(floor, count) does per slot, without its per-call index math
            # (slot i is HDR counts index i; tests/load/test_histogram.py checks the layout).
            hdr_counts = hdr.counts
            total, low, high = 0, -1, 0
            for slot, count in enumerate(counts):
                if count:
                    hdr_counts[slot] += count
                    total += count
                    if low < 0:
                        low = slot
                    high = slot
            hdr.total_count += total
            hdr.min_value = min(hdr.min_value, _FLOORS[low])
            hdr.max_value = max(hdr.max_value, _FLOORS[high])
            counts[:] = _ZEROS
        if self._pending:
            for value, count in self._pending.items():
                hdr.record_value(value, count)
            self._pending = {}
        return hdr

    @property
    def count(self) -> int:
        """Number of recorded values."""
        return int(self._folded().get_total_count())

    def percentile_ms(self, percentile: float) -> float:
        """Value at ``percentile`` (0-100) in milliseconds (0 when empty)."""
        hdr = self._folded()
        if hdr.get_total_count() == 0:
            return 0.0
        return float(hdr.get_value_at_percentile(percentile)) / 1000.0

    def max_ms(self) -> float:
        """Largest recorded value in milliseconds (HDR resolution)."""
        hdr = self._folded()
        return float(hdr.get_max_value()) / 1000.0 if hdr.get_total_count() else 0.0

    def min_ms(self) -> float:
        """Smallest recorded value in milliseconds (HDR resolution)."""
        hdr = self._folded()
        return float(hdr.get_min_value()) / 1000.0 if hdr.get_total_count() else 0.0

    def mean_ms(self) -> float:
        """Mean in milliseconds."""
        hdr = self._folded()
        return float(hdr.get_mean_value()) / 1000.0 if hdr.get_total_count() else 0.0

    def brief(self) -> dict[str, float]:
        """``p50``, ``p90``, ``p95``, ``p99`` and ``max`` in milliseconds (cheap: no mean, no min)."""
        out = {name: round(self.percentile_ms(p), 3) for name, p in LATENCY_FIELDS if name != "p999"}
        out["max"] = round(self.max_ms(), 3)
        return out

    def summary(self) -> dict[str, float]:
        """``p50``..``p999``, ``max``, ``min`` and ``mean`` in milliseconds, rounded to 1 µs."""
        out = {name: round(self.percentile_ms(p), 3) for name, p in LATENCY_FIELDS}
        out["max"] = round(self.max_ms(), 3)
        out["min"] = round(self.min_ms(), 3)
        out["mean"] = round(self.mean_ms(), 3)
        return out

    def merge(self, other: Histogram) -> None:
        """Add ``other``'s counts into this histogram (an empty ``other`` changes nothing).

        ``hdrh``'s ``add`` takes the other histogram's minimum even when it holds no values, and an
        empty histogram's minimum reads 0: merging one in would reset ``min`` to 0.
        """
        theirs = other._folded()
        if theirs.get_total_count():
            self._folded().add(theirs)

    def encode(self) -> str:
        """Compressed, base64 text form (HdrHistogram's standard encoding)."""
        encoded = self._folded().encode()
        return encoded.decode("ascii") if isinstance(encoded, bytes) else str(encoded)

    @classmethod
    def decode(cls, text: str) -> Histogram:
        """Inverse of :meth:`encode`."""
        hist = cls()
        hist._hdr = _acyclic(HdrHistogram.decode(text.encode("ascii")))
        return hist

    @property
    def pending_size(self) -> int:
        """Distinct buckets waiting to be folded (bounded by the HDR bucket count)."""
        return len(self._pending) + sum(1 for count in self.counts if count)
