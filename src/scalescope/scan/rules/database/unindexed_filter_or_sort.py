"""SC-DB-006 unindexed-filter-or-sort."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from scalescope.model.facts import Column, DataAccess, IndexDef, Table
from scalescope.model.index_use import EQUALITY, RANGE, SORT
from scalescope.model.project import ProjectModel
from scalescope.report.model import Evidence
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._fixes import index_fix
from scalescope.scan.rules.database._helpers import (
    describe,
    read_kind,
    routes_text,
    schema_table,
    table_column,
)

_KINDS = frozenset({"read-many", "read-one", "count", "aggregate"})
_LOGICAL = frozenset({"and", "or", "not", "$and", "$or", "$nor", "$not", "q"})
# Django lookups a b-tree index on the column cannot serve anyway (substring, regex, search)
_UNINDEXABLE = frozenset(
    {"contains", "icontains", "endswith", "iendswith", "regex", "iregex", "search", "trigram_similar"}
)
_LOW_CARDINALITY = frozenset({"boolean", "bool", "booleanfield", "nullbooleanfield"})


def _base_type(declared: str) -> str:
    """``db.Boolean`` / ``sa.Boolean()`` / ``Mapped[bool]`` / ``Boolean?`` -> ``boolean``/``bool``."""
    text = declared.strip().lower().rstrip("?")
    m = re.fullmatch(r"(?:\w+\.)*mapped\[\s*(.+?)\s*\]", text)
    if m is not None:
        text = m.group(1)
    text = re.sub(r"\s*\|\s*none$|^optional\[(.+)\]$", r"\1", text)
    return text.split("(", 1)[0].rsplit(".", 1)[-1].strip()


def _field(raw: str) -> tuple[str, bool] | None:
    """Column part of a filter/sort field and whether it is a plain column (no join/lookup
    through a relation). ``None`` when the field is not a column reference at all."""
    name = raw.strip().lstrip("-+").strip()
    if not name or name.lower() in _LOGICAL or name.startswith("$") or "." in name or "(" in name:
        return None
    if "__" in name.strip("_"):
        head, _, rest = name.partition("__")
        if rest in _UNINDEXABLE:
            return None
        return head, rest in _LOOKUPS
    return name, True


_LOOKUPS = frozenset(
    {
        "exact",
        "iexact",
        "in",
        "gt",
        "gte",
        "lt",
        "lte",
        "startswith",
        "istartswith",
        "range",
        "isnull",
        "date",
        "year",
        "month",
        "day",
        "week",
        "week_day",
        "quarter",
        "time",
        "hour",
        "minute",
        "second",
    }
)


def _index_columns(filters: list[str], ranges: set[str], sorts: list[str]) -> list[str]:
    """Columns of the index to suggest, in filter-then-sort order: equality filters first,
    then one range filter, then the sort column (an index serves a range or a sort after the
    equality columns, never a column after a range)."""
    equal = [c for c in filters if c.lower() not in ranges]
    ranged = [c for c in filters if c.lower() in ranges]
    cols = equal + ranged[:1] + ([sorts[0]] if sorts and not ranged else [])
    return list(dict.fromkeys(cols))[:4] or sorts[:1]


def _with_foreign_keys(table: Table, indexed: set[str]) -> set[str]:
    """An index on a relation (TypeORM ``@Index(['project', 'value'])``) is an index on its
    foreign-key column (``projectId``)."""
    out = set(indexed)
    for rel in table.columns:
        if not rel.is_relation or rel.name.lower() not in indexed or not rel.references:
            continue
        for col in table.columns:
            if (
                not col.is_relation
                and col.references.startswith(rel.references + ".")
                and col.name.lower().startswith(rel.name.lower())
            ):
                out.add(col.name.lower())
                if col.db_name:
                    out.add(col.db_name.lower())
    return out


class UnindexedFilterOrSort(Rule):
    """Queries that filter or sort on a column no index of its table leads.

    ## What it finds
    A read (`findMany`, `findFirst`, `find`, `filter`, `where`, `count`...) whose filter has
    no column that leads an index of the table, or whose sort column leads no index, when the
    project defines that table's schema (Prisma, TypeORM, Mongoose, Drizzle, Sequelize,
    SQLAlchemy, Django, Knex/Alembic/SQL migrations). The finding points at the query and
    names the schema definition lacking the index. Indexes count wherever the project declares
    them: on the model (a unique constraint is an index), in SQL schema files and migrations,
    and in the migration operations of each ORM (Sequelize `addIndex`/`addConstraint`, Knex
    `table.index`, TypeORM `createIndex`, Alembic `op.create_index`, Django `AddIndex`; not
    those of a migration's `down`). A partial index counts only for the queries its predicate
    admits (`WHERE deletedAt IS NULL`, `WHERE col IS NOT NULL` on a compared column). Filters
    that include a primary key, unique or otherwise indexed column do not fire (the database
    uses that index and filters the few rows it finds), nor do filters through relations
    (joins), substring/regex lookups, tables the scan cannot find, or a composite index whose
    first column is another column. Join conditions (`leftJoin(users, eq(posts.authorId,
    users.id))`) are join keys, not filters: only the columns of `WHERE`/`where`/filter
    objects/`orderBy` are checked. The suggested index lists equality columns first, then one
    range column, then the sort column. Prisma and TypeORM do not index foreign-key columns on
    PostgreSQL, so `where: { authorId }` fires when no `@@index([authorId])` exists; Django
    indexes foreign keys itself.

    A filter no plain index would narrow is no "add an index on X" claim: columns compared only
    by a negation or a pattern (`<>`, `NOT IN`, `IS NOT NULL`, a regex), columns with a
    handful of declared values (a boolean, an enum or choices of up to 10 values), and columns
    compared only inside an OR across columns are reported at low confidence when nothing else
    filters the query, with the advice that fits (a partial index on the rare rows, a trigram
    index, an index per OR branch). A substring search (`contains`, `icontains`, `LIKE '%x%'`,
    `ILIKE '%' || $1 || '%'`) is left to SC-DB-014 (leading-wildcard-search), which judges it
    against the table's trigram and full-text indexes. A soft-delete scope (`deletedAt: null`,
    `deleted_at IS NULL`, `deleted_at__isnull=True`, `isNull(t.deletedAt)`: `IS NULL` on a
    column named for deletion or archival) keeps the live rows, most of the table: it is never
    the column to index nor a reason to report, so the other columns of the filter decide, and
    a query filtered by it alone is not reported. Confidence is low, too, when part of the
    filter is built elsewhere (a spread, a computed key), when only admin routes run the query
    (an `admin` path, an admin/staff/moderator guard or decorator, or a handler that refuses
    non-admins first), for queries whose result is cached, and outside request paths.

    An index counts for what its access method serves (PostgreSQL): a b-tree for equality,
    ranges and sorting; a hash index for equality only; GiST/SP-GiST (through `btree_gist` on
    a scalar column) and GIN for equality and ranges, not sorting, on any column of a
    multicolumn GIN/GiST index; BRIN for ranges only; a trigram operator class
    (`gin_trgm_ops`) for patterns and equality (PostgreSQL 14+), not ranges or sorting; a MySQL
    `FULLTEXT` index for `MATCH` only. The methods are read from SQL `USING`, Prisma `type:`,
    Drizzle `.using()`, SQLAlchemy `postgresql_using`, Sequelize `using`, Django index classes
    in `Meta.indexes` (also a list concatenated to a base's: `Base.Meta.indexes + [...]`) and
    migrations' `AddIndex`.

    Raw SQL `SELECT`s are judged like ORM reads (`pool.query`/`client.query`, `` sql`...` ``
    tags (postgres.js, Drizzle `` db.execute(sql`...`) ``, slonik
    `` sql.type(Row)`...` ``/`sql.unsafe`), Prisma `$queryRaw`/`Prisma.sql`/`$queryRawUnsafe`,
    `knex.raw`, `sequelize.query`, `cursor.execute`, SQLAlchemy `execute(text(...))`,
    asyncpg `fetch`/`fetchrow`, `databases` `fetch_all`, Django `Model.objects.raw` and
    `connection.cursor().execute`): the `WHERE` and `ORDER BY` columns of the statement's
    own table; a column of a joined table (`u.email` in `FROM orders o JOIN users u`) is a
    filter through the join, and a statement built at run time is not judged.

    ## Why it matters at scale
    Without an index the database reads the whole table for every such query (a sequential
    scan), and sorts all matching rows to return the first page. Cost grows linearly with the
    table: fine at 10k rows, hundreds of milliseconds at 10M, and every concurrent request
    repeats the scan, saturating disk/CPU and holding pooled connections.

    ## Example
    ```ts
    // schema.prisma: model User { id Int @id  email String  createdAt DateTime }
    const users = await prisma.user.findMany({ where: { email }, orderBy: { createdAt: "desc" } });
    ```

    ## Use instead
    ```prisma
    model User {
      id        Int      @id
      email     String
      createdAt DateTime
      @@index([email, createdAt])
    }
    ```
    Django: `db_index=True` or `Meta.indexes = [models.Index(fields=["status"])]`; SQLAlchemy:
    `index=True`; raw SQL: `CREATE INDEX CONCURRENTLY ... ON orders (status)`.

    ## Known problems
    Table sizes are unknown: a small lookup table needs no index (confidence is low on catalog
    tables, those inserted only by seeds, fixtures, migrations, CLI scripts or admin routes; on
    a table that grows the message names the route or job that inserts into it). Indexes
    created by hand in the database, by raw SQL the scan does not see, in binary database dumps,
    or dropped later by a migration are not taken into account. Columns a SQLAlchemy model
    inherits from a mixin are unknown, so a filter on one is not judged.
    """

    meta = RuleMeta(
        id="SC-DB-006",
        name="unindexed-filter-or-sort",
        category="database",
        severity="medium",
        title="Query filters or sorts on a column without an index",
        effort="days",
        scope="migration",
        confidence="medium",
        impact="Every call scans the whole table; latency and database CPU grow linearly with rows.",
        ecosystems=("node", "python"),
        references=(
            "https://www.prisma.io/docs/orm/prisma-schema/data-model/indexes",
            "https://use-the-index-luke.com/sql/where-clause",
            "https://docs.djangoproject.com/en/stable/ref/models/indexes/",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        for access in model.all(DataAccess):
            if read_kind(access) not in _KINDS or not model.role(access.loc.file).reportable:
                continue
            if not access.filter_fields and not access.sort_fields:
                continue
            if access.related_filters and not access.filter_fields:
                continue  # filtered through a join: the database may drive it from the other table
            if access.via_relation:
                continue  # the parent's foreign key bounds the rows (and is indexed)
            tables = model.find_tables(access.model, near=access)
            if not tables:
                continue
            hit = self._check_access(model, access, tables) or self._join_lookup(model, access, tables)
            if hit is not None:
                yield hit

    def _join_lookup(self, model: ProjectModel, access: DataAccess, tables: list[Table]) -> Hit | None:
        """The query finds its rows through an index, then joins another table on that
        table's foreign key (``users`` by id, joined to ``posts`` on ``posts.authorId =
        users.id``): the join looks rows up from the other side and needs an index there. A
        join onto the other table's primary key (the usual ``posts -> users``) needs none."""
        if not access.join_keys or not access.filter_fields:
            return None
        indexed: set[str] = set()
        for table in tables:
            indexed |= _with_foreign_keys(table, model.indexed_prefixes(table, use=EQUALITY))
        selective = False
        soft = {f.lower() for f in access.soft_delete_fields}
        for raw in access.filter_fields:
            parsed = _field(raw)
            if parsed is not None and parsed[0].lower() in soft:
                continue  # the live rows: most of the table, even through an index
            col = table_column(tables, parsed[0]) if parsed is not None else None
            if col is not None and (col.primary_key or col.unique or col.name.lower() in indexed):
                selective = True
        if not selective:
            return None
        own = {access.model.lower() if access.model else ""} | {
            n.lower() for t in tables for n in (t.name, t.model) if n
        }
        for left, right in access.join_keys:
            for mine, other in ((left, right), (right, left)):
                mine_table, _, mine_col = mine.rpartition(".")
                other_table, _, other_col = other.rpartition(".")
                if mine_table.lower() not in own or other_table.lower() in own:
                    continue
                key = table_column(tables, mine_col)
                if key is None or not (key.primary_key or key.unique):
                    continue
                others = model.find_tables(other_table)
                fk = table_column(others, other_col) if others else None
                if fk is None or fk.primary_key or fk.unique or fk.is_relation:
                    continue
                other_indexed: set[str] = set()
                for table in others:
                    other_indexed |= _with_foreign_keys(table, model.indexed_prefixes(table, use=EQUALITY))
                if fk.name.lower() in other_indexed or (fk.db_name and fk.db_name.lower() in other_indexed):
                    continue
                return self._join_hit(model, access, others, fk.name, mine)
        return None

    def _join_hit(
        self, model: ProjectModel, access: DataAccess, others: list[Table], column: str, key: str
    ) -> Hit:
        schema = schema_table(others)
        rec, snippet, lang = index_fix(model, schema, [column])
        routes = model.routes_reaching(access.function_id)
        where = f", reached from {routes_text(routes)}" if routes else ""
        label = schema.model or schema.name
        note = f"{'model' if schema.model else 'table'} {label} defined here without an index on {column}"
        return self.hit(
            access.loc,
            message=(
                f"{describe(access)} finds its rows through an index, then joins {label} on "
                f"`{column}` = `{key}`{where}, but no index of {label} ({schema.loc.file}:"
                f"{schema.loc.line}) starts with `{column}`: each call scans the whole "
                f"`{schema.name}` table for the joined rows."
            ),
            recommendation=rec,
            fix_snippet=snippet,
            fix_language=lang,
            confidence="medium" if routes else "low",
            related=(Evidence(schema.loc.file, schema.loc.line, note),),
            cause=f"index:{schema.loc.file}:{schema.name}:{column}",
            place=f"{describe(access)} joins {label} on `{column}`"
            + (f", {routes_text(routes, 1)}" if routes else ""),
            heat=len(routes),
        )

    def _check_access(self, model: ProjectModel, access: DataAccess, tables: list[Table]) -> Hit | None:
        compared = [p[0] for p in map(_field, access.filter_fields) if p is not None]
        # columns leading any index, and those an index serves for each use (a hash index
        # serves no range or sort, a BRIN index no equality: see ``model.index_use``)
        indexed: set[str] = set()
        served: dict[str, set[str]] = {EQUALITY: set(), RANGE: set(), SORT: set()}
        for table in tables:
            indexed |= _with_foreign_keys(table, model.indexed_prefixes(table, compared))
            for use, columns in served.items():
                columns |= _with_foreign_keys(table, model.indexed_prefixes(table, compared, use=use))
        unselective = {f.lower() for f in access.unselective_fields}
        # columns searched only by a leading-wildcard pattern are SC-DB-014's
        searched = {s.column.lower() for s in access.searches} & unselective
        soft = {f.lower() for f in access.soft_delete_fields}
        or_only = {f.lower() for f in access.or_fields}
        filters: list[str] = []  # columns an index could narrow the rows by (none leads one)
        weak: list[tuple[str, str]] = []  # (column, why an index on it alone would not help)
        ors: list[tuple[str, bool]] = []  # columns compared only inside an OR, and indexed or not
        ranges = {f.lower() for f in access.range_fields}
        for raw in access.filter_fields:
            parsed = _field(raw)
            if parsed is None:
                continue
            name, plain = parsed
            if name.lower() in soft:
                # ``deletedAt IS NULL`` keeps the live rows, most of the table: never the
                # column to index, never a reason to report; the other columns decide
                continue
            col = table_column(tables, name)
            if col is None or col.is_relation or (not plain and col.references):
                # an unknown field (JSON path, alias) or a filter through a relation: the
                # database may drive the query from the other side of the join
                return None
            low = name.lower()
            if low in searched:
                continue  # a substring search: SC-DB-014 (leading-wildcard-search) judges it
            keyed = col.primary_key or col.unique or low in served[RANGE if low in ranges else EQUALITY]
            if low in or_only:
                ors.append((col.name, keyed))
                continue
            if low in unselective:
                if keyed or low in indexed:
                    continue  # indexed already; the negation is what no index narrows
                weak.append((col.name, "unselective"))
                continue
            if keyed:
                return None  # the database can use this index; other filters apply to its rows
            values = _value_count(model, col)
            if 0 < values <= MAX_FEW_VALUES:
                weak.append((col.name, f"{values} values"))
                continue
            filters.append(col.name)
        if ors and all(keyed for _, keyed in ors) and not filters:
            return None  # each column of the OR leads an index: the database combines them
        sorts: list[str] = []
        for raw in access.sort_fields:
            parsed = _field(raw)
            col = table_column(tables, parsed[0]) if parsed is not None and parsed[1] else None
            if col is None or col.is_relation:
                continue
            if not (col.primary_key or col.unique or parsed[0].lower() in served[SORT]):  # type: ignore[index]
                sorts.append(col.name)
        # a filter passed as a variable (``where: whereClause``, ``.filter(*conds)``) is invisible
        # to the extractor: the query may well be filtered, so an unindexed sort alone is not
        # reported
        unserved = [c for c, keyed in ors if not keyed]
        if filters:
            column, role = filters[0], "filters on"
        elif weak or unserved:
            return self._weak_hit(model, access, tables, weak, unserved)
        elif (
            sorts
            and not access.filter_fields
            and read_kind(access) not in {"count", "aggregate"}
            and not access.opaque_filter
            and not access.related_filters
        ):
            column, role = sorts[0], "sorts on"
        else:
            return None
        schema = schema_table(tables)
        index_cols = _index_columns(filters, ranges, sorts)
        column = index_cols[0]
        rec, snippet, lang = index_fix(model, schema, index_cols)
        routes = model.routes_reaching(access.function_id)
        where = f", reached from {routes_text(routes)}" if routes else ""
        label = schema.model or schema.name
        note = f"{'model' if schema.model else 'table'} {label} defined here without an index on {column}"
        use = SORT if role == "sorts on" else RANGE if column.lower() in ranges else EQUALITY
        methods = _methods_on(model, tables, column) if column.lower() in indexed else []
        lacking = (
            f"the only index of {label} ({schema.loc.file}:{schema.loc.line}) on `{column}` is "
            f"{' and '.join(methods)}, which serves no {_USE_WORDS[use]}"
            if methods
            else f"no index of {label} ({schema.loc.file}:{schema.loc.line}) starts with `{column}`"
        )
        message = (
            f"{describe(access)} {role} `{column}`{where}, but {lacking}: each call scans the "
            f"whole `{schema.name}` table" + (" and sorts it" if role == "sorts on" or sorts else "") + "."
        )
        growth = model.growth.of(access.model, near=access)  # a catalog table stays small; name what grows
        if growth.sentence():
            message += f" {growth.sentence()}"
        lowered = ""
        if access.in_cache_loader:
            lowered = "It runs on a cache miss only (its result is cached)."
        elif access.opaque_filter and role == "filters on":
            lowered = (
                "Part of the filter is built elsewhere (a spread, a computed key or a variable): "
                "if it compares an indexed column, that index serves the query."
            )
        elif routes and all(model.is_admin_route(r) for r in routes):
            lowered = "Only admin routes run it: a handful of people, not the traffic that grows."
        if lowered:
            message += f" {lowered}"
        return self.hit(
            access.loc,
            message=message,
            recommendation=rec,
            fix_snippet=snippet,
            fix_language=lang,
            # a query run on a cache miss (``"use cache"``, ``cache.wrap``), only by admins, or
            # whose filter is partly invisible is no clear per-request scan
            confidence="medium" if routes and not growth.catalog and not lowered else "low",
            related=(Evidence(schema.loc.file, schema.loc.line, note),),
            # one missing index is one cause, whichever queries and routes show it
            cause=f"index:{schema.loc.file}:{schema.name}:{column}",
            place=f"{describe(access)} {role} `{column}`" + (f", {routes_text(routes, 1)}" if routes else ""),
            heat=len(routes),
        )

    def _weak_hit(
        self,
        model: ProjectModel,
        access: DataAccess,
        tables: list[Table],
        weak: list[tuple[str, str]],
        ors: list[str],
    ) -> Hit:
        """The query's filters give no index a way in: each column is compared by a negation
        or a pattern, has a handful of values, or sits in an OR across columns. Adding "an
        index on X" would not change the plan, so this is low confidence with the advice that
        does: a partial index on the rare rows, an index per OR branch, a trigram index."""
        schema = schema_table(tables)
        routes = model.routes_reaching(access.function_id)
        where = f", reached from {routes_text(routes)}" if routes else ""
        label = schema.model or schema.name
        parts: list[str] = []
        advice: list[str] = []
        negated = [c for c, why in weak if why == "unselective"]
        few = [(c, why) for c, why in weak if why != "unselective"]
        if negated:
            parts.append(
                f"compares {_names(negated)} only by a negation or a pattern (`<>`, `NOT IN`, `IS NOT NULL`, "
                "a regex), which no b-tree index narrows"
            )
            advice.append(
                "if the rows the query wants are few, a partial index on them (`CREATE INDEX ... WHERE "
                "<the rare condition>`) serves it; for a regex a trigram index (pg_trgm GIN)"
            )
        if few:
            parts.append(
                "filters on "
                + ", ".join(f"`{c}` ({why})" for c, why in few)
                + ", which an index alone barely narrows"
            )
            advice.append(
                "an index on a column with a handful of values helps only when the value sought is rare: "
                f"then a partial index (`CREATE INDEX ... ON {schema.name} (...) "
                f"WHERE {few[0][0]} = '<rare value>'`)"
            )
        if ors:
            parts.append(f"compares {_names(ors)} inside an OR, which an index on one of them does not serve")
            advice.append(
                "index every column of the OR (PostgreSQL combines them with a bitmap OR) or split the query "
                "into a UNION of indexed lookups"
            )
        column = (negated or [c for c, _ in few] or ors)[0]
        message = (
            f"{describe(access)} {'; '.join(parts)}{where}: an index on one of these columns would not "
            f"spare the database reading much of the `{schema.name}` table ({label}, "
            f"{schema.loc.file}:{schema.loc.line})."
        )
        growth = model.growth.of(access.model, near=access)
        if growth.sentence():
            message += f" {growth.sentence()}"
        return self.hit(
            access.loc,
            message=message,
            recommendation="If this query is hot on a large table: " + "; ".join(advice) + ".",
            confidence="low",
            related=(
                Evidence(schema.loc.file, schema.loc.line, f"{'model' if schema.model else 'table'} {label}"),
            ),
            cause=f"scan:{schema.loc.file}:{schema.name}:{column}",
            place=f"{describe(access)} filters on `{column}`"
            + (f", {routes_text(routes, 1)}" if routes else ""),
            heat=len(routes),
        )


