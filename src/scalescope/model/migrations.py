"""The schema a project's committed migrations build, replayed from facts.

A migration history is the ordered list of schema steps in migration files: tables created
(:class:`Table` facts of migration SQL and Alembic ``op.create_table``, ``create-table``
:class:`SchemaChange` facts of embedded SQL, TypeORM, Sequelize and Django), indexes and keys
(:class:`IndexDef`), and columns added, things dropped or renamed (:class:`SchemaChange`).
Replaying it in order gives the tables, columns and indexes a database built only from the
migrations has (a fresh staging, CI, a restored dump plus migrations, a new region).

- **Which files are migrations**: those the roles call migrations (``migrations/``,
  ``migration/``, ``db/migrate``, Alembic's ``versions``) and drizzle-kit's ``NNNN_name.sql``.
- **Order**: a file's natural path order (``20240101_init/migration.sql``, ``0002_x.py``,
  ``1680000000000-Init.ts``), Alembic revisions by their ``down_revision`` chain. Steps of one
  file in line order; on one line, drops and renames before creations.
- **Two replays**: one that ignores drops (what the migrations ever created) and one that
  applies them (what the last migration leaves). An index missing from the first is one no
  migration creates; present in the first but not the second, one a migration drops. Drops are
  trusted only when every file involved has an order the scan can read (a numbered name or an
  Alembic revision).
- **Which history a schema declaration compares to**: a Django model's app folder's
  ``migrations/``; for other ORMs, the migrations of the same service (related package roots)
  under the closest folder above the declaration that holds any (a Prisma schema's own
  ``migrations/`` beside it, before a sibling schema's).

Names are compared case- and underscore-insensitively (``created_at`` is ``createdAt``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from scalescope.model.facts import Fact, IndexDef, Loc, MigrationRevision, SchemaChange, Table

if TYPE_CHECKING:
    from scalescope.model.project import ProjectModel

_DRIZZLE_SQL = re.compile(r"(?:^|/)\d{4}_[\w-]+\.sql$")
_NUMBERED = re.compile(r"^\d")
_DIGITS = re.compile(r"(\d+)")


def norm(name: str) -> str:
    """A table, column or index name as compared: lower case, no quotes or underscores."""
    return name.strip().strip('"`[]').lower().replace("_", "")


def natural_key(path: str) -> tuple[tuple[int, int | str], ...]:
    """``migrations/10_x.sql`` after ``migrations/9_y.sql``."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in _DIGITS.split(path) if p)


def _numbered(path: str) -> bool:
    """The file's name (or, for ``<dir>/migration.sql``, its folder's) starts with a number."""
    parts = path.split("/")
    name = parts[-2] if parts[-1] in {"migration.sql", "up.sql"} and len(parts) > 1 else parts[-1]
    return bool(_NUMBERED.match(name))


@dataclass
class IndexState:
    """An index of a replayed table: normalised columns, uniqueness, normalised name, where it
    was created and whether it is a Django field's own index (``db_index``/``unique``)."""

    columns: tuple[str, ...]
    unique: bool
    name: str
    loc: Loc
    field_index: bool = False


@dataclass
class TableState:
    """A replayed table: ``created`` when a migration creates it (not only alters it)."""

    created: bool = False
    columns: set[str] = field(default_factory=set)
    indexes: list[IndexState] = field(default_factory=list)


@dataclass
class Dropped:
    """An index a migration step removed, and the step."""

    table: str
    index: IndexState
    by: Loc


@dataclass
class SchemaReplay:
    """The tables (keyed by normalised name) after replaying a history, and what was dropped."""

    tables: dict[str, TableState] = field(default_factory=dict)
    dropped: list[Dropped] = field(default_factory=list)


