"""Row counts against list and count findings: the size the code does not show.

SC-DB-004 (a list query with no limit) and SC-DB-005 (an exact count on every page request)
are true only when the query can reach many rows, which the code rarely shows: their scan
findings are capped at low confidence (``scan/calibration.py``). The live server knows:

- the table's row count, the larger of ``pg_stat_user_tables.n_live_tup`` and
  ``pg_class.reltuples`` (:attr:`TableStat.rows`);
- for a filter on one column, how many rows the most common value holds
  (``pg_stats.most_common_freqs``, else rows per distinct value, :class:`ColumnStat`).

A query with no filter reads the whole table: the row count decides. A query filtered by
equality on one column returns, for the most common value, that value's rows: that count
decides (a list of one customer's orders is long only if some customer has many orders).
Any other filter (several columns, a range, a join, one the scan could not read) makes the
row count an upper bound only: it can contradict the finding (the table, or the smallest
group among the filter's columns, is small), never confirm it. Confirmed at
``ProbeSettings.rows_confirm`` rows (10,000), contradicted under ``rows_contradict`` (1,000);
in between the numbers are added as context. The server probed may not be production: the
sentence names it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scalescope.model.facts import DataAccess, Table
from scalescope.model.project import ProjectModel
from scalescope.report.model import Finding

from .postgres.snapshot import ColumnStat, PgSnapshot, TableStat
from .settings import ProbeSettings
from .verdict import Verdict

RULES = ("SC-DB-004", "SC-DB-005")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_ACCESS_KINDS = {"SC-DB-004": ("read-many", "raw"), "SC-DB-005": ("count", "read-many")}


@dataclass(frozen=True, slots=True)
class _Size:
    """How many rows the query can reach on the server: ``reach`` rows for sure (``None``:
    unknown), ``bound`` at most, and the figures behind them."""

    reach: int | None
    bound: int
    how: str  # the sentence part saying what the numbers are
    numbers: str


def row_verdict(
    finding: Finding, model: ProjectModel | None, snap: PgSnapshot, label: str, settings: ProbeSettings
) -> Verdict | None:
    """What the server's row counts say about an SC-DB-004 / SC-DB-005 finding (``None``:
    the query's table is not on the server, or the server has no count for it)."""
    if finding.rule not in RULES or model is None:
        return None
    access = _access_at(finding, model)
    if access is None:
        return None
    tables = model.find_tables(access.model, near=access) or model.find_tables(access.model)
    stat = _table_stat(snap, _table_names(access, tables))
    if stat is None or stat.rows is None:
        return None
    size = _size(access, tables, stat, snap)
    verb = "return" if finding.rule == "SC-DB-004" else "count"
    caveat = f"{label}; a database other than production's may hold fewer rows"
    if size.reach is not None and size.reach >= settings.rows_confirm:
        return Verdict(
            "confirmed",
            label,
            f"The live server confirms it: {size.how}, so one request can {verb} ~{size.reach:,} rows "
            f"({label}).",
            size.numbers,
        )
    if size.bound < settings.rows_contradict:
        return Verdict(
            "contradicted",
            label,
            f"The live server does not show it: {size.how}, so one request can {verb} ~{size.bound:,} "
            f"rows at most, under {settings.rows_contradict:,} ({caveat}).",
            size.numbers,
        )
    return Verdict("checked", label, f"Live row counts: {size.how} ({caveat}).", size.numbers)


def _access_at(finding: Finding, model: ProjectModel) -> DataAccess | None:
    kinds = _ACCESS_KINDS[finding.rule]
    found = [
        a
        for a in model.all(DataAccess)
        if a.loc.file == finding.file and a.loc.line == finding.line and a.model and a.model != "?"
    ]
    found.sort(key=lambda a: kinds.index(a.kind) if a.kind in kinds else len(kinds))
    return found[0] if found else None


def _snake(name: str) -> str:
    return _CAMEL.sub("_", name).lower()


