"""SC-CACHE-004 redis-keys-command."""

from __future__ import annotations

from collections.abc import Iterator

from scalescope.model.facts import CacheOp, Call, Loc
from scalescope.model.project import ProjectModel
from scalescope.report.model import Evidence
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.caching._fixes import scan_fix
from scalescope.scan.rules.caching._helpers import short_fn


class RedisKeysCommand(Rule):
    """The Redis ``KEYS`` command used by application code.

    ## What it finds
    Calls of ``KEYS pattern`` on a Redis client or a django-redis cache (``redis.keys("user:*")``,
    ``r.keys()``, ``cache.keys("*")``). ``Object.keys``, ``dict.keys()`` and ``map.keys()`` are
    not Redis and are not reported.

    ## Why it matters at scale
    ``KEYS`` is O(N) over the whole keyspace and runs on Redis's single thread: with a few
    million keys it blocks every other client for hundreds of milliseconds, so one call stalls
    sessions, rate limiters and queues across all instances.

    ## Example
    ```ts
    const keys = await redis.keys(`session:${userId}:*`);
    ```

    ## Use instead
    ```ts
    const stream = redis.scanStream({ match: `session:${userId}:*`, count: 100 });
    for await (const batch of stream) { /* ... */ }
    ```
    In redis-py use ``for key in r.scan_iter(match="session:*", count=100)``; better still, keep
    the keys of an entity in a Redis set.
    """

    meta = RuleMeta(
        id="SC-CACHE-004",
        name="redis-keys-command",
        category="caching",
        severity="high",
        title="Redis KEYS command in application code",
        effort="hours",
        scope="local",
        confidence="high",
        impact="O(N) over all keys on Redis's single thread: every client stalls while it runs.",
        ecosystems=("node", "python"),
        references=("https://redis.io/docs/latest/commands/keys/",),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        ops = [op for op in model.all(CacheOp) if op.op == "keys"]
        by_function: dict[str, CacheOp] = {}
        for op in ops:
            if op.function_id is not None:
                by_function.setdefault(op.function_id, op)
        for op in ops:
            cause = _cause(model, op, by_function)
            routes = model.routes_reaching(op.function_id)
            python = op.loc.file.endswith(".py")
            pattern = op.key or "'*'"
            fix = scan_fix(op.library, pattern, python)
            yield self.hit(
                op.loc,
                message=f"{op.client}.{op.command}({pattern}) in {short_fn(op.function_id, model)} runs "
                f"the Redis KEYS "
                "command: O(all keys) and blocks Redis for every client while it scans.",
                recommendation=fix.advice,
                fix_snippet=fix.snippet,
                fix_language=fix.language,
                # a helper wrapping KEYS and its callers are one defect, fixed in the helper
                cause=cause,
                place=f"{op.client}.{op.command}() in {short_fn(op.function_id, model)}",
                heat=len(routes),
                related=tuple(
                    Evidence(r.loc.file, r.loc.line, f"route {r.display} reaches it") for r in routes[:3]
                ),
            )


def _cause(model: ProjectModel, op: CacheOp, by_function: dict[str, CacheOp]) -> Loc:
    """Where the KEYS command is: a call of a project function that is itself a KEYS wrapper
    (``this.cacheService.keys(pattern)`` of a ``CacheService.keys`` running ``redis.keys``) is
    caused by the KEYS call inside it (followed a few wrappers deep); otherwise the call itself."""
    current = op
    seen = {op.loc}
    for _ in range(4):
        receiver = current.client.rsplit(".", 1)[-1]
        targets = model.resolve_call(current.loc.file, Call(current.command, receiver))
        target = next((t for t in targets if t.id != current.function_id), None)
        if target is None:
            break
        inner = by_function.get(target.id)
        if inner is None or inner.loc in seen:
            break  # not a wrapper of KEYS (or a cycle): this call is the defect
        seen.add(inner.loc)
        current = inner
    return current.loc
