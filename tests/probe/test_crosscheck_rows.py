"""Row counts confirm or contradict the list and count findings the scan caps at low
confidence (SC-DB-004, SC-DB-005): the scan of tests/probe/fixtures/shop against a live
PostgreSQL planted with large and small tables, then the same logic on hand-built snapshots."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from scalescope.cli import main
from scalescope.model.facts import DataAccess, Loc
from scalescope.probe.cross_rows import _size
from scalescope.probe.crosscheck import cross_check, scan_with_model
from scalescope.probe.postgres.probe import probe_postgres
from scalescope.probe.postgres.snapshot import ColumnStat, PgSnapshot, TableStat
from scalescope.probe.result import ProbeResult
from scalescope.probe.settings import ProbeSettings
from scalescope.report.model import Finding, ScanReport

from .conftest import PgDatabase

SHOP = Path(__file__).parent / "fixtures" / "shop"
# the places in tests/probe/fixtures/shop/src/app.ts
ALL_ORDERS, COUNTRIES, ONE_CUSTOMER, CUSTOMER_STATUS, ARTICLE_COUNT = 7, 11, 15, 20, 27


@pytest.fixture(scope="module")
def shop() -> tuple[ScanReport, Any]:
    return scan_with_model(SHOP)


def at(report: ScanReport, rule: str, line: int) -> Finding | None:
    found = [f for f in report.findings if f.rule == rule and f.file == "src/app.ts" and f.line == line]
    assert len(found) <= 1
    return found[0] if found else None


def the(report: ScanReport, rule: str, line: int) -> Finding:
    found = at(report, rule, line)
    assert found is not None, [f"{f.rule} {f.file}:{f.line}" for f in report.findings]
    return found


def plant(
    pg_db: PgDatabase, *, orders: int, top_customer: int, customers: int, countries: int, articles: int
) -> None:
    """``orders`` rows, ``top_customer`` of them for customer 1 and the rest spread over
    ``customers`` others; the server's statistics are flushed and analyzed as autovacuum would."""
    pg_db.run(
        'CREATE TABLE orders (id serial PRIMARY KEY, "customerId" int NOT NULL, status text, total int)',
        f'INSERT INTO orders ("customerId", status, total) SELECT CASE WHEN g <= {top_customer} THEN 1 '
        f"ELSE 2 + g % {customers} END, 's' || (g % 3), g FROM generate_series(1, {orders}) g",
        'CREATE TABLE "Country" (id serial PRIMARY KEY, name text)',
        f"""INSERT INTO "Country" (name) SELECT 'c' || g FROM generate_series(1, {countries}) g""",
        'CREATE TABLE "Article" (id serial PRIMARY KEY, title text)',
        f"""INSERT INTO "Article" (title) SELECT 't' || g FROM generate_series(1, {articles}) g""",
    )
    pg_db.flush_stats()  # the inserts' counters first: ANALYZE's row count is then the last word
    pg_db.run("ANALYZE")
    pg_db.flush_stats()


def test_scan_reports_list_and_count_findings_at_low_confidence(shop: tuple[ScanReport, Any]) -> None:
    scan, _ = shop
    for rule, line in (
        ("SC-DB-004", ALL_ORDERS),
        ("SC-DB-004", COUNTRIES),
        ("SC-DB-004", ONE_CUSTOMER),
        ("SC-DB-004", CUSTOMER_STATUS),
        ("SC-DB-005", ARTICLE_COUNT),
    ):
        assert the(scan, rule, line).confidence == "low", (rule, line)
    assert (
        "Low confidence: whether this matters depends on how many rows"
        in the(scan, "SC-DB-004", ALL_ORDERS).message
    )


