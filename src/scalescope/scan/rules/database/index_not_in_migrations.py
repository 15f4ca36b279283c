"""SC-DB-016 index-not-in-migrations."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from scalescope.model.facts import DataAccess, DbClient, EntryPoint, IndexDef, Loc, Route, Table, option
from scalescope.model.migrations import IndexState, SchemaHistory, TableState, norm
from scalescope.model.project import ProjectModel
from scalescope.report.model import Evidence
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._fixes import missing_migration_fix
from scalescope.scan.rules.database._helpers import routes_text

#: schema tools whose declarations a migration tool turns into migrations
DECLARED = frozenset({"prisma", "drizzle", "typeorm", "sequelize", "sqlalchemy", "django"})
_TOOL = {
    "prisma": "schema.prisma",
    "drizzle": "the Drizzle schema",
    "typeorm": "the TypeORM entity",
    "sequelize": "the Sequelize model",
    "sqlalchemy": "the SQLAlchemy model",
    "django": "the Django model",
}
_PUSH = {
    "prisma": re.compile(r"\bprisma\s+db\s+push\b"),
    "drizzle": re.compile(r"\bdrizzle-kit\s+push"),
}
_PUSH_COMMAND = {"prisma": "prisma db push", "drizzle": "drizzle-kit push"}
_DEPLOY = {
    "prisma": re.compile(r"\bprisma\s+migrate\s+(?:deploy|dev|reset)\b"),
    "drizzle": re.compile(r"\bdrizzle-kit\s+(?:migrate|up)\b"),
}
_PLAIN_FIELD = re.compile(r"^\w+$")


@dataclass(frozen=True)
class _Declared:
    """An index (or unique constraint) a schema declaration asks for: its columns as written
    and, per column, the names it may have in the database (normalised)."""

    labels: tuple[str, ...]
    columns: tuple[frozenset[str], ...]
    unique: bool
    loc: Loc


def _declared(table: Table, extra: Sequence[IndexDef]) -> list[_Declared]:
    """The table's declared indexes and unique columns (primary keys left out: a table is
    created with its key), one per column list and uniqueness."""
    by_name = {c.name: c for c in table.columns}

    def names(col: str) -> frozenset[str]:
        column = by_name.get(col)
        found = {norm(col)}
        if column is not None and column.db_name:
            found.add(norm(column.db_name))
        return frozenset(found)

    out: dict[tuple[tuple[str, ...], bool], _Declared] = {}
    keys = [c.name for c in table.columns if c.primary_key]
    # an index led by a one-column primary key finds the same rows the key's own index does:
    # whether a migration creates it changes no plan
    key_led = {norm(keys[0])} if len(keys) == 1 else set()
    for idx in table.indexes:
        if idx.primary or not idx.columns or any(not _PLAIN_FIELD.match(c) for c in idx.columns):
            continue
        if norm(idx.columns[0]) in key_led:
            continue
        key = (tuple(norm(c) for c in idx.columns), idx.unique)
        out.setdefault(
            key,
            _Declared(
                idx.columns, tuple(names(c) for c in idx.columns), idx.unique, Loc(table.loc.file, idx.line)
            ),
        )
    for col in table.columns:
        if col.is_relation or col.primary_key or not (col.unique or col.indexed):
            continue
        key = ((norm(col.name),), col.unique)
        if key not in out and ((norm(col.name),), True) not in out:
            out[key] = _Declared((col.name,), (names(col.name),), col.unique, Loc(table.loc.file, col.line))
    for idx_def in extra:
        if idx_def.columns and norm(idx_def.columns[0]) in key_led:
            continue
        if idx_def.columns and all(_PLAIN_FIELD.match(c) for c in idx_def.columns):
            key = (tuple(norm(c) for c in idx_def.columns), idx_def.unique)
            out.setdefault(
                key,
                _Declared(
                    idx_def.columns, tuple(names(c) for c in idx_def.columns), idx_def.unique, idx_def.loc
                ),
            )
    return list(out.values())


def _covers(index: IndexState, want: _Declared, exact: bool) -> bool:
    """``index`` is the declared one: the same columns (any order) for a unique constraint,
    else the declared columns leading it in order (or the same set)."""
    cols = index.columns
    n = len(want.columns)
    same_set = (
        len(cols) == n
        and all(any(c in cand for c in cols) for cand in want.columns)
        and all(any(c in cand for cand in want.columns) for c in cols)
    )
    if exact or want.unique:
        return same_set
    return same_set or (len(cols) >= n and all(cols[i] in want.columns[i] for i in range(n)))


def _find(
    tables: list[tuple[str, TableState]], want: _Declared
) -> tuple[IndexState | None, IndexState | None]:
    """(the index that serves the declaration, a non-unique index on the same columns when the
    declaration is unique and only that exists)."""
    loose: IndexState | None = None
    for _, state in tables:
        for index in state.indexes:
            if _covers(index, want, exact=False) and (index.unique or not want.unique):
                return index, None
            if want.unique and loose is None and _covers(index, want, exact=True):
                loose = index
    return None, loose


def _knows(tables: list[tuple[str, TableState]], want: _Declared) -> bool:
    """A migration creates the table and every column of the index."""
    if not any(state.created for _, state in tables):
        return False
    columns = set().union(*(state.columns for _, state in tables))
    return all(cand & columns for cand in want.columns)


def _app_dir(path: str) -> str:
    """The Django app folder of a models module (``shop/orders/models/order.py`` -> ``shop/orders``)."""
    parts = path.split("/")[:-1]
    if parts and parts[-1] == "models":
        parts = parts[:-1]
    return "/".join(parts)


class IndexNotInMigrations(Rule):
    """An index or unique constraint the ORM schema declares that no committed migration creates.

    ## What it finds
    Schema drift between the ORM's schema and the project's migrations: an index or unique
    constraint declared in the schema (Prisma `@@index` / `@@unique` / `@unique`, Drizzle
    `index()` / `uniqueIndex()` / `.unique()`, TypeORM `@Index` / `@Unique` /
    `@Column({ unique: true })`, Sequelize `indexes` / `unique`, SQLAlchemy `index=True` /
    `unique=True` / `Index(...)` / `UniqueConstraint`, Django `db_index=True` / `unique=True` /
    foreign keys / `Meta.indexes` / `unique_together` / `UniqueConstraint`) that the committed
    migrations never create, or that a later migration drops. The migrations are replayed in
    order: Prisma `migrations/*/migration.sql`, drizzle-kit `NNNN_name.sql`, TypeORM and
    Sequelize migration classes (their API calls and the SQL they run), Alembic revisions
    (by their `down_revision` chain, batch operations included) and Django app migrations
    (`CreateModel` fields and options, `AddField`, `AlterField`, `AddIndex`, `RunSQL`,
    removals and renames); nothing of a `down` / `downgrade` step counts. The index is matched
    by table and columns, whatever its name (Prisma `@@map`/`@map`, `db_column`, snake and
    camel case alike).

    Only a schema whose tables the migrations create is compared (a project that uses
    `prisma db push`, `drizzle-kit push`, TypeORM `synchronize: true` or `create_all` has no
    migrations to drift from, and says nothing), and only columns the migrations create.
    The finding is placed on the declaration and names the queries of the same table that
    filter on the index's leading column; when each of them also filters on a column another
    migrated index leads (so that index serves them), the finding is low severity. A project
    that runs `prisma db push` or `drizzle-kit push` besides its migrations is reported at low
    confidence.

    ## Why it matters at scale
    The database the application runs on may well have the index (added by hand, by `db push`,
    by a hotfix); the scan cannot see it. But every database built from the migrations lacks
    it: a new staging or preview environment, CI, a restored backup plus migrations, a new
    region, a new tenant database. There the queries that rely on it scan the whole table, and
    a unique constraint the code relies on does not hold (duplicates get in). The drift stays
    invisible until that environment carries real load, and the next migration generated from
    the schema suddenly contains an unexpected `CREATE INDEX` that locks a large table.

    ## Example
    ```prisma
    model Order {
      id     Int    @id @default(autoincrement())
      status String
      @@index([status])   // no migration.sql creates "Order_status_idx"
    }
    ```

    ## Use instead
    Generate the migration from the schema and commit it: `prisma migrate dev`, `drizzle-kit
    generate`, `typeorm migration:generate`, `alembic revision --autogenerate`, `python
    manage.py makemigrations`. Where production already has the index, mark the migration
    applied there (`prisma migrate resolve --applied`, `CREATE INDEX IF NOT EXISTS`,
    `migrate --fake`). Check drift in CI: `prisma migrate diff --exit-code`, `makemigrations
    --check`, `alembic check`.

    A `CREATE INDEX` held in a string of a module nothing imports and no entry point runs, for
    an index no migration creates, is reported at low confidence; one that code the application
    runs executes (`CREATE INDEX IF NOT EXISTS` at start-up) counts as created.

    ## Known problems
    Migrations that build SQL at run time (string formatting, loops over table names) and SQL
    files applied by a tool the scan does not know are not seen; the finding then says a
    migration is missing when one exists elsewhere. Expression indexes are not compared, and a
    partial index counts as the full one. Alembic revisions are ordered by their
    `down_revision`; other migrations by their file names, and a drop is trusted only when
    those names are numbered.
    """

    meta = RuleMeta(
        id="SC-DB-016",
        name="index-not-in-migrations",
        category="database",
        severity="medium",
        title="Index declared in the schema but created by no migration",
        effort="days",
        scope="migration",
        confidence="medium",
        impact="Every database built from the migrations (staging, CI, a restore, a new region) lacks the "
        "index: its queries scan the table there.",
        ecosystems=("node", "python"),
        references=(
            "https://www.prisma.io/docs/orm/prisma-migrate/workflows/troubleshooting",
            "https://docs.djangoproject.com/en/stable/ref/django-admin/#cmdoption-makemigrations-check",
            "https://alembic.sqlalchemy.org/en/latest/autogenerate.html",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        migrations = model.migrations
        extra: dict[str, list[IndexDef]] = defaultdict(list)
        for idx_def in model.all(IndexDef):
            if idx_def.source == "sqlalchemy":  # a module-level ``Index("ix", Model.col)``
                extra[idx_def.table.lower()].append(idx_def)
        by_code = _created_by_code(model)
        queries = _Queries(model)
        pushes: dict[tuple[str, str], str | None] = {}
        hits: list[tuple[str, Hit]] = []
        for table in model.all(Table):
            path = table.loc.file
            if table.source not in DECLARED or migrations.is_migration_file(path):
                continue
            if not model.role(path).reportable:
                continue
            if (path, table.source) not in pushes:
                pushes[path, table.source] = _pushes(model, table)
            push_note = pushes[path, table.source]
            if push_note is None or _synchronized(model, table):
                continue
            django = table.source == "django"
            history = migrations.for_declaration(path, _app_dir(path) if django else None)
            if history is None:
                continue
            names = [table.model] if django else [table.name, table.model]
            also = [table.name] if django else []
            declared = _declared(table, [x for x in extra.get(table.model.lower(), ()) if x.loc.file == path])
            for want in declared:
                if any(_covers(index, want, exact=False) for index in by_code.get(norm(table.name), ())):
                    continue  # run by the application (``CREATE INDEX IF NOT EXISTS`` at start-up)
                judged = self._judge(model, table, want, history, names, also, push_note, queries)
                if judged is not None:
                    hits.append(judged)
        hits.extend(self._unrun_sql(model))
        count: dict[str, int] = defaultdict(int)
        for cause, _ in hits:
            count[cause] += 1
        for cause, hit in hits:
            if count[cause] > 1:
                note = f" ({count[cause]} declarations here lack their migration; one migration fixes all.)"
                hit = replace(hit, message=hit.message + note)
            yield hit

    def _unrun_sql(self, model: ProjectModel) -> Iterator[tuple[str, Hit]]:
        """``CREATE INDEX`` held in a string of a module nothing imports and no entry point runs,
        for an index no migration of the project creates."""
        migrations = model.migrations
        for idx_def in model.all(IndexDef):
            path = idx_def.loc.file
            if idx_def.source != "migration" or idx_def.where or migrations.is_migration_file(path):
                continue
            if model.role(path).kind != "unimported" or not all(
                _PLAIN_FIELD.match(c) for c in idx_def.columns
            ):
                continue
            history = migrations.for_declaration(path)
            if history is None:
                continue
            want = _Declared(
                idx_def.columns,
                tuple(frozenset({norm(c)}) for c in idx_def.columns),
                idx_def.unique,
                idx_def.loc,
            )
            tables = history.table([idx_def.table])
            if not _knows(tables, want) or _find(tables, want) != (None, None):
                continue
            label = (
                f"{'unique ' if idx_def.unique else ''}index on {idx_def.table}({', '.join(idx_def.columns)})"
            )
            message = (
                f"The SQL creating the {label} sits in {path}, which no other file imports and no entry "
                "point runs, and no migration creates that index: a database has it only if someone ran this "
                "by hand. Every database built from the migrations lacks it."
            )
            advice = (
                "Move the statement into a migration (so every environment gets the index), or delete it if "
                "the index is not wanted."
            )
            cause = f"unrun:{path}:{idx_def.loc.line}"
            place = f"{label} in code nothing runs"
            yield cause, self.hit(idx_def.loc, message, advice, cause=cause, confidence="low", place=place)

    def _judge(
        self,
        model: ProjectModel,
        table: Table,
        want: _Declared,
        history: SchemaHistory,
        names: Sequence[str],
        also: Sequence[str],
        push_note: str,
        queries: _Queries,
    ) -> tuple[str, Hit] | None:
        created = history.table(names)
        if not _knows(created, want):
            return None
        found, loose = _find(created + history.table(also), want)
        label = f"{'unique constraint' if want.unique else 'index'} on {table.name}({', '.join(want.labels)})"
        dropped_by: Loc | None = None
        if found is not None:
            if not history.ordered:
                return None
            final = history.table(names, final=True)
            if not _knows(final, want):
                return None
            found_final, _ = _find(final + history.table(also, final=True), want)
            if found_final is not None:
                return None
            keys = {n for n, _ in created}
            drops = [
                d for d in history.final.dropped if d.table in keys and _covers(d.index, want, exact=False)
            ]
            if not drops:
                return None
            dropped_by = drops[-1].by
            what = (
                f"The {label} declared in {_TOOL[table.source]} is dropped by the migration at "
                f"{dropped_by.file}:{dropped_by.line}, and no later migration creates it again"
            )
            cause = f"dropped:{dropped_by.file}:{dropped_by.line}"
        elif loose is not None:
            folder = _folder(history.files)
            what = (
                f"No migration in {folder} creates the {label} declared in {_TOOL[table.source]} (they "
                "create only a non-unique index on those columns)"
            )
            cause = f"missing:{table.loc.file}"
        else:
            folder = _folder(history.files)
            what = f"No migration in {folder} creates the {label} declared in {_TOOL[table.source]}"
            cause = f"missing:{table.loc.file}"
        # the queries filtering on the index's first column, unless another index the migrations
        # leave serves them (it leads with a column they filter on too)
        leads = {
            index.columns[0]
            for _, state in history.table(names, final=True) + history.table(also, final=True)
            for index in state.indexes
        }
        filtering = queries.filtering(table, want)
        uses = [(a, r) for a, r in filtering if not any(norm(f) in leads for f in a.filter_fields)]
        use_text = ""
        if uses:
            first, routes = uses[0]
            use_text = (
                f" Queries on {table.model or table.name} filter on {want.labels[0]}: "
                f"{first.loc.file}:{first.loc.line}"
                + (f" ({routes_text(routes, 1)})" if routes else "")
                + (f" and {len(uses) - 1} more" if len(uses) > 1 else "")
                + "."
            )
        elif filtering:
            first = filtering[0][0]
            use_text = (
                f" The queries filtering on {want.labels[0]} ({first.loc.file}:{first.loc.line}"
                + (f" and {len(filtering) - 1} more" if len(filtering) > 1 else "")
                + ") also filter on a column leading another index the migrations create, which serves them."
            )
        message = (
            f"{what}: a database built from the migrations (a new staging, CI, a restored backup, a new "
            f"region) lacks it{', so duplicates are not refused there' if want.unique else ''}. Production "
            "may have it (created by hand or by a schema push); the scan cannot tell, so this is about "
            f"reproducing the database.{use_text}{push_note}"
        )
        fix = missing_migration_fix(table.source, table.name, table.model, want.labels, want.unique)
        advice = fix.advice
        if dropped_by is not None:
            advice = (
                "Either the index is no longer wanted (remove it from the schema) or the drop was a mistake "
                f"(add a migration that creates it again). {advice}"
            )
        related = tuple(
            Evidence(a.loc.file, a.loc.line, f"filters on {want.labels[0]}") for a, _ in uses[:3]
        ) + ((Evidence(dropped_by.file, dropped_by.line, "drops it"),) if dropped_by is not None else ())
        return cause, self.hit(
            want.loc,
            message=message,
            recommendation=advice,
            fix_snippet=fix.snippet,
            fix_language=fix.language,
            related=related,
            cause=cause,
            confidence="low" if push_note else None,
            severity="low" if filtering and not uses else None,
            heat=sum(len(routes) for _, routes in uses),
            place=f"{label} not created by any migration" if dropped_by is None else f"{label} dropped",
        )


def _created_by_code(model: ProjectModel) -> dict[str, list[IndexState]]:
    """Indexes SQL strings create in code that runs (outside migrations, in a module something
    imports or runs), by normalised table name."""
    out: dict[str, list[IndexState]] = defaultdict(list)
    migrations = model.migrations
    for idx_def in model.all(IndexDef):
        path = idx_def.loc.file
        if idx_def.source != "migration" or migrations.is_migration_file(path):
            continue
        if model.role(path).kind in {"unimported", "test"}:
            continue
        cols = tuple(norm(c) for c in idx_def.columns)
        out[norm(idx_def.table)].append(IndexState(cols, idx_def.unique, norm(idx_def.name), idx_def.loc))
    return out


def _folder(files: Sequence[str]) -> str:
    """The common folder of the migration files, for messages."""
    parts = [f.split("/")[: -2 if f.endswith("/migration.sql") else -1] for f in files]
    common: list[str] = []
    for segment in zip(*parts, strict=False):
        if len(set(segment)) != 1:
            break
        common.append(segment[0])
    return "/".join(common) or "the repository"


def _pushes(model: ProjectModel, table: Table) -> str | None:
    """``None`` when the project applies this schema by pushing it (``prisma db push`` and no
    ``prisma migrate``: no migration builds its databases); a note when it pushes besides
    running migrations (or pushes with drizzle-kit, whose migrations code may apply); ``""``
    when no push is seen."""
    push = _PUSH.get(table.source)
    if push is None:
        return ""
    services = model.services
    entries = [e for e in model.all(EntryPoint) if services.related(table.loc.file, e.loc.file)]
    pushed = [e for e in entries if push.search(e.command)]
    if not pushed:
        return ""
    command = _PUSH_COMMAND[table.source]
    if any(_DEPLOY[table.source].search(e.command) for e in entries):
        return (
            f" The project also runs `{command}` ({pushed[0].loc.file}), so its databases may follow the "
            "schema rather than the migrations."
        )
    if table.source == "prisma":
        return None
    return (
        f" The project runs `{command}` ({pushed[0].loc.file}) and no migrate command: where its databases "
        "are pushed, the migrations are not what builds them."
    )


def _synchronized(model: ProjectModel, table: Table) -> bool:
    """A TypeORM data source with ``synchronize: true`` builds the schema from the entities."""
    if table.source != "typeorm":
        return False
    services = model.services
    return any(
        client.library == "typeorm"
        and (option(client.options, "synchronize") or "").strip() == "true"
        and services.related(table.loc.file, client.loc.file)
        for client in model.all(DbClient)
    )


class _Queries:
    """Reads of production code by the model name they query, to name the queries that rely
    on a missing index."""

    def __init__(self, model: ProjectModel) -> None:
        self.model = model
        self._by_model: dict[str, list[DataAccess]] | None = None

    def filtering(self, table: Table, want: _Declared) -> list[tuple[DataAccess, tuple[Route, ...]]]:
        if self._by_model is None:
            by_model: dict[str, list[DataAccess]] = defaultdict(list)
            for access in self.model.all(DataAccess):
                if access.model and access.kind in {"read-many", "read-one", "count", "aggregate"}:
                    by_model[access.model.lower()].append(access)
            self._by_model = by_model
        out = []
        lead = want.columns[0]
        seen: set[int] = set()
        for key in {table.model.lower(), table.name.lower()} - {""}:
            for access in self._by_model.get(key, ()):
                if id(access) in seen or not any(norm(f) in lead for f in access.filter_fields):
                    continue
                seen.add(id(access))
                if not self.model.role(access.loc.file).reportable:
                    continue
                if not any(t is table for t in self.model.find_tables(access.model, near=access)):
                    continue
                out.append((access, tuple(self.model.routes_reaching(access.function_id))))
        out.sort(key=lambda item: (not item[1], item[0].loc.file, item[0].loc.line))
        return out
