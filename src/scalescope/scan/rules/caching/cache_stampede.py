"""SC-CACHE-006 cache-stampede."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from scalescope.model.facts import CacheOp
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.caching._fixes import lock_fix
from scalescope.scan.rules.caching._helpers import MITIGATION_RE, Index, function_text, io_in_text, short_fn


class CacheStampede(Rule):
    """Cache-aside with no protection against concurrent misses.

    ## What it finds
    A function that reads a cache key, computes the value on a miss with a database query or a
    slow call, and writes it back, with no lock, single-flight, ``SET NX`` guard,
    stale-while-revalidate or TTL jitter around the recomputation.

    ## Why it matters at scale
    When a hot key expires, every concurrent request misses at the same moment and runs the
    same expensive query: hundreds of identical queries hit the database within milliseconds
    (a thundering herd), latency spikes and the pool is exhausted exactly when traffic is
    highest. Keys written at the same time with the same TTL expire together and repeat it.

    ## Example
    ```ts
    let stats = await redis.get("stats");
    if (!stats) {
      stats = JSON.stringify(await prisma.order.aggregate({ _sum: { total: true } }));
      await redis.set("stats", stats, "EX", 60);
    }
    ```

    ## Use instead
    ```ts
    const lock = await redis.set("stats:lock", "1", "PX", 5000, "NX");
    if (!lock) return staleOrWait();            // one request recomputes, others wait/serve stale
    const ttl = 60 + Math.floor(Math.random() * 15); // jitter
    ```
    In Python use a lock (``with r.lock("stats:lock", timeout=5):``), ``dogpile.cache`` or
    serve stale data while one worker refreshes.
    """

    meta = RuleMeta(
        id="SC-CACHE-006",
        name="cache-stampede",
        category="caching",
        severity="medium",
        title="Cache-aside without stampede protection",
        effort="hours",
        scope="local",
        confidence="medium",
        impact="A hot key expiring sends every concurrent request to the database at once.",
        ecosystems=("node", "python"),
        references=("https://en.wikipedia.org/wiki/Cache_stampede",),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        index = Index(model)
        by_fn: dict[str, list[CacheOp]] = defaultdict(list)
        for op in model.all(CacheOp):
            if op.function_id:
                by_fn[op.function_id].append(op)
        for fid, ops in by_fn.items():
            gets = [o for o in ops if o.op == "get"]
            sets = [o for o in ops if o.op == "set" and o.command not in {"get_or_set", "wrap"}]
            if not gets or not sets:
                continue
            for get in gets:
                match = next((s for s in sets if s.loc.line > get.loc.line and s.key == get.key), None)
                if match is None:
                    continue
                text = function_text(model, fid)
                if MITIGATION_RE.search(text):
                    break
                expensive = (
                    index.expensive_in(fid, get.loc.line, match.loc.line)
                    or index.expensive_via_calls(fid)
                    or io_in_text(function_text(model, fid, get.loc.line, match.loc.line))
                )
                if not expensive:
                    break
                python = get.loc.file.endswith(".py")
                fix = lock_fix(get.library, get.key, python)
                yield self.hit(
                    get.loc,
                    message=f"Cache-aside on key {get.key} in {short_fn(fid, model)}: on a miss every "
                    f"concurrent request "
                    f"runs {expensive} before {match.command}() at line {match.loc.line}, with no lock, "
                    "single-flight or jitter.",
                    recommendation=fix.advice,
                    fix_snippet=fix.snippet,
                    fix_language=fix.language,
                )
                break
