"""Fix knowledge per library, as data: the advice and snippet each rule offers, chosen by the
stack detected for the file or client a finding is about.

Rules ask for a fix by what they know (the ORM of a query, the library of a client, the
frameworks near a file, whether a queue uses Redis) and get a :class:`Fix`; they hold no
per-library text of their own. Snippets name the project's own model or table (the
``{model}``/``{Model}``/``{table}`` slots are filled from the finding), never an example model
the project does not have. A new ORM, framework or cache is an entry in these tables.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from scalescope.model.facts import CacheOp, Import, StackItem, Table
from scalescope.model.project import ProjectModel


class Fix(NamedTuple):
    """What to do (prose), how (a snippet) and the snippet's language."""

    advice: str
    snippet: str
    language: str


# --------------------------------------------------------------------------- names


def _pascal(name: str) -> str:
    return name[:1].upper() + name[1:] if name else "Item"


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:] if name else "item"


def _fill(template: Fix, model: str | None, key: str = "id") -> Fix:
    """Fill ``{model}`` (as written), ``{Model}``, ``{camel}`` and ``{table}`` from the finding's
    model; with no model, neutral placeholders (``items``) rather than an invented one."""
    name = model or ""
    plain = re.sub(r"\W", "", name.rsplit(".", 1)[-1]) if name else ""
    values = {
        "model": plain or "item",
        "Model": _pascal(plain) if plain else "Item",
        "camel": _camel(plain) if plain else "item",
        "table": plain or "items",
        "key": key,
    }
    return Fix(template.advice.format(**values), template.snippet.format(**values), template.language)


# --------------------------------------------------------------------------- N+1 (SC-DB-003)

#: orm -> how to load per-item rows in one query
N_PLUS_ONE: dict[str, Fix] = {
    "prisma": Fix(
        "Load the related rows in one query: `include` the relation on the parent query, or fetch them "
        "all with an `in` filter and join in memory.",
        "const rows = await prisma.{camel}.findMany({{ where: {{ {key}: {{ in: keys }} }} }});\n"
        "const byKey = Map.groupBy(rows, (r) => r.{key});",
        "ts",
    ),
    "typeorm": Fix(
        "Load the relation with the parent (`relations: [...]` / `leftJoinAndSelect`) or fetch all rows "
        "at once with `In(keys)`.",
        "const rows = await this.{camel}Repository.find({{ where: {{ {key}: In(keys) }} }});",
        "ts",
    ),
    "sequelize": Fix(
        "Eager-load with `include` on the parent query, or fetch all rows with `Op.in` and group in memory.",
        "const rows = await {Model}.findAll({{ where: {{ {key}: {{ [Op.in]: keys }} }} }});",
        "ts",
    ),
    "mongoose": Fix(
        "Use `populate()` on the parent query or one `find` with `$in` and join in memory.",
        "const docs = await {Model}.find({{ {key}: {{ $in: keys }} }}).lean();",
        "ts",
    ),
    "mongodb": Fix(
        "Fetch all documents with one `$in` query (or a `$lookup` stage) instead of one per item.",
        "const docs = await db.collection('{table}').find({{ {key}: {{ $in: keys }} }}).toArray();",
        "ts",
    ),
    "knex": Fix(
        "Fetch all rows with one `whereIn` (or a join) and group them in memory.",
        "const rows = await knex('{table}').whereIn('{key}', keys);",
        "ts",
    ),
    "drizzle": Fix(
        "Use a relational query with `with`, or one `inArray` query, instead of a query per item.",
        "const rows = await db.select().from({camel}).where(inArray({camel}.{key}, keys));",
        "ts",
    ),
    "supabase": Fix(
        "Fetch all rows with one `.in()` filter (or embed the relation in `select`) instead of per item.",
        "const {{ data }} = await supabase.from('{table}').select('*').in('{key}', keys);",
        "ts",
    ),
    "sqlalchemy": Fix(
        "Eager-load with `selectinload`/`joinedload`, or one `IN` query, instead of a query per item.",
        "rows = session.scalars(select({Model}).where({Model}.{key}.in_(keys))).all()",
        "python",
    ),
    "django": Fix(
        "Use `select_related` (FK) or `prefetch_related` (reverse/many-to-many) on the parent queryset, "
        "or one `__in` query.",
        "rows = {Model}.objects.filter({key}__in=keys)",
        "python",
    ),
}
N_PLUS_ONE_GENERIC = Fix(
    "Batch the lookups: one query with an IN list (or a join), or a DataLoader that collects the keys "
    "of one tick into a single query.",
    "SELECT * FROM {table} WHERE {key} = ANY($1)  -- all keys at once",
    "sql",
)
#: the key a per-item lookup uses when the query shows none, per ORM
_DEFAULT_KEY = {"mongoose": "_id", "mongodb": "_id", "django": "pk"}


