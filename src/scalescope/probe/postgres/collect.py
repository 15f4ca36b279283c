"""Read a :class:`PgSnapshot` from a live server with bounded, read-only catalog queries.

The probe session is made safe before the first catalog query (see ``SESSION_SETUP``): read
only, a statement timeout, a short lock timeout and an idle-in-transaction timeout of its own.
Every query reads ``pg_catalog`` / statistics views, returns at most ``row_cap`` rows and runs
in its own autocommit transaction, so a query the role may not run (a missing privilege, an
extension that is not loaded) becomes a notice and the others still run. No query opens a user
relation (sizes come from ``pg_class.relpages``, not ``pg_relation_size``), so a migration
holding an exclusive lock on a table does not block the probe. ``docs/probes.md`` lists every
query and why it is safe on a busy server.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..settings import ProbeSettings
from ..target import EXIT_AUTH, EXIT_DRIVER_MISSING, EXIT_UNREACHABLE, ProbeError, Target
from .snapshot import (
    ColumnStat,
    Connections,
    ForeignKey,
    IndexInfo,
    PgSnapshot,
    RoleSetting,
    Session,
    Setting,
    Statement,
    TableSize,
    TableStat,
)

SETTING_NAMES = (
    "max_connections",
    "superuser_reserved_connections",
    "reserved_connections",
    "statement_timeout",
    "idle_in_transaction_session_timeout",
    "lock_timeout",
    "shared_preload_libraries",
    "autovacuum",
    "autovacuum_vacuum_threshold",
    "autovacuum_vacuum_scale_factor",
    "track_counts",
    "block_size",
)
TIMEOUT_NAMES = ("statement_timeout", "idle_in_transaction_session_timeout", "lock_timeout")

_SYSTEM_SCHEMAS = "('pg_catalog', 'information_schema', 'pg_toast')"

Q_IDENTITY = """
SELECT current_setting('server_version'), current_setting('server_version_num')::int,
       current_database(), current_user,
       (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
"""
Q_SETTINGS = "SELECT name, reset_val, coalesce(unit, ''), source FROM pg_settings WHERE name = ANY(%s)"
Q_ROLE_SETTINGS = """
SELECT coalesce(r.rolname, ''), coalesce(d.datname, ''), cfg
FROM pg_db_role_setting s
LEFT JOIN pg_roles r ON r.oid = s.setrole
LEFT JOIN pg_database d ON d.oid = s.setdatabase
CROSS JOIN LATERAL unnest(s.setconfig) AS cfg
WHERE s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
LIMIT %s
"""
Q_CONNECTIONS = """
SELECT count(*),
       count(*) FILTER (WHERE datname = current_database()),
       coalesce(state, 'unknown')
FROM pg_stat_activity
WHERE backend_type = 'client backend'
GROUP BY ROLLUP (coalesce(state, 'unknown'))
"""
Q_SESSIONS = """
SELECT pid, coalesce(usename, ''), coalesce(application_name, ''), coalesce(state, ''),
       coalesce(extract(epoch FROM now() - query_start), 0)::float8,
       coalesce(extract(epoch FROM now() - xact_start), 0)::float8,
       coalesce(extract(epoch FROM now() - state_change), 0)::float8,
       coalesce(wait_event_type || ':' || wait_event, ''),
       left(coalesce(query, ''), 400)
FROM pg_stat_activity
WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
  AND ((state = 'active' AND now() - query_start > make_interval(secs => %s))
    OR (state LIKE 'idle in transaction%%' AND now() - state_change > make_interval(secs => %s)))
ORDER BY least(query_start, state_change)
LIMIT %s
"""
Q_TABLES = f"""
SELECT s.schemaname, s.relname, s.seq_scan, s.seq_tup_read, s.idx_scan, s.n_live_tup, s.n_dead_tup,
       c.relpages::bigint * current_setting('block_size')::bigint,
       coalesce(s.last_vacuum::text, ''), coalesce(s.last_autovacuum::text, ''),
       coalesce(NOT ('autovacuum_enabled=false' = ANY(c.reloptions)), true),
       c.reltuples::float8
FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
WHERE s.schemaname NOT IN {_SYSTEM_SCHEMAS}
ORDER BY s.seq_tup_read DESC, s.n_dead_tup DESC
LIMIT %s
"""
# a foreign key is indexed when some valid, non-partial index starts with exactly its columns
# (in any order)
Q_FOREIGN_KEYS = f"""
SELECT n.nspname, cl.relname, c.conname,
       array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord),
       c.confrelid::regclass::text, greatest(cl.reltuples, 0)::bigint
