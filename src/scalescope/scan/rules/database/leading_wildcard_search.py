"""SC-DB-014 leading-wildcard-search."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from scalescope.model.facts import Column, DataAccess, PatternSearch, Route, Table
from scalescope.model.inputs import LimitSource
from scalescope.model.project import ProjectModel
from scalescope.model.text_search import TextIndex
from scalescope.report.model import Evidence
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._fixes import search_index_fix
from scalescope.scan.rules.database._helpers import describe, routes_text, schema_table, table_column
from scalescope.scan.rules.database._pools import database_of

_READS = frozenset({"read-many", "read-one", "count", "aggregate", "raw"})
#: document stores: a regex search there is another rule's subject, and no trigram index exists
_NOT_SQL = frozenset({"mongoose", "mongodb", "pymongo", "motor", "beanie", "mongoengine"})
#: column types that hold text (a pattern on an array, JSON or number column is no substring search)
_TEXT_TYPE = re.compile(r"string|text|char|citext|email|slug|url|unicode|clob", re.IGNORECASE)
_NOT_TEXT_TYPE = re.compile(r"\[\]|array|json|hstore|vector", re.IGNORECASE)
_BOOLEAN_TYPE = re.compile(r"^(?:[\w.]*\.)?(?:boolean|bool|booleanfield|nullbooleanfield)\b", re.IGNORECASE)
_DATE_TYPE = re.compile(r"date|time", re.IGNORECASE)
#: Django lookups compared on ``UPPER(col)``: the trigram index must be on that expression
_UPPER_LOOKUPS = frozenset({"icontains", "iendswith"})
#: most declared values a column may have to narrow nothing (a status, a flag)
_FEW_VALUES = 10


@dataclass(frozen=True, slots=True)
class _Searched:
    """A searched column of the query with the request field its text comes from."""

    search: PatternSearch
    column: Column
    source: LimitSource


class LeadingWildcardSearch(Rule):
    """A search endpoint matches a substring of a column no trigram or full-text index serves.

    ## What it finds
    A query on a request path that matches a column against text from the request with a
    pattern that starts with a wildcard: Prisma `contains` / `endsWith` (with or without
    `mode: 'insensitive'`), Drizzle and Knex `like` / `ilike` with `` `%${q}%` ``, Sequelize
    `` [Op.iLike]: `%${q}%` `` / `[Op.substring]`, TypeORM `ILike('%...%')` and query-builder
    `` .where("u.name ILIKE :q", { q: `%${q}%` }) ``, Supabase `.ilike()`, Django `__icontains` /
    `__contains` / `__endswith`, SQLAlchemy `.ilike(f"%{q}%")` / `.contains(q)`, and raw SQL
    `LIKE '%' || $1 || '%'` or `ILIKE $1` bound to `%q%`. It is reported when all of these
    hold: a mounted, non-admin route runs the query (directly or through the functions it
    calls); the searched text is traced to the request (the query string, body, a Nest/FastAPI
    parameter, tRPC/GraphQL input, or a parameter a route handler fills from it); the column is
    a text column of a table the project defines; no trigram index (`gin_trgm_ops` /
    `gist_trgm_ops`) nor full-text index (`to_tsvector(...)`, MySQL `FULLTEXT`) covers that
    column, wherever the project declares it (the schema model, SQL migrations, ORM migration
    operations); no other filter of the query narrows the rows first (an equality on a key, a
    foreign key, a tenant or owner column, a join); and the database is PostgreSQL or MySQL
    (on SQLite the scan costs the same, but no index would serve it). Tables only admin routes,
    seeds or migrations write to (catalogs) are left out. Every query searching one table is
    one finding.

    The raw-SQL forms read are `pool.query`/`client.query`, `` sql`...` `` tags (postgres.js,
    Drizzle `` db.execute(sql`...`) ``, slonik `` sql.type(Row)`...` ``/`sql.unsafe`), Prisma
    `$queryRaw`/`Prisma.sql`/`$queryRawUnsafe`, `knex.raw`, `sequelize.query`,
    `cursor.execute`, SQLAlchemy `execute(text(...))`, asyncpg `fetch`/`fetchrow`,
    `databases` `fetch_all`, Django `Model.objects.raw` and `connection.cursor().execute`;
    the statement may be a constant or a concatenation of the same file.

    ## Why it matters at scale
    A b-tree index orders values from their first character, so `LIKE '%term%'` cannot use
    one: every search reads the whole table and compares each row, case-folding it for
    `ILIKE`. At 10k rows that is a few milliseconds; at 10M it is seconds of CPU and I/O per
    keystroke of a search box, repeated for every user typing, and it holds a pooled
    connection all the while. A search endpoint is also public and cheap to call, so it is
    where a table scan meets the most traffic.

    ## Example
    ```ts
    app.get("/users", async (req, res) => {
      const q = String(req.query.q ?? "");
      res.json(await prisma.user.findMany({
        where: { name: { contains: q, mode: "insensitive" } },
        take: 20,
      }));
    });
    ```

    ## Use instead
    A trigram index (PostgreSQL's `pg_trgm`) serves `LIKE` and `ILIKE` with any wildcard:
    ```prisma
    model User {
      // ...
      @@index([name(ops: raw("gin_trgm_ops"))], type: Gin)
    }
    ```
    with `CREATE EXTENSION IF NOT EXISTS pg_trgm;` in the migration. Raw SQL: `CREATE INDEX
    CONCURRENTLY users_name_trgm_idx ON users USING gin (name gin_trgm_ops);`. Django:
    `GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="...")` for `icontains` (it
    compares `UPPER(name)`) and the `TrigramExtension()` migration operation; SQLAlchemy:
    `Index("...", "name", postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"})`.
    For word search, full-text search (a `tsvector` with a GIN index) ranks results; a prefix
    search (`startsWith`, `'q%'`) is served by a b-tree index. On MySQL, a `FULLTEXT` index
    (the `ngram` parser for substrings) with `MATCH ... AGAINST`.

    ## Known problems
    An index created by hand in the database, or by SQL the scan does not read, is not seen.
    Any trigram or full-text index on the column counts, even one on another expression than
    the query compares (a plain `name` index for Django's `UPPER(name)`); a table with a
    full-text vector column (`tsvector`, `SearchVectorField`) indexed is reported at low
    confidence, since its search may go through it. A filter the scan cannot see (a spread, a
    variable `where`) lowers confidence: it may scope the search to one owner. The database
    engine is read from the project's drivers and client settings; when none is visible the
    finding is low confidence. Table sizes are unknown: a table the code never inserts into
    may be small. Searches the scan cannot read are not reported: DRF `SearchFilter`
    (`search_fields`), lookups built from a variable (`Q(**{f"{field}__icontains": q})`),
    SQL assembled by a project's own query helpers, and a search text passed through a
    function the scan does not follow (`slugify(q)`).
    """

    meta = RuleMeta(
        id="SC-DB-014",
        name="leading-wildcard-search",
        category="database",
        severity="medium",
        title="Substring search on a column no trigram or full-text index serves",
        effort="days",
        scope="migration",
        confidence="medium",
        impact="Every search reads the whole table; latency and database CPU grow with its rows.",
        ecosystems=("node", "python"),
        references=(
            "https://www.postgresql.org/docs/current/pgtrgm.html#PGTRGM-INDEX",
            "https://use-the-index-luke.com/sql/where-clause/searching-for-ranges/like-performance-tuning",
            "https://docs.djangoproject.com/en/stable/ref/contrib/postgres/indexes/",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        databases: dict[tuple[str, str], str] = {}
        for access in model.all(DataAccess):
            if not access.searches or access.kind not in _READS or access.orm in _NOT_SQL:
                continue
            if access.via_relation or (access.kind == "raw" and access.operation != "select"):
                continue  # a parent's related rows: its foreign key narrows them first
            if not model.role(access.loc.file).reportable:
                continue
            key = (model.package_root(access.loc.file), access.orm)
            if key not in databases:
                databases[key] = database_of(model, access.loc.file, access.orm)
            hit = self._check(model, access, databases[key])
            if hit is not None:
                yield hit

    def _check(self, model: ProjectModel, access: DataAccess, database: str) -> Hit | None:
        if database == "sqlite":
            return None  # the same scan, but SQLite has no index that serves it
        routes = [r for r in model.routes_reaching(access.function_id) if not model.is_admin_route(r)]
        if not routes:
            return None
        tables = model.find_tables(access.model, near=access)
        if not tables:
            return None
        indexes = [ix for table in tables for ix in model.text_indexes(table)]
        searched: dict[str, _Searched] = {}
        for search in access.searches:
            col = table_column(tables, search.column)
            if col is None or col.is_relation or not _textual(col):
                continue
            source = model.request_inputs.value_source(search.value, access)
            if source is None or any(ix.covers(col.name, col.db_name) for ix in indexes if ix.columns):
                continue
            searched.setdefault(col.name.lower(), _Searched(search, col, source))
        if not searched:
            return None
        narrowing = _narrowing(model, access, tables, {s.search.column.lower() for s in searched.values()})
        if narrowing:
            return None
        growth = model.growth.of(access.model, near=access)
        if growth.catalog:
            return None
        return self._hit(model, access, tables, list(searched.values()), routes, database, indexes)

    def _hit(
        self,
        model: ProjectModel,
        access: DataAccess,
        tables: list[Table],
        searched: list[_Searched],
        routes: Sequence[Route],
        database: str,
        indexes: list[TextIndex],
    ) -> Hit:
        schema = schema_table(tables)
        label = schema.model or schema.name
        columns = [s.column.name for s in searched]
        first = searched[0]
        ops = ", ".join(dict.fromkeys(f"`{s.search.operator}`" for s in searched))
        names = ", ".join(f"`{c}`" for c in columns)
        source = first.source
        via = (
            f", passed in by the call at {source.through.loc.file}:{source.through.loc.line}"
            if source.through is not None
            else ""
        )
        wanted = "FULLTEXT" if database == "mysql" else "trigram or full-text"
        message = (
            f"{describe(access)} searches {names} with a leading wildcard ({ops}) for the request "
            f"field `{source.field}` (`{source.text}`{via}); it serves {routes_text(routes)}. No "
            f"{wanted} index of {label} ({schema.loc.file}:{schema.loc.line}) covers "
            f"{names}, and no b-tree index serves a pattern that starts with `%`: each search reads "
            f"the whole `{schema.name}` table."
        )
        growth = model.growth.of(access.model, near=access)
        if growth.sentence():
            message += f" {growth.sentence()}"
        lowered = _lowered(access, database, indexes)
        if lowered:
            message += f" {lowered}"
        upper = access.orm == "django" and any(s.search.operator in _UPPER_LOOKUPS for s in searched)
        fix = search_index_fix(model, schema, columns, database, upper=upper)
        kind = "model" if schema.model else "table"
        note = f"{kind} {label} defined here without a {wanted} index on {names}"
        return self.hit(
            access.loc,
            message=message,
            recommendation=fix.advice,
            fix_snippet=fix.snippet,
            fix_language=fix.language,
            confidence="low" if lowered else None,
            related=(Evidence(schema.loc.file, schema.loc.line, note),),
            # one migration indexes the searched columns of a table, whichever queries search them
            cause=f"search:{schema.loc.file}:{schema.name}",
            place=f"{describe(access)} searches {names}, {routes_text(routes, 1)}",
            heat=len(routes),
        )


def _textual(col: Column) -> bool:
    """A text column (or one whose type the schema does not say)."""
    kind = col.type.strip()
    if not kind:
        return True
    return bool(_TEXT_TYPE.search(kind)) and not _NOT_TEXT_TYPE.search(kind)


def _narrowing(model: ProjectModel, access: DataAccess, tables: list[Table], searched: set[str]) -> str:
    """A filter of the query that narrows its rows before the pattern is matched (an equality
    on a key, a foreign key, an owner or tenant column, a join), or ``""``: the database
    then matches the pattern on a few rows. Columns compared only by negations, inside an OR
    across columns, by a range, or with a handful of values (a flag, a status, a timestamp
    compared with ``null``) narrow nothing."""
    if access.related_filters:
        return access.related_filters[0]
    weak = {f.lower() for f in (*access.unselective_fields, *access.or_fields, *access.range_fields)}
    for raw in access.filter_fields:
        name = raw.strip().lstrip("-").split("__", 1)[0]
        low = name.lower()
        if not low or low in searched or low in weak:
            continue
        col = table_column(tables, name)
        if col is None or col.is_relation or col.references or col.primary_key or col.unique:
            return name  # a key, a relation, or a field the schema does not show
        if _BOOLEAN_TYPE.match(col.type) or 0 < (col.values or model.enum_members(col.enum)) <= _FEW_VALUES:
            continue
        if _DATE_TYPE.search(col.type):
            continue  # ``deletedAt: null``: a soft-delete scope keeps most rows
        return name
    return ""


def _lowered(access: DataAccess, database: str, indexes: list[TextIndex]) -> str:
    """Why the evidence is weaker, in words (``""`` when it is not)."""
    vector = next((ix for ix in indexes if ix.vector), None)
    if vector is not None:
        return (
            f"The table has a full-text index ({vector.name or vector.loc.file}, {vector.loc.file}:"
            f"{vector.loc.line}): if the search can go through it, this pattern is a fallback."
        )
    if access.opaque_filter:
        return (
            "Part of the filter is built elsewhere (a spread, a variable): if it scopes the search to "
            "one owner or tenant, the pattern runs on their rows only."
        )
    if database == "unknown":
        return "The database engine is not visible in the project (a SQLite database has no index for this)."
    return ""
