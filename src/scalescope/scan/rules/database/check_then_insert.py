"""SC-DB-018 check-then-insert."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from scalescope.model.facts import CheckThenInsert as CheckInsertFact
from scalescope.model.facts import DataAccess, Loc, Table
from scalescope.model.project import ProjectModel
from scalescope.scan.extract.rmw_common import norm_column
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._fixes import unique_insert_fix
from scalescope.scan.rules.database._helpers import orm_label, routes_text

#: words of a model name that say what a duplicate is (the outcome named); none is required
_ACCOUNTS = re.compile(r"user|account|member|customer|profile|subscriber|tenant|organi[sz]ation|team")
_ID_SUFFIX = re.compile(r"(?:_id|Id|ID)$")


def _norms(name: str) -> set[str]:
    """A column compared across spellings: ``user_id``, ``userId`` and ``user`` (Django and
    Prisma name a foreign key by its relation or its column)."""
    out = {norm_column(name)}
    stripped = _ID_SUFFIX.sub("", name)
    if stripped and stripped != name:
        out.add(norm_column(stripped))
    return out


class CheckThenInsert(Rule):
    """A request checks that no row with a value exists, then inserts one, with no unique key.

    ## What it finds
    Within one function, a read that checks whether a row with some values exists
    (`findUnique`/`findFirst({ where: { email } })`, `findOne`, `count`, `exists`,
    `.filter(...).exists()`, `.filter(...).first()`, `SELECT ... WHERE email = $1`), an `if`
    on its result that returns or throws when a row was found (or an insert in the branch
    where none was, or in `except Model.DoesNotExist`), and an insert into the same table
    that sets every checked column (`create`, `insert`, `insertOne`, a `save` of a new
    object, `new Model({...}).save()`, Django `objects.create`/`Model(...).save()`,
    SQLAlchemy `session.add(Model(...))`/`insert(Model).values(...)`, a literal `INSERT`).
    It is reported only when the table's schema is in the repository and no primary key,
    unique column, unique index or unique constraint of it (in the model, an entity, a
    migration or SQL DDL) has all its columns among the checked ones: with one, the second
    insert fails instead of duplicating. Upserts, `ON CONFLICT`/`INSERT IGNORE` inserts,
    `get_or_create`/`findOrCreate` and reads under a lock (a locking read, an advisory or
    application lock) or in a serializable transaction are not reported. The message names
    the check and the insert (file:line), the columns, and what two concurrent requests end
    with; an insert no mounted route reaches (a job, a script) or that only admin routes
    reach is low confidence. Code a middleware or request hook runs (Flask `before_request`,
    `@app.middleware("http")`, `app.use(fn)`) runs on every request, and the message says so.

    ## Why it matters at scale
    The check and the insert are two statements. Two requests with the same value that
    arrive together (a double-clicked sign-up button, a client retry after a timeout, two
    webhook deliveries of one event, two users claiming the same slug) both run the check
    before either inserts, both see "none", and both insert. Nothing fails: the table now
    holds two accounts with one email, two rows for one slug, two seats for one user, and
    every later lookup by that value picks one of them. The window is the time between the
    two statements, which grows with load, so duplicates appear as traffic grows and are
    costly to clean up once other rows point at both copies.

    ## Example
    ```ts
    const existing = await prisma.user.findUnique({ where: { email } });
    if (existing) return res.status(409).json({ error: "email taken" });
    const user = await prisma.user.create({ data: { email, name } });
    ```
    with `email String` (no `@unique`) in `schema.prisma`.

    ## Use instead
    ```ts
    // schema.prisma:  email String @unique   (and a migration)
    try {
      const user = await prisma.user.create({ data: { email, name } });
    } catch (e) {
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
        return res.status(409).json({ error: "email taken" });
      }
      throw e;
    }
    ```
    A unique index or constraint on the checked columns makes the database refuse the second
    row; the check can stay for a friendly message, but the unique-violation error is the real
    answer. Or insert with an upsert / `ON CONFLICT DO NOTHING` / Django `get_or_create` backed
    by that constraint. Django: `UniqueConstraint(fields=[...])` and catch `IntegrityError`;
    SQLAlchemy: `UniqueConstraint(...)` and catch `IntegrityError`; Mongoose: `unique: true`
    and catch error `11000`.

    ## Known problems
    Only a check and an insert in the same function are seen: a check in a controller and
    the insert in a service it calls are missed. A check with an OR across columns (`email`
    or `username`), a range or a relation filter is not followed. The schema must name the
    table as the code does; a unique index the database has but the repository does not show
    (created by hand) makes a finding false. A unique key that is case-sensitive while the
    check is not (`mode: "insensitive"`, `__iexact`) is taken as protection. A lock is
    recognised by its text anywhere in the function.
    """

    meta = RuleMeta(
        id="SC-DB-018",
        name="check-then-insert",
        category="database",
        severity="medium",
        title="Check-then-insert with no unique key: concurrent requests insert duplicates",
        effort="hours",
        scope="local",
        confidence="medium",
        impact=(
            "Two concurrent requests with the same value both pass the existence check and both insert: "
            "duplicate accounts, slugs or seats that later lookups pick at random."
        ),
        ecosystems=("node", "python"),
        references=(
            "https://www.postgresql.org/docs/current/ddl-constraints.html#DDL-CONSTRAINTS-UNIQUE-CONSTRAINTS",
            "https://www.prisma.io/docs/orm/reference/error-reference#p2002",
            "https://docs.djangoproject.com/en/stable/ref/models/querysets/#get-or-create",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        for fact in model.all(CheckInsertFact):
            if fact.protection or not model.role(fact.loc.file).reportable:
                continue
            near = DataAccess(fact.loc, orm=fact.orm, model=fact.model, operation="create", kind="write")
            tables = model.find_tables(fact.model, near=near)
            if not tables:
                continue  # the schema is not in the repository: whether a key exists is unknown
            if any(_enforced(model, table, fact.columns) for table in tables):
                continue
            yield self._hit(model, fact, tables[0])

    def _hit(self, model: ProjectModel, fact: CheckInsertFact, table: Table) -> Hit:
        routes = model.routes_reaching(fact.function_id)
        hook = None if routes else model.hook_reaching(fact.function_id)
        cols = ", ".join(f"`{c}`" for c in fact.columns)
        read = f"{_at(fact.read)} (`{fact.read_call}`)" if fact.read_call else _at(fact.read)
        insert = f"{_at(fact.loc)} (`{fact.write_call}`, {orm_label(fact.orm)})"
        how = {"count": "counted", "exists": "checked for"}.get(fact.read_kind, "looked up")
        head = (
            f"Rows with the same {cols} are {how} at {read} and, when none was found, a row is inserted at "
            f"{insert}: two statements, and the schema of `{table.name}` ({_at(table.loc)}) has no "
            f"unique key on {cols} to refuse the second row"
        )
        message = f"{head}. {_outcome(fact, table, bool(routes) or hook is not None)}"
        confidence = None
        notes: list[str] = []
        if routes and all(model.is_admin_route(r) for r in routes):
            message += f" It serves {routes_text(routes)}."
            confidence = "low"
            notes.append("only admin routes reach it, and admins rarely submit the same value twice at once")
        elif routes:
            message += f" It serves {routes_text(routes)}."
        elif hook is not None:
            message += f" It runs on every request, in {hook.describe()}."
        else:
            confidence = "low"
            notes.append(
                "no mounted route reaches it (a job or a script runs it), so how often two runs "
                "overlap is not shown"
            )
        if fact.in_transaction:
            notes.append(
                "the transaction around it does not help at the default isolation level: both "
                "transactions see no row"
            )
        if notes:
            text = "; ".join(notes)
            message += f" {text[:1].upper()}{text[1:]}."
        fix = unique_insert_fix(fact.orm, fact.model or table.model or table.name, fact.columns)
        return self.hit(
            fact.loc,
            message=message,
            recommendation=fix.advice,
            fix_snippet=fix.snippet,
            fix_language=fix.language,
            confidence=confidence,
            cause=f"{fact.read.file}:{fact.read.line}>{fact.loc.line}",
            place=f"insert after the check at {_at(fact.read)}",
            heat=len(routes),
        )


def _enforced(model: ProjectModel, table: Table, columns: Sequence[str]) -> bool:
    """A unique key of the table whose columns are all among the checked ones: the second
    insert fails."""
    checked: set[str] = set()
    db_names = {c.name: c.db_name for c in table.columns if c.db_name}
    by_db = {c.db_name: c.name for c in table.columns if c.db_name}
    for col in columns:
        checked |= _norms(col)
        for other in (db_names.get(col), by_db.get(col)):
            if other:
                checked |= _norms(other)
    return any(all(_norms(c) & checked for c in key) for key in model.unique_keys(table))


def _outcome(fact: CheckInsertFact, table: Table, served: bool) -> str:
    """What two concurrent requests with the same values end with."""
    name = (table.model or fact.model or table.name).rsplit(".", 1)[-1]
    words = " and ".join(fact.columns)
    plural = "s" if len(fact.columns) > 1 else ""
    if not served:
        return (
            f"Two runs that overlap with the same {words} both pass the check and both insert: two "
            f"`{name}` rows with the same value{plural}, where the code expects one."
        )
    if _ACCOUNTS.search(name.lower()):
        return (
            f"Two concurrent requests (a double-submitted sign-up, a retry) with the same {words} both "
            f"pass the check and both insert: two `{name}` rows with one {words}, a duplicate account "
            "that later lookups pick at random."
        )
    return (
        f"Two concurrent requests with the same {words} both pass the check and both insert: two "
        f"`{name}` rows with the same value{plural}, where the code expects one."
    )


def _at(loc: Loc) -> str:
    return f"{loc.file}:{loc.line}"
