"""SC-DB-003 n-plus-one-query."""

from __future__ import annotations

from collections.abc import Iterator

from scalescope.model.facts import DataAccess, GraphQLListType, Loc, Route
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._fixes import dataloader_fix, n_plus_one_fix
from scalescope.scan.rules.database._helpers import (
    describe,
    input_limits,
    inside_function,
    is_read,
    loop_size,
    orm_label,
)

SMALL_LITERAL = 10
_PRISMA_BATCHED = frozenset({"findUnique", "findUniqueOrThrow"})

_LOOP_WORDS = {
    "for": "for loop",
    "while": "while loop",
    "map": ".map() callback",
    "forEach": ".forEach() callback",
    "comprehension": "comprehension",
}


class NPlusOneQuery(Rule):
    """A query runs once per item of a collection (N+1 queries).

    ## What it finds
    A read query (find, findUnique, findOne, count, a raw SELECT...) inside a `for` loop,
    `.map()`/`.forEach()` callback or Python loop/comprehension that iterates data, with the
    iterated item (or a value derived from it in the loop body) flowing into the query's
    arguments. Loops over a small literal list (`for (const role of ["admin", "user"])`), writes,
    `while` loops (batch paging), Prisma `findUnique` calls issued together in
    `Promise.all(ids.map(...))` (Prisma's dataloader merges them into one query) and eager loads
    (`include`, `populate`, `select_related`) do not fire, nor does one `IN` query per chunk of
    keys (`for (const batch of chunk(ids, 500))` ... `{ id: { in: batch } }`). A Django related
    manager read on a loop item (`org.projects.all()`, no filter) is served from memory when
    the loop's source loaded that relation: `prefetch_related`/`select_related` paths, nested
    ones (`"projects__environments"` covers `org.projects.all()` and, in a loop over it,
    `project.environments.all()`), `Prefetch("a__b")` objects (not with `to_attr`, which keeps
    the rows in another attribute), also on a queryset handed in as a parameter or prefetched in
    an earlier statement. In Prisma, Sequelize and SQLAlchemy an included relation is read as
    an attribute, which is no query; an explicit query in the loop still runs, and fires.

    How big the loop is decides the confidence; the extractors record what each loop iterates
    (`Loop.iterates`). Over the rows of a query (or a request list declared with more than 100
    items) it is high and the message names the source, unless the query declares a limit of at
    most 10 rows (`take: 5`, `.limit(10)`, `LIMIT 3`, a name bound to a constant such as
    `.limit(TOP)` with `TOP = 5`, the maximum of a clamp `Math.min(n, 10)`): then N is a handful,
    and it is low with the limit's place. A listing page (`take: 50`) stays high: its N+1 is
    paid on every request of the list. It is low too when that query reads the children of one
    parent: equality on a foreign key or relation (`where: { projectId }`,
    `filter(routine=routine)`, `{ user: { id } }`) or a relation accessor of one object
    (`routine.days.all()`). Then N is that parent's fan-out (the projects of one organisation,
    the days of one routine) and the message names the parent and the key: judged blind on 24
    real backends, such loops were true N+1 problems 3 times in 15. A foreign key to a catalog
    table (a plan type, a category) is no parent, nor is an `IN` list of parents, a list
    relation or a column of the related row other than its key; and a loop over one parent's
    children run for each item of a loop over many parents (`for org in orgs: for project in
    org.projects.all()`) goes over the children of all of them. A request list with no
    declared maximum
    (`req.body.items`, a DTO or pydantic list field) and a collection whose source is not traced
    (a parameter, a set computed from a diff, a callback's batch) are low: judged blind on real
    backends, such loops were true N+1 problems about one time in three, against five in seven
    over a query's rows. Over a collection bounded by construction it is low and says why: items parsed
    from one value (a regex `match`/`matchAll`, `re.findall`, a `.split()` that does not cut
    lines, `extractMentions(body)`), a constant list or enum (`Object.values(Role)`,
    `for s in Status`), a slice (`.slice(0, 5)`, `[:5]`, `range(5)`), a request list declared
    with at most 100 items (zod `.max(20)`, class-validator `@ArrayMaxSize(20)`, pydantic
    `Field(max_length=20)`/`conlist`, usually in another file), or the rows of a catalog table
    (inserted only by admin routes, seeds or migrations). The lines of a text (a file, an
    upload) are not bounded.

    In GraphQL the loop is the executor: a field resolver of a type (`Product.reviews`,
    `@ResolveField()`, graphene `resolve_reviews`, a resolver-map `Book: { author }` entry)
    runs once per object of that type in the response. A read query in such a resolver fires
    when the schema serves the type in a list or connection (`[Book!]!`, `graphene.List(...)`,
    `@Field(() => [Book])`, `list[Book]`); DataLoader calls (`loader.load(id)`) and Prisma
    `findUnique` (batched by Prisma's own dataloader within a tick) do not.

    Raw SQL is read as queries too: a `SELECT` in any of `pool.query`/`client.query`,
    `` sql`...` `` tags (postgres.js, Drizzle `` db.execute(sql`...`) ``, slonik
    `` sql.type(Row)`...` ``/`sql.unsafe`), Prisma `$queryRaw`/`Prisma.sql`/`$queryRawUnsafe`,
    `knex.raw`, `sequelize.query`, `cursor.execute`, SQLAlchemy `execute(text(...))`,
    asyncpg `fetch`/`fetchrow`, `databases` `fetch_all`, Django `Model.objects.raw` and
    `connection.cursor().execute` inside the loop fires, and a loop over the rows of such a
    `SELECT` is a loop over query rows (its literal `LIMIT` sizes it).

    ## Why it matters at scale
    The number of round trips grows with the data: a customer's 500 orders cost 501 queries, and
    each round trip holds a pooled connection for its latency. At a few hundred requests per
    second the pool saturates on round-trip latency alone, and p99 grows with the largest
    collection any user has.

    ## Example
    ```ts
    const users = await prisma.user.findMany({ where: { teamId } });
    for (const user of users) {
      user.posts = await prisma.post.findMany({ where: { authorId: user.id } });
    }
    ```

    ## Use instead
    ```ts
    const users = await prisma.user.findMany({ where: { teamId }, include: { posts: true } });
    // or one query with an IN list
    const posts = await prisma.post.findMany({ where: { authorId: { in: users.map((u) => u.id) } } });
    ```
    In Django use `select_related`/`prefetch_related`; in SQLAlchemy `selectinload`. In a
    GraphQL field resolver, batch the lookups of one request with a DataLoader:
    ```ts
    const authorLoader = new DataLoader(async (ids) => {
      const rows = await prisma.author.findMany({ where: { id: { in: [...ids] } } });
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    });
    ```

    ## Known problems
    Only loops in the same function as the query are seen: a loop that calls a helper which
    queries is missed. A loop over a collection that is small in practice (admin-configured
    rows of a table users also write, ids from one stored record) but not shown small by the
    code still fires at its usual confidence (suppress it with a reason). A declared maximum is
    matched to the loop by the request field's name.
    """

    meta = RuleMeta(
        id="SC-DB-003",
        name="n-plus-one-query",
        category="database",
        severity="high",
        title="Query inside a loop (N+1 queries)",
        effort="hours",
        scope="local",
        confidence="high",
        impact="Round trips grow with the collection size; pooled connections are held per item.",
        ecosystems=("node", "python"),
        references=(
            "https://www.prisma.io/docs/orm/prisma-client/queries/query-optimization-performance",
            "https://docs.djangoproject.com/en/stable/topics/db/optimization/",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        yield from self._field_resolvers(model)
        limits = input_limits(model)
        for access in model.all(DataAccess):
            loop = access.loop
            if loop is None or access.batched or not is_read(access) or access.function_id is None:
                continue
            if loop.kind == "while" or loop.uses_item is False:
                continue  # paging loops; one IN query per chunk of keys (the cure for N+1)
            if loop.literal_size is not None and loop.literal_size <= SMALL_LITERAL:
                continue
            if not model.role(access.loc.file).reportable:
                continue
            loop_word = _LOOP_WORDS.get(loop.kind, f"{loop.kind} loop")
            over, confidence = loop_size(loop, limits, model, access)
            fix = n_plus_one_fix(access.orm, access.model, access.filter_fields)
            per = f"one round trip per {access.model or 'row'} lookup"
            head = f"{describe(access)} runs once per item of the {loop_word} at line {loop.line}"
            yield self.hit(
                access.loc,
                message=(
                    f"{head}, {per}, but the loop goes over {over}."
                    if confidence == "low"
                    else f"{head}{over}: 1 + N queries, {per}."
                ),
                recommendation=f"{fix.advice} ({orm_label(access.orm)})",
                fix_snippet=fix.snippet,
                fix_language=fix.language,
                confidence=confidence if loop.uses_item or confidence == "low" else "medium",
                # one loop is one cause: its inner queries are places of one finding
                cause=Loc(access.loc.file, loop.line),
                place=f"{describe(access)} in the same {loop_word}",
            )

    def _field_resolvers(self, model: ProjectModel) -> Iterator[Hit]:
        """Read queries in GraphQL field resolvers of types that are served in lists."""
        listed: dict[str, GraphQLListType] = {}
        for fact in model.all(GraphQLListType):
            listed.setdefault(fact.name, fact)
        if not listed or not any(r.method == "FIELD" for r in model.all(Route)):
            return
        for access in model.all(DataAccess):
            if access.loop is not None or access.batched or not is_read(access) or access.function_id is None:
                continue
            if not model.role(access.loc.file).reportable:
                continue
            if access.orm == "prisma" and access.operation in _PRISMA_BATCHED:
                continue  # Prisma's dataloader merges one tick's findUnique calls into one query
            for route in model.routes_reaching(access.function_id):
                if route.method != "FIELD":
                    continue
                handler = model.resolve_handler(route)
                type_name = route.path.split(".", 1)[0]
                evidence = listed.get(type_name) or (
                    listed.get(handler.class_name) if handler is not None and handler.class_name else None
                )
                if evidence is None:
                    continue
                direct = handler is not None and inside_function(model, access.function_id, handler.id)
                loader = dataloader_fix(
                    access.orm, access.model, access.loc.file.endswith(".py"), access.filter_fields
                )
                yield self.hit(
                    access.loc,
                    message=(
                        f"{describe(access)} runs in the GraphQL field resolver {route.path} "
                        f"({route.loc.file}:{route.loc.line}), once per {type_name} object: "
                        f"{type_name} is served as a list ({evidence.loc.file}:{evidence.loc.line}), "
                        f"so a list of N costs 1 + N queries."
                    ),
                    recommendation=loader.advice,
                    fix_snippet=loader.snippet,
                    fix_language=loader.language,
                    confidence="medium" if direct and not access.via_relation else "low",
                )
                break
