"""A fixed-memory latency histogram in microseconds, over HdrHistogram (``hdrh``).

``hdrh``'s ``record_value`` costs several microseconds in pure Python, too much for the hot path. So
``record`` first rounds the value down to the HDR bucket it belongs to (3 significant figures: 2,048
sub-buckets) and counts it in a small dict; the dict is folded into the real histogram lazily. The
dict holds at most one key per HDR bucket, so memory stays bounded whatever the request count, and
the result is exactly what recording each value into ``hdrh`` would give.

Histograms cross process boundaries encoded (``encode``/``decode``: compressed base64 text).
"""

from __future__ import annotations

from hdrh.histogram import HdrHistogram

__all__ = ["HIGHEST_US", "LATENCY_FIELDS", "Histogram"]

LOWEST_US = 1
HIGHEST_US = 3_600_000_000  # one hour
SIGNIFICANT_FIGURES = 3
_SUB_BUCKET_BITS = 11  # 2,048 sub-buckets give 3 significant figures

LATENCY_FIELDS: tuple[tuple[str, float], ...] = (
    ("p50", 50.0),
    ("p90", 90.0),
    ("p95", 95.0),
    ("p99", 99.0),
    ("p999", 99.9),
)
"""Percentile names used in results and thresholds, with their percentile."""


class Histogram:
    """Latency histogram: ``record`` microseconds, read percentiles in milliseconds."""

    __slots__ = ("_hdr", "_pending")

    def __init__(self) -> None:
        self._hdr: HdrHistogram | None = None
        self._pending: dict[int, int] = {}

    def record(self, us: int) -> None:
        """Record one latency in microseconds (clamped to 0..1 h)."""
        if us >= 2048:
            if us > HIGHEST_US:
                us = HIGHEST_US
            shift = us.bit_length() - _SUB_BUCKET_BITS
            us = us >> shift << shift
        elif us < 0:
            us = 0
        pending = self._pending
        pending[us] = pending.get(us, 0) + 1

    def _folded(self) -> HdrHistogram:
        hdr = self._hdr
        if hdr is None:
            hdr = self._hdr = HdrHistogram(LOWEST_US, HIGHEST_US, SIGNIFICANT_FIGURES)
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

    def summary(self) -> dict[str, float]:
        """``p50``..``p999``, ``max``, ``min`` and ``mean`` in milliseconds, rounded to 1 µs."""
        out = {name: round(self.percentile_ms(p), 3) for name, p in LATENCY_FIELDS}
        out["max"] = round(self.max_ms(), 3)
        out["min"] = round(self.min_ms(), 3)
        out["mean"] = round(self.mean_ms(), 3)
        return out

    def merge(self, other: Histogram) -> None:
        """Add ``other``'s counts into this histogram."""
        self._folded().add(other._folded())

    def encode(self) -> str:
        """Compressed, base64 text form (HdrHistogram's standard encoding)."""
        encoded = self._folded().encode()
        return encoded.decode("ascii") if isinstance(encoded, bytes) else str(encoded)

    @classmethod
    def decode(cls, text: str) -> Histogram:
        """Inverse of :meth:`encode`."""
        hist = cls()
        hist._hdr = HdrHistogram.decode(text.encode("ascii"))
        return hist

    @property
    def pending_size(self) -> int:
        """Distinct buckets waiting to be folded (bounded by the HDR bucket count)."""
        return len(self._pending)
