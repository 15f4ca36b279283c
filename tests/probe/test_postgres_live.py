"""The PostgreSQL probe against a live server: each condition planted in a throwaway database,
with an ok twin that must not raise the finding."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from scalescope.probe.postgres.collect import connect
from scalescope.probe.postgres.probe import probe_postgres
from scalescope.probe.result import ProbeResult
from scalescope.probe.settings import ProbeSettings
from scalescope.probe.target import parse_target

from .conftest import PgDatabase


def by_rule(result: ProbeResult, rule: str) -> list[str]:
    return sorted(f.message for f in result.findings if f.rule == rule)


def about(messages: list[str], subject: str) -> bool:
    return any(subject in m for m in messages)


def test_foreign_key_without_index_and_indexed_twin(pg_db: PgDatabase) -> None:
    pg_db.run(
        "CREATE TABLE parent (id bigint PRIMARY KEY)",
        "INSERT INTO parent SELECT g FROM generate_series(1, 100) g",
        "CREATE TABLE child_bad (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id))",
        "CREATE TABLE child_ok (id bigint PRIMARY KEY, parent_id bigint REFERENCES parent (id))",
        "CREATE INDEX child_ok_parent_idx ON child_ok (parent_id)",
        # composite FK covered by an index on the same columns in another order: indexed
        "CREATE TABLE pair (a bigint, b bigint, PRIMARY KEY (a, b))",
        "INSERT INTO pair SELECT g, g FROM generate_series(1, 100) g",
        "CREATE TABLE child_pair (id bigint PRIMARY KEY, a bigint, b bigint, "
        "FOREIGN KEY (a, b) REFERENCES pair)",
        "CREATE INDEX child_pair_ba ON child_pair (b, a)",
        "INSERT INTO child_bad SELECT g, 1 + g % 100 FROM generate_series(1, 3000) g",
        "INSERT INTO child_ok SELECT g, 1 + g % 100 FROM generate_series(1, 3000) g",
        "INSERT INTO child_pair SELECT g, 1 + g % 100, 1 + g % 100 FROM generate_series(1, 3000) g",
        "ANALYZE",
    )
    result = probe_postgres(pg_db.url)
    fks = by_rule(result, "SC-PG-005")
    assert about(fks, "on public.child_bad (parent_id)")
    assert not about(fks, "child_ok")
    assert not about(fks, "child_pair")
    finding = next(f for f in result.findings if f.rule == "SC-PG-005")
    assert (
        finding.fix_snippet
        == "CREATE INDEX CONCURRENTLY child_bad_parent_id_idx ON public.child_bad (parent_id);"
    )


def test_sequentially_scanned_large_table_and_indexed_twin(pg_db: PgDatabase) -> None:
    pg_db.run(
        "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint, status int)",
        "INSERT INTO orders SELECT g, g % 5000, g % 7 FROM generate_series(1, 20000) g",
        "CREATE TABLE orders_ok (id bigint PRIMARY KEY, customer bigint, status int)",
        "INSERT INTO orders_ok SELECT g, g % 5000, g % 7 FROM generate_series(1, 20000) g",
        "CREATE INDEX orders_ok_customer ON orders_ok (customer)",
        "CREATE TABLE tiny (id bigint PRIMARY KEY, v int)",
        "INSERT INTO tiny SELECT g, g FROM generate_series(1, 50) g",
    )
    pg_db.flush_stats()  # insert counts first, or they land on top of ANALYZE's row estimate
    pg_db.run("ANALYZE")
    for i in range(60):
        pg_db.run(
            f"SELECT count(*) FROM orders WHERE customer = {i}",
            f"SELECT count(*) FROM orders_ok WHERE customer = {i}",
            f"SELECT count(*) FROM tiny WHERE v = {i}",
        )
    pg_db.flush_stats()
    result = probe_postgres(pg_db.url)
    scans = by_rule(result, "SC-PG-006")
    assert about(scans, "public.orders (20k rows) was read by ")
    assert not about(scans, "orders_ok")
    assert not about(scans, "tiny")
    stat = next(t for t in result.snapshot.tables if t.name == "orders")  # type: ignore[attr-defined]
    assert stat.seq_scan >= 60 and stat.seq_tup_read >= 60 * 20000


def test_timeouts_disabled_then_set_per_database(pg_db: PgDatabase) -> None:
    bad = probe_postgres(pg_db.url)
    for rule, setting in (
        ("SC-PG-002", "statement_timeout"),
        ("SC-PG-003", "idle_in_transaction_session_timeout"),
        ("SC-PG-004", "lock_timeout"),
    ):
        assert about(by_rule(bad, rule), f"{setting} is 0 (disabled)"), rule
    pg_db.run(
        f"ALTER DATABASE {pg_db.name} SET statement_timeout = '5s'",
        f"ALTER DATABASE {pg_db.name} SET idle_in_transaction_session_timeout = '30s'",
        f"ALTER DATABASE {pg_db.name} SET lock_timeout = '2s'",
    )
    ok = probe_postgres(pg_db.url)
    assert not [f for f in ok.findings if f.rule in {"SC-PG-002", "SC-PG-003", "SC-PG-004"}]
    # the probe's own (shorter) session limits are not what it reports
    assert ok.snapshot.settings["statement_timeout"].value == "5000"  # type: ignore[attr-defined]


def test_unused_and_duplicate_indexes(pg_db: PgDatabase) -> None:
    pg_db.run(
        "CREATE TABLE items (id bigint PRIMARY KEY, a bigint, b bigint, c bigint, d bigint, e bigint)",
        "INSERT INTO items SELECT g, g, g, g, g, g FROM generate_series(1, 60000) g",
        "CREATE INDEX items_a_unused ON items (a)",
        "CREATE INDEX items_b ON items (b)",
        "CREATE INDEX items_b_copy ON items (b)",
        "CREATE INDEX items_c ON items (c)",
        "CREATE INDEX items_c_d ON items (c, d)",
        "CREATE INDEX items_d ON items (d)",
        "CREATE UNIQUE INDEX items_e_unique ON items (e)",
        "CREATE INDEX items_e ON items (e)",
        "ANALYZE",
    )
    for i in range(5):
        pg_db.run(
            "SET enable_seqscan = off",
            f"SELECT * FROM items WHERE b = {i}",
            f"SELECT * FROM items WHERE d = {i}",
            f"SELECT * FROM items WHERE c = {i} AND d = {i}",
        )
    pg_db.flush_stats()
    result = probe_postgres(pg_db.url)
    unused = by_rule(result, "SC-PG-008")
    assert about(unused, "Index public.items_a_unused on items")
    assert not about(unused, "items_pkey")  # backs the primary key
    assert not about(unused, "items_e_unique")  # backs uniqueness
    assert not about(unused, "Index public.items_d ")  # used
    dups = by_rule(result, "SC-PG-009")
    dup_subjects = {m.split(" (", 1)[0] for m in dups}
    copy = {"Index public.items_b_copy", "Index public.items_b"}
    assert len(dup_subjects & copy) == 1  # one of the identical pair, not both
    assert "Index public.items_c" in dup_subjects  # (c) is a prefix of (c, d)
    assert "Index public.items_e" in dup_subjects  # duplicates the unique index
    assert "Index public.items_d" not in dup_subjects  # (d) is not a prefix of (c, d)
    assert "Index public.items_e_unique" not in dup_subjects
    assert "Index public.items_c_d" not in dup_subjects


def test_bloat_and_autovacuum_lag_with_vacuumed_and_clean_twins(pg_db: PgDatabase) -> None:
    for name in ("bloated", "vacuumed", "clean"):
        pg_db.run(
            f"CREATE TABLE {name} (id bigint PRIMARY KEY, pad text) WITH (autovacuum_enabled = false)",
            f"INSERT INTO {name} SELECT g, repeat('x', 100) FROM generate_series(1, 60000) g",
        )
    pg_db.run("DELETE FROM bloated WHERE id % 10 <> 0", "DELETE FROM vacuumed WHERE id % 10 <> 0")
    pg_db.flush_stats()  # counters reach the server before VACUUM/ANALYZE reset them
    pg_db.run("VACUUM vacuumed", "ANALYZE")
    pg_db.flush_stats()
    settings = ProbeSettings(bloat_min_bytes=1 << 20)
    result = probe_postgres(pg_db.url, settings)
    lag = by_rule(result, "SC-PG-012")
    assert about(lag, "public.bloated holds 54k dead rows")
    assert not about(lag, "vacuumed")
    assert not about(lag, "clean")
    bloat = by_rule(result, "SC-PG-011")
    assert about(bloat, "public.bloated occupies")
    assert about(bloat, "public.vacuumed occupies")  # VACUUM frees space for reuse, not the file
    assert not about(bloat, "public.clean")
    # default threshold (64 MiB wasted) keeps a few MB of bloat quiet
    assert not by_rule(probe_postgres(pg_db.url), "SC-PG-011")


def test_long_running_and_idle_in_transaction_sessions(pg_db: PgDatabase) -> None:
    import psycopg

    busy = psycopg.connect(pg_db.url, autocommit=True)
    idle_tx = psycopg.connect(pg_db.url)  # not autocommit: SELECT opens a transaction
    idle = psycopg.connect(pg_db.url, autocommit=True)
    sleeper = threading.Thread(target=lambda: busy.execute(b"SELECT pg_sleep(4)"))
    try:
        idle_tx.execute(b"SELECT 1")
        idle.execute(b"SELECT 1")
        sleeper.start()
        time.sleep(1.5)
        result = probe_postgres(pg_db.url, ProbeSettings(long_query_s=1.0, idle_in_transaction_s=1.0))
        long_running = by_rule(result, "SC-PG-013")
        idle_sessions = by_rule(result, "SC-PG-014")
        assert about(long_running, f"Session {busy.info.backend_pid} ")
        assert about(idle_sessions, f"Session {idle_tx.info.backend_pid} ")
        for quiet in (idle.info.backend_pid, idle_tx.info.backend_pid):
            assert not about(long_running, f"Session {quiet} ")
        assert not about(idle_sessions, f"Session {idle.info.backend_pid} ")
        assert not about(idle_sessions, f"Session {busy.info.backend_pid} ")
    finally:
        sleeper.join()
        for conn in (busy, idle_tx, idle):
            conn.close()


def test_probe_session_is_read_only_and_bounded(pg_db: PgDatabase) -> None:
    import psycopg

    target = parse_target("postgres", pg_db.url)
    conn: Any = connect(target, ProbeSettings(statement_timeout_ms=1500, lock_timeout_ms=100))
    try:
        assert conn.execute(b"SHOW statement_timeout").fetchone()[0] == "1500ms"
        assert conn.execute(b"SHOW lock_timeout").fetchone()[0] == "100ms"
        assert conn.execute(b"SHOW transaction_read_only").fetchone()[0] == "on"
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute(b"CREATE TABLE written_by_probe (id int)")
        with pytest.raises(psycopg.errors.QueryCanceled):
            conn.execute(b"SELECT pg_sleep(5)")
    finally:
        conn.close()


def test_probe_is_not_blocked_by_an_exclusive_lock(pg_db: PgDatabase) -> None:
    import psycopg

    pg_db.run(
        "CREATE TABLE locked (id bigint PRIMARY KEY, parent bigint REFERENCES locked (id))",
        "INSERT INTO locked SELECT g, NULL FROM generate_series(1, 2000) g",
        "CREATE INDEX locked_parent ON locked (parent)",
        "ANALYZE",
    )
    holder = psycopg.connect(pg_db.url)
    try:
        holder.execute(b"LOCK TABLE locked IN ACCESS EXCLUSIVE MODE")  # a migration in progress
        started = time.monotonic()
        result = probe_postgres(pg_db.url)
        elapsed = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()
    assert elapsed < 5, elapsed
    assert not [n for n in result.notices if "lock" in n or "timeout" in n], result.notices
    snap: Any = result.snapshot
    assert any(t.name == "locked" for t in snap.tables)
    assert any(i.name == "locked_parent" for i in snap.indexes)


def test_missing_pg_stat_statements_is_a_notice(pg_db: PgDatabase) -> None:
    result = probe_postgres(pg_db.url)
    snap: Any = result.snapshot
    missing_notice = any("pg_stat_statements is not installed" in n for n in result.notices)
    if snap.statements is not None:  # the extension is installed in this database: no notice
        assert not missing_notice, result.notices
        return
    assert missing_notice, result.notices
    assert not by_rule(result, "SC-PG-007")


def test_missing_privilege_is_a_notice_not_a_failure(pg_db: PgDatabase) -> None:
    # pg_catalog views are per database: revoking one here changes nothing elsewhere
    role = f"{pg_db.name}_reader"
    pg_db.run(
        f"CREATE ROLE {role} LOGIN",
        "CREATE TABLE t (id bigint PRIMARY KEY)",
        "REVOKE SELECT ON pg_catalog.pg_stat_user_tables FROM PUBLIC",
    )
    try:
        scheme, _, rest = pg_db.url.partition("://")
        result = probe_postgres(f"{scheme}://{role}@{rest.split('@', 1)[-1]}")
        snap: Any = result.snapshot
        assert any(n.startswith("table statistics: skipped, permission denied") for n in result.notices)
        assert snap.tables == () and snap.connections is not None  # the other reads still ran
        assert any(f.rule == "SC-PG-002" for f in result.findings)
    finally:
        pg_db.run(f"DROP ROLE IF EXISTS {role}")


def test_index_bloat_after_mass_delete_and_clean_twin(pg_db: PgDatabase) -> None:
    pg_db.run(
        "CREATE TABLE events (id bigint PRIMARY KEY, account bigint) WITH (autovacuum_enabled = false)",
        "INSERT INTO events SELECT g, g FROM generate_series(1, 120000) g",
        "CREATE INDEX events_account ON events (account)",
        "CREATE TABLE events_ok (id bigint PRIMARY KEY, account bigint) WITH (autovacuum_enabled = false)",
        "INSERT INTO events_ok SELECT g, g FROM generate_series(1, 12000) g",
        "CREATE INDEX events_ok_account ON events_ok (account)",
        "DELETE FROM events WHERE id % 10 <> 0",
        "VACUUM ANALYZE events",
        "ANALYZE events_ok",
    )
    result = probe_postgres(pg_db.url, ProbeSettings(bloat_min_bytes=1 << 20))
    bloat = by_rule(result, "SC-PG-016")
    assert about(bloat, "Index public.events_account on events occupies")
    assert about(bloat, "Index public.events_pkey on events occupies")
    assert not about(bloat, "events_ok")
    assert not by_rule(probe_postgres(pg_db.url), "SC-PG-016")  # 64 MiB default threshold
