"""SC-CACHE-002 in-process-cache."""

from __future__ import annotations

from collections.abc import Iterator

from scalescope.model.facts import REQUEST_DATA_EVIDENCE, CollectionWrite, InProcessCache
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.caching._fixes import shared_cache_fix
from scalescope.scan.rules.caching._helpers import Index, app_data_evidence, runs_several_processes


class InProcessCacheRule(Rule):
    """Application data cached in process memory.

    ## What it finds
    Caches that live inside one process and hold I/O results or request data: a module-level
    ``Map``/``{}``/dict written after a query or HTTP call and read back, ``lru-cache``,
    ``node-cache``, ``memory-cache``, the default memory store of ``@nestjs/cache-manager``,
    ``functools.lru_cache``/``cache`` and ``cachetools`` on functions that query a database or
    call an API, Django ``LocMemCache``, Flask-Caching ``SimpleCache``. Memoising a pure
    function (a compiled regex, settings) is not reported.

    ## Why it matters at scale
    Each worker and each instance has its own copy: hit ratios fall as you add processes,
    memory is multiplied by the process count, a write on one instance leaves the others
    serving stale data until restart, and everything is lost on deploy. Unbounded caches grow
    with the key space until the process is OOM-killed.

    ## Example
    ```ts
    const cache = new Map();
    export async function getUser(id) {
      if (cache.has(id)) return cache.get(id);
      const user = await prisma.user.findUnique({ where: { id } });
      cache.set(id, user);
      return user;
    }
    ```

    ## Use instead
    ```ts
    const hit = await redis.get(`user:${id}`);
    if (hit) return JSON.parse(hit);
    const user = await prisma.user.findUnique({ where: { id } });
    await redis.set(`user:${id}`, JSON.stringify(user), "EX", 300);
    ```
    In Python use a shared backend (``django_redis``, redis-py with ``ex=``) instead of
    ``lru_cache``/module dicts for data that comes from the database or other services.

    ## Known problems
    A small, bounded, short-TTL in-process layer in front of Redis is a legitimate pattern:
    caches with both a max size and a TTL are reported at low confidence (hidden by default).
    Maps of in-flight promises removed when they settle (request coalescing) and module-level
    maps in browser code (`'use client'`, `window.`/`navigator.`) are not reported.
    """

    meta = RuleMeta(
        id="SC-CACHE-002",
        name="in-process-cache",
        category="caching",
        severity="medium",
        title="Application data cached in process memory",
        effort="days",
        scope="files",
        confidence="medium",
        impact="Per-process copies: stale reads across instances, memory x processes, lost on restart.",
        ecosystems=("node", "python"),
        references=("https://12factor.net/processes",),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        index = Index(model)
        # maps that only hold request data and grow from a route with no pruning are
        # SC-RES-001's (unbounded process memory), not a cache
        growing = {
            (w.decl.file, w.decl.line)
            for w in model.all(CollectionWrite)
            if model.routes_reaching(w.function_id)
        }
        for cache in model.all(InProcessCache):
            if not cache.module_scope:
                continue
            if cache.evidence == REQUEST_DATA_EVIDENCE and (cache.loc.file, cache.loc.line) in growing:
                continue
            scaled = runs_several_processes(model, ctx.options, cache.loc.file)
            evidence = app_data_evidence(index, cache)
            if not evidence:
                continue
            unbounded = not cache.bounded and not cache.has_ttl
            fix = shared_cache_fix(model, cache.loc.file, cache.name)
            growth = (
                " It has no max size and no TTL, so it grows with the key space until the process "
                "runs out of memory."
                if unbounded
                else ""
            )
            where = "several instances/workers are declared, so each" if scaled else "each process"
            yield self.hit(
                cache.loc,
                message=(
                    f"In-process cache '{cache.name}' ({cache.kind}) holds application data ({evidence}); "
                    f"{where} keeps its own copy: not shared, lost on restart, stale after writes on "
                    f"another instance.{growth}"
                ),
                recommendation=f"Move this data to a shared cache. {fix.advice}",
                severity="high" if scaled else "medium",
                # a bounded, expiring layer (often in front of Redis) is stale for at most its TTL
                confidence="low" if cache.bounded and cache.has_ttl else "medium",
                fix_snippet=fix.snippet,
                fix_language=fix.language,
            )