class _Replayer:
    def __init__(self, apply_drops: bool) -> None:
        self.drops = apply_drops
        self.state = SchemaReplay()

    def table(self, name: str, create: bool = False) -> TableState:
        state = self.state.tables.get(name)
        if state is None:
            state = self.state.tables[name] = TableState()
        state.created = state.created or create
        return state

    def drop(self, table: str, state: TableState, keep: Iterable[IndexState], loc: Loc) -> None:
        kept = list(keep)
        for index in state.indexes:
            if not any(index is k for k in kept):
                self.state.dropped.append(Dropped(table, index, loc))
        state.indexes = kept

    def index(
        self, table: str, columns: Sequence[str], unique: bool, name: str, loc: Loc, field_index: bool
    ) -> None:
        cols = tuple(norm(c) for c in columns)
        if not cols:
            return
        state = self.table(table)
        state.indexes.append(IndexState(cols, unique, norm(name), loc, field_index))

    def step(self, fact: Fact) -> None:
        if isinstance(fact, Table):
            state = self.table(norm(fact.name), create=True)
            state.columns.update(norm(c.name) for c in fact.columns)
            keyed = {i.columns for i in fact.indexes}
            for idx in fact.indexes:
                self.index(norm(fact.name), idx.columns, idx.unique or idx.primary, idx.name, fact.loc, False)
            for col in fact.columns:
                if (col.unique or col.primary_key or col.indexed) and (col.name,) not in keyed:
                    unique = col.unique or col.primary_key
                    self.index(norm(fact.name), (col.name,), unique, "", fact.loc, False)
        elif isinstance(fact, IndexDef):
            field_index = fact.source == "django" and not fact.name and len(fact.columns) == 1
            self.index(norm(fact.table), fact.columns, fact.unique, fact.name, fact.loc, field_index)
        elif isinstance(fact, SchemaChange):
            self.change(fact)

    def change(self, fact: SchemaChange) -> None:
        op, table = fact.op, norm(fact.table)
        tables = self.state.tables
        if op == "create-table":
            self.table(table, create=True).columns.update(norm(c) for c in fact.columns)
        elif op == "add-column":
            self.table(table).columns.add(norm(fact.name))
        elif op == "rename-table":
            new = norm(fact.new_name)
            moved = tables.pop(table, None)
            if moved is not None and new:
                target = self.table(new, create=moved.created)
                target.columns |= moved.columns
                target.indexes.extend(moved.indexes)
        elif op == "rename-column":
            state = tables.get(table)
            old, new = norm(fact.name), norm(fact.new_name)
            if state is not None and new:
                state.columns.discard(old)
                state.columns.add(new)
                for index in state.indexes:
                    index.columns = tuple(new if c == old else c for c in index.columns)
        elif op == "rename-index":
            old, new = norm(fact.name), norm(fact.new_name)
            for state in tables.values() if not table else [tables[table]] if table in tables else []:
                for index in state.indexes:
                    if index.name == old:
                        index.name = new
        elif self.drops:
            self.apply_drop(fact, op, table)

    def apply_drop(self, fact: SchemaChange, op: str, table: str) -> None:
        tables = self.state.tables
        if op == "drop-table":
            state = tables.pop(table, None)
            if state is not None:
                self.drop(table, state, (), fact.loc)
            return
        name = norm(fact.name)
        candidates = [(table, tables[table])] if table in tables else [] if table else list(tables.items())
        for key, state in candidates:
            if op == "drop-column":
                state.columns.discard(name)
                self.drop(key, state, (i for i in state.indexes if name not in i.columns), fact.loc)
            elif op == "alter-column":
                self.drop(
                    key,
                    state,
                    (i for i in state.indexes if not (i.field_index and i.columns == (name,))),
                    fact.loc,
                )
            elif fact.columns and not name:
                cols = tuple(norm(c) for c in fact.columns)
                self.drop(key, state, (i for i in state.indexes if i.columns != cols), fact.loc)
            elif name:
                self.drop(key, state, (i for i in state.indexes if i.name != name), fact.loc)


@dataclass
class SchemaHistory:
    """One migration history: its files in order, what they ever create, what they leave."""

    files: tuple[str, ...]
    created: SchemaReplay
    final: SchemaReplay
    ordered: bool

    def table(self, names: Iterable[str], final: bool = False) -> list[tuple[str, TableState]]:
        """The replayed tables of these names (normalised), in the order given."""
        tables = (self.final if final else self.created).tables
        out = []
        for name in dict.fromkeys(norm(n) for n in names if n):
            if name in tables:
                out.append((name, tables[name]))
        return out


def replay(
    steps: Sequence[tuple[tuple[object, ...], Fact]], ordered: bool, files: tuple[str, ...]
) -> SchemaHistory:
    """Replay steps (already sorted by their key) twice: without and with drops."""
    created, final = _Replayer(False), _Replayer(True)
    for _, fact in steps:
        created.step(fact)
        final.step(fact)
    return SchemaHistory(files, created.state, final.state, ordered)


