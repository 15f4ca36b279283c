"""Fix knowledge (``scan/rules/{database,caching}/_fixes.py``): snippets follow the project's
stack and name its own models, never an invented one (issue 8, item 10)."""

from __future__ import annotations

from pathlib import Path

from scalescope.model.facts import Import, Loc, StackItem, Table
from scalescope.model.project import ProjectModel, SourceFile
from scalescope.scan.rules.caching._fixes import RedisUse, maxmemory_fix, shared_cache_fix, ttl_fix
from scalescope.scan.rules.database._fixes import index_fix, n_plus_one_fix


def _model(*paths: str, facts: tuple[object, ...] = ()) -> ProjectModel:
    files = tuple(SourceFile(p, "sql" if p.endswith(".sql") else "typescript", 1) for p in paths)
    return ProjectModel(Path("."), files=files, facts=facts)  # type: ignore[arg-type]


def test_drizzle_index_fix_follows_push_or_migrations() -> None:
    table = Table(Loc("src/db/schema.ts", 3), name="sites", source="drizzle", model="sites")
    pushed = index_fix(_model("src/db/schema.ts"), table, ["organizationId"])
    migrated = index_fix(_model("src/db/schema.ts", "drizzle/0000_brave_hulk.sql"), table, ["organizationId"])
    assert "drizzle-kit push" in pushed.advice and "prisma" not in pushed.advice
    assert "drizzle-kit generate" in migrated.advice and "drizzle-kit migrate" in migrated.advice
    assert "index('sites_organizationid_idx').on(t.organizationId)" in pushed.snippet


def test_prisma_index_fix_follows_migrate_or_db_push() -> None:
    table = Table(Loc("prisma/schema.prisma", 3), name="Order", source="prisma", model="Order")
    migrate = index_fix(
        _model("prisma/schema.prisma", "prisma/migrations/20240101120000_init/migration.sql"),
        table,
        ["userId"],
    )
    push = index_fix(_model("prisma/schema.prisma"), table, ["userId"])
    assert "prisma migrate dev" in migrate.advice
    assert "prisma db push" in push.advice
    assert migrate.snippet == "model Order {\n  // ...\n  @@index([userId])\n}"


def test_n_plus_one_fix_uses_the_finding_model_and_key() -> None:
    fix = n_plus_one_fix("typeorm", "ProjectUser", ("project",))
    assert (
        fix.snippet == "const rows = await this.projectUserRepository.find({ where: { project: In(keys) } });"
    )
    django = n_plus_one_fix("django", "Document", ())
    assert django.snippet == "rows = Document.objects.filter(pk__in=keys)"
    for orm in ("prisma", "sequelize", "mongoose", "knex", "drizzle", "sqlalchemy"):
        text = n_plus_one_fix(orm, "Invoice", ("customerId",)).snippet
        assert "nvoice" in text and "customerId" in text, (orm, text)
        assert not any(word in text for word in ("post", "Post", "author", "User")), (orm, text)


def test_shared_cache_fix_follows_the_framework_near_the_file() -> None:
    express = _model(
        "api/src/app.ts", facts=(StackItem(Loc("api/package.json", 3), "framework", "express", "node"),)
    )
    nest = _model(
        "svc/src/app.ts", facts=(StackItem(Loc("svc/package.json", 3), "framework", "nestjs", "node"),)
    )
    assert "cache-manager" not in shared_cache_fix(express, "api/src/app.ts", "order").advice
    assert "ioredis" in shared_cache_fix(express, "api/src/app.ts", "order").advice
    assert "@nestjs/cache-manager" in shared_cache_fix(nest, "svc/src/app.ts", "order").advice
    fastify = _model(
        "srv/src/app.ts", facts=(StackItem(Loc("srv/package.json", 3), "framework", "fastify", "node"),)
    )
    assert "@fastify/redis" in shared_cache_fix(fastify, "srv/src/app.ts", "order").advice
    fastapi = ProjectModel(
        Path("."),
        files=(SourceFile("app/main.py", "python", 1),),
        facts=(StackItem(Loc("requirements.txt", 1), "framework", "fastapi", "python"),),
    )
    fix = shared_cache_fix(fastapi, "app/main.py", "Invoice")
    assert "django" not in fix.advice.lower() and "redis.asyncio" in fix.advice
    assert 'f"invoice:{page}"' in fix.snippet
    django = ProjectModel(
        Path("."),
        files=(SourceFile("shop/views.py", "python", 1),),
        facts=(
            StackItem(Loc("requirements.txt", 1), "framework", "django", "python"),
            Import(Loc("shop/views.py", 1), "cache", "django.core.cache", "cache"),
        ),
    )
    assert "CACHES" in shared_cache_fix(django, "shop/views.py", "Product").advice


def test_ttl_fix_follows_the_cache_client() -> None:
    assert (
        ttl_fix("node-redis", "`k:${id}`", python=False).snippet
        == "await client.set(`k:${id}`, value, { EX: 300 });"
    )
    assert "'EX', 300" in ttl_fix("ioredis", "key", python=False).snippet
    assert ttl_fix("redis-py", 'f"k:{i}"', python=True).snippet == 'r.set(f"k:{i}", value, ex=300)'
    assert "timeout=300" in ttl_fix("django", "key", python=True).snippet


def test_maxmemory_fix_never_evicts_a_queue() -> None:
    queue = maxmemory_fix(RedisUse(("BullMQ",), False, 3, 0))
    assert "noeviction" in queue.snippet and "allkeys" not in queue.advice + queue.snippet
    cache = maxmemory_fix(RedisUse((), False, 3, 0))
    assert "allkeys-lru" in cache.snippet
