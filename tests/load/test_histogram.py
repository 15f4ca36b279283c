from __future__ import annotations

import random

import pytest
from hdrh.histogram import HdrHistogram

from scalescope.load.histogram import BUCKET, FAST_LIMIT_US, HIGHEST_US, SLOTS, Histogram, bucket_floor


def test_matches_hdrh_recording_each_value() -> None:
    rng = random.Random(1)
    values = [int(rng.lognormvariate(7, 2)) for _ in range(20_000)]
    ours = Histogram()
    ref = HdrHistogram(1, HIGHEST_US, 3)
    for v in values:
        ours.record(v)
        ref.record_value(min(v, HIGHEST_US))
    assert ours.count == len(values)
    for p in (50, 90, 99, 99.9, 100):
        assert ours.percentile_ms(p) == ref.get_value_at_percentile(p) / 1000.0


def test_percentiles_of_known_distribution() -> None:
    hist = Histogram()
    for us in range(1, 10_001):  # 1 us .. 10 ms uniformly
        hist.record(us)
    assert hist.percentile_ms(50) == pytest.approx(5.0, rel=0.002)
    assert hist.percentile_ms(99) == pytest.approx(9.9, rel=0.002)
    assert hist.max_ms() == pytest.approx(10.0, rel=0.002)
    summary = hist.summary()
    assert set(summary) == {"p50", "p90", "p95", "p99", "p999", "max", "min", "mean"}


def test_encode_decode_and_merge() -> None:
    a, b = Histogram(), Histogram()
    for _ in range(100):
        a.record(1_000)
        b.record(100_000)
    text = a.encode()
    assert isinstance(text, str) and len(text) < 400
    merged = Histogram.decode(text)
    merged.merge(Histogram.decode(b.encode()))
    assert merged.count == 200
    assert merged.percentile_ms(25) == pytest.approx(1.0, rel=0.001)
    assert merged.percentile_ms(75) == pytest.approx(100.0, rel=0.001)


def test_memory_is_bounded_by_buckets_not_samples() -> None:
    hist = Histogram()
    rng = random.Random(2)
    for _ in range(200_000):
        hist.record(rng.randrange(1, 50_000))
    # 1..50 ms at 3 significant figures fits in a few thousand buckets, not 200k samples.
    assert hist.pending_size < 12_000
    assert hist.count == 200_000


def test_empty_and_clamped_values() -> None:
    hist = Histogram()
    assert hist.percentile_ms(99) == 0.0 and hist.max_ms() == 0.0
    hist.record(-5)
    hist.record(10 * HIGHEST_US)
    assert hist.count == 2
    assert hist.max_ms() == pytest.approx(HIGHEST_US / 1000.0, rel=0.001)


def test_fast_table_is_hdr_layout() -> None:
    """``counts[BUCKET[us]] += 1`` lands in the same slot HDR's own ``record_value(us)`` would use."""
    ref = HdrHistogram(1, HIGHEST_US, 3)
    for us in range(FAST_LIMIT_US):
        slot = BUCKET[us]
        assert slot == ref._counts_index_for(us)
        assert bucket_floor(us) == ref.get_lowest_equivalent_value(us)
    assert max(BUCKET) == SLOTS - 1


def test_bucketing_error_is_within_three_significant_digits() -> None:
    """Rounding a value down to its bucket loses less than 1/1,024 of it (HDR's own guarantee)."""
    rng = random.Random(3)
    values = [*range(1, 5_000), *(rng.randrange(1, HIGHEST_US) for _ in range(20_000))]
    for us in values:
        floor = bucket_floor(us)
        assert floor <= us
        assert (us - floor) / us < 1 / 1024


def test_fast_and_slow_recording_agree_across_the_boundary() -> None:
    """Values just below and above FAST_LIMIT_US (list vs dict) give what hdrh gives."""
    values = [FAST_LIMIT_US - 2, FAST_LIMIT_US - 1, FAST_LIMIT_US, FAST_LIMIT_US + 1, 3 * FAST_LIMIT_US]
    ours = Histogram()
    ref = HdrHistogram(1, HIGHEST_US, 3)
    for us in values:
        ours.record(us)
        ref.record_value(us)
    for p in (10, 30, 50, 70, 100):
        assert ours.percentile_ms(p) == ref.get_value_at_percentile(p) / 1000.0
    assert ours.min_ms() == ref.get_min_value() / 1000.0
    assert ours.max_ms() == ref.get_max_value() / 1000.0


def test_a_dropped_histogram_is_freed_without_the_cycle_collector() -> None:
    """hdrh's histogram and encoder point at each other; left as is, every per-second histogram
    of a long run would wait for a full GC (resident memory grows by ~180 KB a second)."""
    import gc
    import weakref

    gc.disable()
    try:
        hist = Histogram()
        hist.record(1234)
        decoded = Histogram.decode(hist.encode())
        refs = [weakref.ref(hist._folded()), weakref.ref(decoded._folded())]
        assert all(r() is not None for r in refs)
        del hist, decoded
        assert all(r() is None for r in refs)
    finally:
        gc.enable()
