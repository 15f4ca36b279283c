"""SC-DB-013 lost-update."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from scalescope.model.facts import DataAccess, Loc, ReadModifyWrite, Route
from scalescope.model.project import ProjectModel
from scalescope.scan.extract.rmw_common import VERSION_COLUMNS
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._fixes import race_fix
from scalescope.scan.rules.database._helpers import orm_label, routes_text

#: words of a column name that say what a lost update costs there (they set the severity and the
#: outcome named; none is required): a balance spent twice, stock sold twice, an amount that
#: ends wrong, a counter that undercounts
_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "stock",
        frozenset(
            [
                "stock",
                "inventory",
                "quantity",
                "qty",
                "available",
                "remaining",
                "seats",
                "tickets",
                "slots",
                "capacity",
                "quota",
                "units",
                "supply",
                "left",
                "spots",
                "uses",
            ]
        ),
    ),
    (
        "balance",
        frozenset(
            [
                "balance",
                "credit",
                "credits",
                "wallet",
                "funds",
                "points",
                "coins",
                "tokens",
                "cash",
                "bonus",
                "reward",
                "rewards",
                "deposit",
                "budget",
                "allowance",
            ]
        ),
    ),
    (
        "money",
        frozenset(
            [
                "amount",
                "total",
                "sum",
                "price",
                "cost",
                "fee",
                "fees",
                "earnings",
                "payout",
                "revenue",
                "paid",
                "due",
                "owed",
            ]
        ),
    ),
    (
        "counter",
        frozenset(
            [
                "count",
                "counter",
                "views",
                "view",
                "hits",
                "clicks",
                "likes",
                "votes",
                "visits",
                "downloads",
                "plays",
                "attempts",
                "retries",
                "impressions",
                "opens",
                "reads",
                "shares",
            ]
        ),
    ),
)
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def _kind(column: str) -> str:
    """stock | balance | money | counter | other, from the column's words."""
    words = {w.lower() for w in _WORDS.findall(column)}
    for kind, names in _KINDS:
        if words & names:
            return kind
    return "counter" if column.lower().endswith("count") else "other"


def _outcome(kind: str, op: str, form: str, column: str) -> tuple[str, str]:
    """(what two concurrent requests end with, severity)."""
    if form == "check" and op == "+":
        return (
            f"both pass the check and both add, so `{column}` goes past the limit the check enforces",
            "medium",
        )
    if form == "check":
        if kind == "stock":
            return (
                f"both pass the check and both subtract, so `{column}` goes below zero: an oversell",
                "high",
            )
        if kind in {"balance", "money"}:
            return (
                f"both pass the check and both subtract, so `{column}` goes below zero: a double spend",
                "high",
            )
        return (
            f"both pass the check and both subtract, so `{column}` goes past the limit the check enforces",
            "medium",
        )
    if kind == "stock" and op == "-":
        return (
            f"both see the same `{column}`, both succeed and one subtraction is lost: an oversell "
            "(more sold than there was, and the stored count is wrong)",
            "high",
        )
    if kind == "stock":
        return (
            f"both see the same `{column}` and one change overwrites the other: the stored quantity is wrong",
            "high",
        )
    if kind == "balance" and op == "-":
        return (
            f"both see the same `{column}`, both succeed and only one charge is recorded: a double spend",
            "high",
        )
    if kind == "balance":
        return f"both see the same `{column}` and one addition overwrites the other: a lost credit", "high"
    if kind == "money":
        return (
            f"both see the same `{column}` and one change overwrites the other: the stored amount is wrong",
            "high",
        )
    if kind == "counter":
        return (
            f"both see the same `{column}` and one change overwrites the other: the counter undercounts",
            "low",
        )
    return f"both see the same `{column}` and one change overwrites the other: a lost update", "medium"


