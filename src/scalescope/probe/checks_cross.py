"""Findings only a cross-check can make: the scan's facts joined with a live server's numbers.

These classes carry the metadata and documentation of cross-check findings (so the registry,
SARIF rule help and ``explain`` see them like every other check); they yield nothing over a
snapshot alone. ``crosscheck.py`` produces their findings.
"""

from __future__ import annotations

from collections.abc import Iterator

from .meta import ProbeCheck, ProbeHit, ProbeMeta
from .settings import ProbeSettings


class PoolsExceedMaxConnections(ProbeCheck[object]):
    """The project's connection pools, multiplied out, exceed the live server's limit.

    ## What it finds
    The sum over the database clients the scan found (pool size from code or URL, else the
    library default) x app processes (replicas x workers from the deployment files, or the
    ``instances`` setting) against the live server's ``max_connections`` minus reserved
    connections. Reported at 80% of the limit (high) and above it (critical). Needs
    ``scalescope probe postgres URL --scan PATH``.

    ## Why it matters at scale
    Pools fill up under load, not at start-up: the arithmetic that fits on a quiet day fails
    at the first traffic peak or rolling deploy (old and new instances both hold their pools),
    with "too many clients already" errors on every instance at once.

    ## Example
    ```text
    node-postgres Pool (src/db.ts:3): 10 per process x 12 processes = 120 > 97 available
    ```

    ## Use instead
    Size each pool so the total stays under ``max_connections`` minus headroom for
    migrations and admin sessions, or put PgBouncer in transaction mode between the app and
    the server.
    """

    meta = ProbeMeta(
        id="SC-PG-015",
        name="pools-exceed-max-connections",
        category="database",
        severity="critical",
        title="Connection pools x processes exceed the server's max_connections",
        effort="hours",
        confidence="high",
        impact="At peak or during a deploy the server refuses connections and requests fail.",
        references=("https://www.postgresql.org/docs/current/runtime-config-connection.html",),
    )

    cross_check_only = True

    def check(self, snap: object, settings: ProbeSettings) -> Iterator[ProbeHit]:
        return iter(())
