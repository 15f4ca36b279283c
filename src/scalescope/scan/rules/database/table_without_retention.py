"""SC-DB-015 table-without-retention."""

from __future__ import annotations

from collections.abc import Iterator

from scalescope.model.facts import DataAccess
from scalescope.model.growth import CATALOG
from scalescope.model.project import ProjectModel
from scalescope.scan.rules._fixes import stack_near
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._fixes import retention_fix
from scalescope.scan.rules.database._helpers import orm_label
from scalescope.scan.rules.database._retention import (
    Driver,
    TableUse,
    table_uses,
)


class TableWithoutRetention(Rule):
    """A table of per-event rows (logs, events, sessions, tokens, cache entries, job runs) that
    the code only ever inserts into: nothing deletes, expires or partitions it.

    ## What it finds
    A table the application inserts into on its request path or from background work (one
    row per request, per login, per upload, per cache miss, per job run) where nothing in the
    repository ever removes a row: no ORM delete (`delete`/`deleteMany`/`destroy`/`remove`, a
    queryset or statement `delete()`, a loaded row's `delete()`), no raw `DELETE`/`TRUNCATE`
    (in code, a SQL file, a pg_cron job), no MongoDB TTL index (`expireAfterSeconds`, a
    Mongoose field's `expires`) or capped collection, no partitioning (`PARTITION BY`,
    pg_partman, a TimescaleDB retention policy), and no `ON DELETE CASCADE` from a parent
    table that is itself deleted. One finding per table, at the insert that drives it, naming
    the growth driver.

    Most tables of a CRUD application grow with their users (users, posts, orders) and that is
    not a defect, so a table is reported only when its rows are per-event and lose value with
    age:
    - its name marks log records (`*_logs`, `audit`, `analytics`, `telemetry`, `page_views`,
      `clicks`, `impressions`, `cache`...);
    - or its name marks rows that are often per-event but may be content (`events`, `sessions`,
      `tokens`, `notifications`, `history`, `activities`, `jobs`, `runs`, `visits`, `attempts`,
      `feeds`...) and the rows are append-only (never updated, never read back by their key),
      never read, expire (an `expires_at` column nothing enforces), or are written by a
      middleware or a `GET` handler;
    - or an app-level middleware or request hook (Flask `before_request`,
      `@app.middleware("http")`, a Django `MIDDLEWARE` class) or a `GET` handler inserts into it
      and its rows are append-only.

    Confidence is medium when, besides, the insert runs at the rate of traffic rather than of
    changes to some resource: on every request, on a `GET`, on an endpoint named for
    high-frequency calls (`/track`, `/events`, `/logs`, `/login`, `/token`, `/webhooks`,
    `/search`...), or once per item of a background job's loop; and the rows are append-only,
    never read, or expire. Otherwise it is low (an audit row per edit of a resource grows with
    the edits; a job writing one row per run grows with its schedule). Inserts that are upserts
    (`upsert`, `get_or_create`, `ON CONFLICT`) add one row per key, not per event, and do not
    count.

    ## Why it matters at scale
    A table that only grows costs more every day with no change in traffic: at 50 rows per
    second it gains 4 million rows a day. Its indexes outgrow memory, inserts slow down as the
    B-trees deepen, autovacuum and backups take longer, restores and migrations (adding a
    column, a new index) take hours, and disk fills. Nobody reads six-month-old request logs
    or expired sessions, so all of that cost buys nothing.

    ## Example
    ```ts
    app.use(async (req, res, next) => {
      await prisma.requestLog.create({ data: { path: req.path, ip: req.ip } });
      next();
    });
    ```

    ## Use instead
    Decide how long the rows are useful and delete older ones on a schedule, in batches, by an
    indexed created-at column:
    ```ts
    // daily job
    await prisma.requestLog.deleteMany({ where: { createdAt: { lt: cutoff } } });
    ```
    On MongoDB a TTL index does it for you (`schema.index({ createdAt: 1 }, {
    expireAfterSeconds: 2592000 })`); for high-volume PostgreSQL tables partition by time and
    drop whole old partitions (pg_partman); send analytics and request logs to a log or
    analytics store rather than the primary database.

    ## Known problems
    Retention that lives outside the repository (a DBA's cron job, a managed database's
    retention setting, a log pipeline that truncates the table) is not seen. A delete anywhere
    in the repository counts as retention even when it only removes one row on request.
    Instance deletes are recognised when the row comes from a query in the same function (or
    a loop over its rows). Names are matched singular/plural and through the schema's table
    and model names; a delete through a dynamic table name is not attributed.
    """

    meta = RuleMeta(
        id="SC-DB-015",
        name="table-without-retention",
        category="database",
        severity="medium",
        title="Per-event table only grows: nothing deletes, expires or partitions it",
        effort="days",
        scope="files",
        confidence="medium",
        impact="The table and its indexes grow every day without bound: slower writes, vacuum, backups and "
        "migrations for rows nobody reads.",
        ecosystems=("node", "python"),
        references=(
            "https://www.mongodb.com/docs/manual/core/index-ttl/",
            "https://www.postgresql.org/docs/current/ddl-partitioning.html",
            "https://github.com/pgpartman/pg_partman",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        for use in table_uses(model):
            if use.growth.kind == CATALOG or use.retained or not use.drivers:
                continue
            verdict = use.verdict()
            if verdict is None:
                continue
            confidence, why = verdict
            primary = use.drivers[0]
            expiry = use.expiry_column
            column = expiry or use.created_column or _default_created(primary.access)
            stack = stack_near(model, primary.access.loc.file)
            fix = retention_fix(primary.access.orm, primary.access.model, column, bool(expiry), stack)
            for driver in use.drivers:
                yield self._hit(use, driver, confidence, why, fix.advice, fix.snippet, fix.language)

    def _hit(
        self,
        use: TableUse,
        driver: Driver,
        confidence: str,
        why: str,
        advice: str,
        snippet: str,
        language: str,
    ) -> Hit:
        access = driver.access
        return self.hit(
            access.loc,
            message=(
                f"{use.label} only grows: {driver.text}. Nothing in the repository deletes from it (no "
                f"delete, TTL index, partitioning or cascade), and {why}. "
                "Every day adds rows that are never removed: the table and its indexes grow without bound."
            ),
            recommendation=f"{advice} ({orm_label(access.orm)})",
            fix_snippet=snippet,
            fix_language=language,
            confidence=confidence,
            cause=f"table-without-retention:{use.key.replace(chr(0), ':')}",
            place=f"{_insert_label(access)}: {driver.text}",
            heat=len(driver.routes) + (100 if driver.kind == "hook" else 0),
        )


def _default_created(access: DataAccess) -> str:
    """The usual created-at column name of the access's stack, when the schema shows none."""
    snake = access.loc.file.endswith((".py", ".sql")) or access.orm in {"knex", "pg"}
    return "created_at" if snake else "createdAt"


def _insert_label(access: DataAccess) -> str:
    return f"{access.model}.{access.operation}() ({orm_label(access.orm)})"
