"""SC-DB-004 unbounded-list-query."""

from __future__ import annotations

import re
from collections.abc import Iterator

from scalescope.model.facts import DataAccess
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._helpers import (
    WRITE_METHODS,
    access_text,
    describe,
    is_serving_path,
    orm_label,
    routes_text,
    unique_filter,
)

FIXES: dict[str, tuple[str, str, str]] = {
    "prisma": (
        "Add `take` (and a `cursor` or `skip`) with a stable `orderBy`.",
        "await prisma.order.findMany({\n  where,\n  orderBy: { id: 'asc' },\n  take: 50,\n"
        "  ...(cursor && { cursor: { id: cursor }, skip: 1 }),\n});",
        "ts",
    ),
    "typeorm": (
        "Pass `take` (plus `skip` or a keyset `where`) and an `order`; on a QueryBuilder call `.take(n)`.",
        "await this.orderRepository.find({ where, order: { id: 'ASC' }, take: 50 });",
        "ts",
    ),
    "sequelize": (
        "Pass `limit` (and `offset` or a keyset `where`) with an `order`.",
        "await Order.findAll({ where, order: [['id', 'ASC']], limit: 50 });",
        "ts",
    ),
    "mongoose": (
        "Chain `.limit(n)` with a `.sort()` (and a range filter on the sort key for the next "
        "page); add `.lean()`.",
        "await Order.find(filter).sort({ _id: 1 }).limit(50).lean();",
        "ts",
    ),
    "mongodb": (
        "Chain `.limit(n)` with a `.sort()` before `.toArray()`.",
        "await db.collection('orders').find(filter).sort({ _id: 1 }).limit(50).toArray();",
        "ts",
    ),
    "knex": (
        "Add `.limit(n)` with an `.orderBy()` (keyset pagination on the sort key).",
        "await knex('orders').where(filter).orderBy('id').limit(50);",
        "ts",
    ),
    "drizzle": (
        "Add `.limit(n)` with an `orderBy`.",
        "await db.select().from(orders).orderBy(orders.id).limit(50);",
        "ts",
    ),
    "supabase": (
        "Bound the request with `.range(from, to)` or `.limit(n)`.",
        "await supabase.from('orders').select('*').order('id').range(0, 49);",
        "ts",
    ),
    "sqlalchemy": (
        "Apply `.limit()` (keyset pagination on an indexed column) to the select.",
        "stmt = select(Order).order_by(Order.id).where(Order.id > after).limit(50)",
        "python",
    ),
    "django": (
        "Slice the queryset (`[:50]`) or use a Paginator / DRF pagination class.",
        "orders = Order.objects.filter(...).order_by('id')[:50]",
        "python",
    ),
}
GENERIC = (
    "Add a LIMIT (keyset pagination on an indexed column) and return a page plus a cursor.",
    "SELECT * FROM orders WHERE id > $1 ORDER BY id LIMIT 50",
    "sql",
)


# a filter whose fields are not literal keywords: ``filter(lookup)``, ``filter(Q(...))``,
# ``filter(**kwargs)``, ``where(cond)``, ``where: buildWhere()``
_OPAQUE_FILTER = re.compile(
    r"\.(?:filter|exclude|where|andWhere)\(\s*[^)\s]|\bwhere\s*:\s*[A-Za-z_(]"
    # ``{ select, where }`` (a variable) and ``where: { ...(slug ? { slug } : {}) }`` (spread)
    r"|[{,]\s*where\s*[,}]|\bwhere\s*:\s*\{\s*\.\.\."
    # ``where: { OR: events.map((e) => ({ ... })) }``: conditions built from a list
    r"|\b(?:OR|AND|\$or|\$and)\s*:\s*[A-Za-z_$][\w$.]*\s*\.\s*(?:map|flatMap|filter)\("
    # a filter object built beforehand: ``Model.find(query)``, ``collection.find(filter, opts)``
    r"|\.find(?:All)?\(\s*(?!undefined\b|null\b)[A-Za-z_$][\w$]*\s*[,)]"
    # TypeORM inner join on a bound parameter: ``.innerJoin('v.collections', 'c', 'c.id = :id', ...)``
    r"|\.innerJoin\w*\([^)]*=\s*:\w"
)


# one row per group, not per table row
_GROUPED = re.compile(r"\.groupBy\(|\bGROUP\s+BY\b|\.group_by\(|\.annotate\(", re.IGNORECASE)
# ``cache.get(key, async () => repo.find())``, ``cache.wrap(...)``, ``get_or_set(key, lambda: ...)``
_CACHE_LOADER = re.compile(r"(?i)cache\w*\s*\.\s*(?:get|wrap|remember|fetch|get_or_set)\w*\s*\(|get_or_set\(")