def n_plus_one_fix(orm: str, model: str | None, filter_fields: Sequence[str] = ()) -> Fix:
    """One query for all items, on the column the per-item query filters (its first filter)."""
    key = next((f for f in filter_fields if re.fullmatch(r"[A-Za-z_$][\w$]*", f)), "")
    return _fill(N_PLUS_ONE.get(orm, N_PLUS_ONE_GENERIC), model, key or _DEFAULT_KEY.get(orm, "id"))


def dataloader_fix(orm: str, model: str | None, python: bool, filter_fields: Sequence[str] = ()) -> Fix:
    """Batch a GraphQL field resolver's lookups of one request: a DataLoader around the ORM's
    one-query batch (the N+1 snippet for that ORM, model and key column)."""
    batch = n_plus_one_fix(orm, model, filter_fields)
    key = next((f for f in filter_fields if re.fullmatch(r"[A-Za-z_$][\w$]*", f)), "id")
    name = re.sub(r"\W", "", (model or "item").rsplit(".", 1)[-1]) or "item"
    loader = _camel(name)
    first = batch.snippet.splitlines()[0]
    if python:
        return Fix(
            "Batch the lookups of one request with a DataLoader keyed by the parent id "
            "(strawberry.dataloader / a promise DataLoader for graphene), or prefetch the "
            "relation on the parent query.",
            f"async def load_{loader}(keys):\n"
            f"    {first.replace('keys', 'list(keys)')}\n"
            "    ...  # return the rows grouped in the order of keys\n"
            f"{loader}_loader = DataLoader(load_fn=load_{loader})  # one per request",
            "python",
        )
    return Fix(
        "Batch the lookups of one request with a DataLoader (the `dataloader` package, one instance "
        "per request in the context) keyed by the parent id.",
        f"const {loader}Loader = new DataLoader(async (keys: readonly string[]) => {{\n"
        f"  {first.replace('keys', '[...keys]')}\n"
        f"  return keys.map((k) => rows.filter((r) => r.{key} === k));\n"
        "});",
        "ts",
    )


# --------------------------------------------------------------------------- statement timeouts (SC-DB-002)

#: db client library -> how to give it a statement timeout (SC-DB-002)
TIMEOUT_FIXES: dict[str, Fix] = {
    "prisma": Fix(
        "Prisma Client has no statement-timeout option: set `socket_timeout` (seconds a single query "
        "may take) and `pool_timeout` in the datasource URL, and a server-side limit with "
        "`ALTER ROLE app SET statement_timeout = '5s'` so PostgreSQL cancels the query too.",
        'DATABASE_URL="postgresql://app:***@db:5432/app?connection_limit=10&pool_timeout=10'
        '&socket_timeout=15"\n'
        "-- and once, in a migration:\nALTER ROLE app SET statement_timeout = '5s';",
        "bash",
    ),
    "pg": Fix(
        "Set statement_timeout (server-side) and query_timeout (client-side) on the Pool.",
        "new Pool({\n  connectionString: process.env.DATABASE_URL,\n  statement_timeout: 5_000,\n"
        "  query_timeout: 6_000,\n  connectionTimeoutMillis: 5_000,\n});",
        "ts",
    ),
    "postgres-js": Fix(
        "Pass a server-side statement_timeout through `connection`.",
        "postgres(url, { max: 10, connection: { statement_timeout: 5000 } });",
        "ts",
    ),
    "drizzle": Fix(
        "Build the pg Pool yourself with statement_timeout and pass it to drizzle().",
        "const pool = new Pool({ connectionString: url, statement_timeout: 5_000 });\n"
        "export const db = drizzle(pool);",
        "ts",
    ),
    "typeorm": Fix(
        "TypeORM's maxQueryExecutionTime only logs slow queries; pass statement_timeout to the driver "
        "through `extra`.",
        'new DataSource({\n  type: "postgres",\n  // ...\n  extra: { max: 10, statement_timeout: 5_000, '
        "connectionTimeoutMillis: 5_000 },\n});",
        "ts",
    ),
    "sequelize": Fix(
        "Set dialectOptions.statement_timeout (pg) so the server cancels runaway queries.",
        "new Sequelize(url, { dialectOptions: { statement_timeout: 5000 }, pool: { max: 10, "
        "acquire: 10_000 } });",
        "ts",
    ),
    "knex": Fix(
        "acquireConnectionTimeout bounds waiting for a connection, not a query; set statement_timeout on "
        "the connection.",
        'knex({\n  client: "pg",\n  connection: { connectionString: process.env.DATABASE_URL, '
        "statement_timeout: 5000 },\n  pool: { min: 0, max: 10 },\n});",
        "ts",
    ),
    "mongoose": Fix(
        "Set socketTimeoutMS on the connection (and maxTimeMS on heavy queries).",
        "mongoose.connect(uri, { maxPoolSize: 20, serverSelectionTimeoutMS: 5000, socketTimeoutMS: 30000 });",
        "ts",
    ),
    "mongodb": Fix(
        "Set timeoutMS (driver 6+) or socketTimeoutMS on the MongoClient.",
        "new MongoClient(uri, { maxPoolSize: 20, timeoutMS: 10_000 });",
        "ts",
    ),
    "sqlalchemy": Fix(
        "Pass a server-side statement timeout through connect_args.",
        'create_engine(url, connect_args={"options": "-c statement_timeout=5000", "connect_timeout": 5})\n'
        '# asyncpg: connect_args={"command_timeout": 5, "server_settings": {"statement_timeout": "5000"}}',
        "python",
    ),
    "asyncpg": Fix(
        "Set command_timeout (client) and/or server_settings statement_timeout on the pool.",
        "await asyncpg.create_pool(dsn, max_size=10, command_timeout=5, "
        'server_settings={"statement_timeout": "5000"})',
        "python",
    ),
    "psycopg": Fix(
        "Pass statement_timeout through the pool's connection kwargs.",
        'ConnectionPool(conninfo, max_size=10, kwargs={"options": "-c statement_timeout=5000"})',
        "python",
    ),
    "psycopg2": Fix(
        "Pass statement_timeout in the connection options.",
        'ThreadedConnectionPool(1, 10, dsn, options="-c statement_timeout=5000")',
        "python",
    ),
    "django": Fix(
        "Set a statement timeout in DATABASES OPTIONS.",
        'DATABASES["default"]["OPTIONS"] = {"options": "-c statement_timeout=5000", "connect_timeout": 5}',
        "python",
    ),
}


