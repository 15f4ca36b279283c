"""SC-DB-004 unbounded-list-query."""

from __future__ import annotations

import re
from collections.abc import Iterator

from scalescope.model.facts import DataAccess, Import
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._fixes import list_limit_fix
from scalescope.scan.rules.database._helpers import (
    WRITE_METHODS,
    describe,
    orm_label,
    routes_text,
    unique_filter,
)

_FK_NAME = re.compile(r"(?:_id|Id|ID)$")
_FLAGS = frozenset({"deletedat", "deleted_at", "is_deleted", "deleted", "active", "is_active", "enabled"})


def _parent_scoped(model: ProjectModel, access: DataAccess) -> bool:
    """The rows are one parent's: a filter compares a foreign key or a relation to one value
    (``where: { order: { id } }``, ``filter(order_id=...)``, ``root.items.filter(...)``); the
    other filters (a status, a flag, a date range) only narrow that parent's rows further;
    ``organizationId IN (...)`` over the ids of one user's organizations is a few parents."""
    if access.via_relation:
        return True
    ranged = {f.lower() for f in access.range_fields}
    return any(
        (_FK_NAME.search(f) or model.find_tables(f)) and f.lower() not in ranged for f in access.filter_fields
    )


# columns that identify a row more often than not (a key, a token, a slug, an e-mail)
_LOOKUP_NAME = re.compile(
    r"(?i:(?:^|_)(?:api_?key|key|token|secret|hash|slug|email|username|uuid)(?:_|$))"
    r"|(?<=[a-z])(?:Key|Token|Secret|Hash|Slug|Email)$",
)


def _lookup_like(access: DataAccess) -> bool:
    """Every filter is on an identifier-like column (``api_key__startswith``, ``slug``): a
    lookup that returns a row or two, even when the schema declares no unique constraint."""
    fields = [f for f in access.filter_fields if f.lower() not in _FLAGS]
    return bool(fields) and all(_LOOKUP_NAME.search(f) for f in fields)


# key-value configuration tables hold a few dozen rows, not one per user or event
_CONFIG_TABLE = re.compile(
    r"(?i)(?:^|_|[a-z](?=[A-Z]))(?:infra_?)?(?:config|configuration|setting|option)s?$"
)


