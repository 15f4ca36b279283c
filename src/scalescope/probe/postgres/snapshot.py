"""What the PostgreSQL probe read from the server: plain data, no connection, no I/O.

Checks are pure functions of a :class:`PgSnapshot`, so each can be tested on a hand-built
snapshot as well as against a live server.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    value: str  # the value a new session of this role/database starts with (pg_settings.reset_val)
    unit: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class RoleSetting:
    """An ``ALTER ROLE/DATABASE ... SET`` default (pg_db_role_setting)."""

    role: str  # "" = every role
    database: str  # "" = every database
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Connections:
    max_connections: int
    reserved: int  # superuser_reserved_connections + reserved_connections (PG16+)
    in_use: int  # client backends, all databases
    this_database: int
    by_state: tuple[tuple[str, int], ...] = ()

    @property
    def available(self) -> int:
        """Connections non-superuser clients may open at most."""
        return max(self.max_connections - self.reserved, 0)


@dataclass(frozen=True, slots=True)
class Session:
    pid: int
    user: str
    application: str
    state: str
    query_s: float  # since query_start
    xact_s: float  # since xact_start
    state_s: float  # since state_change
    wait: str
    query: str  # normalised (literals replaced), truncated


@dataclass(frozen=True, slots=True)
class TableStat:
    schema: str
    name: str
    seq_scan: int
    seq_tup_read: int
    idx_scan: int | None
    live: int
    dead: int
    size_bytes: int
    last_vacuum: str = ""
    last_autovacuum: str = ""
    autovacuum_enabled: bool = True
    reltuples: float = -1.0  # pg_class.reltuples: rows at the last VACUUM/ANALYZE (-1: never)

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def rows(self) -> int | None:
        """The table's row count as the server estimates it: the larger of ``n_live_tup``
        (kept current by every insert and delete, reset with the statistics) and
        ``pg_class.reltuples`` (as of the last VACUUM or ANALYZE, kept across a reset);
        ``None`` when the table was never analyzed and the counters saw no row."""
        if self.reltuples < 0 and self.live <= 0:
            return None
        return max(self.live, int(self.reltuples))


@dataclass(frozen=True, slots=True)
class ColumnStat:
    """What ANALYZE recorded about a column's values (``pg_stats``)."""

    n_distinct: float  # > 0: distinct values; < 0: minus the fraction of rows; 0: unknown
    top_freq: float | None  # share of rows holding the most common value; None: no MCV list
    null_frac: float = 0.0

    def largest_group(self, rows: int) -> int | None:
        """Rows sharing one value of the column (``NULL`` counted as a value: a filter on
        ``deleted_at IS NULL`` selects them), out of ``rows``: the most common value's
        frequency, else (no value stands out, so ANALYZE kept none) rows per distinct value;
        ``None`` when the statistics do not say."""
        nulls = round(self.null_frac * rows)
        if self.top_freq is not None:
            return max(round(self.top_freq * rows), nulls)
        distinct = self.n_distinct if self.n_distinct > 0 else -self.n_distinct * rows
        if distinct <= 0:
            return None
        return max(1, round(rows * (1 - self.null_frac) / distinct), nulls)


@dataclass(frozen=True, slots=True)
class ForeignKey:
    schema: str
    table: str
    name: str
    columns: tuple[str, ...]
    references: str
    rows: int


@dataclass(frozen=True, slots=True)
class IndexInfo:
    schema: str
    table: str
    name: str
    columns: tuple[str, ...]  # column names in key order ("" for an expression column)
    method: str
    unique: bool
    primary: bool
    constraint: bool  # backs a constraint (unique, exclusion, primary key)
    valid: bool
    expressions: str  # pg_index.indexprs as a node tree (compared, never shown)
    predicate: str  # pg_index.indpred as a node tree
    opclasses: str
    size_bytes: int
    scans: int | None
    tuples: float = 0.0  # pg_class.reltuples of the index

    @property
    def definition(self) -> str:
        """A readable definition built from the catalog (``pg_get_indexdef`` would lock the
        table, so the probe does not call it): expression columns show as ``(expression)``."""
        cols = ", ".join(c or "(expression)" for c in self.columns)
        unique = "UNIQUE " if self.unique else ""
        where = " WHERE (partial)" if self.predicate else ""
        on = f"{self.schema}.{self.table} USING {self.method}"
        return f"CREATE {unique}INDEX {self.name} ON {on} ({cols}){where}"

    @property
    def qualified_table(self) -> str:
        return f"{self.schema}.{self.table}"


@dataclass(frozen=True, slots=True)
class TableSize:
    """Inputs of the bloat estimate (pg_class pages and tuples, pg_stats average widths)."""

    schema: str
    name: str
    pages: int
    tuples: float
    row_width: int  # sum of pg_stats.avg_width; 0 when the table was never analyzed
    fillfactor: int = 100


@dataclass(frozen=True, slots=True)
class Statement:
    """One pg_stat_statements row (query text normalised by the extension: $1 parameters)."""

    query: str
    calls: int
    total_ms: float
    mean_ms: float
    rows: int


@dataclass(frozen=True, slots=True)
class PgSnapshot:
    version: str
    version_num: int
    database: str
    user: str
    superuser: bool
    block_size: int = 8192
    settings: dict[str, Setting] = field(default_factory=dict)
    role_settings: tuple[RoleSetting, ...] = ()
    connections: Connections | None = None
    sessions: tuple[Session, ...] = ()
    tables: tuple[TableStat, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    indexes: tuple[IndexInfo, ...] = ()
    sizes: tuple[TableSize, ...] = ()
    column_widths: dict[tuple[str, str, str], int] = field(default_factory=dict)  # pg_stats avg_width
    column_stats: dict[tuple[str, str, str], ColumnStat] = field(default_factory=dict)  # pg_stats
    statements: tuple[Statement, ...] | None = None  # None: pg_stat_statements not available
    blocks_hit: int | None = None
    blocks_read: int | None = None
    stats_since: str = ""  # pg_stat_database.stats_reset, or the server start
    stats_age_s: float | None = None

    def setting(self, name: str) -> Setting | None:
        return self.settings.get(name)
