"""DbClient / DbSetting extraction for JS/TS, Prisma schemas and Python."""

from __future__ import annotations

from scalescope.model.facts import DbClient, DbSetting, Fact
from scalescope.scan.extract.base import extract_file


def _facts(path: str, language: str, text: str) -> list[Fact]:
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    return result.facts


def _clients(path: str, language: str, text: str) -> list[DbClient]:
    return [f for f in _facts(path, language, text) if isinstance(f, DbClient)]


def test_prisma_client_and_datasource() -> None:
    (client,) = _clients(
        "src/db.ts",
        "typescript",
        'import { PrismaClient } from "@prisma/client";\nexport const prisma = new PrismaClient();\n',
    )
    assert (client.library, client.loc.line, client.options, client.url_env, client.kind) == (
        "prisma",
        2,
        (),
        None,
        "pool",
    )
    (ds,) = _clients(
        "prisma/schema.prisma",
        "prisma",
        'generator c {\n  provider = "prisma-client-js"\n}\n\ndatasource db {\n'
        '  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n',
    )
    assert (ds.kind, ds.url_env, ds.loc.line, ds.loc.end_line) == ("datasource", "DATABASE_URL", 5, 8)


def test_prisma_literal_url_params_and_accelerate() -> None:
    (client,) = _clients(
        "a.ts",
        "typescript",
        'const p = new PrismaClient({ datasourceUrl: "postgresql://u@h/db?connection_limit=3&socket_timeout=5" });\n',  # noqa: E501
    )
    assert client.pool_max == 3
    assert client.pool_options == ("connection_limit",)
    assert "socket_timeout" in client.timeout_options
    (acc,) = _clients(
        "b.ts",
        "typescript",
        'import { withAccelerate } from "@prisma/extension-accelerate";\n'
        "const p = new PrismaClient().$extends(withAccelerate());\n",
    )
    assert acc.serverless


def test_pg_pool_options_and_per_call_client() -> None:
    text = (
        'import { Pool, Client } from "pg";\n'
        "export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20, statement_timeout: 5000 });\n"  # noqa: E501
        "export async function handler() { const c = new Client(); await c.connect(); }\n"
    )
    pool, client = _clients("db.ts", "typescript", text)
    assert (pool.library, pool.pool_max, pool.pool_options, pool.timeout_options, pool.url_env) == (
        "pg",
        20,
        ("max",),
        ("statement_timeout",),
        "DATABASE_URL",
    )
    assert (client.kind, client.function_id, client.cached) == ("client", "db.ts::handler@3", False)


def test_pool_not_from_pg_is_ignored() -> None:
    assert (
        _clients("x.ts", "typescript", 'import { Pool } from "generic-pool";\nconst p = new Pool({});\n')
        == []
    )


def test_typeorm_forms() -> None:
    text = (
        'import { DataSource } from "typeorm";\n'
        'export const ds = new DataSource({ type: "postgres", url: process.env.DATABASE_URL, entities: [],\n'
        "  extra: { max: 10, statement_timeout: 5000 }, maxQueryExecutionTime: 1000 });\n"
    )
    (ds,) = _clients("ds.ts", "typescript", text)
    assert (ds.library, ds.pool_max, ds.pool_options, ds.timeout_options) == (
        "typeorm",
        10,
        ("extra.max",),
        ("extra.statement_timeout",),
    )
    nest = (
        'import { TypeOrmModule } from "@nestjs/typeorm";\n'
        "@Module({ imports: [TypeOrmModule.forRootAsync({\n"
        '  useFactory: (c: ConfigService) => ({ type: "postgres", host: c.get("DB_HOST"), autoLoadEntities: true }),\n'  # noqa: E501
        "})] })\nexport class AppModule {}\n"
    )
    (mod,) = _clients("app.module.ts", "typescript", nest)
    assert mod.loc.line == 2
    assert ("type", '"postgres"') in mod.options
    opaque = (
        'import { TypeOrmModule } from "@nestjs/typeorm";\n'
        "TypeOrmModule.forRootAsync({ useFactory: (c: ConfigService) => c.get('db') });\n"
    )
    (op,) = _clients("m.ts", "typescript", opaque)
    assert op.options[0][0] == "..."


def test_sequelize_knex_mongoose_drizzle_supabase() -> None:
    text = (
        'const { Sequelize } = require("sequelize");\n'
        "const s = new Sequelize(process.env.DATABASE_URL, { pool: { max: 5 }, dialectOptions: { statement_timeout: 1 } });\n"  # noqa: E501
        'const k = require("knex")({ client: "pg", connection: process.env.DATABASE_URL, acquireConnectionTimeout: 5 });\n'  # noqa: E501
        'const mongoose = require("mongoose");\n'
        "mongoose.connect(process.env.MONGO_URL, { maxPoolSize: 10, socketTimeoutMS: 30000 });\n"
    )
    seq, knex, mongo = _clients("db.js", "javascript", text)
    assert (seq.library, seq.pool_max, "dialectOptions.statement_timeout" in seq.timeout_options) == (
        "sequelize",
        5,
        True,
    )
    assert (knex.library, knex.pool_options, knex.timeout_options) == (
        "knex",
        (),
        ("acquireConnectionTimeout",),
    )
    assert (mongo.library, mongo.pool_max, mongo.url_env) == ("mongoose", 10, "MONGO_URL")
    text2 = (
        'import { drizzle } from "drizzle-orm/neon-http";\nimport { createClient } from "@supabase/supabase-js";\n'  # noqa: E501
        "export const db = drizzle(process.env.DATABASE_URL!);\nexport const sb = createClient(u, k);\n"
    )
    d, sb = _clients("x.ts", "typescript", text2)
    assert (d.library, d.serverless, sb.library, sb.serverless) == ("drizzle", True, "supabase", True)
    pooled = 'import { drizzle } from "drizzle-orm/node-postgres";\nexport const db = drizzle(pool);\n'
    assert _clients("y.ts", "typescript", pooled) == []


