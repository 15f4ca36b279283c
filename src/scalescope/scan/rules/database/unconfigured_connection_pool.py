"""SC-DB-001 unconfigured-connection-pool."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from scalescope.model.facts import DbClient, EntryPoint, Function, Import, RouterDecl, option
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._pools import (
    Resolved,
    bound_name,
    caller_chosen,
    client_doubts,
    closed_in_function,
    database_of_client,
    declares_psycopg3,
    deployed_database,
    dialect,
    dialect_in,
    django_asgi_server,
    django_before,
    django_dev_server,
    django_green_server,
    engine_connection_closed,
    function_text,
    hyperdrive,
    migration_runner,
    opaque,
    other_branch,
    pool_cause,
    query_builder_only,
    replaced_by_importers,
    replaced_later,
    resolve,
    server_max_connections,
    settings_patched,
    unserved,
)

# library -> (default described, assumed connections per process, fix snippet, snippet language)
DEFAULTS: dict[str, tuple[str, int, str, str]] = {
    "prisma": (
        "Prisma's default pool is num_physical_cpus * 2 + 1 connections per PrismaClient"
        " (9 on a 4-core host)",
        9,
        'DATABASE_URL="postgresql://app:***@db:5432/app?connection_limit=10&pool_timeout=10"',
        "bash",
    ),
    "pg": (
        "node-postgres Pool defaults to max 10 connections per process",
        10,
        "const pool = new Pool({\n  connectionString: process.env.DATABASE_URL,\n  max: 10,\n"
        "  idleTimeoutMillis: 30_000,\n  connectionTimeoutMillis: 5_000,\n});",
        "ts",
    ),
    "postgres-js": (
        "postgres-js defaults to max 10 connections per process",
        10,
        "const sql = postgres(process.env.DATABASE_URL!, { max: 10, idle_timeout: 20, connect_timeout: 5 });",
        "ts",
    ),
    "drizzle": (
        "drizzle(url) builds a node-postgres Pool with its default max 10 connections per process",
        10,
        "const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });\n"
        "export const db = drizzle(pool);",
        "ts",
    ),
    "typeorm": (
        "TypeORM passes no pool size to the driver, so node-postgres/mysql2 use their default of 10 "
        "connections per process",
        10,
        'new DataSource({\n  type: "postgres",\n  url: process.env.DATABASE_URL,\n'
        "  extra: { max: 10, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 },\n});",
        "ts",
    ),
    "sequelize": (
        "Sequelize's default pool is max 5, acquire 60 s per process",
        5,
        "new Sequelize(process.env.DATABASE_URL, {\n  pool: { max: 10, min: 0, acquire: 10_000, "
        "idle: 10_000 },\n});",
        "ts",
    ),
    "knex": (
        "Knex's default pool is min 2, max 10 connections per process",
        10,
        'knex({\n  client: "pg",\n  connection: process.env.DATABASE_URL,\n  pool: { min: 0, max: 10 },\n'
        "  acquireConnectionTimeout: 10_000,\n});",
        "ts",
    ),
    "mysql2": (
        "mysql2 createPool defaults to connectionLimit 10 per process",
        10,
        "mysql.createPool({ uri: process.env.DATABASE_URL, connectionLimit: 10, queueLimit: 100 });",
        "ts",
    ),
    "sqlalchemy": (
        "SQLAlchemy's default QueuePool holds pool_size 5 + max_overflow 10 = 15 connections per process "
        "and waits pool_timeout 30 s for one",
        15,
        "engine = create_engine(\n    settings.database_url,\n    pool_size=5,\n    max_overflow=5,\n"
        "    pool_timeout=10,\n    pool_pre_ping=True,\n)",
        "python",
    ),
    "asyncpg": (
        "asyncpg.create_pool defaults to min_size 10, max_size 10 per process",
        10,
        "pool = await asyncpg.create_pool(dsn, min_size=1, max_size=10, command_timeout=5)",
        "python",
    ),
    "psycopg": (
        "psycopg_pool defaults to min_size 4 = max_size 4 per process, timeout 30 s",
        4,
        "pool = ConnectionPool(conninfo, min_size=2, max_size=10, timeout=10)",
        "python",
    ),
}


#: the settings a Django fix adds (persistent connections, checked before reuse)
_CONN_MAX_AGE_SNIPPET = (
    'DATABASES = {\n    "default": {\n        # ...\n        "CONN_MAX_AGE": 60,\n'
    '        "CONN_HEALTH_CHECKS": True,\n    }\n}'
)


class UnconfiguredConnectionPool(Rule):
    """Database clients whose pool is left at library defaults or created per request.

    ## What it finds
    A database client or pool construction (Prisma, TypeORM, Sequelize, Knex, node-postgres,
    postgres-js, mysql2, Drizzle, SQLAlchemy, asyncpg, psycopg_pool) that sets no pool size
    anywhere the scanner can see (options, or URL parameters such as ``connection_limit`` in the
    ``.env``/compose value of the variable it reads); a pool or client constructed inside a
    function reachable from a route or inside a loop (one new pool per request), unless the
    function is a factory whose every caller keeps what it returns (``write ??= createPool()``,
    ``this.pool = createPool()``, a module-level ``const db = getClient()``, a caller memoised
    for the life of the process with ``@lru_cache``/``@functools.cache``), or unless the
    function keeps what it builds in a module-level map or object (``clients.set(url,
    client)``, ``pools[tenant] = pool``: built on a miss, then reused); a single
    connection the same function closes (``client.end()``: a one-off connection for one task)
    is low, since it leaks nothing and costs a connect per call, and so is a pool built per call
    that only admin routes reach (an operator's occasional action), and clients built in a loop
    inside the application factory (``create_app()`` that creates the Flask/FastAPI app, or a
    helper nested in it, building one engine per configured replica): once per process; a Django
    ``DATABASES`` entry without ``CONN_MAX_AGE`` or ``OPTIONS["pool"]`` (a new connection per
    request; low when the Django the project installs predates ``CONN_MAX_AGE`` (1.6): the fix
    is an upgrade or PgBouncer; where the production command serves the project's ``asgi``
    module, the advice is
    Django's own pool with psycopg 3, or PgBouncer, never ``CONN_MAX_AGE``, which Django's
    documentation says to disable under ASGI (an AWS Lambda adapter wrapping the ``asgi``
    module, ``Mangum(application)``, serves over ASGI too): low confidence when only psycopg2 is declared, or
    when the Django the project installs (its lock file's pin, else its requirement's range)
    predates the pool (5.1);
    where it runs gunicorn's gevent or eventlet workers (``-k gevent`` in a Procfile, Dockerfile,
    compose command, a systemd unit's ``ExecStart`` or a start script, or ``worker_class =
    "gevent"`` in the config module the command loads with ``-c``, or that module patching
    psycopg or the standard library for gevent), low and the advice is an external pool, since each
    request is a greenlet and a persistent connection is never reused there; low
    too when the settings modules that import the entry to run it (every importer, or the one
    the WSGI/ASGI module's ``DJANGO_SETTINGS_MODULE`` default names) assign their own
    ``DATABASES``, when a later ``from .local_settings import *`` may replace the entry (a module in the
    repository that assigns no ``DATABASES`` replaces nothing), or a settings
    file django-split-settings includes after its own that assigns ``DATABASES`` too, or when
    the client is bound to a name for the test suite's database (``TESTS_CONFIG``) or, beside
    the deployment's configuration (``remoteConfig``), for a developer's (``localConfig``), or when it
    is one of several settings modules of its package that nothing shows production running
    (not selected, copied into an image, imported by non-test code or named for a deployment), or when another
    branch of the same ``if`` sets ``CONN_MAX_AGE`` or the pool for the same alias (``if
    DATABASE_URL: ...conn_max_age=600... else: {...}``: one branch runs, and the one without it
    is the deployment's fallback) or uses SQLite while no URL value in the repository is
    PostgreSQL's, or when the entry is an alias other than ``default`` that no production code
    names (``using("old")``, a router, ``connections["old"]``: Django connects to an alias only
    when something uses it); not reported where every URL value the repository gives the entry
    is a SQLite one; and low when every deployment command that serves the project
    (Dockerfile ``CMD``, compose, Procfile) runs ``manage.py runserver``, Django's development
    server, whose thread per request keeps no connection across requests, so ``CONN_MAX_AGE``
    is not the fix there (a Celery worker beside it serves no request); MySQL's cheap
    connections, whether the engine says so or every URL value the deployment files give it,
    are low);
    a SQLAlchemy ``NullPool`` engine that is not behind PgBouncer (low confidence, saying why,
    when no request is shown to use it: its package serves no routes, no route file imports
    its module, or no route handler or request hook reaches the function that builds it and
    no module-level code calls that function; a Celery task's engine is NullPool on purpose,
    since each task runs on its own event loop, and the worker count caps its connections).
    It does not fire for a Knex instance built without a ``connection`` (a SQL string builder
    that connects nowhere), when pool options are set, for serverless/pooler clients (Supabase, Neon
    HTTP, Prisma Accelerate, ``pgbouncer=true`` URLs), for a Cloudflare Worker's client built
    on a Hyperdrive binding's connection string (``postgres(env.HYPERDRIVE.connectionString)``,
    or a factory's parameter every caller fills with it, the binding declared under
    ``hyperdrive`` in ``wrangler.toml``/``wrangler.jsonc``: Hyperdrive keeps the pool, 10-20
    origin connections per region, and Cloudflare's documentation recommends a new client per
    request), for SQLite, when the options object is built somewhere it cannot see, or for a
    client whose connection target is only its function's parameter (a workflow step's or an
    integration's connection to the database its user configures: no pool of the
    application's to size).

    A pool left at its defaults is reported at high confidence only when the deployment files
    show enough processes (replicas x workers) that the defaults add up past the server's
    ``max_connections`` (a SQLAlchemy engine served by gunicorn's sync workers counts one
    connection per process, or one per thread with ``--threads``: QueuePool opens connections
    only as checkouts need them, and such a process serves that many requests at once);
    otherwise it is reported at low confidence with the arithmetic, because
    a default pool is a problem in numbers, not in itself (blind review of real backends found
    such findings false on single-process, thread-bounded and externally pooled deployments).
    ## Why it matters at scale
    Every process opens its own pool. Defaults were chosen for one process on a laptop: 4 replicas
    x 2 workers x the node-postgres default of 10 is 80 of PostgreSQL's default
    ``max_connections`` of 100, and the next deploy or autoscale step exhausts it ("too many
    clients already"). A pool built per request pays a TCP + TLS + auth handshake on every call
    and leaks connections under load; Django's default ``CONN_MAX_AGE=0`` does the same.
    ## Example
    ```ts
    export const prisma = new PrismaClient(); // DATABASE_URL has no connection_limit
    ```
    ```python
    engine = create_engine(settings.database_url)  # 5 + 10 per process, 30 s waits
    ```
    ## Use instead
    ```bash
    DATABASE_URL="postgresql://app:***@db:5432/app?connection_limit=10&pool_timeout=10"
    ```
    ```python
    engine = create_engine(settings.database_url, pool_size=5, max_overflow=5, pool_timeout=10,
                           pool_pre_ping=True)
    DATABASES = {"default": {..., "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}}
    ```
    Size pools so that replicas x workers x pool size stays under ``max_connections`` minus
    headroom, or put PgBouncer in front.
    ## Known problems
    Pool settings passed through variables or config services defined in other files are not
    followed; such clients are skipped rather than reported.
    """

    meta = RuleMeta(
        id="SC-DB-001",
        name="unconfigured-connection-pool",
        category="database",
        severity="high",
        title="Database connection pool left at defaults or created per request",
        effort="hours",
        scope="setting",
        confidence="high",
        impact="Connections multiply with replicas and workers until PostgreSQL refuses new clients.",
        ecosystems=("node", "python"),
        references=(
            "https://www.prisma.io/docs/orm/prisma-client/setup-and-configuration/databases-connections/connection-pool",
            "https://node-postgres.com/apis/pool",
            "https://docs.sqlalchemy.org/en/20/core/pooling.html",
            "https://docs.djangoproject.com/en/5.1/ref/databases/#persistent-connections",
            "https://developers.cloudflare.com/hyperdrive/platform/limits/",
            "https://developers.cloudflare.com/hyperdrive/examples/connect-to-postgres/postgres-drivers-and-libraries/node-postgres",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        max_conn = server_max_connections(model)
        for client in model.all(DbClient):
            if client.kind == "datasource" or not model.role(client.loc.file).reportable:
                continue
            if dialect_in(model, client) in {"other", "mongo"}:
                continue
            if client.library in {"supabase", "neon", "mongoose", "mongodb"}:
                continue
            if hyperdrive(model, client):
                continue  # Cloudflare Hyperdrive pools the connections: a client per request is its design
            if query_builder_only(client):
                continue  # ``knex({ client: 'pg' })``: builds SQL strings, connects nowhere
            per_request = self._per_request(model, client)
            if per_request:
                yield per_request
                continue
            if client.kind == "client" or opaque(client):
                continue
            # the processes of the service that runs this client's folder, not the whole repo's
            instances = model.instance_count_for(client.loc.file)
            res = resolve(model, client)
            if res.pooler:
                continue
            if caller_chosen(model, client):
                continue  # the database the caller passes: its pool is not the application's
            if migration_runner(model, client):
                continue  # handed only to a migration runner at start-up: no request uses it
            if client.library == "django":
                if settings_patched(model, client, ("CONN_MAX_AGE", "pool")):
                    continue  # the deployment's module sets it over this base entry
                hit = self._django(model, res, instances)
                if hit is not None and (importers := replaced_by_importers(model, client)):
                    # ``deployed.py``'s entry, replaced in prod.py, staging.py and review.py
                    hit = replace(
                        hit,
                        message=f"{hit.message} Low confidence: the settings modules that import "
                        f"this one to run it assign their own DATABASES ({importers}), so this entry "
                        "does not run as written.",
                        confidence="low",
                    )
                if hit is not None and (doubt := model.settings_in_doubt(client.loc.file)):
                    # a Docker, CI or local variant among several settings modules
                    hit = replace(hit, message=f"{hit.message} Low confidence: {doubt}.", confidence="low")
                if hit is not None and (later := replaced_later(model, client)):
                    hit = replace(
                        hit,
                        message=f"{hit.message} Low confidence: the later `{later}` may replace these "
                        "settings (a deployment's own settings file).",
                        confidence="low",
                    )
                if hit is not None and (other := other_branch(model, client, _django_pooled)):
                    # ``if DATABASE_URL: ...conn_max_age=600... else: {...}``: one branch runs
                    hit = replace(
                        hit,
                        message=f"{hit.message} Low confidence: the other branch of the same `if` "
                        f"(line {other.loc.line}) sets persistent connections for this alias, so this "
                        "one is the deployment's alternative (a fallback), not a missing setting.",
                        confidence="low",
                    )
            else:
                hit = self._defaults(model, res, instances, max_conn)
            doubts = client_doubts(model, res)
            if hit is not None and doubts and (hit.confidence != "low" or client.library == "django"):
                # the tests' or a developer's database, a pool nothing uses, an alternative branch
                hit = replace(
                    hit,
                    message=f"{hit.message} Low confidence: {'; '.join(doubts)}.",
                    confidence="low",
                )
            if hit is not None:
                # clients sharing one datasource are one pool setting: one finding
                yield replace(hit, cause=pool_cause(model, client))

    # ------------------------------------------------------------------ cases

    def _per_request(self, model: ProjectModel, client: DbClient) -> Hit | None:
        if client.function_id is None or client.cached or client.library == "django":
            return None
        routes = model.routes_reaching(client.function_id)
        if not routes and client.loop is None:
            return None
        if client.loop is None and _memoised_by_callers(model, client):
            return None  # a factory: every caller keeps what it returns (``pool ??= createPool()``)
        if client.loop is not None and not routes and _retry_loop(model, client):
            return None  # ``for (attempt ...) { conn = connect(); return conn }``: one connection
        if client.loop is not None and not routes and (factory := _app_factory(model, client)):
            # ``create_app()`` builds one engine per configured replica: once per process
            return self.hit(
                client.loc,
                message=(
                    f"{client.library} clients are built in a loop (line {client.loop.line}) inside the "
                    f"application factory `{factory}()`, which runs once per process: one client (and "
                    "pool) per item, kept for the life of the process, not one per request. Low "
                    "confidence: each item's pool counts against max_connections."
                ),
                recommendation=(
                    "Keep one client per database; size each pool so processes x pools x pool size "
                    "stays under max_connections."
                ),
                severity="low",
                confidence="low",
                scope="local",
            )
        if caller_chosen(model, client):
            return None  # the database the caller passes (an integration's, a setup check's)
        closed = closed_in_function(model, client) or engine_connection_closed(model, client)
        what = {
            "pg": "new Pool()/new Client()",
            "prisma": "new PrismaClient()",
            "sqlalchemy": "create_engine()",
            "mysql2": "mysql.createPool()/createConnection()",
        }.get(client.library, f"a {client.library} client")
        if routes:
            route = routes[0]
            context = f"reachable from {route.display} ({route.loc.file}:{route.loc.line})"
        else:
            assert client.loop is not None
            context = f"inside a {client.loop.kind} loop (line {client.loop.line})"
        if closed:
            # one connection per call, closed when done: a connect + auth per call, no leak
            return self.hit(
                client.loc,
                message=(
                    f"{what} is constructed inside a function {context} and closed there "
                    f"(`{closed}`): each call pays a connect and authentication round trip, on a hot "
                    "path one per request; no connection is leaked."
                ),
                recommendation=(
                    "If the function runs often, use a pool created once per process; a connection "
                    "kept outside the pool on purpose (a cancel request, an admin task) is fine."
                ),
                severity="medium",
                confidence="low",
                scope="local",
                fix_snippet=_ONCE.get(client.library, _ONCE["pg"]),
                fix_language="python"
                if client.library in {"sqlalchemy", "asyncpg", "psycopg", "psycopg2"}
                else "ts",
            )
        admin_only = bool(routes) and all(model.is_admin_route(r) for r in routes)
        return self.hit(
            client.loc,
            message=(
                f"{what} is constructed inside a function {context}: every call opens new database "
                "connections (handshake + auth per request) and, unless closed, leaks them until the "
                "server refuses clients."
                + (
                    " Only admin routes reach it: an operator's occasional action, not user traffic, "
                    "so how often it runs is not shown."
                    if admin_only
                    else ""
                )
            ),
            confidence="low" if admin_only else None,
            recommendation=(
                "Create the client/pool once per process at module level (or in an app "
                "startup hook) and import it; pass it to request handlers instead of building it "
                "per call."
            ),
            severity="critical",
            scope="local",  # code moves to module level, not a setting
            fix_snippet=_ONCE.get(client.library, _ONCE["pg"]),
            fix_language="python"
            if client.library in {"sqlalchemy", "asyncpg", "psycopg", "psycopg2"}
            else "ts",
        )

    def _django(self, model: ProjectModel, res: Resolved, instances: int | None) -> Hit | None:
        client = res.client
        age = option(client.options, "CONN_MAX_AGE")
        if _django_pooled(client):
            return None
        alias = option(client.options, "alias") or "default"
        state = "CONN_MAX_AGE=0" if age is not None else "no CONN_MAX_AGE (Django's default is 0)"
        if (dev_server := django_dev_server(model, client.loc.file)) is not None:
            return self._django_dev_server(client, alias, state, dev_server)
        # the engine as written, else what every URL value the deployment files give it says
        deployed = deployed_database(model, res)[0]
        if deployed == "sqlite" and dialect(client) != "postgres":
            return None  # a SQLite file wherever the repository sets its URL: no server to connect to
        mysql = dialect(client) == "mysql" or deployed == "mysql"
        if mysql:
            # a MySQL connection is a server thread: a connect per request costs a handshake, not
            # a forked backend process as on PostgreSQL
            return self.hit(
                client.loc,
                message=(
                    f"DATABASES['{alias}'] has {state}: Django opens and closes a MySQL connection for "
                    "every request, a connect and authentication round trip each time (a MySQL "
                    "connection is a server thread, so the cost is the handshake, not a new process)."
                ),
                recommendation="Set CONN_MAX_AGE (e.g. 60) with CONN_HEALTH_CHECKS=True.",
                severity="low",
                confidence="low",
                fix_snippet=(
                    'DATABASES = {\n    "default": {\n        # ...\n        "CONN_MAX_AGE": 60,\n'
                    '        "CONN_HEALTH_CHECKS": True,\n    }\n}'
                ),
                fix_language="python",
            )
        server = "PostgreSQL"
        asgi = django_asgi_server(model, client.loc.file)
        if asgi is not None:
            return self._django_asgi(model, client, alias, asgi)
        green = django_green_server(model, client.loc.file)
        if green is not None:
            return self._django_green(client, alias, state, green)
        if ancient := django_before(model, client.loc.file, (1, 6)):
            # persistent connections came with Django 1.6: on an older one a connection per
            # request is how Django works, and the fix is an upgrade or PgBouncer
            return self.hit(
                client.loc,
                message=(
                    f"DATABASES['{alias}'] has no persistent connections: the Django this project "
                    f"installs (`{ancient}`) opens and closes a {server} connection for every request, "
                    "and predates CONN_MAX_AGE (Django 1.6). Low confidence: the fix is an upgrade or "
                    "a pooler in front, not a setting."
                ),
                recommendation=(
                    "Upgrade Django (1.6+ has CONN_MAX_AGE; 5.1+ has its own pool), or put PgBouncer "
                    "in front of PostgreSQL."
                ),
                confidence="low",
            )
        return self.hit(
            client.loc,
            message=(
                f"DATABASES['{alias}'] has {state}: Django opens and closes a {server} connection for "
                "every request, adding a connect + auth round trip to each one and churning server "
                "processes under load (a PostgreSQL connection is a forked backend process)."
            ),
            recommendation=(
                "Set CONN_MAX_AGE (e.g. 60) with CONN_HEALTH_CHECKS=True, or on Django 5.1+ use "
                "OPTIONS={'pool': {...}} (psycopg 3); keep workers x threads x replicas under "
                "max_connections, or put PgBouncer in front."
            ),
            confidence="medium" if age is None else "high",
            fix_snippet=_CONN_MAX_AGE_SNIPPET,
            fix_language="python",
        )

    def _django_dev_server(self, client: DbClient, alias: str, state: str, server: EntryPoint) -> Hit:
        """A Django project whose deployment files only serve it with ``manage.py runserver``:
        the development server runs each request in its own thread and a persistent connection
        belongs to its thread, so ``CONN_MAX_AGE`` changes nothing there."""
        command = " ".join(server.command.split())
        return self.hit(
            client.loc,
            message=(
                f"DATABASES['{alias}'] has {state}, but the development server serves it (`{command[:60]}`, "
                f"{server.loc.file}:{server.loc.line}): runserver handles each request in a new thread "
                "and a persistent connection belongs to its thread, so CONN_MAX_AGE would not carry "
                "connections over there (Django's documentation says the development server negates "
                "persistent connections). Low confidence: a real deployment serves Django with "
                "gunicorn or uWSGI, whose configuration is not in the repository."
            ),
            recommendation=(
                "Serve production with gunicorn or uWSGI instead of runserver, then set CONN_MAX_AGE "
                "(e.g. 60) with CONN_HEALTH_CHECKS=True for that deployment."
            ),
            severity="low",
            confidence="low",
            fix_snippet=_CONN_MAX_AGE_SNIPPET,
            fix_language="python",
        )

    def _django_green(self, client: DbClient, alias: str, state: str, server: EntryPoint) -> Hit:
        """A Django project served by gunicorn's gevent or eventlet workers: a greenlet per
        request, so ``CONN_MAX_AGE`` keeps one connection per greenlet that no later request
        reuses; the fix for the connect per request is an external pool."""
        return self.hit(
            client.loc,
            message=(
                f"DATABASES['{alias}'] has {state}, and production serves Django with greenlet workers "
                f"({server.loc.file}:{server.loc.line}): each request runs in its own greenlet, which "
                "Django treats as a thread, so a connection opened per request is closed after it, a "
                "connect + auth round trip each. CONN_MAX_AGE is not the fix there: a persistent "
                "connection belongs to the greenlet that opened it and no later request reuses it. Low "
                "confidence: whether the connect per request matters depends on the request rate and "
                "on how far the database is."
            ),
            recommendation=(
                "Put PgBouncer (transaction pooling) in front of PostgreSQL, or a greenlet-aware pool "
                "(django-db-geventpool); keep CONN_MAX_AGE=0 with gevent or eventlet workers."
            ),
            severity="low",
            confidence="low",
        )

    def _django_asgi(self, model: ProjectModel, client: DbClient, alias: str, asgi: EntryPoint) -> Hit:
        """A Django project served over ASGI: a connection per request with no pool, where
        ``CONN_MAX_AGE`` is the wrong fix (Django's documentation: persistent connections
        should be disabled under ASGI; use the backend's pool or an external one)."""
        served = f"{asgi.loc.file}:{asgi.loc.line} serves it over ASGI"
        base = (
            f"DATABASES['{alias}'] sets no pool and Django is served over ASGI ({served}): Django "
            "opens and closes a PostgreSQL connection for every request, a connect + auth round trip "
            "each and a forked server process per connection. Under ASGI, CONN_MAX_AGE is not the fix: "
            "Django's documentation says persistent connections should be disabled there"
        )
        old_django = django_before(model, client.loc.file, (5, 1))
        if old_django:
            return self.hit(
                client.loc,
                message=(
                    f"{base}, and the pool Django offers instead (OPTIONS['pool'], Django 5.1+) is not "
                    f"available on the Django this project installs (`{old_django}`). Low confidence: "
                    "whether the connect per request matters depends on the request rate."
                ),
                recommendation=(
                    "Put PgBouncer (transaction pooling) in front of PostgreSQL, or upgrade to Django "
                    "5.1+ with psycopg 3 to use OPTIONS={'pool': {...}}; keep CONN_MAX_AGE=0 under ASGI."
                ),
                severity="low",
                confidence="low",
            )
        if declares_psycopg3(model, client.loc.file):
            return self.hit(
                client.loc,
                message=f"{base}; psycopg 3 is installed, so Django's own pool (5.1+) is one setting away.",
                recommendation=(
                    "Use Django's built-in pool (Django 5.1+, psycopg 3): OPTIONS={'pool': {'min_size': 2, "
                    "'max_size': 10}} sized so workers x max_size x replicas stays under max_connections, "
                    "or put PgBouncer (transaction pooling) in front; keep CONN_MAX_AGE=0 under ASGI."
                ),
                confidence="medium",
                fix_snippet=(
                    'DATABASES = {\n    "default": {\n        # ...\n'
                    '        "OPTIONS": {"pool": {"min_size": 2, "max_size": 10}},\n    }\n}'
                ),
                fix_language="python",
            )
        return self.hit(
            client.loc,
            message=(
                f"{base}, and the psycopg 3 pool Django offers instead needs a driver change. Low "
                "confidence: whether the connect per request matters depends on the request rate."
            ),
            recommendation=(
                "Put PgBouncer (transaction pooling) in front of PostgreSQL, or move to psycopg 3 and "
                "Django 5.1+ to use OPTIONS={'pool': {...}}; keep CONN_MAX_AGE=0 under ASGI."
            ),
            severity="low",
            confidence="low",
        )

    def _defaults(
        self, model: ProjectModel, res: Resolved, instances: int | None, max_conn: int
    ) -> Hit | None:
        client = res.client
        if client.library == "sqlalchemy":
            poolclass = option(client.options, "poolclass") or ""
            if "NullPool" in poolclass:
                db = database_of_client(model, client)
                if db == "other":
                    return None  # SQLite, SQL Server...: not a PostgreSQL backend per connection
                if db == "mysql":
                    # a MySQL connection is a server thread: a connect per checkout costs a handshake
                    return self.hit(
                        client.loc,
                        message=(
                            "SQLAlchemy engine uses NullPool: every session checkout opens a new MySQL "
                            "connection, a connect and authentication round trip each time (a MySQL "
                            "connection is a server thread, so the cost is the handshake, not a new "
                            "process), and concurrent requests open as many as they like. Low confidence: "
                            "NullPool is often chosen on purpose against a database whose per-user "
                            "connection limit is small."
                        ),
                        recommendation=(
                            "If connections are not capped by the database user, use the default QueuePool "
                            "with explicit pool_size/max_overflow and pool_recycle below wait_timeout."
                        ),
                        severity="low",
                        confidence="low",
                    )
                message = (
                    "SQLAlchemy engine uses NullPool without PgBouncer in front: every session "
                    "checkout opens a new PostgreSQL connection (connect + auth per request), and "
                    "concurrent requests open as many connections as they like."
                )
                confidence = "medium"
                if why := unserved(model, client):
                    # a job's or a worker's engine: NullPool is the usual choice there (a task
                    # runs on its own event loop, which pooled connections must not outlive), and
                    # the worker count, not request traffic, bounds the connections
                    confidence = "low"
                    message += (
                        f" Low confidence: {why}, so jobs or workers open these connections, not "
                        "requests; NullPool is a deliberate choice there (each task runs on its own "
                        "event loop) and the worker count caps the connections."
                    )
                return self.hit(
                    client.loc,
                    message=message,
                    recommendation=(
                        "Use the default QueuePool with explicit pool_size/max_overflow, or keep "
                        "NullPool only behind PgBouncer (transaction pooling)."
                    ),
                    confidence=confidence,
                    fix_snippet=DEFAULTS["sqlalchemy"][2],
                    fix_language="python",
                )
            if "StaticPool" in poolclass or "SingletonThreadPool" in poolclass:
                return None
        if res.pool_params or client.pool_max is not None:
            return None
        if client.library == "prisma" and option(client.options, "adapter") is not None:
            return None  # the driver adapter's own pool is a separate client
        info = DEFAULTS.get(client.library)
        if info is None:
            return None
        desc, per_process, snippet, lang = info
        severity = "high"
        scale = ""
        if (
            instances
            and client.library == "sqlalchemy"
            and (
                (at_once := model.services.concurrency_for(client.loc.file)) is not None
                and at_once < per_process
            )
        ):
            # QueuePool opens connections only as checkouts need them: a process that serves
            # one request at a time (gunicorn's sync worker) holds about one, a threaded one
            # about one per thread, whatever the pool's ceiling
            per_process = at_once
            total = instances * per_process
            scale = (
                f"; with {instances} app processes (replicas x workers) each serving {at_once} "
                f"request{'s' if at_once > 1 else ''} at a time (gunicorn's sync or threaded workers, "
                f"and QueuePool opens connections only as they are needed), about {total} "
                f"connections are in use against PostgreSQL's max_connections {max_conn}"
            )
            if total > max_conn:
                severity = "critical"
        elif instances:
            total = instances * per_process
            scale = (
                f"; with {instances} app processes (replicas x workers) that is up to {total} connections "
                f"against PostgreSQL's max_connections {max_conn}"
            )
            if total > max_conn:
                severity = "critical"
        if client.library == "prisma":
            where = (
                f"{res.url_env} sets no connection_limit"
                if res.env_visible
                else (f"no connection_limit is visible for {res.url_env or 'the datasource URL'}")
            )
            message = f"PrismaClient pool is unconfigured ({where}). {desc}{scale}."
            recommendation = (
                "Add connection_limit (and pool_timeout) to the datasource URL, sized so replicas "
                "x processes x connection_limit stays under max_connections; use PgBouncer "
                "(pgbouncer=true) or Accelerate when the count of processes is large."
            )
        else:
            message = f"{_label(client)} sets no pool size: {desc}{scale}."
            recommendation = (
                "Set the pool size explicitly, sized so replicas x processes x pool size stays "
                "under max_connections (leave headroom for migrations and admin), plus an "
                "acquire/connect timeout so requests fail fast when the pool is exhausted."
            )
        confidence = "high"
        if client.library == "prisma" and not res.env_visible:
            confidence = "medium"
        if severity != "critical":
            # A default pool is a problem in numbers: processes x pool size past max_connections.
            # Where the deployment does not show that, the finding is configuration hygiene, and
            # blind review found it false on most single-process and thread-bounded deployments.
            confidence = "low"
            message += (
                f" {instances} x {per_process} = {instances * per_process} connections stays under "
                f"max_connections {max_conn}: a problem only if more processes run it than the "
                "deployment files show."
                if instances
                else " The deployment files do not show how many processes run it: a problem when "
                f"processes x {per_process} passes the server's max_connections."
            )
        return self.hit(
            client.loc,
            message=message,
            recommendation=recommendation,
            severity=severity,
            confidence=confidence,
            fix_snippet=snippet,
            fix_language=lang,
        )


def _django_pooled(client: DbClient) -> bool:
    """A Django ``DATABASES`` entry that keeps connections: a non-zero ``CONN_MAX_AGE`` or
    Django's own pool (``OPTIONS["pool"]``)."""
    if option(client.options, "OPTIONS.pool") is not None:
        return True
    age = option(client.options, "CONN_MAX_AGE")
    return age is not None and age.strip() not in {"0", "'0'", '"0"'}


_MEMO = re.compile(r"(?:\?\?=|\|\|=|\bglobalThis\.|\bglobal\.|\bthis\.[\w$]+\s*=(?!=))")


def _app_factory(model: ProjectModel, client: DbClient) -> str:
    """The application factory the client's function is, or is nested in (``def
    create_app(): app = Flask(__name__)`` with a helper defined inside it), by name; ``""``
    when it is none. A factory runs once per process, not per request."""
    fn = model.functions.get(client.function_id or "")
    if fn is None:
        return ""
    factories = {d.function_id for d in model.all(RouterDecl) if d.entry and d.function_id}
    for other in model.functions.values():
        if (
            other.id in factories
            and other.loc.file == fn.loc.file
            and other.loc.line <= fn.loc.line
            and fn.loc.end_line <= other.loc.end_line
        ):
            return other.name
    return ""


def _retry_loop(model: ProjectModel, client: DbClient) -> bool:
    """The loop around the construction returns (or breaks) once it succeeds: a connect retry
    (``for (let i = 1; i <= 10; i++) { try { const conn = await connect(); return conn } ... }``),
    one connection at a time, not one per item."""
    loop = client.loop
    if loop is None or not loop.end_line:
        return False
    lines = model.source_lines(client.loc.file)
    body = "\n".join(lines[client.loc.line : loop.end_line])
    return bool(re.search(r"^\s*(?:return\b|break\b)", body, re.MULTILINE))


def _memoised_by_callers(model: ProjectModel, client: DbClient) -> bool:
    """The client is built by a factory (``function createPool() { const pool = new Pool(); ...
    return pool }``) and every function that calls the factory keeps the result in a
    longer-lived slot in the same statement (``write ??= createPool()``, ``this.pool =
    createPool()``, ``globalThis.db ||= ...``): one pool per process, not per call."""
    if client.function_id is None:
        return False
    factory = model.functions.get(client.function_id)
    if factory is None:
        return False
    name = bound_name(model, client)
    text = function_text(model, factory.id)
    names = _derived_names(text, name) if name else []
    returned = rf"\breturn\s+(?:new\b|{'|'.join(map(re.escape, names))}\b)" if names else r"\breturn\s+new\b"
    lines = model.source_lines(client.loc.file)
    at = lines[client.loc.line - 1] if 0 < client.loc.line <= len(lines) else ""
    # ``return knex({...})`` / ``=> knex({...})``: the construction is what the factory returns
    direct = re.match(r"\s*return\b", at) or re.search(r"=>\s*(?:new\s+)?[\w$.]+\s*\(", at)
    if not direct and not re.search(returned, text):
        return False
    return _callers_keep(model, factory, 0)


def _derived_names(text: str, name: str) -> list[str]:
    """``name`` and the names bound in ``text`` to an expression that starts with one of them
    (``const extended = baseClient.$extends({...})``; ``db = drizzle(pool)`` is not: it starts
    with another name; nor is ``rows = await pool.query(...)``: an awaited result is data):
    what a factory returning one of them returns is that client."""
    out = [name]
    for _ in range(3):
        alternatives = "|".join(map(re.escape, out))
        found = re.findall(
            rf"(?:\b(?:const|let|var)\s+|^\s*)([A-Za-z_$][\w$]*)\s*(?::[^=\n]+)?=\s*"
            rf"(?:{alternatives})\b(?!\s*[=(])",
            text,
            re.MULTILINE,
        )
        more = [n for n in dict.fromkeys(found) if n not in out]
        if not more:
            break
        out.extend(more)
    return out


def _callers_keep(model: ProjectModel, factory: Function, depth: int) -> bool:
    """Every production caller of ``factory`` keeps its result in a longer-lived slot, or
    returns it from a factory of its own whose callers do (at most three levels)."""
    if depth > 3 or not factory.name or factory.name.startswith("<"):
        return False
    stem = factory.loc.file.rsplit("/", 1)[-1].split(".", 1)[0]
    # files that can call this factory by its name: its own, and those importing the name from a
    # module of the same file name (another ``getClient`` elsewhere is another function)
    importing = {
        imp.loc.file
        for imp in model.all(Import)
        if factory.name in {imp.name, imp.local}
        and imp.module.rstrip("/").rsplit("/", 1)[-1].split(".", 1)[0] == stem
    }
    callers = [
        fn
        for fn in model.functions.values()
        if any(c.name == factory.name for c in fn.calls)
        and (fn.loc.file == factory.loc.file or fn.loc.file in importing)
        and model.role(fn.loc.file).production
    ]
    if not callers:
        # called only outside functions (``const db = getClient()`` at module level), once per
        # process, by production files that import it
        return any(model.role(path).production for path in importing)
    call = re.compile(rf"(?<![\w$.]){re.escape(factory.name)}\s*\(")
    for fn in callers:
        if _runs_once(fn):
            continue  # ``@lru_cache`` over the caller: what it builds is kept, once per process
        text = function_text(model, fn.id)
        for m in call.finditer(text):
            start = max(text.rfind(";", 0, m.start()), text.rfind("{", 0, m.start()), 0)
            statement = text[start : m.start()]
            if _MEMO.search(statement) or _module_slot(model, fn, text, statement):
                continue
            if re.search(r"\breturn\s*\(?\s*$", statement) and _callers_keep(model, fn, depth + 1):
                continue
            return False
    return True


def _module_slot(model: ProjectModel, fn: Function, text: str, statement: str) -> bool:
    """The statement before a factory call assigns its result to a module-level variable of the
    caller's file (``_knexInstance = getNewKnexInstance()`` with ``let _knexInstance`` at the
    top of the module, or ``_engine = make_engine()`` after ``global _engine`` in Python): the
    client is kept for the process, like ``??=``."""
    m = re.search(r"(?:^|[\s;{(])([A-Za-z_$][\w$]*)\s*=\s*(?:await\s+)?$", statement)
    if m is None:
        return False
    name = re.escape(m.group(1))
    if fn.loc.file.endswith(".py"):
        if not re.search(rf"^\s*global\s+(?:[\w, ]*,\s*)?{name}\b", text, re.MULTILINE):
            return False
        declared = rf"^{name}\s*(?::[^=\n]+)?="
    else:
        declared = rf"^(?:export\s+)?(?:let|var)\s+{name}\b"
    return any(re.match(declared, line) for line in model.source_lines(fn.loc.file))


#: decorators that keep a function's result for the life of the process (functools'
#: ``lru_cache``/``cache``/``cached_property``, async-lru's ``alru_cache``); a TTL cache
#: (``@cache.memoize(timeout=...)``) runs its function again when the entry expires
_ONCE_DECORATORS = frozenset({"lru_cache", "cache", "cached_property", "alru_cache"})


def _runs_once(fn: Function) -> bool:
    """``fn`` is memoised by a process-lifetime cache decorator: its body runs once per set of
    arguments, so a client it builds (or gets from a factory) is built once, not per call."""
    return any(d.split("(", 1)[0].rsplit(".", 1)[-1] in _ONCE_DECORATORS for d in fn.decorators)


def _label(client: DbClient) -> str:
    return {
        "pg": "node-postgres Pool",
        "postgres-js": "postgres-js client",
        "drizzle": "Drizzle client",
        "typeorm": "TypeORM DataSource",
        "sequelize": "Sequelize instance",
        "knex": "Knex instance",
        "mysql2": "mysql2 pool",
        "sqlalchemy": "SQLAlchemy engine",
        "asyncpg": "asyncpg pool",
        "psycopg": "psycopg_pool ConnectionPool",
    }.get(client.library, client.library)


_ONCE = {
    "pg": (
        "// db.ts: one pool per process\n"
        "export const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });\n\n"
        '// handler\nconst { rows } = await pool.query("select ...");'
    ),
    "prisma": (
        '// db.ts\nexport const prisma = new PrismaClient();\n\n// handler\nimport { prisma } from "./db";'
    ),
    "sqlalchemy": (
        "# db.py: one engine per process\n"
        "engine = create_engine(settings.database_url, pool_size=5, max_overflow=5)\n"
        "SessionLocal = sessionmaker(bind=engine)"
    ),
}
