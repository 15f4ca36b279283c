"""PostgreSQL checks over server settings and database-wide counters."""

from __future__ import annotations

from collections.abc import Iterator

from ..meta import ProbeCheck, ProbeHit, ProbeMeta
from ..settings import ProbeSettings
from .snapshot import PgSnapshot


class ConnectionHeadroomLow(ProbeCheck[PgSnapshot]):
    """Client connections in use close to what the server accepts.

    ## What it finds
    The count of client backends (every database) at probe time against ``max_connections``
    minus ``superuser_reserved_connections`` (and ``reserved_connections`` on PostgreSQL 16+):
    reported when at least 80% of the connections ordinary roles may open are taken.

    ## Why it matters at scale
    A deploy (old and new instances overlap), an autoscale step or a burst of slow queries adds
    connections; past the limit PostgreSQL refuses new clients with "sorry, too many clients
    already" and every request that needs a new connection fails.

    ## Example
    ```text
    max_connections = 100, superuser_reserved_connections = 3 -> 97 for applications
    in use: 84 (idle 61, active 20, idle in transaction 3)
    ```

    ## Use instead
    Put PgBouncer (transaction pooling) in front of the database, shrink per-process pools so
    replicas x processes x pool size stays under the limit with headroom, and close idle
    connections (pool idle timeouts). Raise ``max_connections`` only with memory to match.
    """

    meta = ProbeMeta(
        id="SC-PG-001",
        name="connection-headroom-low",
        category="database",
        severity="high",
        title="Few PostgreSQL connections left for new clients",
        effort="days",
        confidence="high",
        impact="The next deploy or traffic burst hits 'too many clients' and requests fail.",
        references=("https://www.postgresql.org/docs/current/runtime-config-connection.html",),
    )

    def check(self, snap: PgSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        c = snap.connections
        if c is None or c.available <= 0:
            return
        ratio = c.in_use / c.available
        if ratio < settings.connections_used_ratio:
            return
        states = ", ".join(f"{s} {n}" for s, n in c.by_state)
        yield ProbeHit(
            subject="connections",
            message=(
                f"{c.in_use} of the {c.available} connections applications may open are in use "
                f"({ratio:.0%}; max_connections {c.max_connections} minus {c.reserved} reserved)."
            ),
            recommendation=(
                "Pool connections through PgBouncer, size per-process pools so replicas x processes x "
                "pool size stays under the limit with headroom, and set pool idle timeouts."
            ),
            evidence=(
                f"max_connections = {c.max_connections}\nreserved = {c.reserved}\n"
                f"client connections in use = {c.in_use} ({states})\n"
                f"in this database = {c.this_database}"
            ),
            severity="critical" if ratio >= 0.95 else None,
        )


class _TimeoutDisabled(ProbeCheck[PgSnapshot]):
    setting: str = ""
    recommendation: str = ""
    fix: str = ""

    def check(self, snap: PgSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        found = snap.setting(self.setting)
        if found is None:
            return
        if found.value.strip() not in {"0", ""}:
            return
        # a role-level default for some other role (the application's) covers that role
        others = [
            s for s in snap.role_settings if s.name == self.setting and s.value.strip() not in {"0", ""}
        ]
        if others:
            return
        yield ProbeHit(
            subject=self.setting,
            message=(
                f"{self.setting} is 0 (disabled) for new sessions of role {snap.user} in database "
                f"{snap.database}, and no ALTER ROLE / ALTER DATABASE default sets it for any role."
            ),
            recommendation=self.recommendation,
            evidence=(
                f"pg_settings.reset_val of {self.setting} = {found.value or '0'}\n"
                f"pg_db_role_setting: no role or database default for {self.setting}"
            ),
            fix_snippet=self.fix.format(database=snap.database, setting=self.setting),
            fix_language="sql",
        )


class StatementTimeoutDisabled(_TimeoutDisabled):
    """No statement_timeout: a query may run for ever.

    ## What it finds
    ``statement_timeout`` is 0 for new sessions of the probing role in the probed database,
    and no ``ALTER ROLE`` / ``ALTER DATABASE`` default sets it for any role. (The value is
    read as a new session sees it, ``pg_settings.reset_val``, not the probe's own limit.)

    ## Why it matters at scale
    One slow query (a missing index, a huge tenant) holds its connection, its locks and a CPU
    until it finishes; under load such queries pile up, drain every pool and the whole
    application stalls behind them. A timeout turns that into a few failed requests.

    ## Use instead
    ```sql
    ALTER ROLE app SET statement_timeout = '5s';      -- or ALTER DATABASE ... SET
    ```
    and longer limits only for roles that run reports or migrations.
    """

    meta = ProbeMeta(
        id="SC-PG-002",
        name="statement-timeout-disabled",
        category="database",
        severity="medium",
        title="PostgreSQL statement_timeout is disabled",
        effort="hours",
        confidence="high",
        impact="A runaway query holds a connection and its locks until it ends, draining the pool.",
        references=("https://www.postgresql.org/docs/current/runtime-config-client.html",),
    )
    setting = "statement_timeout"
    recommendation = "Set a statement timeout for the application role (a few seconds for web traffic)."
    fix = "ALTER DATABASE {database} SET {setting} = '5s';  -- or ALTER ROLE app SET ..."


class IdleInTransactionTimeoutDisabled(_TimeoutDisabled):
    """No idle_in_transaction_session_timeout: a forgotten transaction holds locks for ever.

    ## What it finds
    ``idle_in_transaction_session_timeout`` is 0 for new sessions of the probed role and
    database, and no role or database default sets it.

    ## Why it matters at scale
    A transaction left open by a crashed request, a debugger or a missing commit keeps its row
    locks and stops vacuum from removing dead rows anywhere in the database; writes queue
    behind the locks and tables bloat until someone kills the session.

    ## Use instead
    ```sql
    ALTER ROLE app SET idle_in_transaction_session_timeout = '30s';
    ```
    """

    meta = ProbeMeta(
        id="SC-PG-003",
        name="idle-in-transaction-timeout-disabled",
        category="database",
        severity="medium",
        title="PostgreSQL idle_in_transaction_session_timeout is disabled",
        effort="hours",
        confidence="high",
        impact="An abandoned transaction keeps locks and blocks vacuum until killed by hand.",
        references=("https://www.postgresql.org/docs/current/runtime-config-client.html",),
    )
    setting = "idle_in_transaction_session_timeout"
    recommendation = "Set idle_in_transaction_session_timeout (e.g. 30s) for the application role."
    fix = "ALTER DATABASE {database} SET {setting} = '30s';"


class LockTimeoutDisabled(_TimeoutDisabled):
    """No lock_timeout: a statement waits for a lock as long as its statement timeout allows.

    ## What it finds
    ``lock_timeout`` is 0 for new sessions of the probed role and database, and no role or
    database default sets it.

    ## Why it matters at scale
    A migration's ``ALTER TABLE`` waiting behind one long transaction blocks every later query
    on that table while it waits: the queue grows with traffic and the site stops. A short
    lock timeout makes the waiter give up (and retry) instead.

    ## Use instead
    ```sql
    ALTER ROLE app SET lock_timeout = '2s';
    ```
    and ``SET lock_timeout = '3s'`` at the top of migrations.
    """

    meta = ProbeMeta(
        id="SC-PG-004",
        name="lock-timeout-disabled",
        category="database",
        severity="low",
        title="PostgreSQL lock_timeout is disabled",
        effort="hours",
        confidence="high",
        impact="One blocked DDL statement queues every query on its table behind it.",
        references=("https://www.postgresql.org/docs/current/runtime-config-client.html",),
    )
    setting = "lock_timeout"
    recommendation = "Set lock_timeout (e.g. 2s) for the application role and in migrations."
    fix = "ALTER DATABASE {database} SET {setting} = '2s';"


class LowCacheHitRatio(ProbeCheck[PgSnapshot]):
    """Too many block reads miss PostgreSQL's buffer cache.

    ## What it finds
    ``blks_hit / (blks_hit + blks_read)`` of the probed database (``pg_stat_database``, since
    the statistics were last reset) below 95%, once at least 100,000 blocks were read.

    ## Why it matters at scale
    Every miss is a read from the OS cache or disk, tens to thousands of times slower than a
    buffer hit. A working set that no longer fits in memory makes latency jump as data grows,
    usually because of sequential scans of large tables or too small ``shared_buffers``.

    ## Use instead
    Index the queries that scan large tables (see SC-PG-006 and pg_stat_statements), size
    ``shared_buffers`` to about 25% of RAM, and move cold data out of hot tables.
    """

    meta = ProbeMeta(
        id="SC-PG-010",
        name="low-cache-hit-ratio",
        category="database",
        severity="medium",
        title="PostgreSQL buffer cache hit ratio is low",
        effort="days",
        confidence="medium",
        impact="Reads go to disk; latency rises sharply as the working set outgrows memory.",
        references=("https://www.postgresql.org/docs/current/monitoring-stats.html",),
    )

    def check(self, snap: PgSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        if snap.blocks_hit is None or snap.blocks_read is None:
            return
        total = snap.blocks_hit + snap.blocks_read
        if total < settings.cache_hit_min_blocks:
            return
        ratio = snap.blocks_hit / total
        if ratio >= settings.cache_hit_min_ratio:
            return
        yield ProbeHit(
            subject="cache-hit-ratio",
            message=(
                f"Only {ratio:.1%} of block reads in database {snap.database} were served from "
                f"shared buffers since {snap.stats_since or 'the statistics were reset'}."
            ),
            recommendation=(
                "Find the queries reading the most blocks (pg_stat_statements shared_blks_read), index "
                "them, and size shared_buffers to the working set."
            ),
            evidence=f"blks_hit = {snap.blocks_hit}\nblks_read = {snap.blocks_read}\nratio = {ratio:.4f}",
        )
