"""Checks over hand-built snapshots: the conditions a live test cannot plant cheaply (a full
connection table, a cold cache, pg_stat_statements rows), and the pure helpers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scalescope.probe.meta import ProbeCheck, ProbeHit, ProbeMeta
from scalescope.probe.postgres.collect import normalise_query
from scalescope.probe.postgres.probe import probe_postgres
from scalescope.probe.postgres.queries import tables_and_filters
from scalescope.probe.postgres.snapshot import Connections, PgSnapshot, Statement, TableStat
from scalescope.probe.redis.snapshot import key_pattern, queue_label
from scalescope.probe.result import run_checks, to_report
from scalescope.probe.settings import ProbeSettings
from scalescope.probe.target import EXIT_USAGE, ProbeError, Target, parse_target
from scalescope.report.render import RenderOptions, render


def snap(**fields: object) -> PgSnapshot:
    base: dict[str, object] = dict(
        version="PostgreSQL 16.1", version_num=160001, database="shop", user="app", superuser=False
    )
    base.update(fields)
    return PgSnapshot(**base)  # type: ignore[arg-type]


def reader(s: PgSnapshot) -> object:
    return lambda target, settings: (s, [])


def rules_of(s: PgSnapshot, settings: ProbeSettings | None = None) -> dict[str, list[str]]:
    result = probe_postgres("postgresql://app:pw@db:5432/shop", settings, reader=reader(s))  # type: ignore[arg-type]
    out: dict[str, list[str]] = {}
    for f in result.findings:
        out.setdefault(f.rule, []).append(f.message)
    return out


@pytest.mark.parametrize(
    ("in_use", "severity"),
    [(50, None), (77, None), (78, "high"), (92, "high"), (93, "critical")],
)
def test_connection_headroom(in_use: int, severity: str | None) -> None:
    conns = Connections(max_connections=100, reserved=3, in_use=in_use, this_database=in_use)
    result = probe_postgres("postgresql://db/shop", reader=reader(snap(connections=conns)))  # type: ignore[arg-type]
    found = [f for f in result.findings if f.rule == "SC-PG-001"]
    assert [f.severity for f in found] == ([severity] if severity else [])
    if found:
        assert f"{in_use} of the 97 connections applications may open are in use" in found[0].message


@pytest.mark.parametrize(
    ("hit", "read", "fires"),
    [(180_000, 20_000, True), (198_000, 2_000, False), (900, 100, False)],
)
def test_cache_hit_ratio(hit: int, read: int, fires: bool) -> None:
    assert ("SC-PG-010" in rules_of(snap(blocks_hit=hit, blocks_read=read))) is fires


def test_slow_query_and_sequential_scan_name_the_filter_columns() -> None:
    statements = (
        Statement("SELECT * FROM orders WHERE status = $1 AND customer_id = $2", 5000, 1_250_000.0, 250.0, 9),
        Statement("SELECT id FROM orders WHERE id = $1", 90_000, 900.0, 0.01, 90_000),
        Statement("SELECT * FROM users WHERE email = $1", 10, 5000.0, 500.0, 10),  # too few calls
    )
    tables = (TableStat("public", "orders", 5000, 5000 * 80_000, 90_000, 80_000, 0, 1 << 30),)
    found = rules_of(snap(statements=statements, tables=tables))
    assert found["SC-PG-007"] == [
        "A statement on orders, filtering on status, customer_id took 250 ms on average over 5,000 calls "
        "(1,250 s in total)."
    ]
    # 5,000 seq scans but 90,000 index scans: the table is mostly served by its index
    assert "SC-PG-006" not in found
    busy = (TableStat("public", "orders", 95_000, 95_000 * 80_000, 90_000, 80_000, 0, 1 << 30),)
    found = rules_of(snap(statements=statements, tables=busy))
    assert found["SC-PG-006"] == [
        "public.orders (80k rows) was read by 95,000 sequential scans of ~80k rows each, against 90,000 "
        "index scans. Its top statements filter on status, customer_id, id."
    ]


def test_pg_stat_statements_absent_means_no_slow_query_finding() -> None:
    assert "SC-PG-007" not in rules_of(snap(statements=None))


def test_tables_and_filters() -> None:
    assert tables_and_filters("SELECT * FROM orders o WHERE o.status = $1 AND o.total > $2 ORDER BY id") == (
        frozenset({"orders"}),
        ("status", "total"),
    )
    assert tables_and_filters("not sql at all (((") == (frozenset(), ())


def test_normalise_query_hides_literals() -> None:
    q = "SELECT * FROM users WHERE email = 'bob@example.com' AND id = 42 AND name = 'O''Brien'"
    assert normalise_query(q) == "SELECT * FROM users WHERE email = ? AND id = ? AND name = ?"


def test_target_label_and_scrub() -> None:
    t = parse_target("postgres", "postgresql://app:p%40ss%3Aword@db.internal:6432/shop?sslmode=require")
    assert t.label == "postgresql://db.internal:6432/shop"
    assert t.password == "p@ss:word"
    assert t.scrub('FATAL: password "p@ss:word" rejected for postgresql://app:p%40ss%3Aword@db') == (
        'FATAL: password "***" rejected for postgresql://app:***@db'
    )
    assert parse_target("redis", "redis://:secret@[::1]:6380").label == "redis://[::1]:6380/0"
    with pytest.raises(ProbeError) as info:
        parse_target("postgres", "postgresql://app:secret@db:notaport/x")
    assert info.value.exit_code == EXIT_USAGE and "secret" not in info.value.message


def test_key_patterns_hide_ids_and_emails() -> None:
    assert key_pattern("session:8f14e45fceea167a5a36dedd4bea2543") == "session:*"
    assert key_pattern("user:1234:cart") == "user:*:cart"
    assert key_pattern("report:alice@example.com") == "report:*"
    assert key_pattern("config") == "config"
    assert queue_label("bull:email:wait") == "bull:"
    assert queue_label("rq:queue:default") == "rq:queue"
    assert queue_label("cache:user:1") is None


class _Broken(ProbeCheck[PgSnapshot]):
    """Broken.

    ## What it finds
    x
    ## Why it matters at scale
    x
    ## Use instead
    x
    """

    meta = ProbeMeta(
        id="SC-PG-900",
        name="broken",
        category="database",
        severity="low",
        title="t",
        effort="hours",
        confidence="high",
        impact="i",
    )

    def check(self, snap: PgSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        raise RuntimeError("boom")


def test_a_failing_check_is_a_notice() -> None:
    findings, notices = run_checks([_Broken], snap(), ProbeSettings(), "postgresql://db:5432/shop")  # type: ignore[list-item]
    assert findings == [] and notices == ["check SC-PG-900 failed: RuntimeError: boom"]


def test_same_snapshot_renders_byte_identical_json() -> None:
    s = snap(
        connections=Connections(100, 3, 90, 90, (("active", 10), ("idle", 80))),
        tables=(TableStat("public", "orders", 500, 500 * 20_000, 0, 20_000, 0, 1 << 24),),
    )
    outputs = set()
    for _ in range(2):
        result = probe_postgres("postgresql://app:pw@db:5432/shop", reader=reader(s))  # type: ignore[arg-type]
        report = to_report([result])
        outputs.add(render(report, "json", RenderOptions(version="test")))
    assert len(outputs) == 1
    assert "pw" not in outputs.pop().replace("password", "")


def test_target_is_reused_when_given() -> None:
    t = Target("postgres", "postgresql://db/shop", "db", 5432, "shop", "")
    result = probe_postgres(t, reader=reader(snap()))  # type: ignore[arg-type]
    assert result.label == "postgresql://db:5432/shop"
