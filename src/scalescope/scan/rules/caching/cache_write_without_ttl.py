"""SC-CACHE-005 cache-write-without-ttl."""

from __future__ import annotations

from collections.abc import Iterator

from scalescope.model.facts import InProcessCache
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.caching._fixes import ttl_fix
from scalescope.scan.rules.caching._helpers import (
    Index,
    app_data_evidence,
    forever_default_ttls,
    short_fn,
    unexpiring_writes,
)


class CacheWriteWithoutTtl(Rule):
    """Cache entries that never expire.

    ## What it finds
    Writes to a shared cache with no expiry (``redis.set(k, v)`` with no ``EX``/``{ EX }``/
    ``ex=``, ``SETNX``, ``MSET``, Django ``cache.set(k, v, None)`` or a default ``TIMEOUT: None``)
    and in-process caches holding application data with neither a max size nor a TTL. Not
    reported when a TTL is passed, set by the client or module default (``CacheModule.register({
    ttl })``, Django's default 300 s), or when ``expire`` follows on the same key in the same
    function.

    ## Why it matters at scale
    Keys without expiry accumulate forever: Redis memory grows with every user and entity until
    it hits ``maxmemory`` (evicting hot keys or refusing writes) or the host's RAM, and entries
    missed by invalidation stay stale forever. An unbounded in-process cache grows until the
    process is OOM-killed.

    ## Example
    ```ts
    await redis.set(`user:${id}`, JSON.stringify(user));
    ```

    ## Use instead
    ```ts
    await redis.set(`user:${id}`, JSON.stringify(user), "EX", 300);        // ioredis
    await client.set(`user:${id}`, JSON.stringify(user), { EX: 300 });     // node-redis v4
    ```
    ```python
    r.set(f"user:{uid}", payload, ex=300)
    cache.set(f"user:{uid}", user, timeout=300)
    ```

    ## Known problems
    Redis is also used as a store (job state, counters, id mappings) where no expiry is
    intended. A write whose key template is deleted elsewhere in the project (state cleared
    when a job ends), or the no-expiry branch of a wrapper that also writes the key with one,
    is reported at low confidence.
    """

    meta = RuleMeta(
        id="SC-CACHE-005",
        name="cache-write-without-ttl",
        category="caching",
        severity="medium",
        title="Cache write without expiry",
        effort="hours",
        scope="line",
        confidence="medium",
        impact="Cache memory grows with data forever; stale entries are never corrected.",
        ecosystems=("node", "python"),
        references=(
            "https://redis.io/docs/latest/commands/set/",
            "https://docs.djangoproject.com/en/stable/topics/cache/#cache-arguments",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        forever_defaults = forever_default_ttls(model)
        for op, certain in unexpiring_writes(model):
            python = op.loc.file.endswith(".py")
            why = (
                f"the {op.library} default timeout is None ({forever_defaults.get(op.library)})"
                if op.uses_default_ttl
                else "no expiry is passed"
            )
            fix = ttl_fix(op.library, op.key, python)
            yield self.hit(
                op.loc,
                message=f"{op.client}.{op.command}({op.key}, ...) in {short_fn(op.function_id, model)} "
                f"writes a cache "
                f"entry that never expires: {why}.",
                recommendation=fix.advice,
                fix_snippet=fix.snippet,
                fix_language=fix.language,
                # the no-TTL branch of a wrapper that also sets one, or a key deleted elsewhere
                confidence="medium" if certain else "low",
            )
        index = Index(model)
        for cache in model.all(InProcessCache):
            if cache.bounded or cache.has_ttl or not cache.module_scope:
                continue
            evidence = app_data_evidence(index, cache)
            if not evidence:
                continue
            python = cache.loc.file.endswith(".py")
            yield self.hit(
                cache.loc,
                message=f"In-process cache '{cache.name}' ({cache.kind}) has neither a max size nor "
                f"a TTL and holds "
                f"application data ({evidence}): it grows with the key space and never drops stale entries.",
                recommendation=(
                    "Bound it (cachetools.TTLCache(maxsize=..., ttl=...), lru_cache(maxsize=N)) or "
                    "move it to "
                    "Redis with a TTL."
                    if python
                    else "Bound it (new LRUCache({ max: 1000, ttl: 60_000 })) or move it to Redis with a TTL."
                ),
                fix_snippet=(
                    "_cache = TTLCache(maxsize=1024, ttl=300)"
                    if python
                    else "const cache = new LRUCache<string, unknown>({ max: 1000, ttl: 60_000 });"
                ),
                fix_language="python" if python else "ts",
            )