def test_large_tables_confirm_and_raise_the_findings_into_view(
    pg_db: PgDatabase, shop: tuple[ScanReport, Any]
) -> None:
    scan, model = shop
    plant(pg_db, orders=20_000, top_customer=15_000, customers=100, countries=30, articles=50_000)
    pg = probe_postgres(pg_db.url)
    report = cross_check(scan, [pg], model, min_confidence="medium")

    orders = the(report, "SC-DB-004", ALL_ORDERS)
    assert orders.confidence == "medium"
    assert (
        "The live server confirms it: public.orders holds ~20,000 rows and the query reads them all, so one "
        f"request can return ~20,000 rows ({pg.label})." in orders.message
    )
    assert "Low confidence:" not in orders.message  # the server answered the ceiling's question
    assert any(
        e.file == pg.label
        and e.note == "confirmed: public.orders: ~20,000 rows (n_live_tup 20,000, reltuples 20,000)"
        for e in orders.related
    )
    # one customer holds 15,000 orders: the per-customer list is long for that customer
    customer = the(report, "SC-DB-004", ONE_CUSTOMER)
    assert customer.confidence == "medium"
    assert "~15,000 of them sharing the most common customerId value, so one request can return ~15,000" in (
        customer.message
    )
    count = the(report, "SC-DB-005", ARTICLE_COUNT)
    assert count.confidence == "medium"
    assert (
        "public.Article holds ~50,000 rows and the query reads them all, so one request can count ~50,000"
        in (count.message)
    )
    # thirty countries: contradicted, still low, hidden; two filters the statistics cannot
    # bound below the table: the numbers only, still low, hidden
    assert at(report, "SC-DB-004", COUNTRIES) is None
    assert at(report, "SC-DB-004", CUSTOMER_STATUS) is None
    everything = cross_check(scan, [pg], model)  # no minimum: every finding, as cross-checked
    low = sum(1 for f in everything.findings if f.confidence == "low")
    assert [f for f in everything.findings if f.confidence != "low"] == list(report.findings)
    notice = f"{low} lower-confidence findings hidden (--min-confidence low shows them)"
    assert [n.message for n in report.notices if "hidden" in n.message] == [notice]
    outcomes = {(c["rule"], c["line"]): c["outcome"] for c in report.extra["cross_checks"]}
    assert {k: v for k, v in outcomes.items() if k[0] in {"SC-DB-004", "SC-DB-005"}} == {
        ("SC-DB-004", ALL_ORDERS): "confirmed",
        ("SC-DB-004", COUNTRIES): "contradicted",
        ("SC-DB-004", ONE_CUSTOMER): "confirmed",
        ("SC-DB-004", CUSTOMER_STATUS): "checked",
        ("SC-DB-005", ARTICLE_COUNT): "confirmed",
    }

    countries = the(everything, "SC-DB-004", COUNTRIES)
    assert countries.confidence == "low"
    assert (
        "The live server does not show it: public.Country holds ~30 rows and the query reads them all, so "
        f"one request can return ~30 rows at most, under 1,000 ({pg.label}; a database other than "
        "production's may hold fewer rows)." in countries.message
    )
    assert the(everything, "SC-DB-004", CUSTOMER_STATUS).message.count("Live row counts: public.orders") == 1


def test_a_large_table_of_small_groups_contradicts_the_per_parent_list(
    pg_db: PgDatabase, shop: tuple[ScanReport, Any]
) -> None:
    """The twin: the same 20,000 orders spread over 4,000 customers. The whole-table list is
    still confirmed; one customer's list is at most a handful of rows."""
    scan, model = shop
    plant(pg_db, orders=20_000, top_customer=0, customers=4_000, countries=30, articles=500)
    report = cross_check(scan, [probe_postgres(pg_db.url)], model)
    assert the(report, "SC-DB-004", ALL_ORDERS).confidence == "medium"
    customer = the(report, "SC-DB-004", ONE_CUSTOMER)
    assert customer.confidence == "low"
    assert "The live server does not show it: public.orders holds ~20,000 rows, ~" in customer.message
    assert "sharing the most common customerId value" in customer.message
    count = the(report, "SC-DB-005", ARTICLE_COUNT)
    assert count.confidence == "low" and "public.Article holds ~500 rows" in count.message
    shown = cross_check(scan, [probe_postgres(pg_db.url)], model, min_confidence="medium")
    assert [(f.rule, f.line) for f in shown.findings if f.rule in {"SC-DB-004", "SC-DB-005"}] == [
        ("SC-DB-004", ALL_ORDERS)
    ]


