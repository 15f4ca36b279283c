"""SC-CACHE-003 wildcard-cache-invalidation."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from scalescope.model.facts import CacheOp
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.caching._helpers import short_fn


class WildcardCacheInvalidation(Rule):
    """Cache invalidation by key pattern or by flushing everything.

    ## What it finds
    Pattern invalidation in application code: ``KEYS``/``SCAN`` followed by ``DEL`` in the same
    function, ``delPattern``/``delete_pattern``/``invalidatePattern`` helpers, and
    ``FLUSHALL``/``FLUSHDB``/``cache.clear()``/``cache.reset()`` in code reached from a route.
    Deleting one known key is not reported.

    ## Why it matters at scale
    Pattern deletes walk the whole keyspace: with millions of keys every write triggers an
    O(N) scan that blocks or competes with Redis's single thread, and the invalidation storm
    empties the cache for every user at once, sending all traffic to the database.

    ## Example
    ```ts
    const keys = await redis.keys(`products:*`);
    if (keys.length) await redis.del(...keys);
    ```

    ## Use instead
    ```ts
    // version the namespace: bump one counter, old keys expire on their own TTL
    await redis.incr("products:version");
    const v = await redis.get("products:version");
    await redis.set(`products:v${v}:list`, json, "EX", 300);
    ```
    In Python keep a version key (``cache.incr_version``/a ``version=`` argument) or track the
    keys of an entity in a set and delete exactly those.
    """

    meta = RuleMeta(
        id="SC-CACHE-003",
        name="wildcard-cache-invalidation",
        category="caching",
        severity="medium",
        title="Wildcard cache invalidation on writes",
        effort="hours",
        scope="local",
        confidence="medium",
        impact="Each write scans the keyspace and empties the cache for everyone; load spikes on the DB.",
        ecosystems=("node", "python"),
        references=(
            "https://redis.io/docs/latest/commands/keys/",
            "https://redis.io/docs/latest/commands/scan/",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        by_fn: dict[str, list[CacheOp]] = defaultdict(list)
        for op in model.all(CacheOp):
            if op.function_id:
                by_fn[op.function_id].append(op)
        for op in model.all(CacheOp):
            python = op.loc.file.endswith(".py")
            if op.op == "del-pattern":
                yield self._hit(model, op, f"{op.client}.{op.command}({op.key}) deletes by pattern", python)
            elif op.op in {"keys", "scan"} and op.function_id:
                dels = [o for o in by_fn[op.function_id] if o.op == "del" and o.loc.line >= op.loc.line]
                if dels:
                    yield self._hit(
                        model,
                        op,
                        f"{op.client}.{op.command}({op.key}) followed by {dels[0].command}() at line "
                        f"{dels[0].loc.line} deletes every matching key",
                        python,
                    )
            elif op.op == "flush" and op.function_id:
                if not model.role_at(op.loc).production:
                    continue  # a flush in a script or a dev-only block is what they are for
                routes = model.routes_reaching(op.function_id)
                if not routes:
                    continue
                yield self._hit(
                    model,
                    op,
                    f"{op.client}.{op.command}() in {short_fn(op.function_id, model)} (reached from "
                    f"{routes[0].display}) empties the whole cache",
                    python,
                )

    def _hit(self, model: ProjectModel, op: CacheOp, what: str, python: bool) -> Hit:
        # the namespace of the deleted keys (``user:*`` -> ``user``), not an invented one
        ns = re.split(r"[:*{$]", op.key.strip("'\"`f"), maxsplit=1)[0] or "namespace"
        return self.hit(
            op.loc,
            message=f"{what} in {short_fn(op.function_id, model)}: O(number of keys) on every "
            "invalidation and a cache-wide miss storm.",
            recommendation=(
                "Invalidate exact keys, or version the namespace (cache.incr_version / a version key in the "
                "key) so stale entries age out by TTL."
                if python
                else "Invalidate exact keys (track them in a Redis set), or version the namespace "
                "(INCR a version "
                "key and include it in cache keys) so stale entries age out by TTL."
            ),
            fix_snippet=(
                f'version = cache.get_or_set("{ns}:version", 1)\ncache.incr("{ns}:version")'
                if python
                else f'await redis.incr("{ns}:version"); // readers build keys with the current version'
            ),
            fix_language="python" if python else "ts",
        )
