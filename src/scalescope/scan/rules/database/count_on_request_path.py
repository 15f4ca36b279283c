"""SC-DB-017 count-on-request-path."""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence

from scalescope.model.facts import DataAccess, Route
from scalescope.model.fanout import parent_set
from scalescope.model.growth import GROWS, GROWS_WITH_TIME
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._fixes import count_use_fix
from scalescope.scan.rules.database._helpers import (
    describe,
    is_python,
    read_kind,
    routes_text,
    unique_filter,
)

_ESTIMATED = frozenset({"estimateddocumentcount", "estimated_document_count"})
#: routes that read: a figure returned by one of them is shown, not acted on
_READ_METHODS = frozenset({"GET", "QUERY", "ANY", "FIELD"})
_FEEDS = {
    "identifier": "builds a number from it (the count plus one)",
    "limit": "compares it with a limit (an availability or quota check)",
    "returned": "returns it as a figure (a badge or a total)",
}


class CountOnRequestPath(Rule):
    """A COUNT(*) of a growing table, on the request path, feeds a number, a limit check or a
    badge.

    ## What it finds
    A count (`count()`, `countDocuments()`, `countBy`, Knex/Drizzle `count`, Django
    `.count()`, SQLAlchemy `func.count`) in code a mounted route reaches, whose result, in the
    same function, is
    - the base of an identifier or a position: the count plus a number (`n + 1`,
      `` `INV-${n + 1}` ``, `f"INV-{n + 1:05d}"`);
    - compared with a limit other than 0 or 1 (`if (await X.count({ where }) >= plan.max)`):
      an availability or quota check;
    - returned by a read route (GET, a GraphQL query) as a figure: an unread badge, a total.

    Not reported: a count beside a read of the same table in the same function (the total of a
    list: SC-DB-005's case), `count > 0` / `count === 0` (an existence test), counts by a
    unique key, `estimatedDocumentCount()`, counts inside a cache loader, counts in a loop
    (an N+1), counts reached only from jobs or scripts, and counts of catalog tables (written
    only by seeds, migrations or admin routes). A comparison with the size of a list in memory
    (`fetched.length >= n`, `len(rows)`) is no limit. A count that pins one parent (equality
    on a foreign key, on a key column such as `recordId` that leads an index, or on the owner
    key of a related row: `{ digest: { emailAccountId } }`, or a Django related manager) reads
    that parent's rows through an index: a limit or identifier built from it is reported at
    low confidence (it still races), and a figure returned from it, or a limit or identifier
    serialised by a lock (`select_for_update`, an advisory lock, `FOR UPDATE`) or a
    serializable transaction, is not reported. A count
    whose filter the scan cannot read (a variable, a spread) or of a table whose growth is
    not known is reported at low confidence.

    A raw `SELECT COUNT(*)` counts too, in any of `pool.query`/`client.query`, `` sql`...` ``
    tags (postgres.js, Drizzle `` db.execute(sql`...`) ``, slonik
    `` sql.type(Row)`...` ``/`sql.unsafe`), Prisma `$queryRaw`/`Prisma.sql`/`$queryRawUnsafe`,
    `knex.raw`, `sequelize.query`, `cursor.execute`, SQLAlchemy `execute(text(...))`,
    asyncpg `fetch`/`fetchrow`, `databases` `fetch_all`, Django `Model.objects.raw` and
    `connection.cursor().execute`; its value is followed from the executor that runs the tag
    (`` pool.oneFirst(sql`...`) ``).

    ## Why it matters at scale
    An exact count visits every matching row on every call: in PostgreSQL an index-only scan at
    best, a sequential scan of the table at worst, and the table grows with every insert, so
    the endpoint slows down with the data. A number taken from a count also races: two
    requests that count at the same time get the same number (a duplicate invoice number, or a
    unique-constraint error), and a quota checked by counting lets two concurrent requests both
    pass the check and exceed the limit.

    ## Example
    ```ts
    const n = await prisma.invoice.count();
    await prisma.invoice.create({ data: { number: `INV-${n + 1}`, ...input } });
    ```

    ## Use instead
    ```ts
    const { next } = await prisma.counter.update({ where: { key: "invoice" },
                                                   data: { next: { increment: 1 } } });
    ```
    A sequence or autoincrement column for identifiers; `exists`/`findFirst` with an offset of
    `max - 1`, or a counter column updated atomically, for limits; a counter column or a
    cached count for figures.

    ## Known problems
    The count's value is followed inside its function only: a count returned by a service and
    compared or incremented by its caller is not seen. A count cached by an HTTP cache or a
    CDN in front of the route is not seen. A limit check whose limit is a small constant
    (`>= 3`) is reported like any other when the count spans the table.
    """

    meta = RuleMeta(
        id="SC-DB-017",
        name="count-on-request-path",
        category="database",
        severity="medium",
        title="Count of a growing table feeds an identifier, a limit or a badge",
        effort="hours",
        scope="local",
        confidence="medium",
        impact="Each request counts every matching row; numbers and limits built from counts also race.",
        ecosystems=("node", "python"),
        references=(
            "https://wiki.postgresql.org/wiki/Count_estimate",
            "https://www.postgresql.org/docs/current/sql-createsequence.html",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        read_models: dict[str, set[str]] = defaultdict(set)
        counts: list[DataAccess] = []
        for access in model.all(DataAccess):
            if not access.function_id:
                continue
            if read_kind(access) == "read-many" and access.model:
                read_models[access.function_id].add(_norm(access.model))
            if (
                access.count_use
                and access.aggregate in {"count", ""}
                and model.role(access.loc.file).reportable
            ):
                counts.append(access)
        for access in counts:
            fid = access.function_id or ""
            if (
                access.loop is not None
                or access.in_cache_loader
                or access.operation.lower() in _ESTIMATED
                or (access.model and _norm(access.model) in read_models[fid])
                or unique_filter(model, access)
            ):
                continue
            routes: Sequence[Route] = model.routes_reaching(fid)
            if access.count_use == "returned":
                routes = [r for r in routes if r.method.upper() in _READ_METHODS]
            if not routes:
                continue
            growth = model.growth.of(access.model, near=access)
            if growth.catalog:
                continue
            narrowed = _narrowed(model, access)
            if narrowed and (access.count_use == "returned" or access.count_guard):
                continue  # one parent's rows through an index, and nothing races
            grows = growth.kind in {GROWS, GROWS_WITH_TIME} and not access.opaque_filter
            yield self._hit(access, routes, growth.sentence(), narrowed, grows)

    def _hit(self, access: DataAccess, routes: Sequence[Route], growth: str, parent: str, grows: bool) -> Hit:
        use = access.count_use
        fix = count_use_fix(access.orm, use, is_python(access))
        if parent:
            rows = f"counts {parent} (through an index: cheap until one parent has very many)"
        elif access.filter_fields or access.opaque_filter or access.related_filters or access.via_relation:
            fields = ", ".join(access.filter_fields) or "a filter"
            rows = f"counts every row matching {fields} (no indexed key of one parent narrows it)"
        else:
            rows = "counts the whole table"
        race = (
            {}
            if access.count_guard
            else {
                "identifier": " Two requests that count at once get the same number (duplicates or "
                "a unique-constraint error).",
                "limit": " Two requests that count at once both pass the check and exceed the limit.",
            }
        ).get(use, "")
        return self.hit(
            access.loc,
            message=(
                f"{describe(access)} {rows} and {_FEEDS[use]}, on every request of "
                f"{routes_text(routes)}. " + (growth + " " if growth else "") + race.strip()
            ).strip(),
            recommendation=fix.advice,
            fix_snippet=fix.snippet,
            fix_language=fix.language,
            confidence=None if grows and not parent else "low",
            heat=len(routes),
        )


def _norm(name: str) -> str:
    return name.lower().rstrip("s")


_KEY = re.compile(r"(?:_id|Id|ID)$")


def _narrowed(model: ProjectModel, access: DataAccess) -> str:
    """What narrows the count to one parent's rows through an index, as words for the
    message, or ``""``: a foreign key of one parent (:func:`parent_set`), a key column
    (``recordId``, ``to_user_id``) compared by equality that leads an index of the table, or
    a relation filtered by its owner's key (``{ digest: { emailAccountId } }``)."""
    parent = parent_set(model, dataclasses.replace(access, kind="read-many"))
    if parent is not None:
        return parent.what
    weak = {f.lower() for f in (*access.in_fields, *access.range_fields, *access.unselective_fields)}
    keys = [f for f in access.filter_fields if f.lower() not in weak and _KEY.search(f)]
    if keys:
        for table in model.find_tables(access.model, near=access, closest=False):
            indexed = model.indexed_prefixes(table, access.filter_fields, use="equality")
            led = [k for k in keys if k.lower() in indexed or _snake(k) in indexed]
            if led:
                return f"the rows of one `{led[0]}` (an indexed key)"
    for related in access.related_filters:
        relation, _, column = related.partition(".")
        if column and "." not in column and (_KEY.search(column) or column.lower() == "id"):
            return f"the rows of one `{column}` through `{relation}`"
    return ""


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
