"""SC-SCALE-001 in-memory-session-store."""

from __future__ import annotations

from collections.abc import Iterator

from scalescope.model.facts import CacheClient, Import, InProcessCache, SessionStore
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.horizontal_scaling._fixes import session_store_fix


class InMemorySessionStoreRule(Rule):
    """Sessions kept in one process's memory or on one machine's disk.

    ## What it finds
    Server-side session middleware whose store lives inside the process: express-session,
    ``@fastify/session`` and koa-generic-session with no ``store`` (their default MemoryStore)
    or an explicit ``MemoryStore``/``memorystore``; Django ``SESSION_ENGINE`` ``cache`` /
    ``cached_db`` on a ``LocMemCache``; the fastapi-sessions ``InMemoryBackend``. Sessions on one
    machine's disk (Flask-Session ``SESSION_TYPE = "filesystem"``, Django's ``file`` engine)
    are reported too, at lower severity. Cookie sessions (cookie-session, koa-session without a
    store, Starlette ``SessionMiddleware``, Flask's default) keep nothing on the server and are
    not reported; nor is code that runs only in development or tests.

    ## Why it matters at scale
    With two instances or worker processes behind a load balancer, a user logged in on one is
    logged out on the next request that lands on the other, carts and CSRF tokens vanish at
    random, and every deploy or crash logs everyone out. express-session's own documentation
    says MemoryStore "will leak memory under most conditions" and "does not scale past a single
    process"; Django's LocMemCache evicts beyond 300 entries by default, so the 301st user to log
    in logs another one out. Sticky sessions only hide this until an instance restarts.

    ## Example
    ```ts
    import session from "express-session";
    app.use(session({ secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false }));
    ```

    ## Use instead
    ```ts
    import { RedisStore } from "connect-redis";
    const redisClient = createClient({ url: process.env.REDIS_URL });
    await redisClient.connect();
    app.use(session({ store: new RedisStore({ client: redisClient }), secret, resave: false,
      saveUninitialized: false }));
    ```
    In Django keep the default database engine or point the session cache at Redis; in
    Flask-Session use ``SESSION_TYPE = "redis"``.

    ## Known problems
    A setting assigned only under a condition on the deployment's configuration (``if
    SESSION_FILE_PATH is not None:``) is an option, reported at low confidence. Options built in
    another file (a config module) are not followed and are not reported.
    When Django settings use a cache-backed engine and no ``CACHES`` is found, the default cache
    (LocMemCache) is assumed at low confidence. A ``LocMemCache`` that the deployment's own
    settings may replace is low too: a module-level ``from settings_local import *`` after it
    (under ``try`` too), or a file django-split-settings includes after it that assigns
    ``CACHES`` (``include('core.py', 'heroku.py')``). Flask-Session's ``SESSION_TYPE`` in a
    project where no file imports ``flask_session`` is low: nothing installs the extension, so
    the setting may do nothing.
    """

    meta = RuleMeta(
        id="SC-SCALE-001",
        name="in-memory-session-store",
        category="horizontal-scaling",
        severity="high",
        title="Sessions stored in process memory",
        effort="hours",
        confidence="high",
        impact="Users logged out when a request lands on another instance and on every deploy; memory leaks.",
        ecosystems=("node", "python"),
        references=(
            "https://github.com/expressjs/session#sessionoptions",
            "https://docs.djangoproject.com/en/stable/topics/http/sessions/#using-cached-sessions",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        for store in model.all(SessionStore):
            if not model.runs_in_production(store.loc):
                continue  # a development-only or test session setup
            confidence = "high"
            where = _backend_text(store)
            scope = store.scope
            if scope == "cache":
                cache = _django_cache(model, store)
                if cache is None:
                    continue  # a shared cache backs the sessions
                where, confidence = cache
                scope = "process"
            if scope == "shared":
                continue
            instances = _instances(model, ctx, store.loc.file)
            several = instances is not None and instances > 1
            if scope == "process":
                severity = "critical" if several else "high"
                if store.library == "django" and store.backend == "cached_db":
                    # sessions survive in the database; only invalidations are per process
                    severity = "medium"
            else:
                severity = "high" if several else "medium"
            fix = session_store_fix(model, store)
            message = _message(store, where, scope, instances)
            if store.library == "flask-session" and not _flask_session_installed(model, store.loc.file):
                # SESSION_TYPE is read only by Flask-Session's ``Session(app)``: without it
                # Flask keeps its signed-cookie sessions and the setting does nothing
                confidence = "low"
                message += (
                    " Low confidence: no file imports `flask_session`, so nothing installs "
                    "Flask-Session (`Session(app)`) and SESSION_TYPE may have no effect."
                )
            if store.condition:
                # an option of the deployment (``if SESSION_FILE_PATH is not None:``)
                confidence = "low"
                message += f" Set only when `{store.condition}`: an option, not the default."
            yield self.hit(
                store.loc,
                message=message,
                recommendation=fix.advice,
                severity=severity,
                confidence=confidence,
                fix_snippet=fix.snippet,
                fix_language=fix.language,
            )


def _flask_session_installed(model: ProjectModel, path: str) -> bool:
    """A file of ``path``'s service imports Flask-Session (``from flask_session import Session``)."""
    related = model.services.related
    return any(
        i.module.split(".", 1)[0] == "flask_session" and related(path, i.loc.file) for i in model.all(Import)
    )


def _instances(model: ProjectModel, ctx: RuleContext, path: str) -> int | None:
    configured = ctx.options.get("instances")
    if isinstance(configured, int):
        return configured
    return model.instance_count_for(path)


def _backend_text(store: SessionStore) -> str:
    if store.library == "django":
        return f"SESSION_ENGINE '{store.backend}'"
    if store.library == "flask-session":
        return f"SESSION_TYPE '{store.backend}'"
    if store.default:
        return f"{store.library} with no store option (default {store.backend})"
    return f"{store.library} with {store.backend}"


def _django_cache(model: ProjectModel, store: SessionStore) -> tuple[str, str] | None:
    """How Django's session cache is in process memory, with a confidence; ``None`` when it is
    a shared cache."""
    alias = store.cache_alias or "default"
    related = model.services.related
    for cache in model.all(InProcessCache):
        if cache.kind == "django-locmem" and cache.name == alias and related(store.loc.file, cache.loc.file):
            where = (
                f"SESSION_ENGINE '{store.backend}' on CACHES['{alias}'] = LocMemCache "
                f"({cache.loc.file}:{cache.loc.line})"
            )
            later = model.settings_replaced_after(cache.loc, "CACHES")
            if later:
                # a deployment's own settings run after this base (``from settings_local import
                # *``, a split-settings ``heroku.py`` with Redis): it may replace CACHES
                return (
                    f"{where}; low confidence: {later} may replace CACHES (an installation's own "
                    "settings), so this cache is a default",
                    "low",
                )
            return where, "high"
    for client in model.all(CacheClient):
        if client.library == "django" and related(store.loc.file, client.loc.file):
            return None
    for cache in model.all(InProcessCache):
        if cache.kind == "django-locmem" and related(store.loc.file, cache.loc.file):
            return None  # another alias is configured; the session alias is not ours to guess
    return (
        f"SESSION_ENGINE '{store.backend}' and no CACHES found (Django's default cache is LocMemCache)",
        "low",
    )


def _message(store: SessionStore, where: str, scope: str, instances: int | None) -> str:
    if instances is not None and instances > 1:
        deployment = f"this service declares {instances} processes/instances, so"
    elif instances == 1:
        deployment = "one process is declared; as soon as a second runs,"
    else:
        deployment = "with more than one process or instance,"
    if scope == "machine":
        return (
            f"Sessions are files on one machine's disk ({where}): {deployment} a user whose "
            "next request lands on another machine is logged out, and replacing a container loses "
            "every session."
        )
    if store.library == "django" and store.backend == "cached_db":
        return (
            f"Session cache in process memory ({where}): {deployment} each process caches its "
            "own copy of a session, so a logout or session change in one process is not seen by "
            "the others until their copy expires."
        )
    leak = (
        " MemoryStore never removes expired sessions: memory grows with every visitor."
        if store.backend == "MemoryStore"
        else (
            " LocMemCache keeps at most MAX_ENTRIES (300 by default): beyond that, new logins "
            "evict other users' sessions."
            if "LocMemCache" in where
            else ""
        )
    )
    return (
        f"Sessions are kept in process memory ({where}): {deployment} a user logged in on one "
        "process is logged out when a request lands on another, and every restart or deploy "
        f"logs everyone out.{leak}"
    )
