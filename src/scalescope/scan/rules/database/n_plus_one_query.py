"""SC-DB-003 n-plus-one-query."""

from __future__ import annotations

import re
from collections.abc import Iterator

from scalescope.model.facts import DataAccess, GraphQLListType, Loc, Route
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._helpers import access_text, describe, is_read, is_serving_path, orm_label

SMALL_LITERAL = 10
# Prisma batches these when issued in the same tick (as sibling field resolvers are).
# the query takes a list of keys: ``in: batch``, ``id__in=chunk``, ``In(ids)``, ``inArray``,
# ``whereIn``, ``.in_()``, ``= ANY($1)``
_BATCH_FILTER = re.compile(
    r"\bin\s*:\s*[\w$\[]|__in\s*=|\bIn\(|\binArray\(|\bwhereIn\(|\.in_\(|=\s*ANY\s*\(|\$in\s*:"
)
_PRISMA_BATCHED = frozenset({"findUnique", "findUniqueOrThrow"})

# orm -> (recommendation, fix snippet, language)
FIXES: dict[str, tuple[str, str, str]] = {
    "prisma": (
        "Load the related rows in one query: `include` the relation on the parent query, or fetch them "
        "all with an `in` filter and join in memory.",
        "const posts = await prisma.post.findMany({ where: { authorId: { in: users.map((u) => u.id) } } });\n"
        "const byAuthor = Map.groupBy(posts, (p) => p.authorId);",
        "ts",
    ),
    "typeorm": (
        "Load the relation with the parent (`relations: [...]` / `leftJoinAndSelect`) or fetch all rows "
        "at once with `In(ids)`.",
        "const posts = await this.postRepository.find({ where: { authorId: In(users.map((u) => u.id)) } });",
        "ts",
    ),
    "sequelize": (
        "Eager-load with `include` on the parent query, or fetch all rows with `Op.in` and group in memory.",
        "const posts = await Post.findAll({ where: { authorId: { [Op.in]: users.map((u) => u.id) } } });",
        "ts",
    ),
    "mongoose": (
        "Use `populate()` on the parent query or one `find({ _id: { $in: ids } })` and join in memory.",
        "const authors = await User.find({ _id: { $in: posts.map((p) => p.author) } }).lean();",
        "ts",
    ),
    "mongodb": (
        "Fetch all documents with one `$in` query (or a `$lookup` stage) instead of one per item.",
        "const docs = await db.collection('users').find({ _id: { $in: ids } }).toArray();",
        "ts",
    ),
    "knex": (
        "Fetch all rows with one `whereIn` (or a join) and group them in memory.",
        "const rows = await knex('posts').whereIn('author_id', users.map((u) => u.id));",
        "ts",
    ),
    "drizzle": (
        "Use a relational query with `with`, or one `inArray` query, instead of a query per item.",
        "const rows = await db.select().from(posts).where(inArray(posts.authorId, ids));",
        "ts",
    ),
    "supabase": (
        "Fetch all rows with one `.in()` filter (or embed the relation in `select`) instead of per item.",
        "const { data } = await supabase.from('posts').select('*').in('author_id', ids);",
        "ts",
    ),
    "sqlalchemy": (
        "Eager-load with `selectinload`/`joinedload`, or one `IN` query, instead of a query per item.",
        "stmt = select(User).options(selectinload(User.posts))",
        "python",
    ),
    "django": (
        "Use `select_related` (FK) or `prefetch_related` (reverse/many-to-many) on the parent queryset.",
        "orders = Order.objects.select_related('customer').prefetch_related('items')",
        "python",
    ),
}
GENERIC = (
    "Batch the lookups: one query with an IN list (or a join), or a DataLoader that collects the keys "
    "of one tick into a single query.",
    "const rows = await db.query('SELECT * FROM posts WHERE author_id = ANY($1)', [ids]);",
    "ts",
)
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
    keys (`for (const batch of chunk(ids, 500))` ... `{ id: { in: batch } }`).

    In GraphQL the loop is the executor: a field resolver of a type (`Product.reviews`,
    `@ResolveField()`, graphene `resolve_reviews`, a resolver-map `Book: { author }` entry)
    runs once per object of that type in the response. A read query in such a resolver fires
    when the schema serves the type in a list or connection (`[Book!]!`, `graphene.List(...)`,
    `@Field(() => [Book])`, `list[Book]`); DataLoader calls (`loader.load(id)`) and Prisma
    `findUnique` (batched by Prisma's own dataloader within a tick) do not.

    ## Why it matters at scale
    The number of round trips grows with the data: a page of 50 orders costs 51 queries, and
    each round trip holds a pooled connection for its latency. At a few hundred requests per
    second the pool saturates on round-trip latency alone, and p99 grows with the largest
    collection any user has.

    ## Example
    ```ts
    const users = await prisma.user.findMany({ take: 50 });
    for (const user of users) {
      user.posts = await prisma.post.findMany({ where: { authorId: user.id } });
    }
    ```

    ## Use instead
    ```ts
    const users = await prisma.user.findMany({ take: 50, include: { posts: true } });
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
    queries is missed. A loop over a collection known to be tiny but not written as a literal
    still fires (suppress it with a reason).
    """

    meta = RuleMeta(
        id="SC-DB-003",
        name="n-plus-one-query",
        category="database",
        severity="high",
        title="Query inside a loop (N+1 queries)",
        effort="hours",
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
        for access in model.all(DataAccess):
            loop = access.loop
            if loop is None or access.batched or not is_read(access) or access.function_id is None:
                continue
            if loop.kind == "while" or loop.uses_item is False:
                continue
            if loop.literal_size is not None and loop.literal_size <= SMALL_LITERAL:
                continue
            if _chunked(model, access, loop.line):
                continue  # one IN query per chunk of keys is the cure for N+1, not a case of it
            if not is_serving_path(access.loc.file):
                continue
            loop_word = _LOOP_WORDS.get(loop.kind, f"{loop.kind} loop")
            rec, snippet, lang = FIXES.get(access.orm, GENERIC)
            yield self.hit(
                access.loc,
                message=(
                    f"{describe(access)} runs once per item of the {loop_word} at line {loop.line}: "
                    f"1 + N queries, one round trip per {access.model or 'row'} lookup."
                ),
                recommendation=f"{rec} ({orm_label(access.orm)})",
                fix_snippet=snippet,
                fix_language=lang,
                confidence="high" if loop.uses_item else "medium",
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
            if not is_serving_path(access.loc.file):
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
                direct = handler is not None and _inside(model, access.function_id, handler.id)
                python = access.loc.file.endswith(".py")
                yield self.hit(
                    access.loc,
                    message=(
                        f"{describe(access)} runs in the GraphQL field resolver {route.path} "
                        f"({route.loc.file}:{route.loc.line}), once per {type_name} object: "
                        f"{type_name} is served as a list ({evidence.loc.file}:{evidence.loc.line}), "
                        f"so a list of N costs 1 + N queries."
                    ),
                    recommendation=(
                        "Batch the lookups of one request with a DataLoader keyed by the parent id "
                        "(strawberry.dataloader / a promise DataLoader for graphene), or prefetch the "
                        "relation on the parent query."
                        if python
                        else "Batch the lookups of one request with a DataLoader (the `dataloader` "
                        "package, one instance per request in the context) keyed by the parent id."
                    ),
                    fix_snippet=(
                        "async def load_reviews(keys: list[int]) -> list[list[Review]]:\n"
                        "    rows = Review.objects.filter(product_id__in=keys)\n"
                        "    ...  # group rows by product_id, return in key order\n"
                        "loader = DataLoader(load_fn=load_reviews)  # per request"
                        if python
                        else "const authorLoader = new DataLoader(async (ids: readonly string[]) => {\n"
                        "  const rows = await prisma.author.findMany({ where: { id: { in: [...ids] } } });\n"
                        "  return ids.map((id) => rows.find((r) => r.id === id) ?? null);\n"
                        "});"
                    ),
                    fix_language="python" if python else "ts",
                    confidence="medium" if direct and not access.via_relation else "low",
                )
                break


def _inside(model: ProjectModel, function_id: str, outer_id: str) -> bool:
    """``function_id`` is ``outer_id`` or a function nested in it (a callback)."""
    current: str | None = function_id
    while current is not None:
        if current == outer_id:
            return True
        parent = model.enclosing_function(current)
        current = parent.id if parent is not None else None
    return False


_LOOP_VARS = re.compile(
    r"\bfor\s*\(\s*(?:const|let|var)\s+([\w$]+)\s+of\b"  # for (const chunk of chunks)
    r"|\bfor\s+([\w, ]+?)\s+in\b"  # for chunk in chunks / for i, chunk in ...
    r"|\.(?:map|forEach|flatMap)\(\s*(?:async\s*)?\(?\s*([\w$]+)"  # chunks.map((chunk) =>
)


def _chunked(model: ProjectModel, access: DataAccess, loop_line: int) -> bool:
    """The loop item is itself a list of keys handed to one IN query (``for (const batch of
    chunk(ids, 500)) findMany({ where: { id: { in: batch } } })``)."""
    names: set[str] = set()
    for m in _LOOP_VARS.finditer(model.line_text(access.loc.file, loop_line)):
        for group in m.groups():
            if group:
                names.update(n.strip() for n in group.split(",") if n.strip())
    if not names:
        return False
    text = access_text(model, access)
    for m in _BATCH_FILTER.finditer(text):
        tail = text[m.start() : m.end() + 40]
        if any(re.search(rf"(?<![\w$.]){re.escape(n)}\b", tail) for n in names):
            return True
    return False
