"""SC-DB-009 write-per-item."""

from __future__ import annotations

from collections.abc import Iterator

from scalescope.model.facts import DataAccess, Loc
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._fixes import write_batch_fix
from scalescope.scan.rules.database._helpers import describe, input_limits, is_write, loop_size, orm_label

SMALL_LITERAL = 10
_LOOP_WORDS = {
    "for": "for loop",
    "map": ".map() callback",
    "forEach": ".forEach() callback",
    "comprehension": "comprehension",
}


class WritePerItem(Rule):
    """One INSERT, UPDATE, DELETE or upsert per item of a collection.

    ## What it finds
    A write (`create`, `update`, `upsert`, `delete`, `save`, `insert(...).values(...)`, a raw
    INSERT/UPDATE/DELETE) inside a `for` loop, a `.map()`/`.forEach()` callback (also when the
    promises go to `Promise.all`) or a Python loop/comprehension, where the ORM has a batch
    form (`createMany`, `insert(...).values([...])`, `bulkCreate`, `insertMany`/`bulkWrite`,
    `bulk_create`/`bulk_update`, `executemany`). One finding per loop; every write in it is a
    place. Bulk calls in a loop (one statement per chunk), `while` loops (batch paging) and
    loops over a literal list of at most 10 items do not fire.

    How big the loop is decides the confidence (`Loop.iterates`): over a request array with no
    declared maximum, or over the rows of a query, it is high and the message names the
    source; over a collection bounded by construction (a slice, a constant list, values
    parsed from one input, a request list declared with at most 100 items, the rows of a query
    whose declared limit is at most 10), the rows of a catalog table or the children of one
    parent (a read filtered by equality on a foreign key or relation, a relation accessor: see
    SC-DB-003) it is low and says why; over a collection whose source is not shown it is
    medium. A counting loop that steps by a chunk (`i += BATCH_SIZE`) writes per chunk and does
    not fire.

    ## Why it matters at scale
    Each write is a round trip plus its own commit (a WAL flush) unless a transaction wraps
    the loop: 500 items cost 500 round trips and 500 fsyncs, the request holds its pooled
    connection for all of them, and a caller that sends a longer array makes the request
    longer with no limit. Parallel writes (`Promise.all`) take one connection each and drain
    the pool for every other request.

    ## Example
    ```ts
    for (const item of req.body.items) {
      await prisma.orderItem.create({ data: { orderId, sku: item.sku, qty: item.qty } });
    }
    ```

    ## Use instead
    ```ts
    await prisma.orderItem.createMany({
      data: req.body.items.map((item) => ({ orderId, sku: item.sku, qty: item.qty })),
    });
    ```
    Django: `bulk_create`/`bulk_update`; SQLAlchemy: `session.execute(insert(Model), rows)`;
    rows that each get their own values: one `UPDATE ... FROM (VALUES ...)`. Cap the request
    array (zod `.max(100)`, pydantic `max_length`) as well.

    ## Known problems
    Only loops in the same function as the write are seen (a loop calling a helper that writes
    is missed). Writes through a loaded row (`obj.save()` on a Django model or Mongoose document,
    `row.destroy()`, `session.delete(obj)`; `DataAccess.row_write`) are not counted: the rule's
    precision was measured without them.
    """

    meta = RuleMeta(
        id="SC-DB-009",
        name="write-per-item",
        category="database",
        severity="medium",
        title="Write inside a loop (one statement per item)",
        effort="hours",
        confidence="high",
        impact=(
            "Round trips and commits grow with the collection; the pooled connection is held for all of them."
        ),
        ecosystems=("node", "python"),
        references=(
            "https://www.prisma.io/docs/orm/prisma-client/queries/crud#create-multiple-records",
            "https://docs.djangoproject.com/en/stable/ref/models/querysets/#bulk-create",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        limits = input_limits(model)
        for access in model.all(DataAccess):
            loop = access.loop
            if loop is None or access.bulk or access.batched or access.row_write or not is_write(access):
                continue
            if loop.kind not in _LOOP_WORDS or loop.uses_item is False:
                continue  # while loops page through batches; one statement per chunk of keys
            if loop.literal_size is not None and loop.literal_size <= SMALL_LITERAL:
                continue
            if not model.role(access.loc.file).reportable:
                continue
            loop_word = _LOOP_WORDS[loop.kind]
            over, confidence = loop_size(loop, limits, model, access)
            if confidence == "high" and loop.iterates not in {"query", "request"}:
                confidence = "medium"  # how many items the loop holds is not shown
            fix = write_batch_fix(access.orm, access.model)
            head = f"{describe(access)} writes once per item of the {loop_word} at line {loop.line}"
            yield self.hit(
                access.loc,
                message=(
                    f"{head}, one statement per item, but the loop goes over {over}."
                    if confidence == "low"
                    else f"{head}{over}: N statements and N commits for N items."
                ),
                recommendation=f"{fix.advice} ({orm_label(access.orm)})",
                fix_snippet=fix.snippet,
                fix_language=fix.language,
                confidence=confidence,
                cause=Loc(access.loc.file, loop.line),
                place=f"{describe(access)} in the same {loop_word}",
            )