def timeout_fix(library: str) -> Fix:
    return TIMEOUT_FIXES[library]


# --------------------------------------------------------------------------- stack near a file


def stack_near(model: ProjectModel, path: str) -> frozenset[str]:
    """Names of the libraries the code at ``path`` runs with: the stack of the nearest
    manifests above it (its package, then the enclosing ones) plus what the file imports."""
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    names: set[str] = set()
    for item in model.all(StackItem):
        where = item.loc.file.rsplit("/", 1)[0] if "/" in item.loc.file else ""
        if where == "" or folder == where or folder.startswith(where + "/"):
            names.add(item.name)
    for imp in model.all(Import):
        if imp.loc.file == path:
            names.add(imp.module)
    return frozenset(names)


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
    name = (re.sub(r"(?<!^)(?=[A-Z])", "_", plain).lower() if python else _camel(plain)) or "data"
    chosen = next(
        (
            e
            for e in SHARED_CACHE
            if any(lib in stack for lib in e.libraries) and (e.language == "python") == python
        ),
        SHARED_CACHE[-2] if python else SHARED_CACHE[-1],
    )
    return Fix(chosen.advice, chosen.snippet.format(name=name, Name=_pascal(name)), chosen.language)


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


# --------------------------------------------------------------------------- indexes (SC-DB-006)

