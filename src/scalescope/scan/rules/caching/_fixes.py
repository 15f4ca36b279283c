"""Fix knowledge of the caching rules, as data: a shared cache per framework, TTL / SCAN /
lock syntax per cache library, Redis eviction advice from what the Redis holds, per-user keys
for response caches."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from scalescope.model.facts import CacheOp
from scalescope.model.project import ProjectModel
from scalescope.scan.rules._fixes import Fix, camel, pascal, stack_near

# --------------------------------------------------------------------------- shared cache


class CacheAdvice(NamedTuple):
    """How to add a shared cache in one stack: the library and a snippet using it."""

    libraries: tuple[str, ...]  # stack names that select this entry (any of them)
    advice: str
    snippet: str
    language: str


#: the first entry whose libraries meet the stack near the file wins; order = most specific first
SHARED_CACHE: tuple[CacheAdvice, ...] = (
    CacheAdvice(
        ("nestjs", "@nestjs/core"),
        "Register `CacheModule` from @nestjs/cache-manager with a Redis store (@keyv/redis) and cache "
        "the busiest reads with a TTL, invalidating them on writes.",
        "CacheModule.registerAsync({{ isGlobal: true, useFactory: () => ({{\n"
        "  stores: [new KeyvRedis(process.env.REDIS_URL)], ttl: 60_000 }}) }});\n"
        "// then: await this.cache.get(`{name}:${{page}}`) / this.cache.set(..., 60_000)",
        "ts",
    ),
    CacheAdvice(
        ("fastify",),
        "Register @fastify/redis (one shared client) and cache the busiest reads with an expiry on "
        "every write, invalidating them on writes.",
        "await app.register(fastifyRedis, {{ url: process.env.REDIS_URL }});\n"
        "const hit = await app.redis.get(`{name}:${{page}}`);\n"
        "if (!hit) {{\n"
        "  await app.redis.set(`{name}:${{page}}`, JSON.stringify(await load{Name}(page)), 'EX', 60);\n}}",
        "ts",
    ),
    CacheAdvice(
        ("django",),
        "Configure `CACHES` with Django's Redis backend (`django.core.cache.backends.redis.RedisCache`) "
        "and cache the busiest reads with a timeout.",
        'CACHES = {{"default": {{"BACKEND": "django.core.cache.backends.redis.RedisCache",\n'
        '                      "LOCATION": os.environ["REDIS_URL"], "TIMEOUT": 300}}}}\n'
        'data = cache.get_or_set(f"{name}:{{page}}", load_{name}, 60)',
        "python",
    ),
    CacheAdvice(
        ("flask",),
        'Use Flask-Caching with `CACHE_TYPE = "RedisCache"` (shared by every worker) and a default timeout.',
        'cache = Cache(app, config={{"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": REDIS_URL,\n'
        '                           "CACHE_DEFAULT_TIMEOUT": 300}})\n'
        'data = cache.get(f"{name}:{{page}}")',
        "python",
    ),
    CacheAdvice(
        ("fastapi", "starlette"),
        "Cache the busiest reads in Redis with redis-py's asyncio client (`redis.asyncio`), with an "
        "expiry on every write.",
        "r = redis.asyncio.from_url(settings.redis_url)\n"
        'cached = await r.get(f"{name}:{{page}}")\n'
        "if cached is None:\n"
        "    cached = json.dumps(await load_{name}(page))\n"
        '    await r.set(f"{name}:{{page}}", cached, ex=60)',
        "python",
    ),
    CacheAdvice(
        ("python",),
        "Cache the busiest reads in Redis (redis-py) with an expiry on every write.",
        'r.set(f"{name}:{{page}}", payload, ex=60)',
        "python",
    ),
    CacheAdvice(
        ("node",),
        "Cache the busiest reads in Redis (ioredis) with an expiry on every write, and invalidate them "
        "on writes.",
        "const hit = await redis.get(`{name}:${{page}}`);\n"
        "if (hit) return JSON.parse(hit);\n"
        "const rows = await load{Name}(page);\n"
        'await redis.set(`{name}:${{page}}`, JSON.stringify(rows), "EX", 60);',
        "ts",
    ),
)


def shared_cache_fix(model: ProjectModel, path: str, subject: str | None = None) -> Fix:
    """How to add a shared cache for the code at ``path``, in the framework it runs on;
    ``subject`` (a model or cache name from the finding) names the cached data in the snippet."""
    python = path.endswith(".py")
    stack = stack_near(model, path) | {"python" if python else "node"}
    plain = re.sub(r"\W", "", (subject or "").rsplit(".", 1)[-1])
    name = (re.sub(r"(?<!^)(?=[A-Z])", "_", plain).lower() if python else camel(plain)) or "data"
    chosen = next(
        (
            e
            for e in SHARED_CACHE
            if any(lib in stack for lib in e.libraries) and (e.language == "python") == python
        ),
        SHARED_CACHE[-2] if python else SHARED_CACHE[-1],
    )
    return Fix(chosen.advice, chosen.snippet.format(name=name, Name=pascal(name)), chosen.language)


# --------------------------------------------------------------------------- cache TTLs


#: cache library (CacheOp.library) -> how to pass an expiry; ``{key}`` is the key as written
TTL_FIXES: dict[str, Fix] = {
    "django": Fix(
        "Pass a timeout (cache.set(key, value, timeout=300)) or set a finite CACHES TIMEOUT.",
        "cache.set({key}, value, timeout=300)",
        "python",
    ),
    "flask-caching": Fix(
        "Pass a timeout (cache.set(key, value, timeout=300)) or set CACHE_DEFAULT_TIMEOUT.",
        "cache.set({key}, value, timeout=300)",
        "python",
    ),
    "redis-py": Fix(
        "Pass ex= (r.set(key, value, ex=300)) or use setex.", "r.set({key}, value, ex=300)", "python"
    ),
    "node-redis": Fix(
        "Pass { EX: seconds } (client.set(key, value, { EX: 300 })).",
        "await client.set({key}, value, {{ EX: 300 }});",
        "ts",
    ),
    "@upstash/redis": Fix(
        "Pass { ex: seconds } (redis.set(key, value, { ex: 300 })).",
        "await redis.set({key}, value, {{ ex: 300 }});",
        "ts",
    ),
    "cache-manager": Fix(
        "Pass a ttl (cache.set(key, value, 300_000)) or set a module default ttl.",
        "await this.cache.set({key}, value, 300_000);",
        "ts",
    ),
    "keyv": Fix(
        "Pass a ttl in milliseconds (keyv.set(key, value, 300_000)).",
        "await keyv.set({key}, value, 300_000);",
        "ts",
    ),
    "ioredis": Fix(
        "Pass an expiry (redis.set(key, value, 'EX', 300)) or use setex.",
        "await redis.set({key}, value, 'EX', 300);",
        "ts",
    ),
    # a Redis client whose library was not recognised: both common Node forms
    "redis": Fix(
        "Pass an expiry with the write (ioredis: `set(key, value, 'EX', 300)`; node-redis: "
        "`set(key, value, { EX: 300 })`).",
        "await redis.set({key}, value, 'EX', 300); // node-redis: {{ EX: 300 }}",
        "ts",
    ),
}
TTL_FIXES["upstash"] = TTL_FIXES["@upstash/redis"]
TTL_FIXES["aioredis"] = TTL_FIXES["redis-py"]
TTL_FIXES["django-redis"] = TTL_FIXES["django"]


def ttl_fix(library: str, key: str, python: bool) -> Fix:
    entry = TTL_FIXES.get(library) or TTL_FIXES["redis-py" if python else "redis"]
    if (entry.language == "python") != python:
        entry = TTL_FIXES["redis-py" if python else "redis"]
    return Fix(entry.advice, entry.snippet.format(key=key or "key"), entry.language)


#: cache library -> iterate keys without KEYS (SC-CACHE-004); ``{pattern}`` as written
SCAN_FIXES: dict[str, Fix] = {
    "ioredis": Fix(
        "Use SCAN (`redis.scanStream({ match, count: 100 })`), or track the keys in a Redis set.",
        "for await (const keys of redis.scanStream({{ match: {pattern}, count: 100 }})) {{ /* ... */ }}",
        "ts",
    ),
    "node-redis": Fix(
        "Use SCAN (`client.scanIterator({ MATCH, COUNT: 100 })`), or track the keys in a Redis set.",
        "for await (const key of client.scanIterator({{ MATCH: {pattern}, COUNT: 100 }})) {{ /* ... */ }}",
        "ts",
    ),
    "upstash": Fix(
        "Use SCAN with a cursor (`redis.scan(cursor, { match, count: 100 })`), or track the keys in a set.",
        "let cursor = 0;\ndo {{\n"
        "  const [next, keys] = await redis.scan(cursor, {{ match: {pattern}, count: 100 }});\n"
        "  cursor = Number(next); /* ... */\n}} while (cursor !== 0);",
        "ts",
    ),
    "django-redis": Fix(
        "Use `cache.iter_keys(pattern)` (SCAN under the hood), or track the keys in a Redis set.",
        "for key in cache.iter_keys({pattern}):\n    ...",
        "python",
    ),
    "redis-py": Fix(
        "Use `r.scan_iter(match=..., count=100)`, or track the keys in a Redis set.",
        "for key in r.scan_iter(match={pattern}, count=100):\n    ...",
        "python",
    ),
}
SCAN_FIXES["django"] = SCAN_FIXES["django-redis"]


def scan_fix(library: str, pattern: str, python: bool) -> Fix:
    entry = SCAN_FIXES.get(library) or SCAN_FIXES["redis-py" if python else "ioredis"]
    if (entry.language == "python") != python:
        entry = SCAN_FIXES["redis-py" if python else "ioredis"]
    return Fix(entry.advice, entry.snippet.format(pattern=pattern), entry.language)


#: cache library -> take a short lock before recomputing a missed key (SC-CACHE-006)
LOCK_FIXES: dict[str, Fix] = {
    "ioredis": Fix(
        "Guard the recomputation with `SET key:lock 1 PX 5000 NX` (or redlock / a per-key in-flight "
        "promise map), add TTL jitter, or refresh in the background and serve stale data.",
        "const locked = await redis.set(`${{{key}}}:lock`, '1', 'PX', 5000, 'NX');",
        "ts",
    ),
    "node-redis": Fix(
        "Guard the recomputation with `SET key:lock 1 NX PX 5000` (or a per-key in-flight promise map), "
        "add TTL jitter, or refresh in the background and serve stale data.",
        "const locked = await client.set(`${{{key}}}:lock`, '1', {{ NX: true, PX: 5000 }});",
        "ts",
    ),
    "upstash": Fix(
        "Guard the recomputation with `SET key:lock 1 NX PX 5000`, add TTL jitter, or refresh in the "
        "background and serve stale data.",
        "const locked = await redis.set(`${{{key}}}:lock`, '1', {{ nx: true, px: 5000 }});",
        "ts",
    ),
    "cache-manager": Fix(
        "Collapse concurrent misses with a per-key in-flight promise map (cache-manager has no lock), "
        "add TTL jitter, or refresh in the background and serve stale data.",
        "const pending = inflight.get(key) ?? load(key).finally(() => inflight.delete(key));\n"
        "inflight.set(key, pending);",
        "ts",
    ),
    "django": Fix(
        "Guard the recomputation with `cache.add(lock_key, 1, timeout)` (atomic on Redis/Memcached), "
        "add TTL jitter, or refresh in the background and serve stale data.",
        'if cache.add(f"{{{key}}}:lock", 1, timeout=5):\n    value = recompute()',
        "python",
    ),
    "redis-py": Fix(
        "Guard the recomputation with a lock (`r.lock(key + ':lock', timeout=5)` / SET NX EX), add TTL "
        "jitter, or refresh in the background and serve stale data.",
        'with r.lock(f"{{{key}}}:lock", timeout=5, blocking_timeout=3):\n'
        "    value = r.get({key}) or recompute()",
        "python",
    ),
}
LOCK_FIXES["keyv"] = LOCK_FIXES["cache-manager"]
LOCK_FIXES["django-redis"] = LOCK_FIXES["flask-caching"] = LOCK_FIXES["django"]


def lock_fix(library: str, key: str, python: bool) -> Fix:
    entry = LOCK_FIXES.get(library) or LOCK_FIXES["redis-py" if python else "ioredis"]
    if (entry.language == "python") != python:
        entry = LOCK_FIXES["redis-py" if python else "ioredis"]
    return Fix(entry.advice, entry.snippet.format(key=key), entry.language)


# --------------------------------------------------------------------------- Redis server memory

#: stack names of job queues that keep their data in Redis (they need ``noeviction``)
REDIS_QUEUES: dict[str, str] = {
    "bull": "Bull",
    "bullmq": "BullMQ",
    "bee-queue": "Bee-Queue",
    "kue": "Kue",
    "celery": "Celery",
    "rq": "RQ",
    "dramatiq": "Dramatiq",
    "arq": "arq",
    "huey": "Huey",
    "sidekiq": "Sidekiq",
}
#: stack names of session stores that keep sessions in Redis
REDIS_SESSIONS = frozenset(
    {"connect-redis", "express-session-redis", "flask-session", "django-redis-sessions"}
)


class RedisUse(NamedTuple):
    """What the project keeps in its Redis, as far as the facts show."""

    queues: tuple[str, ...]  # queue libraries in the stack ("BullMQ", "Celery")
    sessions: bool  # a Redis session store is configured
    cache_writes: int  # shared-cache writes seen
    writes_without_ttl: int  # of which with no expiry
    no_ttl_example: str = ""  # ``file:line`` of the first write without expiry


def redis_use(model: ProjectModel, unexpiring: Sequence[CacheOp]) -> RedisUse:
    """What the project keeps in Redis; ``unexpiring``: the cache writes known to set no expiry."""
    queues = tuple(sorted({label for name, label in REDIS_QUEUES.items() if model.has_stack(name)}))
    sessions = any(model.has_stack(name) for name in REDIS_SESSIONS)
    writes = [op for op in model.all(CacheOp) if op.op == "set"]
    no_ttl = sorted(unexpiring, key=lambda op: op.loc)
    example = f"{no_ttl[0].loc.file}:{no_ttl[0].loc.line}" if no_ttl else ""
    return RedisUse(queues, sessions, len(writes), len(no_ttl), example)


def maxmemory_fix(use: RedisUse, maxmemory: str = "512mb") -> Fix:
    """The eviction setting that fits what the Redis holds: a queue needs ``noeviction`` (an
    evicted job is lost), so a shared cache+queue Redis gets a separate cache instance or a
    ``volatile-*`` policy that only evicts keys with a TTL."""
    if use.queues:
        queues = "/".join(use.queues)
        return Fix(
            f"Set maxmemory below the container limit and keep `noeviction`: {queues} stores its jobs "
            "in this Redis and loses them if keys are evicted. Give the cache a Redis instance of its "
            "own (with an LRU eviction policy there), or, sharing this one, use volatile-lru so only "
            "keys with a TTL (cache entries) can be evicted.",
            f"command: redis-server --maxmemory {maxmemory} --maxmemory-policy noeviction",
            "yaml",
        )
    sessions = (
        " Sessions are stored here too: an evicted session logs its user out, so give them their own "
        "instance or size maxmemory for them."
        if use.sessions
        else ""
    )
    return Fix(
        "Set maxmemory below the container limit and an eviction policy (allkeys-lru for a cache; "
        f"volatile-lru when keys without a TTL must survive).{sessions}",
        f"command: redis-server --maxmemory {maxmemory} --maxmemory-policy allkeys-lru",
        "yaml",
    )


# --------------------------------------------------------------------------- per-user keys (SC-CACHE-008)

#: response-cache mechanism -> how to make it vary on the user; ``{handler}`` is the handler name
RESPONSE_CACHE_FIXES: dict[str, Fix] = {
    "django-cache-page": Fix(
        "Add @vary_on_cookie (or vary_on_headers('Authorization')) under @cache_page, or cache only "
        "the public part with the low-level cache API keyed by user id.",
        "@cache_page(60)\n@vary_on_cookie\ndef {handler}(request): ...",
        "python",
    ),
    "nestjs-cache-interceptor": Fix(
        "Extend CacheInterceptor and override trackBy() to include the user id, or remove the "
        "interceptor from user-specific routes.",
        "trackBy(ctx) {{ const req = ctx.switchToHttp().getRequest();\n"
        "  return `${{req.user.id}}:${{req.url}}`; }}",
        "ts",
    ),
    "apicache": Fix(
        "Set apicache.options({ appendKey: (req) => req.user?.id }) or do not cache this route.",
        "apicache.options({{ appendKey: (req) => req.user?.id ?? 'anon' }});",
        "ts",
    ),
    "flask-caching": Fix(
        "Use key_prefix/make_cache_key that includes current_user.id, or cache per user with "
        "@cache.memoize on a function taking the user id.",
        "@cache.cached(timeout=60, key_prefix=lambda: f'{handler}:{{current_user.id}}')",
        "python",
    ),
    "fastapi-cache": Fix(
        "Add the current user as a dependency parameter (it becomes part of the key) or pass a "
        "key_builder that includes the user id.",
        "@cache(expire=60)\nasync def {handler}(user=Depends(get_current_user)): ...",
        "python",
    ),
}


def response_cache_fix(mechanism: str, handler: str, python: bool) -> Fix:
    entry = RESPONSE_CACHE_FIXES.get(mechanism)
    if entry is None:
        return Fix(
            "Make the cache key include the user id, or do not cache this response.",
            "",
            "python" if python else "ts",
        )
    name = handler.rsplit(".", 1)[-1]
    name = name if name.isidentifier() else "view"  # an anonymous or module-level handler
    return Fix(entry.advice, entry.snippet.format(handler=name), entry.language)


def user_key_fix(key: str, python: bool) -> Fix:
    """Write a per-user value under a key that carries the user id: the written key's own
    prefix (``dashboard:`` from ``"dashboard"``), never an invented one."""
    prefix = re.split(r"[:{$`'\"]", key.lstrip("f").strip("'\"`"), maxsplit=1)[0] or "key"
    advice = (
        "Include the user (or tenant) id in the cache key, or do not cache per-user data in a shared key."
    )
    if python:
        return Fix(advice, f'cache.set(f"{prefix}:{{request.user.id}}", value, 60)', "python")
    return Fix(advice, f"await redis.set(`{prefix}:${{req.user.id}}`, value, 'EX', 60);", "ts")


# --------------------------------------------------------------------------- Next.js data cache


#: a cached query per ORM for the Next.js fix (others: the project's own loader)
_NEXT_QUERY = {
    "prisma": "prisma.post.findMany({ take: 20 })",
    "drizzle": "db.select().from(posts).limit(20)",
    "typeorm": "postRepository.find({ take: 20 })",
    "sequelize": "Post.findAll({ limit: 20 })",
    "mongoose": "Post.find().limit(20).lean()",
    "knex": "knex('posts').limit(20)",
    "supabase": "supabase.from('posts').select().limit(20)",
}


def next_cache_fix(opt_out: str, queries: bool, orm: str = "") -> Fix:
    """Let Next.js cache a public page's render and data, refreshed on a timer and on writes:
    ``revalidate`` for the segment, ``next: { revalidate, tags }`` for a fetch,
    ``unstable_cache`` for a database query (the data cache does not see ORM calls)."""
    advice = (
        "Cache the render and refresh it: remove the opt-out and set `export const revalidate = 60` "
        "(the seconds stale data may be shown), tag the data and call `revalidateTag(tag)` where it "
        "is written so edits show at once."
    )
    if queries:
        return Fix(
            advice + " A database query is not a fetch: wrap it in `unstable_cache` (or a "
            "`'use cache'` function with `cacheTag`) so it is cached across requests too.",
            "export const revalidate = 60;\n"
            f"const getPosts = unstable_cache(() => {_NEXT_QUERY.get(orm, 'loadPosts()')}, ['posts'],\n"
            "  { revalidate: 60, tags: ['posts'] });\n"
            "// where posts are written: revalidateTag('posts');",
            "ts",
        )
    snippet = (
        "const res = await fetch(url, { next: { revalidate: 60, tags: ['posts'] } });\n"
        "// where posts are written: revalidateTag('posts');"
    )
    if "fetch" not in opt_out:
        snippet = "export const revalidate = 60;\n" + snippet
    return Fix(advice, snippet, "ts")
