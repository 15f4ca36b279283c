"""SC-DB-002 missing-query-timeout."""

from __future__ import annotations

from collections.abc import Iterator

from scalescope.model.facts import DbClient, option
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._pools import (
    dialect_in,
    global_statement_timeout,
    has_statement_timeout,
    is_serving_path,
    opaque,
    pool_cause,
    resolve,
    session_timeout_in,
)

# library -> (what is missing, recommendation, fix snippet, language)
FIXES: dict[str, tuple[str, str, str]] = {
    "prisma": (
        "Prisma Client has no statement-timeout option: set `socket_timeout` (seconds a single query "
        "may take) and `pool_timeout` in the datasource URL, and a server-side limit with "
        "`ALTER ROLE app SET statement_timeout = '5s'` so PostgreSQL cancels the query too.",
        'DATABASE_URL="postgresql://app:***@db:5432/app?connection_limit=10&pool_timeout=10'
        '&socket_timeout=15"\n'
        "-- and once, in a migration:\nALTER ROLE app SET statement_timeout = '5s';",
        "bash",
    ),
    "pg": (
        "Set statement_timeout (server-side) and query_timeout (client-side) on the Pool.",
        "new Pool({\n  connectionString: process.env.DATABASE_URL,\n  statement_timeout: 5_000,\n"
        "  query_timeout: 6_000,\n  connectionTimeoutMillis: 5_000,\n});",
        "ts",
    ),
    "postgres-js": (
        "Pass a server-side statement_timeout through `connection`.",
        "postgres(url, { max: 10, connection: { statement_timeout: 5000 } });",
        "ts",
    ),
    "drizzle": (
        "Build the pg Pool yourself with statement_timeout and pass it to drizzle().",
        "const pool = new Pool({ connectionString: url, statement_timeout: 5_000 });\n"
        "export const db = drizzle(pool);",
        "ts",
    ),
    "typeorm": (
        "TypeORM's maxQueryExecutionTime only logs slow queries; pass statement_timeout to the driver "
        "through `extra`.",
        'new DataSource({\n  type: "postgres",\n  // ...\n  extra: { max: 10, statement_timeout: 5_000, '
        "connectionTimeoutMillis: 5_000 },\n});",
        "ts",
    ),
    "sequelize": (
        "Set dialectOptions.statement_timeout (pg) so the server cancels runaway queries.",
        "new Sequelize(url, { dialectOptions: { statement_timeout: 5000 }, pool: { max: 10, "
        "acquire: 10_000 } });",
        "ts",
    ),
    "knex": (
        "acquireConnectionTimeout bounds waiting for a connection, not a query; set statement_timeout on "
        "the connection.",
        'knex({\n  client: "pg",\n  connection: { connectionString: process.env.DATABASE_URL, '
        "statement_timeout: 5000 },\n  pool: { min: 0, max: 10 },\n});",
        "ts",
    ),
    "mongoose": (
        "Set socketTimeoutMS on the connection (and maxTimeMS on heavy queries).",
        "mongoose.connect(uri, { maxPoolSize: 20, serverSelectionTimeoutMS: 5000, socketTimeoutMS: 30000 });",
        "ts",
    ),
    "mongodb": (
        "Set timeoutMS (driver 6+) or socketTimeoutMS on the MongoClient.",
        "new MongoClient(uri, { maxPoolSize: 20, timeoutMS: 10_000 });",
        "ts",
    ),
    "sqlalchemy": (
        "Pass a server-side statement timeout through connect_args.",
        'create_engine(url, connect_args={"options": "-c statement_timeout=5000", "connect_timeout": 5})\n'
        '# asyncpg: connect_args={"command_timeout": 5, "server_settings": {"statement_timeout": "5000"}}',
        "python",
    ),
    "asyncpg": (
        "Set command_timeout (client) and/or server_settings statement_timeout on the pool.",
        "await asyncpg.create_pool(dsn, max_size=10, command_timeout=5, "
        'server_settings={"statement_timeout": "5000"})',
        "python",
    ),
    "psycopg": (
        "Pass statement_timeout through the pool's connection kwargs.",
        'ConnectionPool(conninfo, max_size=10, kwargs={"options": "-c statement_timeout=5000"})',
        "python",
    ),
    "psycopg2": (
        "Pass statement_timeout in the connection options.",
        'ThreadedConnectionPool(1, 10, dsn, options="-c statement_timeout=5000")',
        "python",
    ),
    "django": (
        "Set a statement timeout in DATABASES OPTIONS.",
        'DATABASES["default"]["OPTIONS"] = {"options": "-c statement_timeout=5000", "connect_timeout": 5}',
        "python",
    ),
}