FROM pg_constraint c
JOIN pg_class cl ON cl.oid = c.conrelid
JOIN pg_namespace n ON n.oid = cl.relnamespace
WHERE c.contype = 'f' AND n.nspname NOT IN {_SYSTEM_SCHEMAS}
  AND NOT EXISTS (
    SELECT 1 FROM pg_index i
    WHERE i.indrelid = c.conrelid AND i.indisvalid AND i.indpred IS NULL
      AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] @> c.conkey
      AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] <@ c.conkey)
ORDER BY 1, 2, 3
LIMIT %s
"""
Q_INDEXES = f"""
SELECT n.nspname, t.relname, ic.relname,
       array(SELECT coalesce(a.attname::text, '')
             FROM unnest(string_to_array(i.indkey::text, ' ')::int2[]) WITH ORDINALITY AS k(attnum, ord)
             LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE k.ord <= i.indnkeyatts ORDER BY k.ord),
       am.amname, i.indisunique, i.indisprimary,
       EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid),
       i.indisvalid,
       coalesce(i.indexprs::text, ''),
       coalesce(i.indpred::text, ''),
       i.indclass::text,
       ic.relpages::bigint * current_setting('block_size')::bigint,
       s.idx_scan,
       greatest(ic.reltuples, 0)::float8
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = i.indexrelid
WHERE n.nspname NOT IN {_SYSTEM_SCHEMAS} AND t.relkind IN ('r', 'm', 'p')
ORDER BY 1, 2, 3
LIMIT %s
"""
Q_SIZES = f"""
SELECT n.nspname, c.relname, c.relpages, c.reltuples,
       coalesce((SELECT sum(st.avg_width)::int FROM pg_stats st
                 WHERE st.schemaname = n.nspname AND st.tablename = c.relname), 0),
       coalesce((SELECT substring(o FROM 'fillfactor=(\\d+)')::int
                 FROM unnest(c.reloptions) o WHERE o LIKE 'fillfactor=%%'), 100)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r' AND n.nspname NOT IN {_SYSTEM_SCHEMAS} AND c.relpages > 0
ORDER BY c.relpages DESC
LIMIT %s
"""
# per column: average width (index bloat), distinct values and the most common value's share of
# rows (how many rows one filter value selects); ``inherited`` rows sort last, so a parent
# table's figures cover its children, as a query on the parent reads them
Q_COLUMN_STATS = f"""
SELECT schemaname, tablename, attname, avg_width, n_distinct::float8,
       (most_common_freqs)[1]::float8, null_frac::float8
FROM pg_stats
WHERE schemaname NOT IN {_SYSTEM_SCHEMAS}
ORDER BY 1, 2, 3, inherited
LIMIT %s
"""
Q_DATABASE = """
SELECT blks_hit, blks_read,
       coalesce(stats_reset, pg_postmaster_start_time())::text,
       extract(epoch FROM now() - coalesce(stats_reset, pg_postmaster_start_time()))::float8