def _table_names(access: DataAccess, tables: list[Table]) -> list[str]:
    """Names the query's table may have on the server: the schema's table names, else the
    model name as written, in snake case, and plural."""
    names = [t.name for t in tables]
    model = (access.model or "").strip('"`')
    for base in (model, _snake(model)):
        names += [base, base + "s"]
    return list(dict.fromkeys(n for n in names if n))


def _table_stat(snap: PgSnapshot, names: list[str]) -> TableStat | None:
    for name in names:
        schema, _, table = name.lower().rpartition(".")
        table = table.strip('"')
        matches = [
            t
            for t in snap.tables
            if t.name.lower() == table and (not schema or t.schema.lower() == schema.strip('"'))
        ]
        if matches:
            return next((t for t in matches if t.schema == "public"), matches[0])
    return None


def _column_stat(
    snap: PgSnapshot, stat: TableStat, tables: list[Table], field: str
) -> tuple[str, ColumnStat] | None:
    """The server's statistics of the column ``field`` (as code names it) filters on: the
    schema's column of that field or database name, else the name as written, in snake case,
    or with ``_id`` (a Django foreign key ``customer`` is the column ``customer_id``)."""
    key = field.lower()
    names: list[str] = []
    for table in tables:
        for col in table.columns:
            if key in {col.name.lower(), col.db_name.lower()}:
                names.append(col.db_name or col.name)
    names += [field, _snake(field), f"{field}_id", f"{_snake(field)}_id"]
    by_name = {
        column.lower(): (column, cs)
        for (schema, table_name, column), cs in snap.column_stats.items()
        if schema == stat.schema and table_name == stat.name
    }
    for name in names:
        found = by_name.get(name.lower())
        if found is not None:
            return found
    return None


def _size(access: DataAccess, tables: list[Table], stat: TableStat, snap: PgSnapshot) -> _Size:
    """How many rows the query reaches. Filter columns are not known to be ANDed (an ``OR`` of
    two columns is recorded the same way), so with several columns the bound is the sum of
    their largest groups, valid either way; a column the statistics do not size leaves the
    table's row count as the only bound."""
    rows = stat.rows or 0
    numbers = (
        f"{stat.qualified}: ~{rows:,} rows (n_live_tup {stat.live:,}, "
        f"reltuples {max(int(stat.reltuples), -1):,})"
    )
    filtered = bool(
        access.filter_fields or access.related_filters or access.opaque_filter or access.via_relation
    )
    if not filtered:
        return _Size(
            rows, rows, f"{stat.qualified} holds ~{rows:,} rows and the query reads them all", numbers
        )
    groups: list[tuple[str, int]] = []  # (column, rows sharing its most common value)
    unsized = bool(access.related_filters or access.opaque_filter or access.via_relation)
    for field in access.filter_fields:
        if field in access.range_fields or field in access.in_fields:
            unsized = True
            continue
        found = _column_stat(snap, stat, tables, field)
        group = found[1].largest_group(rows) if found is not None else None
        if found is None or group is None:
            unsized = True
            continue
        groups.append((found[0], group))
    numbers += "".join(
        f"; {column}: largest group of equal values ~{g:,} rows (pg_stats)" for column, g in groups
    )
    if unsized or not groups:
        return _Size(
            None,
            rows,
            f"{stat.qualified} holds ~{rows:,} rows; how many match the query's filter the statistics "
            "do not say",
            numbers,
        )
    if len(groups) == 1:
        column, group = groups[0]
        return _Size(
            group,
            min(rows, group),
            f"{stat.qualified} holds ~{rows:,} rows, ~{group:,} of them sharing the most common "
            f"{column} value",
            numbers,
        )
    total = sum(g for _, g in groups)
    columns = ", ".join(c for c, _ in groups)
    return _Size(
        None,
        min(rows, total),
        f"{stat.qualified} holds ~{rows:,} rows, and the largest groups of equal {columns} values "
        f"add up to ~{total:,}",
        numbers,
    )
