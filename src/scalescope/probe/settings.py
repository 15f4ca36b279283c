"""Every bound and threshold a probe uses, in one frozen object passed down (no globals)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProbeSettings:
    """Time bounds, sample caps and the thresholds checks compare server numbers against.

    Defaults are for production servers; tests pass smaller ones where a condition would
    otherwise need gigabytes to plant (bloat, index sizes).
    """

    # bounds of the probe itself
    connect_timeout_s: float = 5.0
    statement_timeout_ms: int = 5_000  # per probe query (SET on the probe session)
    lock_timeout_ms: int = 100  # the probe takes no locks beyond AccessShare on catalogs
    row_cap: int = 5_000  # rows any catalog query returns at most
    top_statements: int = 20  # pg_stat_statements rows read
    redis_scan_count: int = 100  # COUNT hint per SCAN call
    redis_sample_keys: int = 1_000  # keys sampled at most (TTL, MEMORY USAGE)
    redis_sample_seconds: float = 2.0  # wall-clock budget of the key sampling
    # PostgreSQL thresholds
    connections_used_ratio: float = 0.8
    seq_scan_min_rows: int = 10_000
    seq_scan_min_scans: int = 50
    seq_scan_min_avg_rows: int = 5_000  # rows read per sequential scan, on average
    fk_min_rows: int = 1_000  # referencing tables smaller than this are not reported
    unused_index_min_bytes: int = 1 << 20
    redundant_index_min_bytes: int = 1 << 20  # smaller duplicates cost next to nothing
    cache_hit_min_ratio: float = 0.95
    cache_hit_min_blocks: int = 100_000
    bloat_min_ratio: float = 0.5
    bloat_min_bytes: int = 64 << 20
    dead_tuples_min: int = 10_000
    long_query_s: float = 60.0
    idle_in_transaction_s: float = 30.0
    slow_query_mean_ms: float = 100.0
    slow_query_min_calls: int = 50
    # cross-checks of list and count findings (SC-DB-004, SC-DB-005) against row counts: a
    # query that can return (or count) at least ``rows_confirm`` rows is confirmed; one the
    # server shows returning fewer than ``rows_contradict`` at most is contradicted
    rows_confirm: int = 10_000
    rows_contradict: int = 1_000
    # Redis thresholds
    redis_hit_min_ratio: float = 0.8
    redis_hit_min_lookups: int = 10_000
    redis_clients_ratio: float = 0.8
    redis_big_key_bytes: int = 10 << 20
    redis_no_ttl_ratio: float = 0.5
    redis_no_ttl_min_sampled: int = 20
    redis_slowlog_min_us: int = 10_000
    # cross-check of SC-CACHE-005: sampled keys without TTL under the write's key prefix, keyed
    # by a varying part (an id), that confirm a cache write without expiry grows with its input
    redis_no_ttl_confirm_keys: int = 5