FROM pg_stat_database WHERE datname = current_database()
"""
Q_HAS_PGSS = "SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'"
Q_STATEMENTS = """
SELECT left(query, 600), calls, {total}, {mean}, rows
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY {total} DESC
LIMIT %s
"""

_LITERAL = re.compile(r"'(?:[^']|'')*'")
_NUMBER = re.compile(r"(?<![\w$.])-?\d+(?:\.\d+)?\b")


def normalise_query(text: str, limit: int = 200) -> str:
    """A query as a report may show it: literals replaced by ``?`` (they may carry personal
    data or secrets), whitespace collapsed, truncated."""
    out = _LITERAL.sub("?", text)
    out = _NUMBER.sub("?", out)
    out = " ".join(out.split())
    return out if len(out) <= limit else out[: limit - 1].rstrip() + "…"


def session_setup(settings: ProbeSettings) -> list[str]:
    """Statements run first on the probe session; none writes or takes a lock."""
    return [
        "SET default_transaction_read_only = on",
        f"SET statement_timeout = {int(settings.statement_timeout_ms)}",
        f"SET lock_timeout = {int(settings.lock_timeout_ms)}",
        f"SET idle_in_transaction_session_timeout = {int(settings.statement_timeout_ms) * 2}",
        "SET application_name = 'scalescope-probe'",
    ]


def connect(target: Target, settings: ProbeSettings) -> Any:
    """Open the probe session (autocommit, read-only, bounded) or raise :class:`ProbeError`."""
    try:
        import psycopg
    except ImportError:
        raise ProbeError(
            "the PostgreSQL probe needs psycopg 3: pip install 'scalescope[live]'", EXIT_DRIVER_MISSING
        ) from None
    try:
        conn = psycopg.connect(
            target.url,
            autocommit=True,
            connect_timeout=max(1, round(settings.connect_timeout_s)),
            application_name="scalescope-probe",
        )
    except psycopg.OperationalError as exc:
        raise classify_error(target, str(exc)) from None
    except psycopg.ProgrammingError as exc:  # a malformed conninfo
        raise ProbeError(f"cannot use this URL: {target.scrub(str(exc))}", 2) from None
    try:
        with conn.cursor() as cur:
            for statement in session_setup(settings):
                cur.execute(statement)
    except psycopg.Error as exc:
        conn.close()
        raise ProbeError(f"cannot prepare the probe session: {target.scrub(str(exc))}", 3) from None
    return conn


_AUTH = re.compile(
    r"password authentication failed|authentication failed|no password supplied|"
    r"does not exist|permission denied for database|not permitted to log in|no pg_hba\.conf entry",
    re.IGNORECASE,
)


def classify_error(target: Target, text: str) -> ProbeError:
    """An OperationalError at connect time as a plain message and exit status."""
    message = " ".join(target.scrub(text).split())
    if _AUTH.search(text):
        return ProbeError(f"PostgreSQL at {target.label} refused the login: {message}", EXIT_AUTH)
    return ProbeError(f"cannot reach PostgreSQL at {target.label}: {message}", EXIT_UNREACHABLE)


class _Reader:
    """Runs one query at a time; an error becomes a notice and the query's result ``None``."""

    def __init__(self, conn: Any, target: Target) -> None:
        self.conn = conn
        self.target = target
        self.notices: list[str] = []

    def rows(self, what: str, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]] | None:
        import psycopg

        try:
            with self.conn.cursor() as cur:
                cur.execute(sql.encode(), params)
                return list(cur.fetchall())
        except psycopg.errors.InsufficientPrivilege as exc:
            self.notices.append(f"{what}: skipped, permission denied ({_first_line(self.target, exc)})")
        except psycopg.errors.QueryCanceled:
            self.notices.append(f"{what}: skipped, the query hit the probe's statement timeout")
        except psycopg.errors.LockNotAvailable:
            self.notices.append(f"{what}: skipped, a catalog lock was not available at once")
        except psycopg.OperationalError as exc:
            raise ProbeError(
                f"lost the connection to {self.target.label}: {_first_line(self.target, exc)}",
                EXIT_UNREACHABLE,
            ) from None
        except psycopg.Error as exc:
            self.notices.append(f"{what}: skipped ({_first_line(self.target, exc)})")
        return None


