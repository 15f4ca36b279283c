"""SC-DB-002 missing-query-timeout."""

from __future__ import annotations

from collections.abc import Iterator

from scalescope.model.facts import DbClient, option
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._fixes import TIMEOUT_FIXES, timeout_fix
from scalescope.scan.rules.database._pools import (
    batch_program,
    caller_chosen,
    catalog_reads,
    client_doubts,
    closed_in_function,
    code_timeouts,
    database_of_client,
    deployed_database,
    django_dev_server,
    django_without_models,
    global_statement_timeout,
    has_statement_timeout,
    hyperdrive,
    library_only,
    migration_runner,
    no_route_uses,
    only_jobs_build,
    only_postgres_driver,
    opaque,
    options_set_statement_timeout,
    orchestrated,
    other_branch,
    pool_cause,
    query_builder_only,
    replaced_by_importers,
    replaced_later,
    resolve,
    serves_no_requests,
    settings_patched,
    single_row_queries,
)


class MissingQueryTimeout(Rule):
    """Database clients with no statement or query timeout.

    ## What it finds
    A PostgreSQL (or MongoDB) client, pool, engine or Django ``DATABASES`` entry with no
    statement-level timeout in its options, its URL (``options=-c statement_timeout=...``,
    ``socket_timeout``) or the ``.env``/compose value of the variable holding the URL. One
    finding per client. Not reported when a role/database/server-level ``statement_timeout``
    is visible (``ALTER ROLE ... SET statement_timeout`` in a SQL migration, ``postgres -c
    statement_timeout=...``), when code of the client's package sets it per session (``SET
    statement_timeout`` in a pg ``pool.on('connect')`` hook, a SQLAlchemy ``connect`` event, a
    Prisma/Drizzle raw ``SET`` in a client wrapper, ``options: "-c statement_timeout=..."``),
    for serverless/pooler clients, for a Knex instance built without a ``connection`` (a SQL
    string builder), for a Cloudflare Worker's client built on a Hyperdrive
    binding's connection string (``postgres(env.HYPERDRIVE.connectionString)``, or a factory's
    parameter every caller fills with it, the binding declared under ``hyperdrive`` in
    ``wrangler.toml``/``wrangler.jsonc``: Hyperdrive's pool ends any statement after its
    maximum query duration of 60 seconds), MySQL/SQLite clients, tests and scripts. A client
    whose database is chosen at run time (``knex(config)``, ``client: process.env.DB_CLIENT``, a
    Django ``ENGINE`` read from the environment) is taken for PostgreSQL only while it can be
    one: when the configurations the same function builds it from (``config = { client:
    "mysql2", ... }`` in each branch) name no PostgreSQL dialect, or its package declares
    production drivers and none is PostgreSQL's (``pg``, ``postgres``, ``psycopg``,
    ``asyncpg``; only ``mysql2``/``mysqlclient``/``sqlite3``...), it is not reported (nor an
    engine whose ``connect_args`` carry sqlite3's ``check_same_thread``, or whose options all come
    from a ``**`` splat of a configuration object the file does not show); when the
    deployment files say nothing either, it is low, unless every production driver its package
    declares is PostgreSQL's (only ``psycopg2``): then it is PostgreSQL, at medium. A timeout set only
    per transaction (``SET LOCAL statement_timeout``) covers the transactions that run it:
    reported at low confidence, saying so; so does a ``SET statement_timeout`` that a Django view
    helper runs on ``django.db.connection`` (it covers the requests that call it). So is the
    pool of a process that serves no requests (a package with its own start script or worker
    and no route, which no other package imports, in a project that has routes elsewhere: a
    scheduled job, a queue worker):
    a long query there stalls that process, not the requests of the user-facing services; so is
    a client built in a function only background work runs (a Celery task's ingest helper: a
    task reaches it, no route handler or request hook does, no module-level code calls it), or
    one only workflow-orchestrator code uses (its module, or every module importing it, imports
    Airflow, Dagster, Prefect or Luigi: DAGs, assets and flows are scheduled batch work); so
    is a client of an ORM whose queries the code writes out (SQLAlchemy, Prisma, TypeORM,
    Sequelize, Drizzle, Knex, Mongoose; not Django, whose admin and generic views query too)
    when every one of at least three queries of its package reads or writes a single row by
    equality (``get(id)``, ``first()`` by a key with no sort, ``add(obj)``, a delete by id), with
    no list, count, aggregate, search, sort or hand-written SQL: nothing there runs long but a
    lock wait; so is a Django ``DATABASES`` entry of a project that declares no model of its
    own (none in its package, none in a package of the repository it imports or names in its
    settings' ``INSTALLED_APPS``, and no library app there but authentication, security-header,
    front-end and API helpers, whose rows are read by key) and runs no SQL by hand or list
    query: a front end whose data lives behind another service's API, whose database holds
    Django's sessions and users, read and written by key;
    and, in a project that registers routes, a client no file registering them imports,
    directly or through other modules (a consumer's or a cron job's own module; a Django
    ``DATABASES`` entry serves the project's Python routes, and is low when a later ``from
    .local_settings import *`` may replace it (not when that module is in the repository and
    assigns no ``DATABASES``, itself or through its own star imports), or a settings file that
    django-split-settings includes after its own and that assigns ``DATABASES`` too
    (``include('core.py', 'heroku.py')``; a file added in another branch of the same ``if`` is
    an alternative, not a later file), or when it is bound to a name for the test suite's
    database (``TESTS_CONFIG``, ``test_engine``) or, beside the deployment's configuration
    (``remoteConfig``), for a developer's (``localConfig``, ``devConfig``), or when nothing
    uses the pool after it is built (its name is on no other line of its file, not exported, not
    imported: the driver opens no connection until a query needs one), or when it is one
    of several settings modules of its package and nothing shows production runs it (no
    deployment selects it by ``DJANGO_SETTINGS_MODULE`` or copies it into an image, no module
    but tests imports it, its name is not a deployment's: a Docker, CI or local variant), or
    when another branch of the
    same ``if`` gives the same alias a statement timeout, in its options or its URL's value: one
    branch runs, and the one without it is the deployment's fallback; or when the other branch
    uses SQLite (``if not url: <sqlite3> else: dj_database_url.parse(url)``) and no URL value in
    the repository is PostgreSQL's; or when the entry is an alias other than ``default`` that no
    production code names (no ``using("old")``, router, ``connections["old"]`` or ``--database
    old``): Django connects to an alias only when something uses it; a file whose only routes are probes
    (``/health``, ``/ready``, ``/metrics``, ``/info``, and ``/``) is a worker's, not a route file;
    a Next.js App Router page, layout or route handler registers its route by its path, so
    a client a page imports serves requests and a package of pages is no worker).
    Options passed as ``**config`` are read from the dict the name is bound to. Also low: a pool
    the application only hands to a library as an option (``run({ pgPool })`` of a job queue,
    ``new PgSession({ pool })`` of a session store), which runs its own short statements on it,
    and a single connection (pg ``new Client``) opened inside a function for one task, where
    no shared pool drains; a client the same function closes (``$disconnect()`` after a seed);
    a client whose connection target is built only from its function's parameters (an
    integration step connecting to the user's own database); and a client whose database the
    repository leaves open (the engine or URL comes from the environment and no visible URL
    value, engine or compose/Kubernetes database image says PostgreSQL; a SQLite URL everywhere
    it is set is not reported). Acquire and connect
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
        scope="setting",
        confidence="medium",
        impact=(
            "One slow query holds a pooled connection indefinitely; the pool drains and all endpoints stall."
        ),
        ecosystems=("node", "python"),
        references=(
            "https://www.postgresql.org/docs/current/runtime-config-client.html#GUC-STATEMENT-TIMEOUT",
            "https://node-postgres.com/apis/client",
            "https://www.prisma.io/docs/orm/overview/databases/postgresql#configuring-an-ssl-connection",
            "https://developers.cloudflare.com/hyperdrive/platform/limits/",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        if global_statement_timeout(model) is not None:
            return
        seen: set[tuple[str, int]] = set()
        for client in model.all(DbClient):
            if client.kind == "datasource" or client.serverless or not model.role(client.loc.file).reportable:
                continue
            if hyperdrive(model, client):
                continue  # Hyperdrive's pool ends a statement after its maximum query duration
            if opaque(client) or client.library not in TIMEOUT_FIXES or query_builder_only(client):
                continue
            # a client whose dialect is chosen at run time: the configurations it is built from,
            # else the drivers its package declares (no PostgreSQL driver: no PostgreSQL)
            db = database_of_client(model, client)
            if db in {"mysql", "other"}:
                continue
            if client.library == "prisma" and option(client.options, "adapter") is not None:
                continue  # a driver adapter: its own pool/client carries the timeout
            if migration_runner(model, client):
                continue  # handed only to a migration runner: long DDL must not be cut short
            res = resolve(model, client)
            if res.pooler and client.library == "prisma":
                continue
            names = tuple(client.timeout_options) + res.timeout_params
            if has_statement_timeout(names) or options_set_statement_timeout(client):
                continue
            if settings_patched(model, client, ("statement_timeout",)):
                continue  # the deployment's module sets it over this base entry
            session, per_transaction = code_timeouts(model, client)
            if session is not None:
                continue  # ``SET statement_timeout`` on its connections (connect hook, wrapper)
            key = (client.loc.file, client.loc.line)
            if key in seen:
                continue
            seen.add(key)
            advice, snippet, lang = timeout_fix(client.library)
            if res.pooler:
                # PgBouncer in transaction mode drops startup parameters it does not track
                # (``options=-c statement_timeout=...``): the setting belongs to the role
                advice = (
                    "Its connections go through PgBouncer, which in transaction mode drops startup "
                    "parameters such as `options=-c statement_timeout=...`: set it on the role or "
                    "database (`ALTER ROLE app SET statement_timeout = '15s'`)."
                )
                snippet, lang = "ALTER ROLE app SET statement_timeout = '15s';", "sql"
            confidence = "high" if db in {"postgres", "mongo"} and client.library != "prisma" else "medium"
            if client.library == "prisma" and res.env_visible:
                confidence = "high"
            if db == "mongo":
                confidence = "low"
            what = f"{_what(client, res.url_env)} has no statement/query timeout"
            open_db = ""
            if db == "unknown":
                # the code leaves the database to the deployment: what do its files show?
                deployed, why = deployed_database(model, res)
                if deployed in {"sqlite", "mysql"}:
                    continue  # SQLite has no statement timeout to set; MySQL clients are not read
                if deployed == "postgres":
                    what += f" ({why})"
                elif driver := only_postgres_driver(model, client.loc.file):
                    what += f" (the only database driver its package declares is PostgreSQL's, `{driver}`)"
                else:
                    open_db = (
                        " (which database it talks to is set outside the repository: no URL value, "
                        "engine or database service in it says PostgreSQL; on PostgreSQL this applies)"
                    )
            offline = serves_no_requests(model, client)
            if open_db:
                confidence = "low"
                what += open_db
            elif client.handed_to:
                # a job queue's or a session store's own pool: the library's short statements
                confidence = "low"
                what += (
                    f" (the application only hands it to a library as `{client.handed_to}`, which "
                    "runs its own short statements on it)"
                )
            elif chosen := caller_chosen(model, client):
                # an integration's or a user-configured database, given at run time by the caller
                confidence = "low"
                what += (
                    f" (it connects to the database its caller passes in `{chosen}`: a database "
                    "the user configures, not the application's own pool)"
                )
            elif closed := closed_in_function(model, client):
                confidence = "low"
                what += (
                    f" (opened and closed in the same function, `{closed}`: a one-off connection for "
                    "one task, not the pool requests share)"
                )
            elif library := library_only(model, client):
                # a connector class a published package exports: its users build and configure it
                confidence = "low"
                what += f" ({library}: its users build this client and configure it)"
            elif option(client.options, "creator") is not None:
                # ``create_engine(url, creator=...)``: the engine's connections are whatever the
                # callable returns (often one another client already opened), configured there
                confidence = "low"
                what += (
                    " (its connections come from its `creator=` callable: the code that opens them "
                    "sets their options, which this engine's URL and arguments do not show)"
                )
            elif client.kind == "client" and client.function_id is not None:
                # ``new Client()`` opened inside a function for one task: no shared pool drains
                confidence = "low"
                what += (
                    " (one connection opened inside a function for its own task, not a shared pool: "
                    "a slow query there stalls that task, not the other requests)"
                )
            elif offline:
                # a worker's or a job's own pool: a runaway query there stalls that process, not
                # the requests of the services that serve users
                confidence = "low"
                what += (
                    f" (it belongs to {offline}, a process that serves no requests: a job or worker, "
                    "where a long query stalls that process, not user-facing requests)"
                )
            for doubt_text in client_doubts(model, res):
                # the tests' or a developer's database, a pool nothing uses, an alternative branch
                confidence = "low"
                what += f" ({doubt_text})"
            if client.library == "django" and (doubt := model.settings_in_doubt(client.loc.file)):
                # a Docker, CI or local variant among several settings modules
                confidence = "low"
                what += f" ({doubt})"
            elif client.library == "django" and (dev := django_dev_server(model, client.loc.file)):
                # every command that serves the project runs ``manage.py runserver``
                confidence = "low"
                what += (
                    f" (the deployment files serve it only with Django's development server, "
                    f"{dev.loc.file}:{dev.loc.line}: a development setup, not a production one)"
                )
            if later := replaced_later(model, client):
                # ``from .local_settings import *`` after DATABASES, or a split-settings file
                # included after this one: the deployment's own file decides
                confidence = "low"
                what += f" (the later `{later}` may replace these settings)"
            if importers := replaced_by_importers(model, client):
                # ``deployed.py``'s entry, replaced in prod.py, staging.py and review.py
                confidence = "low"
                what += (
                    f" (the settings modules that import this one to run it assign their own "
                    f"DATABASES: {importers}; this entry does not run as written)"
                )
            if other := other_branch(model, client, lambda o: _sets_timeout(model, o)):
                # ``if DATABASE_URL: <URL with statement_timeout> else: {...}``: one branch runs
                confidence = "low"
                what += (
                    f" (the other branch of the same `if`, line {other.loc.line}, sets a statement "
                    "timeout for this alias: this one is the deployment's alternative, a fallback)"
                )
            if confidence != "low" and (unserved := no_route_uses(model, client)):
                # the harm is requests queueing for a pool a slow query holds: a client no
                # request path is shown to use (a consumer's, a script's) is not that pool
                confidence = "low"
                what += (
                    f" ({unserved}: a worker's, consumer's or script's client, where a long query "
                    "stalls that process rather than user requests)"
                )
            if confidence != "low" and (why := _timeout_moot(model, client)):
                # what runs on it cannot hold a request's connection long: keyed single-row queries,
                # or only batch work (an orchestrator's DAGs, a background job's helper)
                confidence = "low"
                what += f" ({why})"
            if per_transaction is not None:
                # the transactions that run it are covered: only queries outside them are not
                confidence = "low"
                where = f"{per_transaction.loc.file}:{per_transaction.loc.line}"
                if per_transaction.scope == "session":
                    what = (
                        f"{_what(client, res.url_env)} gets a statement_timeout only where code sets it "
                        f"on the connection (SET at {where}, in the requests that run it): other "
                        "queries have no timeout"
                    )
                else:
                    what = (
                        f"{_what(client, res.url_env)} sets statement_timeout per transaction only "
                        f"(SET LOCAL at {where}): queries outside those transactions have no timeout"
                    )
            yield self.hit(
                client.loc,
                message=f"{what}: {_consequence(client, db)} {advice}",
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


def _timeout_moot(model: ProjectModel, client: DbClient) -> str:
    """Why a missing timeout cannot hold user requests up on ``client``, as a clause, or ``""``:
    every query on it reads or writes one row by equality, or only reads catalog tables, or only
    batch work uses it (Airflow,
    Dagster, Prefect or Luigi code; a function only background jobs reach; a program that
    serves no request at all, :func:`batch_program`)."""
    if n := single_row_queries(model, client):
        return (
            f"every one of the {n} queries the code runs on it reads or writes a single row by equality, "
            "with no list, count, sort, search or raw SQL: none that can run long is shown, only a lock "
            "wait would be"
        )
    if django_without_models(model, client):
        return (
            "the Django project declares no model of its own and runs no SQL by hand (its data "
            "lives behind another service): its database holds Django's built-in tables, "
            "sessions and users, read and written by key, where no query runs long"
        )
    if tables := catalog_reads(model, client):
        return (
            f"the code only reads through it, and only {tables}, which only seeds, migrations or admin "
            "routes write (small by construction): no query shown can run long, and no write of the "
            "application's holds a lock they would wait on"
        )
    if orchestrator := orchestrated(model, client):
        return (
            f"only {orchestrator.capitalize()} batch code uses it: a long query there stalls a scheduled "
            "task, not user requests"
        )
    if job := only_jobs_build(model, client):
        return (
            f"only background jobs run `{job}`, the function that builds it: a long query there stalls "
            "that job, not user requests"
        )
    return batch_program(model, client)


def _sets_timeout(model: ProjectModel, client: DbClient) -> bool:
    """The client's options, or the URL values of the variable it reads, set a statement timeout."""
    names = tuple(client.timeout_options) + resolve(model, client).timeout_params
    return has_statement_timeout(names) or options_set_statement_timeout(client)


def _consequence(client: DbClient, db: str) -> str:
    """What a query with no timeout does to this client's process, in one sentence."""
    if db == "mongo":
        return (
            "an operation that runs long (a collection scan, a lock wait) keeps its connection busy "
            "until it finishes, since MongoDB sets no maxTimeMS by default, and under load such "
            "operations pile up until the pool runs out."
        )
    holder = "and its worker process" if client.library == "django" else "out of the pool"
    return (
        f"a query that runs long (a missing index, a lock wait, a large report) keeps its connection "
        f"{holder} until it finishes, since PostgreSQL's statement_timeout defaults to 0 (none), and "
        "under load such queries pile up until connections or workers run out."
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
