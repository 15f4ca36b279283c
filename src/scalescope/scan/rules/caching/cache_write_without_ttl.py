"""SC-CACHE-005 cache-write-without-ttl."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from scalescope.model.facts import CacheClient, CacheOp, InProcessCache, option
from scalescope.model.project import ProjectModel
from scalescope.scan.rules._fixes import ttl_fix
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.caching._helpers import Index, app_data_evidence, short_fn

_CONSTANT_KEY = re.compile(r"""^(?:'[^'{}$]*'|"[^"{}$]*"|`[^`$]*`)$""")


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
        confidence="medium",
        impact="Cache memory grows with data forever; stale entries are never corrected.",
        ecosystems=("node", "python"),
        references=(
            "https://redis.io/docs/latest/commands/set/",
            "https://docs.djangoproject.com/en/stable/topics/cache/#cache-arguments",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        expires: dict[str, list[CacheOp]] = defaultdict(list)
        for op in model.all(CacheOp):
            if op.op == "expire" and op.function_id:
                expires[op.function_id].append(op)
        forever_defaults = self._forever_defaults(model)
        # functions that also write the same key with an expiry: a wrapper whose no-TTL branch
        # runs only when its caller passes none (``if (ttl === undefined) set(k, v) else set(k, v, EX)``)
        with_ttl = {
            (op.function_id, op.key)
            for op in model.all(CacheOp)
            if op.op == "set" and op.has_ttl and op.function_id
        }
        # keys some code deletes explicitly (job state, counters cleared when the job ends)
        deleted = {_key_shape(op.key) for op in model.all(CacheOp) if op.op == "del" and op.key}
        deleted = {k for k in deleted if not k.startswith("<variable")}
        for op in model.all(CacheOp):
            if op.op != "set" or op.has_ttl is not False:
                continue
            if op.uses_default_ttl and op.library not in forever_defaults:
                continue
            if _CONSTANT_KEY.match(op.key):
                continue  # one fixed entry (config, latest release): it does not grow
            if any(
                e.key == op.key and e.loc.line >= op.loc.line for e in expires.get(op.function_id or "", ())
            ):
                continue
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
                confidence=(
                    "low"
                    if (op.function_id, op.key) in with_ttl or _key_shape(op.key) in deleted
                    else "medium"
                ),
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
                    else "const cache = new LRUCache<string, User>({ max: 1000, ttl: 60_000 });"
                ),
                fix_language="python" if python else "ts",
            )

    @staticmethod
    def _forever_defaults(model: ProjectModel) -> dict[str, str]:
        out: dict[str, str] = {}
        for client in model.all(CacheClient):
            timeout = option(client.options, "TIMEOUT", "CACHE_DEFAULT_TIMEOUT")
            if client.library == "django" and timeout is not None and timeout.strip() == "None":
                out["django"] = f"CACHES at {client.loc.file}:{client.loc.line}"
            if client.library == "flask-caching" and timeout is not None and timeout.strip() == "0":
                out["flask-caching"] = f"CACHE_DEFAULT_TIMEOUT=0 at {client.loc.file}:{client.loc.line}"
            ttl = option(client.options, "ttl")
            if client.library == "cache-manager" and ttl is not None and ttl.strip() == "0":
                out["cache-manager"] = f"ttl: 0 at {client.loc.file}:{client.loc.line}"
        return out


def _key_shape(key: str) -> str:
    """A key template with its variable parts blanked: ``import:${ws.id}`` ~ ``import:${wsId}``."""
    if not re.match(r"""^f?[`'"]""", key):
        return f"<variable {key}>"  # a bare name says nothing about which key it holds
    return re.sub(r"\$\{[^}]*\}|\{[^}]*\}", "*", key)