def _first_line(target: Target, exc: BaseException) -> str:
    text = target.scrub(str(exc)).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _int(value: object, default: int = 0) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def collect(conn: Any, target: Target, settings: ProbeSettings) -> tuple[PgSnapshot, list[str]]:
    """Every read of the probe, in order; returns the snapshot and notices."""
    r = _Reader(conn, target)
    cap = settings.row_cap
    ident = r.rows("server identity", Q_IDENTITY)
    if not ident:
        raise ProbeError(f"PostgreSQL at {target.label} did not answer the identity query", EXIT_UNREACHABLE)
    version, version_num, database, user, superuser = ident[0]
    found: dict[str, Setting] = {}
    for name, value, unit, source in r.rows("settings", Q_SETTINGS, (list(SETTING_NAMES),)) or []:
        found[name] = Setting(name, str(value), unit, source)
    role_settings: list[RoleSetting] = []
    for role, db, cfg in r.rows("role and database settings", Q_ROLE_SETTINGS, (cap,)) or []:
        name, _, value = str(cfg).partition("=")
        role_settings.append(RoleSetting(role, db, name, value))
    connections = _connections(r, found)
    sessions = [
        Session(
            pid=row[0],
            user=row[1],
            application=row[2],
            state=row[3],
            query_s=row[4],
            xact_s=row[5],
            state_s=row[6],
            wait=row[7],
            query=normalise_query(row[8]),
        )
        for row in r.rows(
            "long-running sessions",
            Q_SESSIONS,
            (settings.long_query_s, settings.idle_in_transaction_s, 50),
        )
        or []
    ]
    tables = [
        TableStat(
            schema=row[0],
            name=row[1],
            seq_scan=_int(row[2]),
            seq_tup_read=_int(row[3]),
            idx_scan=None if row[4] is None else _int(row[4]),
            live=_int(row[5]),
            dead=_int(row[6]),
            size_bytes=_int(row[7]),
            last_vacuum=row[8],
            last_autovacuum=row[9],
            autovacuum_enabled=bool(row[10]),
            reltuples=float(row[11] if row[11] is not None else -1),
        )
        for row in r.rows("table statistics", Q_TABLES, (cap,)) or []
    ]
    fks = [
        ForeignKey(row[0], row[1], row[2], tuple(row[3]), row[4], _int(row[5]))
        for row in r.rows("foreign keys", Q_FOREIGN_KEYS, (cap,)) or []
    ]
    indexes = [
        IndexInfo(
            schema=row[0],
            table=row[1],
            name=row[2],
            columns=tuple(row[3]),
            method=row[4],
            unique=bool(row[5]),
            primary=bool(row[6]),
            constraint=bool(row[7]),
            valid=bool(row[8]),
            expressions=row[9],
            predicate=row[10],
            opclasses=row[11],
            size_bytes=_int(row[12]),
            scans=None if row[13] is None else _int(row[13]),
            tuples=float(row[14] or 0),
        )
        for row in r.rows("indexes", Q_INDEXES, (cap,)) or []
    ]
    sizes = [
        TableSize(row[0], row[1], _int(row[2]), float(row[3] or 0), _int(row[4]), _int(row[5], 100))
        for row in r.rows("table sizes", Q_SIZES, (cap,)) or []
    ]
    widths: dict[tuple[str, str, str], int] = {}
    column_stats: dict[tuple[str, str, str], ColumnStat] = {}
    for row in r.rows("column statistics", Q_COLUMN_STATS, (cap * 4,)) or []:
        key = (row[0], row[1], row[2])
        widths[key] = _int(row[3])
        column_stats[key] = ColumnStat(
            n_distinct=float(row[4] or 0),
            top_freq=None if row[5] is None else float(row[5]),
            null_frac=float(row[6] or 0),
        )
    blocks_hit = blocks_read = None
    stats_since, stats_age = "", None
    db_rows = r.rows("database statistics", Q_DATABASE)
    if db_rows:
        blocks_hit, blocks_read, stats_since, stats_age = db_rows[0]
    statements = _statements(r, version_num, settings)
    snap = PgSnapshot(
        version=f"PostgreSQL {version}",
        version_num=version_num,
        database=database,
        user=user,
        superuser=bool(superuser),
        block_size=_int(found["block_size"].value if "block_size" in found else 8192, 8192),
        settings=found,
        role_settings=tuple(role_settings),
        connections=connections,
        sessions=tuple(sessions),
        tables=tuple(tables),
        foreign_keys=tuple(fks),
        indexes=tuple(indexes),
        sizes=tuple(sizes),
        column_widths=widths,
        column_stats=column_stats,
        statements=statements,
        blocks_hit=blocks_hit,
        blocks_read=blocks_read,
        stats_since=stats_since,
        stats_age_s=stats_age,
    )
    return snap, r.notices


def _connections(r: _Reader, found: dict[str, Setting]) -> Connections | None:
    rows = r.rows("connections in use", Q_CONNECTIONS)
    if rows is None or "max_connections" not in found:
        return None
    total = this_db = 0
    by_state: list[tuple[str, int]] = []
    for count, in_db, state in rows:
        if state is None:  # the ROLLUP total
            total, this_db = _int(count), _int(in_db)
        else:
            by_state.append((state, _int(count)))
    reserved = sum(
        _int(found[n].value) for n in ("superuser_reserved_connections", "reserved_connections") if n in found
    )
    return Connections(
        max_connections=_int(found["max_connections"].value),
        reserved=reserved,
        in_use=total,
        this_database=this_db,
        by_state=tuple(sorted(by_state)),
    )


def _statements(r: _Reader, version_num: int, settings: ProbeSettings) -> tuple[Statement, ...] | None:
    installed = r.rows("pg_stat_statements", Q_HAS_PGSS)
    if not installed:
        if installed is not None:
            r.notices.append(
                "pg_stat_statements is not installed in this database: no per-query timings "
                "(CREATE EXTENSION pg_stat_statements; it also needs shared_preload_libraries)"
            )
        return None
    total, mean = (
        ("total_exec_time", "mean_exec_time") if version_num >= 130000 else ("total_time", "mean_time")
    )
    rows = r.rows(
        "pg_stat_statements", Q_STATEMENTS.format(total=total, mean=mean), (settings.top_statements,)
    )
    if rows is None:
        return None
    return tuple(
        Statement(normalise_query(q, 600), _int(calls), float(t or 0), float(m or 0), _int(n))
        for q, calls, t, m, n in rows
    )


def read_snapshot(target: Target, settings: ProbeSettings) -> tuple[PgSnapshot, list[str]]:
    """Connect, collect, close. Raises :class:`ProbeError` when the server cannot be probed."""
    conn = connect(target, settings)
    try:
        return collect(conn, target, settings)
    finally:
        conn.close()