def test_probe_cli_shows_confirmed_low_findings_and_hides_the_rest(
    pg_db: PgDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    plant(pg_db, orders=20_000, top_customer=15_000, customers=100, countries=30, articles=50_000)

    def listed(*extra: str) -> dict[tuple[str, int], str]:
        code = main(["probe", "postgres", pg_db.url, "--scan", str(SHOP), "--format", "json", *extra])
        out, _ = capsys.readouterr()
        assert code == 0
        data = json.loads(out)
        return {
            (f["rule"], f["line"]): f["confidence"]
            for f in data["findings"]
            if f["rule"] in {"SC-DB-004", "SC-DB-005"}
        }

    assert listed() == {
        ("SC-DB-004", ALL_ORDERS): "medium",
        ("SC-DB-004", ONE_CUSTOMER): "medium",
        ("SC-DB-005", ARTICLE_COUNT): "medium",
    }
    assert listed("--min-confidence", "low") == {
        ("SC-DB-004", ALL_ORDERS): "medium",
        ("SC-DB-004", COUNTRIES): "low",
        ("SC-DB-004", ONE_CUSTOMER): "medium",
        ("SC-DB-004", CUSTOMER_STATUS): "low",
        ("SC-DB-005", ARTICLE_COUNT): "medium",
    }
    assert listed("--min-confidence", "high") == {}


def test_min_confidence_from_the_scanned_repository_config(
    pg_db: PgDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    plant(pg_db, orders=20_000, top_customer=15_000, customers=100, countries=30, articles=50_000)
    repo = tmp_path / "shop"
    shutil.copytree(SHOP, repo)
    (repo / "scalescope.toml").write_text('min-confidence = "low"\n')
    assert main(["probe", "postgres", pg_db.url, "--scan", str(repo), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert ("SC-DB-004", COUNTRIES) in {(f["rule"], f["line"]) for f in data["findings"]}


# ------------------------------------------------------------------ hand-built snapshots


def snapshot(
    *tables: TableStat, columns: dict[tuple[str, str, str], ColumnStat] | None = None
) -> ProbeResult:
    snap = PgSnapshot(
        version="PostgreSQL 16.1",
        version_num=160001,
        database="shop",
        user="app",
        superuser=False,
        tables=tables,
        column_stats=columns or {},
    )
    return ProbeResult("postgres", "postgresql://db:5432/shop", snap.version, (), (), (), 0.0, snap)


def table(name: str, live: int, reltuples: float) -> TableStat:
    return TableStat("public", name, 0, 0, 0, live, 0, 0, reltuples=reltuples)


@pytest.mark.parametrize(
    ("live", "reltuples", "settings", "confidence", "sentence"),
    [
        (
            20_000,
            20_000,
            ProbeSettings(),
            "medium",
            "The live server confirms it: public.orders holds ~20,000 rows",
        ),
        (10_000, 9_000, ProbeSettings(), "medium", "holds ~10,000 rows and the query reads them all"),
        (
            0,
            12_000,
            ProbeSettings(),
            "medium",
            "holds ~12,000 rows",
        ),  # counters reset, ANALYZE kept the count
        (5_000, 5_000, ProbeSettings(), "low", "Live row counts: public.orders holds ~5,000 rows"),
        (999, 999, ProbeSettings(), "low", "The live server does not show it: public.orders holds ~999 rows"),
        (0, 0, ProbeSettings(), "low", "holds ~0 rows"),
        (5_000, 5_000, ProbeSettings(rows_confirm=5_000), "medium", "The live server confirms it"),
        (500, 500, ProbeSettings(rows_contradict=100), "low", "Live row counts"),
    ],
)
def test_whole_table_list_against_row_counts(
    shop: tuple[ScanReport, Any],
    live: int,
    reltuples: float,
    settings: ProbeSettings,
    confidence: str,
    sentence: str,
) -> None:
    scan, model = shop
    report = cross_check(scan, [snapshot(table("orders", live, reltuples))], model, settings)
    orders = the(report, "SC-DB-004", ALL_ORDERS)
    assert orders.confidence == confidence and sentence in orders.message


def test_a_table_never_analyzed_and_never_written_is_left_alone(shop: tuple[ScanReport, Any]) -> None:
    scan, model = shop
    report = cross_check(scan, [snapshot(table("orders", 0, -1))], model)
    assert the(report, "SC-DB-004", ALL_ORDERS) == the(scan, "SC-DB-004", ALL_ORDERS)
    # nor is a table the server does not have
    report = cross_check(scan, [snapshot(table("invoices", 50_000, 50_000))], model)
    assert the(report, "SC-DB-004", ALL_ORDERS) == the(scan, "SC-DB-004", ALL_ORDERS)


def test_evidence_does_not_raise_offline_code(shop: tuple[ScanReport, Any]) -> None:
    scan, model = shop
    offline = replace(scan, findings=tuple(replace(f, reach="offline") for f in scan.findings))
    report = cross_check(offline, [snapshot(table("orders", 50_000, 50_000))], model)
    orders = the(report, "SC-DB-004", ALL_ORDERS)
    assert orders.confidence == "low" and "The live server confirms it" in orders.message


@pytest.mark.parametrize(
    ("stat", "rows", "largest"),
    [
        (ColumnStat(n_distinct=100, top_freq=0.75), 20_000, 15_000),
        (ColumnStat(n_distinct=4_000, top_freq=None), 20_000, 5),  # no value stands out
        (ColumnStat(n_distinct=-0.5, top_freq=None), 20_000, 2),  # half as many values as rows
        (ColumnStat(n_distinct=-1, top_freq=None, null_frac=0.9), 20_000, 18_000),  # IS NULL
        (ColumnStat(n_distinct=0, top_freq=None), 20_000, None),  # unknown
    ],
)
def test_largest_group_of_equal_values(stat: ColumnStat, rows: int, largest: int | None) -> None:
    assert stat.largest_group(rows) == largest


def access(*fields: str, **shape: Any) -> DataAccess:
    return DataAccess(Loc("src/app.ts", 1), orm="prisma", model="Order", operation="findMany",
                      kind="read-many", filter_fields=fields, **shape)  # fmt: skip


ORDERS = table("orders", 20_000, 20_000)
COLUMNS = {
    ("public", "orders", "customerId"): ColumnStat(n_distinct=4_000, top_freq=None),  # ~5 rows each
    ("public", "orders", "status"): ColumnStat(n_distinct=3, top_freq=0.34),
    ("public", "orders", "region"): ColumnStat(n_distinct=200, top_freq=0.01),
    ("public", "orders", "customer_id"): ColumnStat(n_distinct=500, top_freq=0.002),
}


@pytest.mark.parametrize(
    ("query", "reach", "bound"),
    [
        (access(), 20_000, 20_000),
        (access("customerId"), 5, 5),
        (access("customer"), 40, 40),  # a Django foreign key: the column is customer_id
        (access("customerId", "region"), None, 205),  # AND or OR: at most the sum of the groups
        (access("customerId", "status"), None, 6_805),
        (access("customerId", "createdAt"), None, 20_000),  # a column without statistics
        (access("customerId", range_fields=("customerId",)), None, 20_000),  # a range
        (access("customerId", in_fields=("customerId",)), None, 20_000),  # many parents
        (access("customerId", opaque_filter=True), None, 20_000),  # a filter the scan could not read
        (access(via_relation=True), None, 20_000),  # a parent's relation: its key is not known
        (access("customerId", related_filters=("customer.email",)), None, 20_000),
    ],
)
def test_rows_a_filtered_query_can_reach(query: DataAccess, reach: int | None, bound: int) -> None:
    snap = snapshot(ORDERS, columns=COLUMNS).snapshot
    assert isinstance(snap, PgSnapshot)
    size = _size(query, [], ORDERS, snap)
    assert (size.reach, size.bound) == (reach, bound)
