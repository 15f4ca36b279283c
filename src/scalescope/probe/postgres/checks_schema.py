"""PostgreSQL checks over tables and indexes: foreign keys, sequential scans, index use, bloat."""

from __future__ import annotations

import math
from collections.abc import Iterator

from ..meta import ProbeCheck, ProbeHit, ProbeMeta
from ..settings import ProbeSettings
from ._helpers import duration, human_bytes, human_count, quote_ident
from .queries import statements_on
from .snapshot import IndexInfo, PgSnapshot, Statement


class ForeignKeyWithoutIndex(ProbeCheck[PgSnapshot]):
    """Foreign keys whose referencing columns no index leads.

    ## What it finds
    A foreign-key constraint whose columns are not the leading columns (in any order) of a
    valid, non-partial index on the referencing table, on tables of at least 1,000 rows
    (``pg_class.reltuples``). PostgreSQL indexes the referenced side (a primary key) but never
    the referencing side by itself.

    ## Why it matters at scale
    Joins and lookups by the parent (``WHERE order_id = $1``) scan the child table, and every
    ``DELETE`` or key ``UPDATE`` on the parent scans it too, under lock, to check the
    constraint. It is invisible on a small table and minutes of blocked writes on a large one.

    ## Example
    ```sql
    CREATE TABLE order_items (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));
    ```

    ## Use instead
    ```sql
    CREATE INDEX CONCURRENTLY order_items_order_id_idx ON order_items (order_id);
    ```
    """

    meta = ProbeMeta(
        id="SC-PG-005",
        name="foreign-key-without-index",
        category="database",
        severity="medium",
        title="Foreign key without an index on its columns",
        effort="hours",
        confidence="high",
        impact="Lookups by parent and parent deletes scan the whole child table.",
        references=("https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-FK",),
    )

    def check(self, snap: PgSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        for fk in snap.foreign_keys:
            if fk.rows < settings.fk_min_rows:
                continue
            cols = ", ".join(quote_ident(c) for c in fk.columns)
            table = f"{quote_ident(fk.schema)}.{quote_ident(fk.table)}"
            idx = f"{fk.table}_{'_'.join(fk.columns)}_idx"[:63]
            yield ProbeHit(
                subject=f"{fk.schema}.{fk.table}.{fk.name}",
                message=(
                    f"Foreign key {fk.name} on {fk.schema}.{fk.table} ({', '.join(fk.columns)}) -> "
                    f"{fk.references} has no index on its columns; the table holds about "
                    f"{human_count(fk.rows)} rows, scanned for each lookup by parent and each parent delete."
                ),
                recommendation="Index the referencing columns, built concurrently so writes continue.",
                evidence=(
                    f"constraint {fk.name}: {table} ({cols}) REFERENCES {fk.references}\n"
                    f"rows ~ {fk.rows}; no valid non-partial index starts with ({cols})"
                ),
                severity="high" if fk.rows >= 1_000_000 else None,
                fix_snippet=f"CREATE INDEX CONCURRENTLY {quote_ident(idx)} ON {table} ({cols});",
                fix_language="sql",
            )


class SequentiallyScannedLargeTable(ProbeCheck[PgSnapshot]):
    """Large tables the server reads by sequential scan again and again.

    ## What it finds
    Tables in ``pg_stat_user_tables`` with at least 10,000 live rows, at least 50 sequential
    scans that read 5,000 rows or more each on average, and more sequential than index scans.
    When ``pg_stat_statements`` is available, the finding lists the top statements on that
    table whose ``WHERE`` columns lead no index, and those columns: the candidates for an
    index.

    ## Why it matters at scale
    A sequential scan reads the whole table; its cost grows with every row added, and every
    concurrent request repeats it. This is the server's own count of what a missing index
    costs, not a guess from code.

    ## Example
    ```text
    public.orders: 1.2M rows, 48,210 sequential scans reading 1.1M rows each, 310 index scans
    ```

    ## Use instead
    Index the columns the hot queries filter on (``CREATE INDEX CONCURRENTLY``), check with
    ``EXPLAIN (ANALYZE, BUFFERS)`` that the plan uses it, and bound list queries with LIMIT.
    """

    meta = ProbeMeta(
        id="SC-PG-006",
        name="sequentially-scanned-large-table",
        category="database",
        severity="high",
        title="Large table read by sequential scans",
        effort="hours",
        confidence="high",
        impact="Each scan reads the whole table; cost grows with rows and concurrent requests.",
        references=(
            "https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ALL-TABLES-VIEW",
        ),
    )

    def check(self, snap: PgSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        for t in snap.tables:
            if t.live < settings.seq_scan_min_rows or t.seq_scan < settings.seq_scan_min_scans:
                continue
            avg = t.seq_tup_read / t.seq_scan if t.seq_scan else 0
            if avg < settings.seq_scan_min_avg_rows or t.seq_scan <= (t.idx_scan or 0):
                continue
            evidence = [
                f"{t.qualified}: {t.live} live rows, {human_bytes(t.size_bytes)}",
                f"seq_scan = {t.seq_scan}, seq_tup_read = {t.seq_tup_read} (~{avg:,.0f} rows per scan)",
                f"idx_scan = {t.idx_scan if t.idx_scan is not None else 'none (no index)'}",
            ]
            # statements served by an index (a filter column leads one) are not the scans
            leads = {
                ix.columns[0].lower()
                for ix in snap.indexes
                if ix.schema == t.schema
                and ix.table == t.name
                and ix.valid
                and ix.columns
                and not ix.predicate
            }
            on_table = [
                (st, cols)
                for st, cols in statements_on(t.name, snap.statements)
                if not any(c.lower() in leads for c in cols)
            ]
            filters: list[str] = []
            for st, cols in on_table[:3]:
                assert isinstance(st, Statement)
                evidence.append(
                    f"{st.calls} calls, mean {st.mean_ms:.1f} ms: {st.query[:160]}"
                    + (f"  -- filters on {', '.join(cols)}" if cols else "")
                )
                filters.extend(c for c in cols if c not in filters)
            hint = f" Its top statements filter on {', '.join(filters)}." if filters else ""
            yield ProbeHit(
                subject=t.qualified,
                message=(
                    f"{t.qualified} ({human_count(t.live)} rows) was read by {t.seq_scan:,} sequential scans "
                    f"of ~{human_count(avg)} rows each, against {t.idx_scan or 0:,} index scans.{hint}"
                ),
                recommendation=(
                    "Find the queries behind the scans (pg_stat_statements, or the scan's unindexed-filter "
                    "findings), index the columns they filter on, and confirm with EXPLAIN ANALYZE."
                ),
                evidence="\n".join(evidence),
                fix_snippet=(
                    f"CREATE INDEX CONCURRENTLY ON {quote_ident(t.schema)}.{quote_ident(t.name)} "
                    f"({', '.join(quote_ident(c) for c in filters[:2])});"
                    if filters
                    else ""
                ),
                fix_language="sql" if filters else "",
            )


def _stats_window(snap: PgSnapshot) -> tuple[str, str]:
    """(how long the statistics cover, confidence) for index-usage findings."""
    age = snap.stats_age_s
    if age is None:
        return "an unknown period", "medium"
    return duration(age), "high" if age >= 7 * 86400 else "medium"


class UnusedIndex(ProbeCheck[PgSnapshot]):
    """Indexes the server has never used since its statistics were reset.

    ## What it finds
    Valid indexes of at least 1 MiB with ``idx_scan = 0`` that back no constraint (not a
    primary key, unique or exclusion constraint). The finding states how long the statistics
    cover; under seven days its confidence is medium (a weekly job may still use it). Usage on
    replicas is not visible from the primary.

    ## Why it matters at scale
    Every insert and every update of an indexed column writes every index: unused ones cost
    write throughput, WAL volume, vacuum time and cache memory, and buy nothing.

    ## Use instead
    Confirm on replicas and over a full business cycle, then
    ``DROP INDEX CONCURRENTLY name;`` (keep the definition to recreate it).
    """

    meta = ProbeMeta(
        id="SC-PG-008",
        name="unused-index",
        category="database",
        severity="low",
        title="Index never used",
        effort="hours",
        confidence="high",
        impact="Slows every write and wastes memory without serving any read.",
        references=(
            "https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ALL-INDEXES-VIEW",
        ),
    )

    def check(self, snap: PgSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        window, confidence = _stats_window(snap)
        for ix in snap.indexes:
            if ix.scans != 0 or ix.unique or ix.primary or ix.constraint or not ix.valid:
                continue
            if ix.size_bytes < settings.unused_index_min_bytes:
                continue
            yield ProbeHit(
                subject=f"{ix.schema}.{ix.name}",
                message=(
                    f"Index {ix.schema}.{ix.name} on {ix.table} ({human_bytes(ix.size_bytes)}) has not been "
                    f"used by any query in {window} of statistics, yet every write to {ix.table} "
                    "maintains it."
                ),
                recommendation="Check replicas and periodic jobs, then drop it concurrently.",
                evidence=f"{ix.definition}\nidx_scan = 0, size = {human_bytes(ix.size_bytes)}, "
                f"statistics since {snap.stats_since or 'unknown'}",
                confidence=confidence,
                fix_snippet=f"DROP INDEX CONCURRENTLY {quote_ident(ix.schema)}.{quote_ident(ix.name)};",
                fix_language="sql",
            )


def _shape(ix: IndexInfo) -> tuple[str, str, str, str, str]:
    return (ix.qualified_table, ix.method, ix.expressions, ix.predicate, ix.opclasses)


class DuplicateIndex(ProbeCheck[PgSnapshot]):
    """Indexes that another index of the same table makes redundant.

    ## What it finds
    Two valid indexes of one table with the same method, columns, expressions, predicate and
    operator classes (exact duplicates), and non-unique b-tree indexes whose columns are a
    leading prefix of another b-tree index of the table (``(a)`` next to ``(a, b)``), when the
    redundant one is 1 MiB or larger. The index kept is the one backing a constraint, else the
    wider one, else the first by name.

    ## Why it matters at scale
    A redundant index doubles the write cost of its columns and competes for cache, and the
    planner gains nothing from it.

    ## Use instead
    ``DROP INDEX CONCURRENTLY`` the redundant one, after checking that no query relies on its
    smaller size (a prefix index is occasionally chosen for being smaller).
    """

    meta = ProbeMeta(
        id="SC-PG-009",
        name="duplicate-index",
        category="database",
        severity="low",
        title="Duplicate or redundant index",
        effort="hours",
        confidence="high",
        impact="Extra write amplification and cache use for an index another one already provides.",
        references=("https://www.postgresql.org/docs/current/indexes-multicolumn.html",),
    )

    def check(self, snap: PgSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        by_table: dict[str, list[IndexInfo]] = {}
        for ix in snap.indexes:
            if ix.valid:
                by_table.setdefault(ix.qualified_table, []).append(ix)
        for indexes in by_table.values():
            reported: set[str] = set()
            ordered = sorted(
                indexes, key=lambda i: (not (i.primary or i.constraint), -len(i.columns), i.name)
            )
            for keep in ordered:
                if keep.name in reported:
                    continue
                for other in ordered:
                    if other is keep or other.name in reported or other.primary or other.constraint:
                        continue
                    if other.size_bytes < settings.redundant_index_min_bytes:
                        continue
                    same = _shape(other) == _shape(keep) and other.columns == keep.columns
                    prefix = (
                        not same
                        and not other.unique
                        and other.method == keep.method == "btree"
                        and not other.expressions
                        and not keep.expressions
                        and not other.predicate
                        and not keep.predicate
                        and len(other.columns) < len(keep.columns)
                        and keep.columns[: len(other.columns)] == other.columns
                    )
                    if not (same or prefix):
                        continue
                    if same and other.unique and not keep.unique:
                        continue  # keep the unique one; handled when it is ``keep``
                    reported.add(other.name)
                    how = "duplicates" if same else "is a leading prefix of"
                    yield ProbeHit(
                        subject=f"{other.schema}.{other.name}",
                        message=(
                            f"Index {other.schema}.{other.name} ({', '.join(other.columns) or 'expression'}, "
                            f"{human_bytes(other.size_bytes)}) {how} {keep.name} on {other.table}."
                        ),
                        recommendation=f"Drop {other.name} concurrently; {keep.name} serves the same reads.",
                        evidence=f"{other.definition}\n{keep.definition}",
                        fix_snippet=(
                            f"DROP INDEX CONCURRENTLY {quote_ident(other.schema)}.{quote_ident(other.name)};"
                        ),
                        fix_language="sql",
                    )


class TableBloat(ProbeCheck[PgSnapshot]):
    """Tables much larger on disk than their live rows need.

    ## What it finds
    An estimate per table: the pages the live rows need (``reltuples`` x (tuple header +
    ``pg_stats`` average row width), by block size and fillfactor) against the pages the table
    occupies (``relpages``). Reported when at least half of a table of 64 MiB wasted or more is
    dead space. Tables never analyzed (no ``pg_stats``) are skipped. The estimate ignores
    alignment padding and TOAST, so it errs low.

    ## Why it matters at scale
    Sequential scans, vacuum and backups read the dead space too, and it crowds live rows out
    of the cache. Bloat comes from updates and deletes outpacing vacuum, or from a long
    transaction that stopped vacuum from cleaning up.

    ## Use instead
    Let autovacuum keep up (per-table ``autovacuum_vacuum_scale_factor``), then reclaim space
    online with ``pg_repack`` (``VACUUM FULL`` locks the table).
    """

    meta = ProbeMeta(
        id="SC-PG-011",
        name="table-bloat",
        category="database",
        severity="low",
        title="Table bloated with dead space",
        effort="days",
        confidence="medium",
        impact="Scans, vacuum and cache all pay for pages of dead rows.",
        references=("https://www.postgresql.org/docs/current/routine-vacuuming.html",),
    )

    def check(self, snap: PgSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        for t in snap.sizes:
            if t.row_width <= 0 or t.pages <= 0:
                continue
            tuple_bytes = 24 + 4 + t.row_width  # header + line pointer + data
            usable = (snap.block_size - 24) * t.fillfactor / 100
            per_page = max(1, math.floor(usable / tuple_bytes))
            expected = max(1, math.ceil(max(t.tuples, 0) / per_page))
            wasted_pages = t.pages - expected
            if wasted_pages <= 0:
                continue
            ratio = wasted_pages / t.pages
            wasted = wasted_pages * snap.block_size
            if ratio < settings.bloat_min_ratio or wasted < settings.bloat_min_bytes:
                continue
            yield ProbeHit(
                subject=f"{t.schema}.{t.name}",
                message=(
                    f"{t.schema}.{t.name} occupies {human_bytes(t.pages * snap.block_size)} but its "
                    f"~{human_count(t.tuples)} live rows need about "
                    f"{human_bytes(expected * snap.block_size)}: "
                    f"an estimated {ratio:.0%} ({human_bytes(wasted)}) is dead space."
                ),
                recommendation=(
                    "Tune autovacuum for this table so it keeps up, then reclaim the space online with "
                    "pg_repack (VACUUM FULL takes an exclusive lock)."
                ),
                evidence=(
                    f"relpages = {t.pages}, reltuples = {t.tuples:.0f}, avg row width = {t.row_width} B, "
                    f"fillfactor = {t.fillfactor}\nestimated pages needed = {expected}"
                ),
            )


class AutovacuumLagging(ProbeCheck[PgSnapshot]):
    """Tables whose dead rows autovacuum has not kept up with.

    ## What it finds
    Tables whose ``n_dead_tup`` is at least 10,000 and more than twice the count that should
    have triggered autovacuum (``autovacuum_vacuum_threshold`` + ``autovacuum_vacuum_scale_factor``
    x live rows), or tables with autovacuum switched off that hold that many dead rows.

    ## Why it matters at scale
    Dead rows make every scan and index lookup read more pages, and a table vacuum cannot
    clean ends up bloated (SC-PG-011); on busy tables it ends in transaction-ID wraparound
    vacuums at the worst moment.

    ## Use instead
    ```sql
    ALTER TABLE orders SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_limit = 2000);
    ```
    Look for long-running or idle-in-transaction sessions holding back the cleanup.
    """

    meta = ProbeMeta(
        id="SC-PG-012",
        name="autovacuum-lagging",
        category="database",
        severity="medium",
        title="Dead rows piling up: autovacuum is not keeping up",
        effort="hours",
        confidence="high",
        impact="Queries read ever more dead rows; tables bloat and vacuum gets harder.",
        references=("https://www.postgresql.org/docs/current/routine-vacuuming.html#AUTOVACUUM",),
    )

    def check(self, snap: PgSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        base = _float(snap, "autovacuum_vacuum_threshold", 50.0)
        scale = _float(snap, "autovacuum_vacuum_scale_factor", 0.2)
        for t in snap.tables:
            if t.dead < settings.dead_tuples_min:
                continue
            trigger = base + scale * t.live
            if t.autovacuum_enabled and t.dead <= 2 * trigger:
                continue
            last = t.last_autovacuum or t.last_vacuum or "never"
            why = (
                "autovacuum is disabled on this table"
                if not t.autovacuum_enabled
                else f"autovacuum should have started at ~{human_count(trigger)}"
            )
            yield ProbeHit(
                subject=t.qualified,
                message=(
                    f"{t.qualified} holds {human_count(t.dead)} dead rows next to {human_count(t.live)} live "
                    f"ones; {why} (last vacuum: {last})."
                ),
                recommendation=(
                    "Lower the table's autovacuum_vacuum_scale_factor, raise the cost limit, and end the "
                    "long transactions that keep dead rows alive."
                ),
                evidence=(
                    f"n_dead_tup = {t.dead}, n_live_tup = {t.live}\n"
                    f"autovacuum_vacuum_threshold = {base:g}, scale_factor = {scale:g}, "
                    f"autovacuum_enabled = {str(t.autovacuum_enabled).lower()}\n"
                    f"last_vacuum = {t.last_vacuum or 'never'}, "
                    f"last_autovacuum = {t.last_autovacuum or 'never'}"
                ),
                fix_snippet=(
                    f"ALTER TABLE {quote_ident(t.schema)}.{quote_ident(t.name)} SET "
                    "(autovacuum_enabled = true, autovacuum_vacuum_scale_factor = 0.02);"
                ),
                fix_language="sql",
            )


def _float(snap: PgSnapshot, name: str, default: float) -> float:
    s = snap.setting(name)
    try:
        return float(s.value) if s is not None else default
    except ValueError:
        return default


class IndexBloat(ProbeCheck[PgSnapshot]):
    """B-tree indexes much larger than their entries need.

    ## What it finds
    An estimate per b-tree index on plain columns: the leaf pages its entries need
    (``reltuples`` x (8-byte tuple header + the key columns' ``pg_stats`` average widths,
    aligned, + a 4-byte line pointer) at the default 90% leaf fill) against the pages it
    occupies. Reported when at least half of an index with 64 MiB or more wasted is empty
    space. Expression and partial indexes, and indexes on columns never analyzed, are skipped;
    the estimate ignores internal pages and deduplication, so it errs low.

    ## Why it matters at scale
    Bloated indexes are read page by page for every range scan and compete with live data for
    cache; they come from mass deletes or updates of indexed columns, and vacuum reuses the
    space but never gives it back.

    ## Use instead
    ```sql
    REINDEX INDEX CONCURRENTLY orders_customer_id_idx;   -- PostgreSQL 12+
    ```
    (or ``pg_repack --index``), and keep autovacuum ahead of the deletes.
    """

    meta = ProbeMeta(
        id="SC-PG-016",
        name="index-bloat",
        category="database",
        severity="low",
        title="Index bloated with empty space",
        effort="hours",
        confidence="medium",
        impact="Index scans read and cache pages of empty space.",
        references=("https://www.postgresql.org/docs/current/sql-reindex.html",),
    )

    def check(self, snap: PgSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        for ix in snap.indexes:
            if ix.method != "btree" or ix.expressions or ix.predicate or not ix.valid or not ix.columns:
                continue
            widths = [snap.column_widths.get((ix.schema, ix.table, c)) for c in ix.columns]
            if any(w is None for w in widths) or ix.size_bytes <= 0:
                continue
            data = sum(w or 0 for w in widths)
            entry = 8 + ((data + 7) // 8) * 8 + 4  # IndexTupleData + MAXALIGNed key + line pointer
            usable = (snap.block_size - 24 - 16) * 0.9  # page header, btree special space, fill
            per_page = max(1, math.floor(usable / entry))
            expected = math.ceil(ix.tuples / per_page) + 1  # + metapage
            pages = ix.size_bytes // snap.block_size
            wasted_pages = pages - expected
            if pages <= 0 or wasted_pages <= 0:
                continue
            ratio = wasted_pages / pages
            wasted = wasted_pages * snap.block_size
            if ratio < settings.bloat_min_ratio or wasted < settings.bloat_min_bytes:
                continue
            yield ProbeHit(
                subject=f"{ix.schema}.{ix.name}",
                message=(
                    f"Index {ix.schema}.{ix.name} on {ix.table} occupies {human_bytes(ix.size_bytes)} "
                    f"but its ~{human_count(ix.tuples)} entries need about "
                    f"{human_bytes(expected * snap.block_size)}: "
                    f"an estimated {ratio:.0%} ({human_bytes(wasted)}) is empty space."
                ),
                recommendation="Rebuild it online with REINDEX INDEX CONCURRENTLY (PostgreSQL 12+).",
                evidence=(
                    f"{ix.definition}\nrelpages = {pages}, reltuples = {ix.tuples:.0f}, "
                    f"key width = {data} B\n"
                    f"estimated pages needed = {expected}"
                ),
                fix_snippet=f"REINDEX INDEX CONCURRENTLY {quote_ident(ix.schema)}.{quote_ident(ix.name)};",
                fix_language="sql",
            )
