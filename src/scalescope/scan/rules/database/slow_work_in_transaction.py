"""SC-DB-008 slow-work-in-transaction."""

from __future__ import annotations

from collections.abc import Iterator

from scalescope.model.facts import DataAccess, SlowCall, Transaction
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta

_WHAT = {
    "http": "an outbound HTTP call",
    "email": "sending an email",
    "sleep": "a sleep",
    "subprocess": "a child process",
    "file-io": "file I/O",
    "image": "image processing",
    "pdf": "PDF rendering",
    "crypto": "synchronous password hashing",
    "export": "an export",
}


class SlowWorkInTransaction(Rule):
    """Slow, non-database work runs while a database transaction is open.

    ## What it finds
    An outbound HTTP request, email send, sleep, child process, image/PDF work, synchronous
    crypto or file I/O inside a transaction callback or block (`prisma.$transaction(async tx =>
    ...)`, `dataSource.transaction(...)`, `sequelize.transaction(...)`, `knex.transaction(...)`,
    `with transaction.atomic():`, `session.begin()`). The same calls before the transaction
    starts or after it commits do not fire; nor does a yield of a few milliseconds (an awaited
    `setTimeout` under 100 ms written as a number; an `asyncio.sleep` counts from 0.5 s); nor
    does a fire-and-forget promise in a Node callback (`axios.post(...).catch(log)` as a
    statement of its own, `void fetch(...)`, a promise stored in a name never used again): the
    callback returns and commits without waiting for it. One that is awaited, returned or
    kept in a name used later (`await Promise.all([...])`) counts, and so does a blocking call
    (`readFileSync`, `hashSync`) whatever is done with its result. In a Django `atomic` block,
    a call before the block's first query or write is low: no row lock is held yet and Django
    keeps one connection per worker thread (no shared pool to drain).

    ## Why it matters at scale
    A transaction holds its pooled connection, and every row lock it has taken, until it
    commits. A 2 s payment call or SMTP handshake inside it keeps the connection and the locks
    for 2 s: a pool of 10 then serves at most 5 such requests per second, concurrent requests
    touching the same rows queue behind the locks, and when the remote service slows down the
    whole database layer stalls with it.

    ## Example
    ```ts
    await prisma.$transaction(async (tx) => {
      const order = await tx.order.create({ data });
      await stripe.charges.create({ amount: order.total });   // remote call, locks held
      await transporter.sendMail({ to: user.email });
    });
    ```

    ## Use instead
    ```ts
    const order = await prisma.$transaction(async (tx) => tx.order.create({ data }));
    await stripe.charges.create({ amount: order.total });
    await emailQueue.add("order-confirmation", { orderId: order.id });  // outbox / queue
    ```
    Commit first, then call out (or write an outbox row in the transaction and let a worker
    send it). Django: `transaction.on_commit(lambda: send_email.delay(order.id))`.

    ## Known problems
    Only calls written inside the transaction body are seen; a helper called from the body
    that does slow work is missed.
    """

    meta = RuleMeta(
        id="SC-DB-008",
        name="slow-work-in-transaction",
        category="database",
        severity="high",
        title="Slow external work inside a database transaction",
        effort="hours",
        scope="local",
        confidence="high",
        impact="Connections and row locks are held for the duration of remote calls; the pool drains.",
        ecosystems=("node", "python"),
        references=(
            "https://www.prisma.io/docs/orm/prisma-client/queries/transactions#interactive-transactions",
            "https://docs.djangoproject.com/en/stable/topics/db/transactions/#performing-actions-after-commit",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        txs = model.all(Transaction)
        for call in model.all(SlowCall):
            if not call.in_transaction or not model.role(call.loc.file).reportable:
                continue
            tx = next(
                (
                    t
                    for t in txs
                    if t.loc.file == call.loc.file and t.body.line <= call.loc.line <= t.body.end_line
                ),
                None,
            )
            where = f"the {tx.orm} transaction at line {tx.loc.line}" if tx is not None else "a transaction"
            what = _WHAT.get(call.kind, call.kind)
            first = tx is not None and tx.orm == "django" and not _statement_before(model, tx, call)
            message = (
                f"{call.target}() is {what} inside {where}: the pooled connection and its row "
                f"locks stay held until it returns."
            )
            if first:
                # Django holds one connection per worker thread (no shared pool to drain), and
                # before its first statement the transaction has taken no lock
                message = (
                    f"{call.target}() is {what} inside {where}, before any statement of it: no row "
                    "lock is held yet and Django keeps one connection per worker thread, so it only "
                    "makes the block longer (and a failure of the call rolls the block back). Low "
                    "confidence: moving it out still shortens the transaction."
                )
            yield self.hit(
                call.loc,
                message=message,
                recommendation=(
                    "Move the call after the commit (or before the transaction starts); for side "
                    "effects that must follow the commit, write an outbox row or enqueue a job."
                ),
                fix_snippet=(
                    "const order = await prisma.$transaction(async (tx) => tx.order.create({ data }));\n"
                    "await queue.add('after-order', { orderId: order.id }); // slow work after commit"
                    if not call.loc.file.endswith(".py")
                    else "with transaction.atomic():\n    order = Order.objects.create(**data)\n"
                    "    transaction.on_commit(lambda: send_receipt.delay(order.id))"
                ),
                fix_language="python" if call.loc.file.endswith(".py") else "ts",
                confidence="low" if first else "high" if call.kind not in {"file-io", "crypto"} else "medium",
                # the same slow call repeated in one transaction is one defect (one fix: move it out)
                cause=f"{tx.loc.file}:{tx.loc.line}>{call.target}"
                if tx is not None
                else f"{call.function_id}>{call.target}",
            )


def _statement_before(model: ProjectModel, tx: Transaction, call: SlowCall) -> bool:
    """Some query or write of the transaction's body runs before ``call`` (by line)."""
    return any(
        a.loc.file == tx.loc.file and tx.body.line <= a.loc.line < call.loc.line
        for a in model.all(DataAccess)
    )
