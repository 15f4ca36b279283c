"""SC-DB-010 query-outside-transaction-handle."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from scalescope.model.facts import DataAccess, Transaction
from scalescope.model.project import ProjectModel
from scalescope.scan.rules._fixes import stack_near
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._helpers import describe, orm_label
from scalescope.scan.rules.database._pools import declared_databases


class QueryOutsideTransactionHandle(Rule):
    """A query inside a transaction callback uses the global client, not the transaction.

    ## What it finds
    Inside a transaction callback that receives a transaction handle (Prisma interactive
    `prisma.$transaction(async (tx) => ...)`, Drizzle `db.transaction(async (tx) => ...)`, Knex
    `knex.transaction(async (trx) => ...)`, Sequelize managed `sequelize.transaction(async (t)
    => ...)`, TypeORM `dataSource.transaction(async (manager) => ...)`), a query that uses
    neither the handle nor a value derived from it (`tx.user`, `manager.getRepository(User)`,
    `{ transaction: t }`, `.transacting(trx)`): `prisma.user.update(...)`, an injected
    repository, `User.create(...)` without `{ transaction: t }`. The finding names the
    transaction and the call that escapes it. Prisma's array form
    `$transaction([prisma.a.create(), ...])` has no handle and does not fire; nor do Sequelize
    projects that pass transactions implicitly through CLS (`cls-hooked` installed). A `sql`
    template that is part of a query built on the handle (Drizzle
    ``tx.update(t).set({ key: sql`REPLACE(...)` })``, ``.where(sql`...`)``,
    ``eq(col, sql`...`)``) is no query of its own and does not fire; raw SQL handed to the
    handle (``tx.execute(sql`...`)``) uses it.

    SQLAlchemy: inside `with session.begin():` / `with engine.begin() as conn:`, a query on a
    second session or connection opened in the block (`with SessionLocal() as other:`,
    `engine.connect()`). Django's `transaction.atomic` uses the thread's one connection and does
    not fire.

    Confidence: the pool deadlock needs as many concurrent runs of the transaction as the pool
    has connections. A transaction opened directly in a lifecycle method that the framework calls
    once per process or installation (a plugin's `install`/`upgrade`, Nest `onModuleInit` /
    `onApplicationBootstrap`, `bootstrap`, `startup`/`shutdown`, `seed`, `migrate`) and that no
    route or request hook reaches never has those concurrent runs: it is reported at low, with
    that reason, for the commit outside the transaction. Every other place keeps the rule's
    confidence, whether routes reach it or not: the call graph does not show every caller (an
    event listener, a queue consumer, an exported service), so an unreached function is not
    shown to run alone. A listener registered inside a lifecycle method runs per event and
    keeps it too. A Sequelize read in a package whose only SQL driver is SQLite's (`sqlite3`)
    is low: that dialect opens one connection per transaction beside the shared one, with no
    pool to run out of (a write keeps the rule's confidence: it waits on SQLite's one write
    lock the transaction holds).

    ## Why it matters at scale
    The transaction holds one pooled connection until the callback returns; the escaping query
    needs a second one from the same pool. With a pool of P connections, P concurrent requests
    each hold one and wait for another: every request stalls until the pool (or transaction)
    timeout, and the service stops under exactly the load it must serve. If the escaping query
    touches a row the transaction has locked, it waits on its own transaction at any load. It
    also runs outside the transaction: it commits even when the transaction rolls back, and
    does not see the transaction's uncommitted writes.

    ## Example
    ```ts
    await prisma.$transaction(async (tx) => {
      const order = await tx.order.create({ data });
      await prisma.stock.update({ where: { sku }, data: { qty: { decrement: 1 } } });
    });
    ```

    ## Use instead
    ```ts
    await prisma.$transaction(async (tx) => {
      const order = await tx.order.create({ data });
      await tx.stock.update({ where: { sku }, data: { qty: { decrement: 1 } } });
    });
    ```
    Pass the handle to helpers (`createOrder(tx, data)`); Sequelize: `{ transaction: t }` on every
    query (or CLS); TypeORM: `manager.getRepository(Entity)` instead of the injected repository;
    Knex: `trx('table')` or `.transacting(trx)`.

    ## Known problems
    Only queries written in the callback itself are seen: a helper called from it that uses the
    global client is missed. In Python only a session or connection opened inside the block is
    seen (a request-scoped session opened elsewhere is not). A helper called only from a
    lifecycle method keeps the rule's confidence: only the method that opens the transaction is
    judged by its name.
    """

    meta = RuleMeta(
        id="SC-DB-010",
        name="query-outside-transaction-handle",
        category="database",
        severity="high",
        title="Query inside a transaction runs on another pooled connection",
        effort="hours",
        confidence="high",
        impact=(
            "Each request holds one connection and waits for a second: "
            "P concurrent requests deadlock a pool of P."
        ),
        ecosystems=("node", "python"),
        references=(
            "https://www.prisma.io/docs/orm/prisma-client/queries/transactions#interactive-transactions",
            "https://sequelize.org/docs/v6/other-topics/transactions/",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        by_file: dict[str, list[Transaction]] = {}
        for tx in model.all(Transaction):
            if tx.handle:
                by_file.setdefault(tx.loc.file, []).append(tx)
        if not by_file:
            return
        for access in model.all(DataAccess):
            if not access.escapes_transaction:
                continue
            if access.orm == "sequelize" and "cls-hooked" in stack_near(model, access.loc.file):
                continue  # Sequelize.useCLS hands `t` to every query of the callback
            if not model.role(access.loc.file).reportable:
                continue
            found = _innermost(by_file.get(access.loc.file, ()), access)
            if found is None:
                continue
            tx = found
            where = f"on `{tx.client}`" if tx.client else "a transaction block"
            message = (
                f"{describe(access)} runs inside the {orm_label(access.orm)} transaction opened at line "
                f"{tx.loc.line} ({where}, handle `{tx.handle}`) but does not use `{tx.handle}`: it takes "
                "a second pooled connection while the transaction holds one, so as many concurrent "
                "requests as the pool has connections wait on each other until the pool timeout, "
                "and it commits outside the transaction."
            )
            confidence = None
            once = _one_off(model, tx)
            if once:
                confidence = "low"
                message += (
                    f" The transaction runs in `{once}()`, a lifecycle method the framework calls once "
                    "(start-up, install, upgrade or shut-down), and no route or request hook reaches it, "
                    "so the concurrent runs that would exhaust the pool do not happen; only the commit "
                    "outside the transaction remains."
                )
            if (
                confidence is None
                and access.orm == "sequelize"
                and access.kind not in {"write", "delete", "raw"}
                and declared_databases(model, access.loc.file) == {"sqlite"}
            ):
                # Sequelize's SQLite dialect opens one connection per transaction and one for
                # everything else, with no pool limit; in WAL mode a read is not blocked
                confidence = "low"
                message += (
                    " Low confidence: the package's only SQL driver is SQLite's, and Sequelize's "
                    "SQLite dialect gives each transaction a connection of its own beside the one the "
                    "other queries share, with no pool to run out of; this read sees only what was "
                    "committed before the transaction."
                )
            yield self.hit(
                access.loc,
                message=message,
                confidence=confidence,
                recommendation=(
                    f"Run it through the transaction handle `{tx.handle}` (or pass `{tx.handle}` to the "
                    "helper that issues it)."
                ),
                cause=tx.loc,
                place=f"{describe(access)} outside `{tx.handle}`",
            )


#: methods a framework calls once in the life of a process or an installation, never per request:
#: plugin and application install/upgrade hooks, Nest module lifecycle, start-up and shut-down
ONE_OFF_LIFECYCLE = frozenset(
    {
        "install",
        "uninstall",
        "beforeInstall",
        "afterInstall",
        "upgrade",
        "downgrade",
        "migrate",
        "seed",
        "afterEnable",
        "afterDisable",
        "onModuleInit",
        "onModuleDestroy",
        "onApplicationBootstrap",
        "beforeApplicationShutdown",
        "onApplicationShutdown",
        "bootstrap",
        "startup",
        "shutdown",
        "on_startup",
        "on_shutdown",
    }
)


def _one_off(model: ProjectModel, tx: Transaction) -> str:
    """The name of the lifecycle method (:data:`ONE_OFF_LIFECYCLE`) that opens ``tx`` when no
    route or request hook reaches it (a run per process or installation, never many at once),
    else ``""``. Only the function whose body opens the transaction counts: a callback
    defined in a lifecycle method and registered there (an event listener) runs per event."""
    fn = model.functions.get(tx.function_id) if tx.function_id else None
    if fn is None or fn.name not in ONE_OFF_LIFECYCLE:
        return ""
    if model.routes_reaching(fn.id) or model.hook_reaching(fn.id) is not None:
        return ""
    return fn.name


def _innermost(txs: Iterable[Transaction], access: DataAccess) -> Transaction | None:
    best: Transaction | None = None
    for tx in txs:
        inside = tx.body.line <= access.loc.line <= (tx.body.end_line or tx.body.line)
        if inside and (best is None or tx.body.line >= best.body.line):
            best = tx
    return best
