"""Cross-checks: the scan of a small fixture project (tests/probe/fixtures/ledger) against a
live PostgreSQL and Redis planted to confirm or contradict each finding."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scalescope.probe.crosscheck import cross_check, scan_with_model
from scalescope.probe.postgres.probe import probe_postgres
from scalescope.probe.redis.probe import probe_redis
from scalescope.report.model import Finding, ScanReport

from .conftest import PgDatabase, RedisFactory, redis_client

LEDGER = Path(__file__).parent / "fixtures" / "ledger"


@pytest.fixture(scope="module")
def ledger() -> tuple[ScanReport, Any]:
    return scan_with_model(LEDGER)


def one(report: ScanReport, rule: str, file: str = "", line: int = 0) -> Finding:
    found = [
        f
        for f in report.findings
        if f.rule == rule and (not file or f.file == file) and (not line or f.line == line)
    ]
    assert len(found) == 1, [f"{f.rule} {f.file}:{f.line}" for f in report.findings]
    return found[0]


def plant_tables(pg_db: PgDatabase) -> None:
    pg_db.run(
        'CREATE TABLE "Invoice" (id serial PRIMARY KEY, "customerEmail" text, "amountCents" int)',
        'INSERT INTO "Invoice" ("customerEmail", "amountCents") '
        "SELECT 'c' || (g % 4000) || '@example.com', g FROM generate_series(1, 20000) g",
        'CREATE TABLE "Customer" (id serial PRIMARY KEY, email text UNIQUE, tier text)',
        "INSERT INTO \"Customer\" (email, tier) SELECT 'c' || g || '@example.com', 't' || (g % 5000) "
        "FROM generate_series(1, 20000) g",
        # an index created by hand on the server: the scan cannot see it
        'CREATE INDEX customer_tier ON "Customer" (tier)',
    )
    pg_db.flush_stats()
    pg_db.run("ANALYZE")
    for i in range(60):
        pg_db.run(
            f'SELECT * FROM "Invoice" WHERE "customerEmail" = \'c{i}@example.com\' LIMIT 50',
            f"SELECT * FROM \"Customer\" WHERE tier = 't{i}' LIMIT 50",
        )
    pg_db.flush_stats()


def test_unindexed_filter_confirmed_or_contradicted_by_sequential_scans(
    pg_db: PgDatabase, ledger: tuple[ScanReport, Any]
) -> None:
    scan, model = ledger
    before_invoice = one(scan, "SC-DB-006", "src/app.ts", 9)
    before_customer = one(scan, "SC-DB-006", "src/app.ts", 15)
    # capped at low by SC-DB-006's measured precision (scan/calibration.py): the table's size
    # decides it, and the server's numbers answer that
    assert before_invoice.confidence == before_customer.confidence == "low"
    plant_tables(pg_db)
    pg = probe_postgres(pg_db.url)
    report = cross_check(scan, [pg], model)

    invoice = one(report, "SC-DB-006", "src/app.ts", 9)
    assert invoice.confidence == "medium" and invoice.severity == "high"  # one step up
    assert "Low confidence:" not in invoice.message  # the ceiling's question is answered
    assert "The live server confirms it: public.Invoice: 20,000 live rows, 6" in invoice.message
    assert any(e.file == pg.label and "sequential scans" in e.note for e in invoice.related)
    # the probe's own finding on the table points back at the query
    seq = [f for f in report.findings if f.rule == "SC-PG-006" and f.message.startswith("public.Invoice ")]
    assert len(seq) == 1 and any(e.file == "src/app.ts" and e.line == 9 for e in seq[0].related)

    customer = one(report, "SC-DB-006", "src/app.ts", 15)
    assert customer.confidence == "low"
    assert "The live server does not show it" in customer.message
    assert not [f for f in report.findings if f.rule == "SC-PG-006" and "Customer" in f.message]


def test_pool_finding_shows_the_arithmetic_against_live_max_connections(
    pg_db: PgDatabase, ledger: tuple[ScanReport, Any]
) -> None:
    scan, model = ledger
    pg = probe_postgres(pg_db.url)
    conns: Any = pg.snapshot.connections  # type: ignore[attr-defined]
    report = cross_check(scan, [pg], model)
    pool = one(report, "SC-DB-001", "src/db.ts", 3)
    expected = (
        f"9 per process x 12 processes (replicas x worker processes of its service from the deployment "
        f"files) = 108 "
        f"connections against live max_connections {conns.max_connections} - {conns.reserved} reserved = "
        f"{conns.available} available"
    )
    assert expected in pool.message
    assert pool.confidence == "high"
    total = one(report, "SC-PG-015")
    assert total.file == "src/db.ts" and total.line == 3
    assert total.excerpt == "export const prisma = new PrismaClient();"
    assert (
        f"9 x 12 + 5 x 12 (pool size x processes of its service) = 168 connections; "
        f"max_connections {conns.max_connections} - "
        f"{conns.reserved} reserved = {conns.available} available "
        "(prisma pool at src/db.ts:3: 9 per process; pg pool at src/worker.ts:4: 5 per process;"
    ) in total.message
    assert total.severity == ("critical" if conns.available < 168 else "high")
    assert any(e.file == "src/worker.ts" and e.line == 4 for e in total.related)


def test_one_pool_with_its_own_finding_gets_no_total_finding(
    pg_db: PgDatabase, ledger: tuple[ScanReport, Any]
) -> None:
    scan, model = ledger
    pg = probe_postgres(pg_db.url)
    # without the worker's pool, the Prisma pool's SC-DB-001 already carries the arithmetic
    from scalescope.model.facts import DbClient
    from scalescope.model.project import ProjectModel

    facts = tuple(f for f in model.facts if not (isinstance(f, DbClient) and f.loc.file == "src/worker.ts"))
    only_prisma = ProjectModel(root=model.root, files=model.files, facts=facts)
    assert not [f for f in cross_check(scan, [pg], only_prisma).findings if f.rule == "SC-PG-015"]
    assert [f for f in cross_check(scan, [pg], model).findings if f.rule == "SC-PG-015"]


def test_statement_timeout_finding_confirmed_then_contradicted(
    pg_db: PgDatabase, ledger: tuple[ScanReport, Any]
) -> None:
    scan, model = ledger
    confirmed = one(cross_check(scan, [probe_postgres(pg_db.url)], model), "SC-DB-002", "src/db.ts")
    assert (
        confirmed.confidence == "high"
        and "The live server confirms it: statement_timeout is 0" in confirmed.message
    )
    pg_db.run(f"ALTER DATABASE {pg_db.name} SET statement_timeout = '3s'")
    contradicted = one(cross_check(scan, [probe_postgres(pg_db.url)], model), "SC-DB-002", "src/db.ts")
    assert contradicted.confidence == "medium"
    assert (
        f"The live server sets statement_timeout by default (every role in database {pg_db.name}: 3s;"
        in contradicted.message
    )


def test_redis_compose_finding_confirmed_or_contradicted(
    redis_server: RedisFactory, ledger: tuple[ScanReport, Any]
) -> None:
    scan, model = ledger
    # capped at low by calibration: maxmemory is often set outside the repository
    before = one(scan, "SC-CACHE-007")
    assert before.confidence == "low" and "Low confidence: maxmemory is often set outside" in before.message
    unlimited = probe_redis(redis_server())
    confirmed = one(cross_check(scan, [unlimited], model, min_confidence="medium"), "SC-CACHE-007")
    assert confirmed.confidence == "medium"
    assert f"The live Redis at {unlimited.label} confirms it (maxmemory 0" in confirmed.message
    assert "Low confidence:" not in confirmed.message
    assert any(
        e.file == unlimited.label and e.note.startswith("confirmed: live: maxmemory 0")
        for e in confirmed.related
    )
    limited = probe_redis(redis_server("--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"))
    contradicted = one(cross_check(scan, [limited], model), "SC-CACHE-007")
    assert contradicted.confidence == "low"
    assert (
        "is configured otherwise (maxmemory 67108864, maxmemory-policy allkeys-lru)" in contradicted.message
    )
    hidden = cross_check(scan, [limited], model, min_confidence="medium")
    assert not [f for f in hidden.findings if f.rule == "SC-CACHE-007"]


def test_cross_check_keeps_unrelated_findings_and_adds_probe_findings(
    pg_db: PgDatabase, ledger: tuple[ScanReport, Any]
) -> None:
    scan, model = ledger
    pg = probe_postgres(pg_db.url)
    report = cross_check(scan, [pg], model)
    assert {f.fingerprint for f in scan.findings} <= {f.fingerprint for f in report.findings}
    assert {f.fingerprint for f in pg.findings} <= {f.fingerprint for f in report.findings}
    assert report.files_scanned == scan.files_scanned and report.root == scan.root
    assert {r.id for r in report.rules} >= {"SC-DB-006", "SC-PG-002"}


def test_cache_write_without_ttl_confirmed_by_the_key_sample(
    redis_server: RedisFactory, ledger: tuple[ScanReport, Any]
) -> None:
    scan, model = ledger
    url = redis_server("--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru")
    client = redis_client(url)
    for i in range(30):
        client.set(f"invoice:{i}", "{}")  # what the handler writes: no expiry
        client.set(f"session:{i}", "{}", ex=600)
    assert one(scan, "SC-CACHE-005", "src/app.ts", 23).confidence == "low"  # capped by calibration
    report = cross_check(scan, [probe_redis(url)], model, min_confidence="medium")
    confirmed = one(report, "SC-CACHE-005", "src/app.ts", 23)
    assert confirmed.confidence == "medium"
    assert "holds such keys without a TTL: invoice:* (30) in a sample of 60 keys" in confirmed.message
    # the twin: the same prefix written with a TTL, other keys without
    ok_url = redis_server("--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru")
    ok_client = redis_client(ok_url)
    for i in range(30):
        ok_client.set(f"invoice:{i}", "{}", ex=600)
        ok_client.set(f"config:{i}", "{}")
    unchanged = one(cross_check(scan, [probe_redis(ok_url)], model), "SC-CACHE-005", "src/app.ts", 23)
    assert unchanged == one(scan, "SC-CACHE-005", "src/app.ts", 23)
    assert not [
        f for f in cross_check(scan, [probe_redis(ok_url)], model, min_confidence="medium").findings
        if f.rule == "SC-CACHE-005"
    ]  # fmt: skip


def test_cache_write_without_ttl_fixed_or_few_keys_are_context_only(
    redis_server: RedisFactory, ledger: tuple[ScanReport, Any]
) -> None:
    """Keys without TTL under the prefix that do not show growth: one fixed key (state meant
    to persist), or fewer varying keys than ``redis_no_ttl_confirm_keys``."""
    scan, model = ledger
    url = redis_server()
    client = redis_client(url)
    client.set("invoice:latest", "{}")
    fixed = one(cross_check(scan, [probe_redis(url)], model), "SC-CACHE-005", "src/app.ts", 23)
    assert fixed.confidence == "low"
    assert "invoice:latest (1) in a sample of 1 keys (one fixed key, which does not grow with input)" in (
        fixed.message
    )
    for i in range(4):
        client.set(f"invoice:{i}", "{}")
    few = one(cross_check(scan, [probe_redis(url)], model), "SC-CACHE-005", "src/app.ts", 23)
    assert few.confidence == "low" and "(4 varying, fewer than the 5 that would show growth)" in few.message
    client.set("invoice:4", "{}")
    assert one(cross_check(scan, [probe_redis(url)], model), "SC-CACHE-005", "src/app.ts", 23).confidence == (
        "medium"
    )


def test_keys_in_code_confirmed_by_command_stats(
    redis_server: RedisFactory, ledger: tuple[ScanReport, Any]
) -> None:
    scan, model = ledger
    url = redis_server()
    quiet = one(cross_check(scan, [probe_redis(url)], model), "SC-CACHE-004")
    assert quiet == one(scan, "SC-CACHE-004")
    redis_client(url).keys("invoice:*")
    confirmed = one(cross_check(scan, [probe_redis(url)], model), "SC-CACHE-004")
    assert confirmed.confidence == "high" and "has run KEYS once" in confirmed.message