class Migrations:
    """The project's migration files and their histories (one per declaration folder)."""

    def __init__(self, model: ProjectModel) -> None:
        self.model = model
        self._cache: dict[tuple[bool, tuple[str, ...]], SchemaHistory] = {}
        self._related_memo: dict[tuple[str, str], bool] = {}
        self._declared: dict[tuple[str, str | None], SchemaHistory | None] = {}

    def is_migration_file(self, path: str) -> bool:
        return self.model.role(path).kind == "migration" or bool(_DRIZZLE_SQL.search(path))

    @cached_property
    def _steps(self) -> dict[str, list[Fact]]:
        """Schema steps by migration file."""
        out: dict[str, list[Fact]] = defaultdict(list)
        kinds: tuple[type[Fact], ...] = (Table, IndexDef, SchemaChange)
        verdict: dict[str, bool] = {}
        for kind in kinds:
            for fact in self.model.all(kind):
                path = fact.loc.file
                if path not in verdict:
                    verdict[path] = self.is_migration_file(path)
                if verdict[path]:
                    out[path].append(fact)
        return dict(out)

    @cached_property
    def _by_folder(self) -> dict[str, list[str]]:
        """Migration files under each folder (every ancestor folder of each file; ``""`` is the
        root)."""
        out: dict[str, list[str]] = defaultdict(list)
        for path in self._steps:
            parts = path.split("/")[:-1]
            for depth in range(len(parts) + 1):
                out["/".join(parts[:depth])].append(path)
        return dict(out)

    @cached_property
    def _revision_depth(self) -> dict[str, int]:
        """Alembic revision files -> their depth in the ``down_revision`` graph."""
        revisions = self.model.all(MigrationRevision)
        parents = {r.revision: r.parents for r in revisions}
        file_of = {r.revision: r.loc.file for r in revisions}
        depth: dict[str, int] = {}
        for start in parents:
            stack = [start]
            while stack:
                rev = stack[-1]
                if rev in depth:
                    stack.pop()
                    continue
                pending = [
                    p for p in parents.get(rev, ()) if p in parents and p not in depth and p not in stack
                ]
                if pending:
                    stack.extend(pending)
                    continue
                depth[rev] = 1 + max((depth.get(p, 0) for p in parents.get(rev, ())), default=0)
                stack.pop()
        return {file_of[r]: d for r, d in depth.items()}

    @cached_property
    def _roots(self) -> dict[str, str]:
        return {p: self.model.package_root(p) for p in self._steps}

    def _related(self, path: str, other: str) -> bool:
        key = (self.model.package_root(path), self._roots[other])
        known = self._related_memo.get(key)
        if known is None:
            known = self._related_memo[key] = self.model.services.related(path, other)
        return known

    @cached_property
    def _schema_homes(self) -> frozenset[str]:
        """Folders holding a schema declaration outside migrations (``prisma/mysql`` of
        ``prisma/mysql/schema.prisma``, ``src/entities``)."""
        homes: set[str] = set()
        for table in self.model.all(Table):
            path = table.loc.file
            if path in self._steps or self.is_migration_file(path):
                continue
            homes.add(path.rsplit("/", 1)[0] if "/" in path else "")
        return frozenset(homes)

    def _elsewhere(self, migration: str, here: str) -> bool:
        """The migration file lies under the folder of another schema declaration, one that is
        not ``here`` nor a folder above it: ``prisma/postgresql/migrations/...`` belongs to
        ``prisma/postgresql/schema.prisma``, not to ``prisma/mysql/schema.prisma`` beside it."""
        if here not in self._schema_homes:
            return False  # not a schema declaration (SQL in code): every migration may apply
        parts = migration.split("/")[:-1]
        for depth in range(len(parts), 0, -1):
            folder = "/".join(parts[:depth])
            if folder in self._schema_homes:
                return not (here == folder or here.startswith(folder + "/"))
        return False

    def history(self, files: Iterable[str], django: bool = False) -> SchemaHistory | None:
        """The replayed history of these migration files: with ``django``, only Django's
        operations and the SQL they run; else everything but Django's operations."""
        chosen = tuple(sorted(set(files)))
        if not chosen:
            return None
        cached = self._cache.get((django, chosen))
        if cached is not None:
            return cached
        depth = self._revision_depth
        priority = {SchemaChange: 0, Table: 0, IndexDef: 1}
        steps: list[tuple[tuple[object, ...], Fact]] = []
        for path in chosen:
            folder = path.rsplit("/", 1)[0] if "/" in path else ""
            file_key = (natural_key(folder), depth.get(path, 0), natural_key(path))
            for fact in self._steps.get(path, ()):
                if _django(fact) == django or (django and _embedded(fact)):
                    steps.append(((file_key, fact.loc.line, priority.get(type(fact), 1)), fact))
        steps.sort(key=lambda s: s[0])
        ordered = all(p in depth or _numbered(p) for p in chosen)
        result = replay(steps, ordered, chosen)
        self._cache[(django, chosen)] = result
        return result

    def for_declaration(self, path: str, django_app: str | None = None) -> SchemaHistory | None:
        """The history a schema declaration in ``path`` is built by: for a Django model, the
        migrations of its app folder ``django_app`` (Django operations and SQL they run); else
        the related migrations under the closest folder above ``path`` holding any (Django
        operations left out)."""
        key = (path.rsplit("/", 1)[0] if "/" in path else "", django_app)
        if key in self._declared:
            return self._declared[key]
        found: SchemaHistory | None = None
        if django_app is not None:
            folder = f"{django_app}/migrations" if django_app else "migrations"
            found = self.history(self._by_folder.get(folder, ()), django=True)
        else:
            parts = path.split("/")[:-1]
            here = "/".join(parts)
            for depth in range(len(parts), -1, -1):
                folder = "/".join(parts[:depth])
                files = [
                    p
                    for p in self._by_folder.get(folder, ())
                    if self._related(path, p) and not self._elsewhere(p, here)
                ]
                history = self.history(files) if files else None
                if history is not None and history.created.tables:
                    found = history
                    break
        self._declared[key] = found
        return found


def _django(fact: Fact) -> bool:
    return isinstance(fact, IndexDef | SchemaChange) and fact.source == "django"


def _embedded(fact: Fact) -> bool:
    """SQL a Django migration runs (``RunSQL``)."""
    return isinstance(fact, IndexDef | SchemaChange) and fact.source == "migration"