def test_sqlalchemy_engines() -> None:
    text = (
        "from sqlalchemy import create_engine\n"
        "engine = create_engine(settings.database_url)\n"
        'tuned = create_engine(os.environ["DATABASE_URL"], pool_size=5, max_overflow=5,\n'
        '    connect_args={"options": "-c statement_timeout=5000"})\n'
        'lite = create_engine("sqlite:///x.db")\n'
        "def per_call():\n    return create_engine(URL)\n"
    )
    default, tuned, per_call = _clients("db.py", "python", text)
    # the positional URL is recorded as ``url`` (the keyword form's option)
    assert (default.library, default.options, default.pool_max) == (
        "sqlalchemy",
        (("url", "settings.database_url"),),
        None,
    )
    assert (tuned.pool_max, tuned.pool_options, tuned.timeout_options, tuned.url_env) == (
        10,
        ("pool_size", "max_overflow"),
        ("statement_timeout",),
        "DATABASE_URL",
    )
    assert (per_call.function_id, per_call.cached) == ("db.py::per_call@6", False)


def test_alembic_env_is_skipped() -> None:
    text = "from alembic import context\nfrom sqlalchemy import create_engine\ne = create_engine(u, poolclass=NullPool)\n"  # noqa: E501
    assert _clients("migrations/env.py", "python", text) == []


def test_asyncpg_psycopg_and_session_setting() -> None:
    text = (
        "import asyncpg\n"
        "async def startup():\n    app.state.pool = await asyncpg.create_pool(dsn, max_size=20, command_timeout=5)\n"  # noqa: E501
        'def on_connect(conn, rec):\n    conn.cursor().execute("SET statement_timeout = 5000")\n'
    )
    facts = _facts("db.py", "python", text)
    (pool,) = [f for f in facts if isinstance(f, DbClient)]
    assert (pool.library, pool.pool_max, pool.timeout_options, pool.cached) == (
        "asyncpg",
        20,
        ("command_timeout",),
        True,
    )
    (setting,) = [f for f in facts if isinstance(f, DbSetting)]
    assert (setting.scope, setting.name, setting.value, setting.loc.line) == (
        "session",
        "statement_timeout",
        "5000",
        5,
    )


def test_django_databases() -> None:
    text = (
        'DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n'
        '        "CONN_MAX_AGE": 60,\n        "OPTIONS": {"options": "-c statement_timeout=5000"},\n    },\n'
        '    "replica": dj_database_url.config(conn_max_age=600),\n}\n'
    )
    default, replica = _clients("settings.py", "python", text)
    assert (default.library, default.kind, default.loc.line) == ("django", "settings", 1)
    assert default.pool_options == ("CONN_MAX_AGE",)
    assert default.timeout_options == ("statement_timeout",)
    assert replica.loc.line == 7
    assert ("CONN_MAX_AGE", "600") in replica.options
    sqlite = 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}\n'
    assert _clients("settings.py", "python", sqlite) == []


def test_django_databases_reassigned_per_engine_keep_their_own_options() -> None:
    # captures come back in document order, so each DATABASES name pairs with its own dict
    text = (
        "import os\n"
        'DATABASES: dict = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "x"}}\n'
        'if os.getenv("DB") == "postgres":\n'
        '    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": 60}}\n'
        'if os.getenv("DB") == "mysql":\n'
        '    DATABASES = {"default": {"ENGINE": "django.db.backends.mysql"}}\n'
    )
    for _ in range(3):  # the combined per-file query must not reorder them on later files
        got = [
            (c.loc.line, dict(c.options).get("ENGINE"), dict(c.options).get("CONN_MAX_AGE"))
            for c in _clients("hc/settings.py", "python", text)
        ]
        assert got == [
            (4, '"django.db.backends.postgresql"', "60"),
            (6, '"django.db.backends.mysql"', None),
        ], got


def test_flask_sqlalchemy_engine_options_in_config() -> None:
    text = (
        "class Config:\n"
        '    SQLALCHEMY_ENGINE_OPTIONS = {"max_overflow": 20, "pool_pre_ping": True}\n'
        'app.config["SQLALCHEMY_POOL_SIZE"] = 10\n'
    )
    got = [(c.loc.line, c.kind, c.pool_options) for c in _clients("app/config.py", "python", text)]
    assert got == [
        (2, "datasource", ("max_overflow", "pool_pre_ping")),
        (3, "datasource", ("pool_size",)),
    ], got