class UnboundedListQuery(Rule):
    """List queries reachable from a route with no limit.

    ## What it finds
    A read-many query (`findMany`, `find`, `findAll`, `.select()`, `objects.filter`...) with no
    `take`/`limit`/slice/range, in a function a route handler reaches (directly or through the
    service layer). Queries with a limit, single-row reads (`findFirst`, `.first()`, `.get()`,
    `LIMIT 1`), aggregates (`count`, `sum`, `GROUP BY`, `SELECT 1`, `SELECT EXISTS (...)`),
    queries filtered by a primary key or unique column (`where: { id: { in: ids } }`), `IN`
    lists built from a bounded result (ids of a `.limit(10)` query, a `.slice(0, n)`), queries
    run in a cache loader (`cache.wrap(key, () => ...)`), and queries only run by scripts,
    seeds, jobs or tests do not fire. A builder is followed before it is judged: reassigned
    (`q = q.where(...)`), refined by later statements, or handed to a helper of the same file
    that adds `.limit(Math.min(n, 100))`; handed to a function the scan cannot see, its limit is
    unknown and it does not fire. Raw SQL fires only for a `SELECT` with no `WHERE`, `LIMIT` or
    aggregate, and never for a table the scan could not name. A filter carried by a required
    include or an inner join counts as a filter (medium, not "the whole table").

    Raw SQL is read from `pool.query`/`client.query`, `` sql`...` `` tags (postgres.js, Drizzle
    `` db.execute(sql`...`) ``, slonik `` sql.type(Row)`...` ``/`sql.unsafe`), Prisma
    `$queryRaw`/`Prisma.sql`/`$queryRawUnsafe`, `knex.raw`, `sequelize.query`,
    `cursor.execute`, SQLAlchemy `execute(text(...))`, asyncpg `fetch`/`fetchrow`,
    `databases` `fetch_all`, Django `Model.objects.raw` and `connection.cursor().execute`,
    also when the statement is a constant or a `+` concatenation of the same file; a
    statement built at run time (an interpolated table or clause, `query += ...`, an
    f-string) is not judged.

    ## Why it matters at scale
    The response grows with the table: every new row makes the endpoint slower, bigger and
    hungrier for memory. One large tenant or one old account turns a 20 ms endpoint into seconds
    of query time plus serialisation, holding a pooled connection all along, and a few such
    requests at once exhaust the pool and the heap.

    ## Example
    ```ts
    app.get("/orders", async (req, res) => res.json(await prisma.order.findMany()));
    ```

    ## Use instead
    ```ts
    const orders = await prisma.order.findMany({ take: 50, cursor: after ? { id: after } : undefined,
                                                 skip: after ? 1 : 0, orderBy: { id: "asc" } });
    ```
    Django: slice the queryset or use a paginator; SQLAlchemy: `.limit()` with keyset pagination.

    ## Known problems
    Reachability comes from a name-based call graph; a query reached only through dependency
    injection the graph cannot follow is missed. Filters on a foreign key (`where: { postId }`)
    still fire: a parent with thousands of children is exactly the slow case. Findings are
    lowered to low confidence when every filter is on an identifier-like column (`api_key`,
    `slug`, `email`, `token`) or the table is a key-value configuration table (`Config`,
    `Settings`), and to medium when the filter is built elsewhere (`{ where }`, a spread,
    `Model.find(query)`). A catalog table (inserted only by seeds, fixtures, migrations, CLI
    scripts or admin routes: plan types, settings) is reported at low confidence, saying so;
    on a table that grows, the message names what inserts into it (`orders grows with every
    POST /orders`).
    """

    meta = RuleMeta(
        id="SC-DB-004",
        name="unbounded-list-query",
        category="database",
        severity="high",
        title="Unbounded list query reachable from a route",
        effort="hours",
        scope="local",
        confidence="high",
        impact="Response size, memory and query time grow with the table; one large tenant stalls the pool.",
        ecosystems=("node", "python"),
        references=(
            "https://www.prisma.io/docs/orm/prisma-client/queries/pagination",
            "https://use-the-index-luke.com/no-offset",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        sqlite: bool | None = None
        for access in model.all(DataAccess):
            # Django rejects negative slices itself; other ORMs pass a negative limit through
            if access.limit_bound == "clamped" and access.limit_floor is False and access.orm != "django":
                if sqlite is None:
                    sqlite = _sqlite_only(model)
                if sqlite and model.role(access.loc.file).reportable:
                    yield from self._no_floor(model, access)
                continue
            if access.has_limit is not False or not model.role(access.loc.file).reportable:
                continue
            if not access.model or access.model == "?":
                continue  # a query the extractor could not tie to a table is no evidence
            raw_dump = access.kind == "raw" and access.operation == "select" and not access.filter_fields
            if access.kind != "read-many" and not raw_dump:
                continue
            if access.aggregate or access.in_list_bounded or access.in_cache_loader:
                continue  # one row per group, an aggregate, a list bounded by its ids, a cache miss
            if access.loop is not None and access.loop.uses_item:
                continue  # a per-item lookup: SC-DB-003 reports the loop
            if unique_filter(model, access):
                continue
            routes = model.routes_reaching(access.function_id)
            if not routes:
                continue
            filtered = bool(access.filter_fields or access.related_filters or access.opaque_filter)
            reads = tuple(r for r in routes if r.method not in WRITE_METHODS)
            if not reads and filtered:
                # a write (POST, mutation) loading the rows it works on: bounded by the parent,
                # and not returned to a client page by page
                continue
            routes = reads or routes
            rec, snippet, lang = list_limit_fix(access.orm)
            if access.filter_fields:
                scope = f"every row matching {', '.join(access.filter_fields)}"
            elif access.related_filters:
                scope = f"every row matching its join filter ({', '.join(access.related_filters)})"
            elif filtered:
                scope = "every row matching its filter"
            else:
                scope = "the whole table (no filter)"
            # a catalog table stays small; name what grows (in this query's service)
            growth = model.growth.of(access.model, near=access)
            yield self.hit(
                access.loc,
                message=(
                    f"{describe(access)} returns {scope} with no limit; it serves {routes_text(routes)}."
                    + (f" {growth.sentence()}" if growth.sentence() else "")
                ),
                recommendation=f"{rec} ({orm_label(access.orm)})",
                fix_snippet=snippet,
                fix_language=lang,
                # one parent's children (Order.payments, lines of an order) or a list under a
                # GraphQL field resolver: bounded by that parent more often than not
                confidence=(
                    "low"
                    if _CONFIG_TABLE.search(access.model or "") or growth.catalog
                    else "low"
                    if filtered
                    and (
                        _parent_scoped(model, access)
                        or _lookup_like(access)
                        or all(r.method == "FIELD" for r in routes)
                    )
                    else "medium"
                    if raw_dump or filtered
                    else "high"
                ),
            )

    def _no_floor(self, model: ProjectModel, access: DataAccess) -> Iterator[Hit]:
        """A limit clamped above but not below on SQLite, which reads ``LIMIT -1`` as none."""
        routes = model.routes_reaching(access.function_id)
        if not routes:
            return
        yield self.hit(
            access.loc,
            message=(
                f"{describe(access)} clamps its limit from above only (`min(n, 100)`): a negative "
                f"value from the request passes, and SQLite reads a negative LIMIT as no limit; it "
                f"serves {routes_text(routes)}."
            ),
            recommendation="Clamp the limit from below too: `Math.max(1, Math.min(n, 100))` "
            "(`max(1, min(n, 100))` in Python), or validate it as a positive integer.",
            severity="low",
            confidence="low",
        )


#: modules of databases that reject a negative LIMIT
_OTHER_SQL_MODULES = ("pg", "postgres", "mysql", "mariadb", "neon", "planetscale", "psycopg", "asyncpg")


def _sqlite_only(model: ProjectModel) -> bool:
    """The project's SQL database is SQLite (it imports a SQLite driver and no other)."""
    modules = {imp.module.lower() for imp in model.all(Import)}
    parts = {p for m in modules for p in m.replace("@", "/").replace("-", "/").split("/") if p}
    sqlite = any("sqlite" in p or p in {"libsql", "d1"} for p in parts)
    return sqlite and not any(p in _OTHER_SQL_MODULES or p.startswith("postgres") for p in parts)