_BUILDER_RUN = re.compile(
    r"\b([A-Za-z_$][\w$]*)\s*\.\s*(?:getMany|getRawMany|getManyAndCount|execute|all|iterator|values|values_list)\("
)


def _has_opaque_filter(model: ProjectModel, access: DataAccess) -> bool:
    text = access_text(model, access)
    if _OPAQUE_FILTER.search(text):
        return True
    # a builder refined by earlier statements: ``if (x) { qb.where(...) } ... qb.getMany()``
    run = _BUILDER_RUN.search(text)
    fn = model.functions.get(access.function_id or "")
    if run is None or fn is None:
        return False
    before = "\n".join(model.source_lines(access.loc.file)[fn.loc.line - 1 : access.loc.line - 1])
    var = re.escape(run.group(1))
    if re.search(rf"\b{var}\s*\.\s*(?:where|andWhere|orWhere|filter|whereIn)\(", before):
        return True
    # ``rules = (Model.objects.filter(...) ...)`` assigned earlier in the function
    assigned = list(re.finditer(rf"(?m)^\s*{var}\s*(?::[^=\n]+)?=(?!=)", before))
    return bool(assigned) and _OPAQUE_FILTER.search(before[assigned[-1].end() :]) is not None


_FK_NAME = re.compile(r"(?:_id|Id|ID)$")
_FLAGS = frozenset({"deletedat", "deleted_at", "is_deleted", "deleted", "active", "is_active", "enabled"})


def _parent_scoped(model: ProjectModel, access: DataAccess) -> bool:
    """Every filter narrows to one parent (a foreign key or a relation), flags aside:
    ``where: { order: { id } }``, ``filter(order_id=...)``, ``root.items.filter(...)``."""
    fields = [f for f in access.filter_fields if f.lower() not in _FLAGS]
    if access.via_relation:
        return True
    return bool(fields) and all(_FK_NAME.search(f) or model.find_tables(f) for f in fields)


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


def _in_cache_loader(model: ProjectModel, access: DataAccess) -> bool:
    """The query runs in a callback handed to a cache (``cache.get(key, () => ...)``): it runs
    on a miss, not on every request."""
    fn = model.functions.get(access.function_id or "")
    if fn is None or (fn.name and fn.name not in {"<anonymous>", "<lambda>"}):
        return False
    return bool(_CACHE_LOADER.search(model.line_text(fn.loc.file, fn.loc.line)))


class UnboundedListQuery(Rule):
    """List queries reachable from a route with no limit.

    ## What it finds
    A read-many query (`findMany`, `find`, `findAll`, `.select()`, `objects.filter`...) with no
    `take`/`limit`/slice/range, in a function a route handler reaches (directly or through the
    service layer). Queries with a limit, single-row reads, counts, queries filtered by a
    primary key or unique column (`where: { id: { in: ids } }`), and queries only run by
    scripts, seeds, jobs or tests do not fire. Raw SQL fires only for a `SELECT` with no
    `WHERE`, `LIMIT` or aggregate.

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
        confidence="high",
        impact="Response size, memory and query time grow with the table; one large tenant stalls the pool.",
        ecosystems=("node", "python"),
        references=(
            "https://www.prisma.io/docs/orm/prisma-client/queries/pagination",
            "https://use-the-index-luke.com/no-offset",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        for access in model.all(DataAccess):
            if access.has_limit is not False or not is_serving_path(access.loc.file):
                continue
            raw_dump = access.kind == "raw" and access.operation == "select" and not access.filter_fields
            if access.kind != "read-many" and not raw_dump:
                continue
            if access.loop is not None and access.loop.uses_item:
                continue  # a per-item lookup: SC-DB-003 reports the loop
            if unique_filter(model, access):
                continue
            if _GROUPED.search(access_text(model, access)) or _in_cache_loader(model, access):
                continue
            routes = model.routes_reaching(access.function_id)
            if not routes:
                continue
            filtered = bool(access.filter_fields) or _has_opaque_filter(model, access)
            reads = tuple(r for r in routes if r.method not in WRITE_METHODS)
            if not reads and filtered:
                # a write (POST, mutation) loading the rows it works on: bounded by the parent,
                # and not returned to a client page by page
                continue
            routes = reads or routes
            rec, snippet, lang = FIXES.get(access.orm, GENERIC)
            if access.filter_fields:
                scope = f"every row matching {', '.join(access.filter_fields)}"
            elif filtered:
                scope = "every row matching its filter"
            else:
                scope = "the whole table (no filter)"
            growth = model.growth.of(access.model)  # a catalog table stays small; name what grows
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