#: schema source -> how an index is declared: (advice, snippet) for one column and for several.
#: Slots: ``{name}`` model, ``{table}``, ``{col}`` first column, ``{cols}`` joined, ``{quoted}``
#: quoted list, ``{idx}`` index name, ``{on}`` Drizzle columns, ``{spec}`` Mongo spec,
#: ``{camel}`` schema variable, ``{apply}`` the project's way to apply schema changes.
INDEX_FIXES: dict[str, tuple[tuple[str, str], tuple[str, str], str]] = {
    "prisma": (
        (
            "Add `@@index([{cols}])` to model {name} and {apply}.",
            "model {name} {{\n  // ...\n  @@index([{cols}])\n}}",
        ),
        (
            "Add `@@index([{cols}])` to model {name} and {apply}.",
            "model {name} {{\n  // ...\n  @@index([{cols}])\n}}",
        ),
        "prisma",
    ),
    "typeorm": (
        (
            "Decorate `{col}` with `@Index()` in entity {name} and {apply}.",
            "@Index()\n@Column()\n{col}: string;",
        ),
        (
            "Add `@Index([{quoted}])` to entity {name} and {apply}.",
            "@Index([{quoted}])\n@Entity()\nexport class {name} {{ /* ... */ }}",
        ),
        "ts",
    ),
    "mongoose": (
        (
            "Declare the index on the {name} schema (`schema.index({{ {spec} }})`) and build it.",
            "{camel}Schema.index({{ {spec} }});",
        ),
        (
            "Declare the index on the {name} schema (`schema.index({{ {spec} }})`) and build it.",
            "{camel}Schema.index({{ {spec} }});",
        ),
        "ts",
    ),
    "drizzle": (
        (
            "Add `index('{idx}').on({on})` to the {name} table's extra config and {apply}.",
            "(t) => [index('{idx}').on({on})]",
        ),
        (
            "Add `index('{idx}').on({on})` to the {name} table's extra config and {apply}.",
            "(t) => [index('{idx}').on({on})]",
        ),
        "ts",
    ),
    "sequelize": (
        (
            "Add `indexes: [{{ fields: [{quoted}] }}]` to the {name} model options and {apply}.",
            "{{ indexes: [{{ fields: [{quoted}] }}] }}",
        ),
        (
            "Add `indexes: [{{ fields: [{quoted}] }}]` to the {name} model options and {apply}.",
            "{{ indexes: [{{ fields: [{quoted}] }}] }}",
        ),
        "ts",
    ),
    "sqlalchemy": (
        (
            "Pass `index=True` to the `{col}` column of {name} and {apply}.",
            "{col} = mapped_column(String, index=True)",
        ),
        (
            'Add `Index("{idx}", {dquoted})` to `__table_args__` of {name} and {apply}.',
            '__table_args__ = (Index("{idx}", {dquoted}),)',
        ),
        "python",
    ),
    "django": (
        (
            "Set `db_index=True` on `{col}` of {name} (or add a `Meta.indexes` entry) and {apply}.",
            "{col} = models.CharField(max_length=32, db_index=True)",
        ),
        (
            "Add `models.Index(fields=[{dquoted}])` to `{name}.Meta.indexes` and {apply}.",
            "class Meta:\n    indexes = [models.Index(fields=[{dquoted}])]",
        ),
        "python",
    ),
}
_INDEX_SQL = (
    "Create the index without locking writes: `CREATE INDEX CONCURRENTLY {idx} ON {table} ({cols})`.",
    "CREATE INDEX CONCURRENTLY {idx} ON {table} ({cols});",
)
# files that show how a project applies schema changes
_PRISMA_MIGRATION = re.compile(r"(?:^|/)migrations/\d{8,}[^/]*/migration\.sql$")
_DRIZZLE_MIGRATION = re.compile(r"(?:^|/)\d{4}_[A-Za-z0-9_-]+\.sql$")
_ALEMBIC = re.compile(r"(?:^|/)(?:alembic|migrations)/(?:env\.py|versions/)")


def schema_apply(model: ProjectModel, source: str) -> str:
    """How this project applies a schema change, from its files: Prisma migrations or
    ``db push``; drizzle-kit ``generate`` + ``migrate`` or ``push``; an Alembic revision."""
    paths = [f.path for f in model.files]
    if source == "prisma":
        if any(_PRISMA_MIGRATION.search(p) for p in paths):
            return "run `prisma migrate dev` (the project keeps Prisma migrations)"
        return "run `prisma db push` (the project has no Prisma migrations folder)"
    if source == "drizzle":
        if any(_DRIZZLE_MIGRATION.search(p) for p in paths):
            return "run `drizzle-kit generate` then `drizzle-kit migrate` (the project keeps SQL migrations)"
        return "run `drizzle-kit push` (the project keeps no drizzle-kit migrations)"
    if source == "sqlalchemy":
        if any(_ALEMBIC.search(p) for p in paths):
            return "add an Alembic revision (`alembic revision --autogenerate`)"
        return "create it in the database too (`create_all` does not alter existing tables)"
    if source == "django":
        return "run `makemigrations`"
    if source == "typeorm":
        return "generate a migration (`typeorm migration:generate`)"
    return "add a migration"


def index_fix(model: ProjectModel, table: Table, cols: Sequence[str]) -> Fix:
    """How to add an index led by ``cols[0]`` in the schema tool that defines ``table``."""
    name = table.model or table.name
    values = {
        "name": name,
        "table": table.name,
        "col": cols[0],
        "cols": ", ".join(cols),
        "quoted": ", ".join(f"'{c}'" for c in cols),
        "dquoted": ", ".join(f'"{c}"' for c in cols),
        "idx": f"{table.name}_{'_'.join(cols)}_idx".lower(),
        "on": ", ".join(f"t.{c}" for c in cols),
        "spec": ", ".join(f"{c}: 1" for c in cols),
        "camel": _camel(name),
    }
    entry = INDEX_FIXES.get(table.source)
    if entry is None:
        return Fix(_INDEX_SQL[0].format(**values), _INDEX_SQL[1].format(**values), "sql")
    one, many, language = entry
    advice, snippet = one if len(cols) == 1 else many
    values["apply"] = schema_apply(model, table.source)
    return Fix(advice.format(**values), snippet.format(**values), language)


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