_USE_WORDS = {EQUALITY: "equality on it", RANGE: "range on it", SORT: "sort by it"}
_METHOD_NAMES = {
    "gin": "GIN",
    "gist": "GiST",
    "spgist": "SP-GiST",
    "brin": "BRIN",
    "hash": "hash",
    "fulltext": "FULLTEXT",
}


def _methods_on(model: ProjectModel, tables: Sequence[Table], column: str) -> list[str]:
    """How the indexes that lead ``column`` are built, in words (``a BRIN index``, ``a GIN
    trigram index``), for a message saying why none serves the query."""
    low = column.lower()
    found: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    names = {n.lower() for t in tables for n in (t.name, t.model) if n}
    for table in tables:
        found.extend((i.method, i.columns, i.opclasses) for i in table.indexes)
    found.extend((x.method, x.columns, x.opclasses) for x in model.all(IndexDef) if x.table.lower() in names)
    out: list[str] = []
    for method, columns, opclasses in found:
        if not columns or columns[0].lower() != low:
            continue
        trigram = bool(opclasses) and opclasses[0].endswith("_trgm_ops")
        pattern = bool(opclasses) and opclasses[0].endswith("_pattern_ops")
        kind = _METHOD_NAMES.get(method, method or "b-tree") + (
            " trigram" if trigram else " pattern (`*_pattern_ops`)" if pattern else ""
        )
        words = f"a {kind} index"
        if words not in out:
            out.append(words)
    return out


def _names(columns: list[str]) -> str:
    return ", ".join(f"`{c}`" for c in columns)


#: most values a column may have to count as "a handful": an equality on it still selects a
#: tenth of the rows or more, which the planner reads faster by a scan than through an index
MAX_FEW_VALUES = 10


def _value_count(model: ProjectModel, col: Column) -> int:
    """How many values the schema lets ``col`` hold: 2 for a boolean, the declared enum or
    choices members, 0 when open."""
    if _base_type(col.type) in _LOW_CARDINALITY:
        return 2
    return col.values or model.enum_members(col.enum)
