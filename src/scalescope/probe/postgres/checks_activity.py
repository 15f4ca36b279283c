"""PostgreSQL checks over what runs: slow statements and sessions at probe time."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from ..meta import ProbeCheck, ProbeHit, ProbeMeta
from ..settings import ProbeSettings
from ._helpers import duration
from .queries import tables_and_filters
from .snapshot import PgSnapshot


class SlowQuery(ProbeCheck[PgSnapshot]):
    """Statements that are slow on average and run often (pg_stat_statements).

    ## What it finds
    Rows of ``pg_stat_statements`` for the probed database (the top 20 by total execution
    time) with a mean time of at least 100 ms over at least 50 calls, with the tables they
    read and the columns their ``WHERE`` clauses filter on. Without the extension this check
    is skipped and the report carries a notice.

    ## Why it matters at scale
    Time per call x calls is database time; a 200 ms query called on every page view caps the
    whole application at a few requests per second per connection, and it is the first thing
    to fall over when traffic doubles.

    ## Use instead
    ``EXPLAIN (ANALYZE, BUFFERS)`` the statement, index the filter columns, bound the rows it
    returns, or cache its result.
    """

    meta = ProbeMeta(
        id="SC-PG-007",
        name="slow-query",
        category="database",
        severity="medium",
        title="Frequent slow query",
        effort="hours",
        confidence="high",
        impact="Database time per request caps throughput; it falls over first when traffic grows.",
        references=("https://www.postgresql.org/docs/current/pgstatstatements.html",),
    )

    def check(self, snap: PgSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        for st in snap.statements or ():
            if st.mean_ms < settings.slow_query_mean_ms or st.calls < settings.slow_query_min_calls:
                continue
            tables, filters = tables_and_filters(st.query)
            on = f" on {', '.join(sorted(tables))}" if tables else ""
            by = f", filtering on {', '.join(filters)}" if filters else ""
            yield ProbeHit(
                subject=hashlib.sha256(st.query.encode()).hexdigest()[:12],
                message=(
                    f"A statement{on}{by} took {st.mean_ms:.0f} ms on average over {st.calls:,} calls "
                    f"({st.total_ms / 1000:,.0f} s in total)."
                ),
                recommendation="EXPLAIN (ANALYZE, BUFFERS) it; index the filter columns or cache the result.",
                evidence=(
                    f"{st.query}\ncalls = {st.calls}, mean = {st.mean_ms:.1f} ms, "
                    f"total = {st.total_ms:.0f} ms, "
                    f"rows = {st.rows}"
                ),
                severity="high" if st.mean_ms >= 10 * settings.slow_query_mean_ms else None,
            )


class LongRunningQuery(ProbeCheck[PgSnapshot]):
    """Queries running for a long time at probe time.

    ## What it finds
    Client sessions (any database) in state ``active`` whose current query started at least
    60 s before the probe, with their wait event and the query text (literals replaced by
    ``?``). The probe's own session is excluded.

    ## Why it matters at scale
    A long query holds a connection, a snapshot that stops vacuum, and often locks other
    queries queue behind; in a web workload it is usually a missing index, an unbounded
    report run on the primary, or a lock wait.

    ## Use instead
    Set ``statement_timeout`` for application roles, move reports to a replica, and look at
    ``pg_locks`` / ``pg_blocking_pids(pid)`` for the blocker when the wait event is ``Lock``.
    """

    meta = ProbeMeta(
        id="SC-PG-013",
        name="long-running-query",
        category="database",
        severity="medium",
        title="Long-running query at probe time",
        effort="hours",
        confidence="high",
        impact="Holds a connection, locks and vacuum's horizon for as long as it runs.",
        references=(
            "https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ACTIVITY-VIEW",
        ),
    )

    def check(self, snap: PgSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        for s in snap.sessions:
            if s.state != "active" or s.query_s < settings.long_query_s:
                continue
            wait = f", waiting on {s.wait}" if s.wait else ""
            yield ProbeHit(
                subject=f"pid {s.pid}",
                message=(
                    f"Session {s.pid} (user {s.user or '?'}, application {s.application or '?'}) has been "
                    f"running its query for {duration(s.query_s)}{wait}."
                ),
                recommendation=(
                    "Find out why (EXPLAIN, pg_blocking_pids); cap queries with statement_timeout and run "
                    "reports on a replica."
                ),
                evidence=f"pid {s.pid}: active for {s.query_s:.0f} s{wait}\n{s.query}",
            )


class IdleInTransactionSession(ProbeCheck[PgSnapshot]):
    """Sessions sitting idle inside an open transaction at probe time.

    ## What it finds
    Client sessions in state ``idle in transaction`` (or ``... (aborted)``) for at least 30 s,
    with their last query (literals replaced by ``?``).

    ## Why it matters at scale
    The open transaction keeps its locks and holds back vacuum for every table in the
    database; the pool slot it occupies serves nobody. Usually application code that forgot a
    commit, or does slow work (an HTTP call) inside a transaction.

    ## Use instead
    Commit before slow work, set ``idle_in_transaction_session_timeout`` (SC-PG-003), and
    terminate stuck sessions with ``pg_terminate_backend(pid)`` after checking what they hold.
    """

    meta = ProbeMeta(
        id="SC-PG-014",
        name="idle-in-transaction-session",
        category="database",
        severity="medium",
        title="Session idle in an open transaction",
        effort="hours",
        confidence="high",
        impact="Holds locks and stops vacuum database-wide while doing nothing.",
        references=(
            "https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ACTIVITY-VIEW",
        ),
    )

    def check(self, snap: PgSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        for s in snap.sessions:
            if not s.state.startswith("idle in transaction") or s.state_s < settings.idle_in_transaction_s:
                continue
            yield ProbeHit(
                subject=f"pid {s.pid}",
                message=(
                    f"Session {s.pid} (user {s.user or '?'}, application {s.application or '?'}) has been "
                    f"{s.state} for {duration(s.state_s)}, inside a transaction open for "
                    f"{duration(s.xact_s)}."
                ),
                recommendation=(
                    "Commit or roll back before slow work; set idle_in_transaction_session_timeout for the "
                    "application role."
                ),
                evidence=f"pid {s.pid}: {s.state} for {s.state_s:.0f} s\nlast query: {s.query}",
            )