class MissingQueryTimeout(Rule):
    """Database clients with no statement or query timeout.

    ## What it finds
    A PostgreSQL (or MongoDB) client, pool, engine or Django ``DATABASES`` entry with no
    statement-level timeout in its options, its URL (``options=-c statement_timeout=...``,
    ``socket_timeout``) or the ``.env``/compose value of the variable holding the URL. One
    finding per client. Not reported when a role/database/server-level ``statement_timeout``
    is visible (``ALTER ROLE ... SET statement_timeout`` in a SQL migration, ``postgres -c
    statement_timeout=...``), when the same file runs ``SET statement_timeout`` (a connect hook),
    for serverless/pooler clients, MySQL/SQLite clients, tests and scripts. Acquire and connect
    timeouts (``pool_timeout``, Knex ``acquireConnectionTimeout``) and TypeORM's
    ``maxQueryExecutionTime`` (logging only) do not count.
    ## Why it matters at scale
    Without a timeout one slow query (a missing index on a grown table, a lock wait) holds its
    pooled connection for as long as it runs. Requests pile up behind it, the pool drains, and
    every endpoint of the service stalls, not only the slow one. A timeout turns that into one
    failed request.
    ## Example
    ```ts
    export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
    ```
    ## Use instead
    ```ts
    export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10,
      statement_timeout: 5_000, query_timeout: 6_000 });
    ```
    ```python
    engine = create_engine(url, connect_args={"options": "-c statement_timeout=5000"})
    ```
    ## Known problems
    Timeouts set by infrastructure the repository does not contain (a role setting applied by
    hand, a managed-database parameter group) are invisible; suppress with a reason.
    """

    meta = RuleMeta(
        id="SC-DB-002",
        name="missing-query-timeout",
        category="database",
        severity="medium",
        title="No statement timeout on the database client",
        effort="hours",
        confidence="medium",
        impact=(
            "One slow query holds a pooled connection indefinitely; the pool drains and all endpoints stall."
        ),
        ecosystems=("node", "python"),
        references=(
            "https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-STATEMENT-TIMEOUT",
            "https://node-postgres.com/apis/client",
            "https://www.prisma.io/docs/orm/overview/databases/postgresql#configuring-an-ssl-connection",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        if global_statement_timeout(model) is not None:
            return
        seen: set[tuple[str, int]] = set()
        for client in model.all(DbClient):
            if client.kind == "datasource" or client.serverless or not is_serving_path(client.loc.file):
                continue
            if opaque(client) or client.library not in FIXES:
                continue
            db = dialect_in(model, client)
            if db in {"mysql", "other"}:
                continue
            if client.library == "prisma" and option(client.options, "adapter") is not None:
                continue  # a driver adapter: its own pool/client carries the timeout
            if client.library == "sqlalchemy" and "NullPool" in (option(client.options, "poolclass") or ""):
                pass
            res = resolve(model, client)
            if res.pooler and client.library == "prisma":
                continue
            names = tuple(client.timeout_options) + res.timeout_params
            if has_statement_timeout(names) or session_timeout_in(model, client.loc.file):
                continue
            key = (client.loc.file, client.loc.line)
            if key in seen:
                continue
            seen.add(key)
            advice, snippet, lang = FIXES[client.library]
            confidence = "high" if db in {"postgres", "mongo"} and client.library != "prisma" else "medium"
            if client.library == "prisma" and res.env_visible:
                confidence = "high"
            if db == "mongo":
                confidence = "low"
            yield self.hit(
                client.loc,
                message=f"{_what(client, res.url_env)} has no statement/query timeout: {advice}",
                recommendation=(
                    "Set a server-side statement timeout a little above your slowest legitimate "
                    "request (e.g. 5-15 s for web traffic) and a longer one for batch jobs via a "
                    "separate client or role. " + advice
                ),
                confidence=confidence,
                fix_snippet=snippet,
                fix_language=lang,
                cause=pool_cause(model, client),  # clients sharing one datasource: one finding
            )


def _what(client: DbClient, url_env: str | None) -> str:
    names = {
        "prisma": "PrismaClient",
        "pg": "node-postgres Pool" if client.kind == "pool" else "node-postgres Client",
        "postgres-js": "postgres-js client",
        "drizzle": "Drizzle client",
        "typeorm": "TypeORM DataSource",
        "sequelize": "Sequelize instance",
        "knex": "Knex instance",
        "mongoose": "Mongoose connection",
        "mongodb": "MongoClient",
        "sqlalchemy": "SQLAlchemy engine",
        "asyncpg": "asyncpg pool",
        "psycopg": "psycopg_pool pool",
        "psycopg2": "psycopg2 pool",
        "django": f"DATABASES['{option(client.options, 'alias') or 'default'}']",
    }
    label = names.get(client.library, client.library)
    if client.library == "prisma" and url_env:
        label += f" (URL from {url_env})"
    return label
