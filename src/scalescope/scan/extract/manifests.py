"""Stack detection from manifests: package.json, requirements*.txt, pyproject.toml, Pipfile.

One table per ecosystem maps a package to ``(kind, neutral name)`` (names follow the
conventions of :mod:`scalescope.model.facts`: ``nestjs``, ``node-redis``, ``redis-py``...).
Each :class:`StackItem` points at the dependency's own line.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator

from scalescope.model.facts import EntryPoint, Loc, LockedVersion, StackItem
from scalescope.scan.extract.base import FileContext, extractor
from scalescope.scan.extract.entrypoints import command_targets, script_role

NODE_PACKAGES: dict[str, tuple[str, str]] = {
    # frameworks
    "express": ("framework", "express"),
    "@nestjs/core": ("framework", "nestjs"),
    "fastify": ("framework", "fastify"),
    "next": ("framework", "nextjs"),
    "koa": ("framework", "koa"),
    "@hapi/hapi": ("framework", "hapi"),
    "hono": ("framework", "hono"),
    "@apollo/server": ("framework", "apollo-server"),
    "apollo-server-express": ("framework", "apollo-server"),
    "@trpc/server": ("framework", "trpc"),
    "@remix-run/node": ("framework", "remix"),
    "nuxt": ("framework", "nuxt"),
    # ORMs / query builders
    "prisma": ("orm", "prisma"),
    "@prisma/client": ("orm", "prisma"),
    "typeorm": ("orm", "typeorm"),
    "drizzle-orm": ("orm", "drizzle"),
    "sequelize": ("orm", "sequelize"),
    "sequelize-typescript": ("orm", "sequelize"),
    # Sequelize.useCLS(namespace) needs it: transactions reach every query implicitly
    "cls-hooked": ("orm-context", "cls-hooked"),
    "knex": ("orm", "knex"),
    "mongoose": ("orm", "mongoose"),
    "@mikro-orm/core": ("orm", "mikro-orm"),
    "objection": ("orm", "objection"),
    "kysely": ("orm", "kysely"),
    # drivers
    "pg": ("db-driver", "pg"),
    "postgres": ("db-driver", "postgres"),
    "mysql2": ("db-driver", "mysql2"),
    "mysql": ("db-driver", "mysql"),
    "mongodb": ("db-driver", "mongodb"),
    "better-sqlite3": ("db-driver", "sqlite"),
    "sqlite3": ("db-driver", "sqlite3"),
    "@libsql/client": ("db-driver", "libsql"),
    "mariadb": ("db-driver", "mariadb"),
    "tedious": ("db-driver", "tedious"),
    "mssql": ("db-driver", "mssql"),
    "oracledb": ("db-driver", "oracledb"),
    "pg-promise": ("db-driver", "pg-promise"),
    "@vercel/postgres": ("db-driver", "vercel-postgres"),
    "@supabase/supabase-js": ("db-driver", "supabase"),
    "@neondatabase/serverless": ("db-driver", "neon"),
    "@planetscale/database": ("db-driver", "planetscale"),
    # caches
    "ioredis": ("cache", "ioredis"),
    "redis": ("cache", "node-redis"),
    "@redis/client": ("cache", "node-redis"),
    "@upstash/redis": ("cache", "@upstash/redis"),
    "lru-cache": ("cache", "lru-cache"),
    "node-cache": ("cache", "node-cache"),
    "memory-cache": ("cache", "memory-cache"),
    "cache-manager": ("cache", "cache-manager"),
    "@nestjs/cache-manager": ("cache", "@nestjs/cache-manager"),
    "keyv": ("cache", "keyv"),
    "memjs": ("cache", "memcached"),
    "apicache": ("cache", "apicache"),
    # session stores (what a Redis holds decides its eviction policy)
    "connect-redis": ("framework", "connect-redis"),
    # queues
    "bullmq": ("queue", "bullmq"),
    "bull": ("queue", "bull"),
    "@nestjs/bull": ("queue", "bull"),
    "@nestjs/bullmq": ("queue", "bullmq"),
    "bee-queue": ("queue", "bee-queue"),
    "agenda": ("queue", "agenda"),
    "amqplib": ("queue", "rabbitmq"),
    "kafkajs": ("queue", "kafka"),
    "@aws-sdk/client-sqs": ("queue", "sqs"),
    "pg-boss": ("queue", "pg-boss"),
    "node-cron": ("queue", "node-cron"),
    # rate limiting, http clients
    "express-rate-limit": ("framework", "express-rate-limit"),
    "@nestjs/throttler": ("framework", "nestjs-throttler"),
    "rate-limiter-flexible": ("framework", "rate-limiter-flexible"),
    "axios": ("http-client", "axios"),
    "got": ("http-client", "got"),
    "node-fetch": ("http-client", "node-fetch"),
    "undici": ("http-client", "undici"),
    "superagent": ("http-client", "superagent"),
    # servers / runtime
    "pm2": ("server", "pm2"),
}

PYTHON_PACKAGES: dict[str, tuple[str, str]] = {
    "fastapi": ("framework", "fastapi"),
    "flask": ("framework", "flask"),
    "django": ("framework", "django"),
    "djangorestframework": ("framework", "django-rest-framework"),
    "starlette": ("framework", "starlette"),
    "litestar": ("framework", "litestar"),
    "sanic": ("framework", "sanic"),
    "aiohttp": ("framework", "aiohttp"),
    "tornado": ("framework", "tornado"),
    "sqlalchemy": ("orm", "sqlalchemy"),
    "flask-sqlalchemy": ("orm", "sqlalchemy"),
    "sqlmodel": ("orm", "sqlmodel"),
    "tortoise-orm": ("orm", "tortoise"),
    "peewee": ("orm", "peewee"),
    "mongoengine": ("orm", "mongoengine"),
    "beanie": ("orm", "beanie"),
    "alembic": ("orm", "alembic"),
    "asyncpg": ("db-driver", "asyncpg"),
    "psycopg": ("db-driver", "psycopg"),
    "psycopg-binary": ("db-driver", "psycopg"),
    "psycopg2": ("db-driver", "psycopg2"),
    "psycopg2-binary": ("db-driver", "psycopg2"),
    "pymysql": ("db-driver", "pymysql"),
    "mysqlclient": ("db-driver", "mysqlclient"),
    "mysql-python": ("db-driver", "mysqlclient"),  # MySQLdb's former distribution name
    "mysql-connector-python": ("db-driver", "mysql-connector"),
    "mysql-connector": ("db-driver", "mysql-connector"),
    "pymssql": ("db-driver", "pymssql"),
    "aiomysql": ("db-driver", "aiomysql"),
    "asyncmy": ("db-driver", "asyncmy"),
    "mariadb": ("db-driver", "mariadb"),
    "aiosqlite": ("db-driver", "aiosqlite"),
    "oracledb": ("db-driver", "oracledb"),
    "cx-oracle": ("db-driver", "oracledb"),
    "pymongo": ("db-driver", "pymongo"),
    "motor": ("db-driver", "motor"),
    "databases": ("db-driver", "databases"),
    "supabase": ("db-driver", "supabase"),
    "redis": ("cache", "redis-py"),
    "aioredis": ("cache", "aioredis"),
    "django-redis": ("cache", "django-redis"),
    "cachetools": ("cache", "cachetools"),
    "flask-caching": ("cache", "flask-caching"),
    "fastapi-cache2": ("cache", "fastapi-cache"),
    "aiocache": ("cache", "aiocache"),
    "pymemcache": ("cache", "pymemcache"),
    "python-memcached": ("cache", "python-memcached"),
    "pylibmc": ("cache", "pylibmc"),
    "django-cacheops": ("cache", "django-cacheops"),
    "flask-session": ("framework", "flask-session"),
    "django-redis-sessions": ("framework", "django-redis-sessions"),
    "celery": ("queue", "celery"),
    "rq": ("queue", "rq"),
    "dramatiq": ("queue", "dramatiq"),
    "arq": ("queue", "arq"),
    "huey": ("queue", "huey"),
    "kombu": ("queue", "kombu"),
    "apscheduler": ("queue", "apscheduler"),
    "slowapi": ("framework", "slowapi"),
    "flask-limiter": ("framework", "flask-limiter"),
    "django-ratelimit": ("framework", "django-ratelimit"),
    "requests": ("http-client", "requests"),
    "httpx": ("http-client", "httpx"),
    "aiohttp-client": ("http-client", "aiohttp"),
    "gunicorn": ("server", "gunicorn"),
    "uvicorn": ("server", "uvicorn"),
    "hypercorn": ("server", "hypercorn"),
    "daphne": ("server", "daphne"),
    "uwsgi": ("server", "uwsgi"),
}

_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;#]*)")
_PEP508 = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(?:\(([^)]*)\)|([^;]*))")


def normalize(name: str) -> str:
    """PEP 503 normalised package name (``Flask_SQLAlchemy`` -> ``flask-sqlalchemy``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _line_of(text: str, name: str, start: int = 0) -> int:
    """1-based line where ``name`` first appears as a key/requirement (after ``start``)."""
    m = re.search(
        rf"(?m)^[ \t]*[\"']?{re.escape(name)}[\"']?[ \t]*[=:<>~!\[( ;@\"']", text[start:], re.IGNORECASE
    )
    if m is None:
        m = re.search(rf"[\"']{re.escape(name)}[\"'\[<>=~! ]", text[start:], re.IGNORECASE)
    if m is None:
        return 1
    return text.count("\n", 0, start + m.start()) + 1


# dependency groups/extras/requirement files that only development or tests install
_DEV_GROUP = re.compile(
    r"(^|[-_./])(dev|develop|development|local|lint|linting|docs?|typing|mypy|ci)($|[-_.])"
)
_TEST_GROUP = re.compile(r"(^|[-_./])(tests?|testing|pytest|e2e|qa)($|[-_.])")


def group_scope(name: str) -> str:
    """production | dev | test for a dependency group, extra or requirements file name."""
    low = name.lower()
    if _TEST_GROUP.search(low):
        return "test"
    if _DEV_GROUP.search(low):
        return "dev"
    return "production"


def requirements_scope(path: str) -> str:
    """``requirements-dev.txt``, ``requirements/test.txt``, ``dev-requirements.in`` -> dev/test."""
    parts = path.lower().split("/")
    name = parts[-1].rsplit(".", 1)[0]
    scope = group_scope(name.replace("requirements", ""))
    if scope == "production" and len(parts) > 1 and parts[-2] == "requirements":
        scope = group_scope(name)
    return scope


def _python_item(
    ctx: FileContext, name: str, version: str, line: int, scope: str = "production"
) -> StackItem | None:
    found = PYTHON_PACKAGES.get(normalize(name))
    if found is None:
        return None
    kind, neutral = found
    return StackItem(
        Loc(ctx.path, line), kind=kind, name=neutral, ecosystem="python", version=version.strip(), scope=scope
    )


def package_json(ctx: FileContext) -> Iterator[StackItem]:
    """Dependencies and devDependencies of a package.json."""
    try:
        data = json.loads(ctx.text)
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    for section in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
        deps = data.get(section)
        if not isinstance(deps, dict):
            continue
        anchor = ctx.text.find(f'"{section}"')
        for name, version in deps.items():
            found = NODE_PACKAGES.get(name)
            if found is None:
                continue
            pos = ctx.text.find(f'"{name}"', max(anchor, 0))
            line = ctx.text.count("\n", 0, pos) + 1 if pos >= 0 else 1
            yield StackItem(
                Loc(ctx.path, line),
                kind=found[0],
                name=found[1],
                ecosystem="node",
                version=str(version),
                scope="dev" if section == "devDependencies" else "production",
            )


def package_entry_points(ctx: FileContext) -> Iterator[EntryPoint]:
    """``main``/``bin``, ``scripts`` and ``prisma.seed`` of a package.json."""
    try:
        data = json.loads(ctx.text)
    except ValueError:
        return
    if not isinstance(data, dict):
        return

    def line_of(key: str, after: str = "") -> int:
        start = ctx.text.find(f'"{after}"') if after else 0
        pos = ctx.text.find(f'"{key}"', max(start, 0))
        return ctx.text.count("\n", 0, pos) + 1 if pos >= 0 else 1

    main = data.get("main")
    if isinstance(main, str) and main.strip():
        yield EntryPoint(
            ctx.line_loc(line_of("main")),
            "package.json",
            "main",
            main,
            "production",
            (main.removeprefix("./"),),
        )
    bins = data.get("bin")
    if isinstance(bins, str):
        bins = {"bin": bins}
    if isinstance(bins, dict):
        for name, target in sorted(bins.items()):
            if isinstance(target, str):
                yield EntryPoint(
                    ctx.line_loc(line_of(str(name), "bin")),
                    "package.json",
                    f"bin:{name}",
                    target,
                    "tooling",
                    (target.removeprefix("./"),),
                )
    scripts = data.get("scripts")
    if isinstance(scripts, dict):
        for name, command in scripts.items():
            if not isinstance(command, str) or not isinstance(name, str):
                continue
            yield EntryPoint(
                ctx.line_loc(line_of(name, "scripts")),
                "package.json",
                name,
                command[:500],
                script_role(name, command),
                command_targets(command),
            )
    prisma = data.get("prisma")
    seed = prisma.get("seed") if isinstance(prisma, dict) else None
    if isinstance(seed, str):
        yield EntryPoint(
            ctx.line_loc(line_of("seed", "prisma")),
            "package.json",
            "prisma.seed",
            seed[:500],
            "tooling",
            command_targets(seed),
        )


def requirements(ctx: FileContext) -> Iterator[StackItem]:
    scope = requirements_scope(ctx.path)
    for idx, raw in enumerate(ctx.lines):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith(("-", "http:", "https:", "git+")):
            continue
        m = _REQ.match(line)
        if m is None:
            continue
        item = _python_item(ctx, m.group(1), m.group(3), idx + 1, scope)
        if item is not None:
            yield item


def pyproject(ctx: FileContext, data: dict[str, object]) -> Iterator[StackItem]:
    """``[project] dependencies`` (+ optional groups), Poetry and PDM/uv dependency tables."""
    project = data.get("project")
    specs: list[tuple[str, str]] = []
    if isinstance(project, dict):
        deps = project.get("dependencies")
        if isinstance(deps, list):
            specs.extend((d, "production") for d in deps if isinstance(d, str))
        optional = project.get("optional-dependencies")
        if isinstance(optional, dict):
            for gname, group in optional.items():
                if isinstance(group, list):
                    specs.extend((d, group_scope(str(gname))) for d in group if isinstance(d, str))
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        for gname, group in groups.items():
            if isinstance(group, list):
                specs.extend((d, group_scope(str(gname))) for d in group if isinstance(d, str))
    for spec, scope in specs:
        m = _PEP508.match(spec)
        if m is not None:
            item = _python_item(
                ctx, m.group(1), m.group(3) or m.group(4) or "", _line_of(ctx.text, spec.split()[0]), scope
            )
            if item is not None:
                yield item
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if isinstance(poetry, dict):
        tables: list[tuple[object, str]] = [
            (poetry.get("dependencies"), "production"),
            (poetry.get("dev-dependencies"), "dev"),
        ]
        pgroups = poetry.get("group")
        if isinstance(pgroups, dict):
            tables.extend(
                (g.get("dependencies"), group_scope(str(n)))
                for n, g in pgroups.items()
                if isinstance(g, dict)
            )
        yield from _dep_tables(ctx, tables)


def pyproject_entry_points(ctx: FileContext, data: dict[str, object]) -> Iterator[EntryPoint]:
    """Console scripts (``[project.scripts]``, ``[tool.poetry.scripts]``): command-line tools."""
    project = data.get("project")
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    for table in (
        project.get("scripts") if isinstance(project, dict) else None,
        poetry.get("scripts") if isinstance(poetry, dict) else None,
    ):
        if not isinstance(table, dict):
            continue
        for name, ref in sorted(table.items()):
            if isinstance(ref, str) and ref.strip():
                module = ref.split(":", 1)[0].strip()
                yield EntryPoint(
                    ctx.line_loc(_line_of(ctx.text, str(name))),
                    "pyproject",
                    str(name),
                    ref,
                    "tooling",
                    (f"py:{module}",),
                )


def _dep_tables(ctx: FileContext, tables: list[tuple[object, str]]) -> Iterator[StackItem]:
    for table, scope in tables:
        if not isinstance(table, dict):
            continue
        for name, value in table.items():
            version = (
                value
                if isinstance(value, str)
                else str(value.get("version", ""))
                if isinstance(value, dict)
                else ""
            )
            item = _python_item(ctx, name, version, _line_of(ctx.text, name), scope)
            if item is not None:
                yield item


@extractor(languages=("package-json", "requirements", "toml"))
def manifests(ctx: FileContext) -> None:
    """Emit a :class:`StackItem` per known framework/ORM/driver/cache/queue dependency."""
    items: list[StackItem] = []
    if ctx.language == "package-json":
        items.extend(package_json(ctx))
        for entry in package_entry_points(ctx):
            ctx.emit(entry)
    elif ctx.language == "requirements":
        items.extend(requirements(ctx))
    else:
        name = ctx.path.rsplit("/", 1)[-1].lower()
        if name not in {"pyproject.toml", "pipfile"}:
            return
        try:
            data = tomllib.loads(ctx.text)
        except (tomllib.TOMLDecodeError, ValueError):
            return
        if name == "pipfile":
            items.extend(
                _dep_tables(ctx, [(data.get("packages"), "production"), (data.get("dev-packages"), "dev")])
            )
        else:
            items.extend(pyproject(ctx, data))
            for entry in pyproject_entry_points(ctx, data):
                ctx.emit(entry)
    seen: set[tuple[str, int]] = set()
    for item in items:
        key = (item.name, item.loc.line)
        if key not in seen:
            seen.add(key)
            ctx.emit(item)


#: dependencies whose installed version a lock file is read for (Django's built-in pool: 5.1+)
LOCKED_PACKAGES = ("django",)
# poetry.lock / uv.lock: ``[[package]]`` then ``name = "django"`` and ``version = "4.2.21"``
_TOML_LOCKED = re.compile(r'^name\s*=\s*"([\w.-]+)"\s*\nversion\s*=\s*"([^"]+)"', re.MULTILINE)
# Pipfile.lock: ``"django": { "hashes": [...], ..., "version": "==4.2.21" }``
_PIPFILE_LOCKED = re.compile(r'"([\w.-]+)":\s*\{[^{}]*?"version":\s*"==([^"]+)"')


@extractor(languages=("lockfile",), needs=LOCKED_PACKAGES, tests=False)
def locked_versions(ctx: FileContext) -> None:
    """Emit a :class:`LockedVersion` for each of :data:`LOCKED_PACKAGES` the lock file pins.
    Pipfile.lock keeps production packages under ``default`` and dev ones under ``develop``;
    poetry.lock and uv.lock are read as production (what they install by default)."""
    pipfile = ctx.path.rsplit("/", 1)[-1].lower() == "pipfile.lock"
    develop = ctx.text.find('"develop"') if pipfile else -1
    for m in (_PIPFILE_LOCKED if pipfile else _TOML_LOCKED).finditer(ctx.text):
        name = m.group(1).lower()
        if name not in LOCKED_PACKAGES:
            continue
        scope = "dev" if 0 <= develop < m.start() else "production"
        line = ctx.text.count("\n", 0, m.start()) + 1
        ctx.emit(LockedVersion(ctx.line_loc(line), name=name, version=m.group(2), scope=scope))


_SCRIPT_LOCATION = re.compile(r"^\s*script_location\s*=\s*(.+?)\s*$", re.MULTILINE)
_CONSOLE_SCRIPTS = re.compile(r"^console_scripts\s*=[^\n]*\n((?:[ \t]+[^\n]*\n?)+)", re.MULTILINE)
_CONSOLE_LINE = re.compile(r"^[ \t]+([\w.-]+)\s*=\s*([\w.]+)(?::[\w.]+)?\s*$", re.MULTILINE)


@extractor(languages=("ini",), needs=("console_scripts",))
def setup_cfg_scripts(ctx: FileContext) -> None:
    """setuptools ``setup.cfg`` ``[options.entry_points] console_scripts``: command-line tools,
    as pyproject ``[project.scripts]`` (``ckan = ckan.cli.cli:ckan``)."""
    if not ctx.path.endswith("setup.cfg"):
        return
    block = _CONSOLE_SCRIPTS.search(ctx.text)
    if block is None:
        return
    start = block.start(1)
    for m in _CONSOLE_LINE.finditer(block.group(1)):
        line = ctx.text.count("\n", 0, start + m.start()) + 1
        ctx.emit(
            EntryPoint(
                ctx.line_loc(line),
                "pyproject",
                m.group(1),
                m.group(0).strip(),
                "tooling",
                (f"py:{m.group(2)}",),
            )
        )


@extractor(languages=("ini",), needs=("script_location",))
def alembic_ini(ctx: FileContext) -> None:
    """alembic.ini ``script_location``: the folder of migration code (``env.py``, ``versions/``)."""
    m = _SCRIPT_LOCATION.search(ctx.text)
    if m is None:
        return
    location = m.group(1).replace("%(here)s/", "").replace("%(here)s", "").strip().strip("'\"")
    if ":" in location and "/" not in location:  # ``package:folder`` form
        pkg, _, folder = location.partition(":")
        location = pkg.replace(".", "/") + "/" + folder
    line = ctx.text.count("\n", 0, m.start()) + 1
    ctx.emit(
        EntryPoint(ctx.line_loc(line), "alembic", "script_location", m.group(1), "migration", (location,))
    )
