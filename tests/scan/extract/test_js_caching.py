"""Caching facts extracted from JavaScript/TypeScript."""

from __future__ import annotations

from scalescope.model.facts import CacheClient, CachedRoute, CacheOp, InProcessCache
from scalescope.scan.extract.base import extract_file


def _facts(text: str, path: str = "src/a.ts", language: str = "typescript") -> list[object]:
    result = extract_file(path, language, text)
    assert not result.errors
    return result.facts


def _of(facts: list[object], kind: type) -> list:  # type: ignore[type-arg]
    return [f for f in facts if isinstance(f, kind)]


def test_ioredis_client_and_ops_ttl() -> None:
    facts = _facts(
        "import Redis from 'ioredis';\n"
        "const redis = new Redis(process.env.REDIS_URL);\n"
        "export async function f(id: string) {\n"
        "  await redis.set(`u:${id}`, 'x', 'EX', 60);\n"
        "  await redis.set('a', 'x');\n"
        "  await redis.setex('b', 60, 'x');\n"
        "  await redis.keys('u:*');\n"
        "  return Object.keys({});\n"
        "}\n"
    )
    (client,) = _of(facts, CacheClient)
    assert (client.library, client.url_env, client.loc.line) == ("ioredis", "REDIS_URL", 2)
    ops = [(o.op, o.command, o.key, o.has_ttl, o.loc.line) for o in _of(facts, CacheOp)]
    assert ops == [
        ("set", "set", "`u:${id}`", True, 4),
        ("set", "set", "'a'", False, 5),
        ("set", "setex", "'b'", True, 6),
        ("keys", "keys", "'u:*'", None, 7),
    ]
    assert all(o.function_id == "src/a.ts::f@3" for o in _of(facts, CacheOp))


def test_node_redis_object_ttl() -> None:
    facts = _facts(
        "const { createClient } = require('redis');\n"
        "const client = createClient({ url: process.env.REDIS_URL });\n"
        "async function f() { await client.set('k', 'v', { EX: 60 }); await client.set('j', 'v'); }\n",
        path="a.js",
        language="javascript",
    )
    (client,) = _of(facts, CacheClient)
    assert client.library == "node-redis"
    assert [(o.key, o.has_ttl, o.library) for o in _of(facts, CacheOp)] == [
        ("'k'", True, "node-redis"),
        ("'j'", False, "node-redis"),
    ]


def test_map_cache_with_io_and_lru() -> None:
    facts = _facts(
        "import { LRUCache } from 'lru-cache';\n"
        "const cache = new Map();\n"
        "const lru = new LRUCache({ max: 10 });\n"
        "const names = new Map();\n"
        "export async function get(id) {\n"
        "  if (cache.has(id)) return cache.get(id);\n"
        "  const u = await db.user.findOne(id);\n"
        "  cache.set(id, u);\n"
        "  return u;\n"
        "}\n"
    )
    caches = {c.name: c for c in _of(facts, InProcessCache)}
    assert set(caches) == {"cache", "lru"}
    assert caches["cache"].kind == "map" and not caches["cache"].bounded
    assert caches["cache"].used_in == ("src/a.ts::get@5",)
    assert caches["cache"].evidence.startswith("written after await")
    assert caches["lru"].bounded and not caches["lru"].has_ttl
    assert _of(facts, CacheOp) == []  # Map operations are not shared-cache operations


def test_nest_cache_module_and_interceptor() -> None:
    facts = _facts(
        "import { CacheModule, CacheInterceptor } from '@nestjs/cache-manager';\n"
        "import { redisStore } from 'cache-manager-redis-yet';\n"
        "@Module({ imports: [CacheModule.register({ store: redisStore, ttl: 60 })] })\n"
        "export class AppModule {}\n"
        "@Controller('x')\n"
        "export class C {\n"
        "  @UseInterceptors(CacheInterceptor)\n"
        "  @Get()\n"
        "  list() { return 1; }\n"
        "}\n"
    )
    (client,) = _of(facts, CacheClient)
    assert client.library == "cache-manager" and ("ttl", "60") in client.options
    (route,) = _of(facts, CachedRoute)
    assert (route.mechanism, route.varies_on_user, route.loc.line) == ("nestjs-cache-interceptor", False, 7)
    assert route.function_id == "src/a.ts::C.list@7" or route.function_id.startswith("src/a.ts::C.list@")


def test_cache_manager_default_ttl_marked() -> None:
    facts = _facts(
        "import { Cache } from 'cache-manager';\n"
        "class S { constructor(private cache: Cache) {}\n"
        "  async f() { await this.cache.set('k', 1); await this.cache.set('j', 1, 1000); } }\n"
    )
    ops = _of(facts, CacheOp)
    assert [(o.has_ttl, o.uses_default_ttl, o.library) for o in ops] == [
        (False, True, "cache-manager"),
        (True, False, "cache-manager"),
    ]