class LostUpdate(Rule):
    """A value read from the database, changed in application code and written back.

    ## What it finds
    Within one function, a row read by a query (`findUnique`, `findOne`, `findByPk`,
    `findById`, `.first()`, `objects.get`, `session.get`, `SELECT ... FROM`), one of its
    columns used in arithmetic (`p.stock - qty`, `Number(row.balance) + amount`,
    `p.stock -= qty`, `let s = p.stock; s -= qty`), and the result written back to the same
    model as an absolute value: an update whose data carries it (Prisma `data`,
    TypeORM/Sequelize `update`, Knex `.update()`, Drizzle `.set()`, Mongoose `$set`,
    Django `.update(col=...)`, SQLAlchemy `.values(...)`), `UPDATE ... SET col = $1` with it
    as the value, or the changed row object saved (`repo.save(p)`, `p.save()`, Django
    `save()`) or its session committed (SQLAlchemy). Also a read whose column the code
    compares (`if (p.stock < qty) throw`) followed by an atomic decrement whose `WHERE`
    does not repeat the comparison, or an increment past a checked limit (`if (u.calls >=
    u.quota) throw` then `{ calls: { increment: 1 } }`): the check does not hold under
    concurrency.

    Nothing is reported where the function already serialises the write: a locking read or
    lock (`SELECT ... FOR UPDATE`, `select_for_update()`, `with_for_update()`, TypeORM
    `lock:`/`setLock`, Sequelize `lock:`, Knex `forUpdate()`, Drizzle `.for("update")`, an
    advisory lock, a mutex or redlock), a serializable or repeatable-read transaction, a
    conditional update (the write's `WHERE` repeats the column, a version column or a status
    it expects), a MongoDB session, or a model with a version column for object saves. The
    message names the read, the arithmetic and the write (file:line) and the outcome: an
    oversell for stock and quantities, a double spend for balances and credits, a lost
    update otherwise; counters (`views`, `likes`, `*Count`) are low severity. A write whose
    target row is not shown to be the row read, that no mounted route reaches (a job, a
    script) or that only admin routes reach is low confidence; one a middleware or request
    hook reaches runs on every request, and the message says so.

    ## Why it matters at scale
    Between the read and the write, another request can read the same value. Both compute
    from it and both write their own result: the second write silently erases the first.
    With one user clicking once this never shows; with concurrent checkouts, double-clicked
    "pay" buttons, retried webhooks or parallel workers it happens daily, and more often as
    traffic grows: the window is the request's own latency, which grows under load. The last
    unit of stock is sold twice, a balance pays for two purchases, a credit disappears. A
    transaction alone does not help: at PostgreSQL's and MySQL's default isolation levels the
    two transactions still both read the old value.

    ## Example
    ```ts
    const product = await prisma.product.findUnique({ where: { id } });
    if (product.stock < qty) throw new Error("out of stock");
    await prisma.product.update({ where: { id }, data: { stock: product.stock - qty } });
    ```

    ## Use instead
    ```ts
    const { count } = await prisma.product.updateMany({
      where: { id, stock: { gte: qty } },
      data: { stock: { decrement: qty } },
    });
    if (count === 0) throw new Error("out of stock");
    ```
    Django: `Product.objects.filter(pk=pk, stock__gte=qty).update(stock=F("stock") - qty)`;
    SQLAlchemy: `update(Product).where(Product.id == id, Product.stock >= qty)
    .values(stock=Product.stock - qty)`; SQL: `UPDATE products SET stock = stock - $1 WHERE
    id = $2 AND stock >= $1`. Where the new value needs more than arithmetic, read the row
    with a lock (`SELECT ... FOR UPDATE`, `select_for_update()`, `with_for_update()`) inside
    the transaction that writes it, or add a version column and make the write conditional.

    ## Known problems
    Only a read and a write in the same function (or a callback inside it) are seen: a
    value read in one function and written in another is missed, and so is a commit left to
    the caller (a SQLAlchemy session committed by a dependency). A lock is recognised by its
    text anywhere in the function, so an unrelated lock there hides the finding. A database
    `CHECK (stock >= 0)` constraint turns the check-then-decrement oversell into an error,
    which the scan does not read. Check-then-insert of a unique value is SC-DB-018's;
    `last.position + 1` written to another row is not reported (an ordering race, not a lost
    update). Only queries the data-access readers recognise count: a Prisma client returned by a call
    (`this.prisma.txClient().product`) or an ORM the scan does not read (Objection, peewee) is
    not seen. A version column on the model is taken as optimistic locking of object saves,
    though some ORMs (Django without django-concurrency, TypeORM `@VersionColumn`) do not check
    it on save.
    """

    meta = RuleMeta(
        id="SC-DB-013",
        name="lost-update",
        category="database",
        severity="high",
        title="Read-modify-write race: a value read, changed in code and written back",
        effort="hours",
        scope="local",
        confidence="high",
        impact=(
            "Concurrent requests read the same value and each writes its own result: stock oversells, "
            "balances double-spend, updates are lost."
        ),
        ecosystems=("node", "python"),
        references=(
            "https://www.postgresql.org/docs/current/transaction-iso.html#XACT-READ-COMMITTED",
            "https://www.prisma.io/docs/orm/prisma-client/queries/transactions#optimistic-concurrency-control",
            "https://docs.djangoproject.com/en/stable/ref/models/expressions/#f-expressions",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        for rmw in model.all(ReadModifyWrite):
            if rmw.protection or not model.role(rmw.loc.file).reportable:
                continue
            if rmw.form == "save" and _versioned(model, rmw):
                continue
            if rmw.read_ordered and not rmw.same_row:
                continue  # ``last.position + 1`` written to another row: an ordering, not a lost update
            routes = model.routes_reaching(rmw.function_id)
            yield self._hit(model, rmw, routes)

    def _hit(self, model: ProjectModel, rmw: ReadModifyWrite, routes: Sequence[Route]) -> Hit:
        column = rmw.field
        kind = _kind(column)
        outcome, severity = _outcome(kind, rmw.op, rmw.form, column)
        label = orm_label(rmw.orm)
        name = f"`{rmw.column_text or column}`"
        read = f"{_at(rmw.read)} (`{rmw.read_call}`)" if rmw.read_call else _at(rmw.read)
        write = (
            f"{_at(rmw.loc)} (`{rmw.write_call}`, {label})" if rmw.write_call else f"{_at(rmw.loc)} ({label})"
        )
        if rmw.form == "check":
            changed = "incremented" if rmw.op == "+" else "decremented"
            compared = f" and compared at line {rmw.check.line}" if rmw.check is not None else ""
            head = (
                f"{name} is read at {read}{compared}, then {changed} at {write} with no condition on "
                f"`{column}` in the update's WHERE and no lock on the row"
            )
        elif rmw.form == "save":
            modify = rmw.modify.line if rmw.modify is not None else rmw.loc.line
            head = (
                f"{name} is read at {read}, changed on the object at line {modify} (`{rmw.value}`) and "
                f"written back as an absolute value at {write}; no row lock, atomic update or "
                "conditional write protects it"
            )
        else:
            computed = f", computed at line {rmw.modify.line}" if rmw.modify is not None else ""
            head = (
                f"{name} is read at {read} and written back at {write} as a value computed in code "
                f"(`{rmw.value}`{computed}); no row lock, atomic update or conditional write protects it"
            )
        if rmw.check is not None and rmw.form != "check":
            outcome += f"; the check at line {rmw.check.line} does not prevent it"
        confidence = None
        notes: list[str] = []
        if routes and all(model.is_admin_route(r) for r in routes):
            serves = f" It serves {routes_text(routes)}."
            confidence = "low"
            notes.append("only admin routes reach it, and admins rarely run one action twice at once")
        elif routes:
            serves = f" It serves {routes_text(routes)}."
        elif (hook := model.hook_reaching(rmw.function_id)) is not None:
            serves = f" It runs on every request, in {hook.describe()}."
        else:
            serves = ""
            confidence = "low"
            notes.append(
                "no mounted route reaches it (a job or a script runs it), so how often two runs "
                "overlap is not shown"
            )
        if not rmw.same_row:
            confidence = "low"
            notes.append("the write's filter is not shown to target the row that was read")
        if rmw.in_transaction and rmw.form != "check":
            notes.append(
                "the transaction around it does not help at the default isolation level: both "
                "transactions read the old value"
            )
        message = f"{head}. Two concurrent requests {outcome}.{serves}"
        if notes:
            text = "; ".join(notes)
            message += f" {text[:1].upper()}{text[1:]}."
        fix = race_fix(rmw.orm, rmw.model, column, "-" if rmw.form == "check" else rmw.op)
        loc = rmw.modify if rmw.form == "save" and rmw.modify is not None else rmw.loc
        return self.hit(
            loc,
            message=message,
            recommendation=fix.advice,
            fix_snippet=fix.snippet,
            fix_language=fix.language,
            severity=severity,
            confidence=confidence,
            cause=f"{rmw.read.file}:{rmw.read.line}>{rmw.loc.line}",
            place=f"{name} written back at {_at(rmw.loc)}",
            heat=len(routes),
        )


def _at(loc: Loc) -> str:
    return f"{loc.file}:{loc.line}"


def _versioned(model: ProjectModel, rmw: ReadModifyWrite) -> bool:
    """The model has a version column: an ORM that checks it on save (Sequelize `version`,
    SQLAlchemy `version_id_col`, Mongoose `optimisticConcurrency`) makes the save conditional."""
    near = DataAccess(rmw.loc, orm=rmw.orm, model=rmw.model, operation="save", kind="write")
    for table in model.find_tables(rmw.model, near=near):
        if any(c.name.lower() in VERSION_COLUMNS - {"updatedat", "updated_at"} for c in table.columns):
            return True
    return False
