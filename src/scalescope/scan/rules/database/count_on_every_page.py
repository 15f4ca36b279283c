"""SC-DB-005 count-on-every-page."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from scalescope.model.facts import DataAccess
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._fixes import page_count_fix
from scalescope.scan.rules.database._helpers import (
    COMBINED_COUNT_OPS,
    describe,
    orm_label,
    read_kind,
    routes_text,
    unique_filter,
)

_ESTIMATED = frozenset({"estimateddocumentcount", "estimated_document_count"})


def _same_model(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    x, y = a.lower().rstrip("s"), b.lower().rstrip("s")
    return x == y


def _same_list(count: DataAccess, page: DataAccess) -> bool:
    """The count counts the rows the page lists: same table, and every column the count
    filters on is one the page filters on too (a count of one post's likes next to a page of
    posts counts another, per-object set)."""
    if not _same_model(page.model, count.model):
        return False
    if page.opaque_filter or count.opaque_filter:
        return True
    return {f.lower() for f in count.filter_fields} <= {f.lower() for f in page.filter_fields}


def _per_parent(model: ProjectModel, access: DataAccess) -> bool:
    """Every filter of the count names one parent (a foreign key or a relation): it counts
    one object's children (a site's goals, a post's likes), a small set more often than not."""
    if access.via_relation:
        return True
    fields = access.filter_fields
    if set(access.in_fields) & set(fields):
        return False  # ``authorId IN (:ids)``: the rows of many parents (a feed), not of one
    return bool(fields) and all(_FK.search(f) or model.find_tables(f) for f in fields)


_FK = re.compile(r"(?:_id|Id|ID)$")


class CountOnEveryPage(Rule):
    """An exact COUNT(*) runs on every page request of a paginated listing.

    ## What it finds
    A count (`count()`, `countDocuments()`, `findAndCount`, `findAndCountAll`,
    `getManyAndCount`, Supabase `count: 'exact'`, Drizzle ``sql`count(*)` ``) of the list an
    offset/page-paginated read-many in the same function returns (same model, and the count
    filters on nothing the page does not), in code a route reaches. Counts next to an
    unpaginated query, a page that fetches one row more than it shows (`take: limit + 1`),
    counts of another set (one post's likes next to a page of comments), counts by a unique
    key, `estimatedDocumentCount()`, and code not reachable from a route do not fire. A count
    of one parent's rows (every filter a foreign key) is reported at low confidence.

    A raw `SELECT COUNT(*)` next to a raw `SELECT ... LIMIT ... OFFSET` of the same table
    counts too, in any of `pool.query`/`client.query`, `` sql`...` `` tags (postgres.js, Drizzle
    `` db.execute(sql`...`) ``, slonik `` sql.type(Row)`...` ``/`sql.unsafe`), Prisma
    `$queryRaw`/`Prisma.sql`/`$queryRawUnsafe`, `knex.raw`, `sequelize.query`,
    `cursor.execute`, SQLAlchemy `execute(text(...))`, asyncpg `fetch`/`fetchrow`,
    `databases` `fetch_all`, Django `Model.objects.raw` and `connection.cursor().execute`.

    ## Why it matters at scale
    A paginated page reads 20 rows, but the exact total must visit every matching row (in
    PostgreSQL an index-only scan at best, a sequential scan at worst) on every request. As the
    table grows the count, not the page, dominates: listing endpoints slow down linearly with
    the data even though they return the same 20 rows, and deep `OFFSET` pages compound it.

    ## Example
    ```ts
    const [items, total] = await Promise.all([
      prisma.article.findMany({ skip: page * 20, take: 20 }),
      prisma.article.count(),
    ]);
    ```

    ## Use instead
    ```ts
    const items = await prisma.article.findMany({ take: 21, cursor, skip: cursor ? 1 : 0,
                                                  orderBy: { id: "desc" } });
    // "next page" = items.length > 20; show "20+" or a cached/estimated total if one is needed
    ```
    Django REST framework: `CursorPagination`; PostgreSQL estimate: `pg_class.reltuples`.

    ## Known problems
    A count that is cached elsewhere (wrapped in a cache helper) is not recognised.
    """

    meta = RuleMeta(
        id="SC-DB-005",
        name="count-on-every-page",
        category="database",
        severity="medium",
        title="Exact count on every page request",
        effort="hours",
        scope="local",
        confidence="medium",
        impact="Each page request scans every matching row to count them; list latency grows with the table.",
        ecosystems=("node", "python"),
        references=(
            "https://use-the-index-luke.com/no-offset",
            "https://wiki.postgresql.org/wiki/Count_estimate",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        by_fn: dict[str, list[DataAccess]] = defaultdict(list)
        for access in model.all(DataAccess):
            if access.function_id and model.role(access.loc.file).reportable:
                by_fn[access.function_id].append(access)
        for fid, accesses in by_fn.items():
            # a page that fetches one row more than it shows knows whether a next page exists:
            # a count beside it is not what drives the pagination
            pages = [a for a in accesses if read_kind(a) == "read-many" and a.paginated and not a.peeks_next]
            for access in accesses:
                op = access.operation.lower()
                combined = (
                    op in COMBINED_COUNT_OPS
                    and (access.paginated or access.has_limit)
                    and not access.peeks_next
                    and not unique_filter(model, access)
                )
                same = [p for p in pages if _same_list(access, p)]
                separate = (
                    read_kind(access) == "count"
                    and access.aggregate in {"count", ""}
                    and op not in _ESTIMATED
                    and access.loop is None
                    and bool(same)
                    and not unique_filter(model, access)
                )
                if not (combined or separate):
                    continue
                routes = model.routes_reaching(fid)
                if not routes:
                    continue
                rec, snippet, lang = page_count_fix(access.orm, access.loc.file.endswith(".py"))
                what = (
                    f"{describe(access)} pages and counts in one call"
                    if combined
                    else f"{describe(access)} counts every matching row next to the paginated query at "
                    f"line {same[0].loc.line}"
                )
                per_parent = _per_parent(model, access)
                yield self.hit(
                    access.loc,
                    message=f"{what}: an exact COUNT(*) on every page request of {routes_text(routes)}"
                    + (
                        f" (it counts the rows of one {', '.join(access.filter_fields)}: cheap until "
                        "one parent has very many)."
                        if per_parent
                        else "."
                    ),
                    recommendation=f"{rec} ({orm_label(access.orm)})",
                    fix_snippet=snippet,
                    fix_language=lang,
                    confidence="low" if per_parent else None,
                )
