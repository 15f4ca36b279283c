"""Fix knowledge of the horizontal-scaling rules, as data: a shared session store per session
library."""

from __future__ import annotations

from scalescope.model.facts import SessionStore
from scalescope.model.project import ProjectModel
from scalescope.scan.rules._fixes import Fix, stack_near

#: session library (SessionStore.library) -> how to keep sessions in a shared store
SESSION_STORE_FIXES: dict[str, Fix] = {
    "express-session": Fix(
        "Give express-session a shared store: connect-redis (RedisStore) over one Redis client, "
        "so every instance sees every session and expired ones are removed by Redis.",
        'import { RedisStore } from "connect-redis";\n'
        'import { createClient } from "redis";\n\n'
        "const redisClient = createClient({ url: process.env.REDIS_URL });\n"
        "await redisClient.connect();\n"
        "app.use(session({ store: new RedisStore({ client: redisClient }), secret, resave: false,\n"
        "  saveUninitialized: false }));",
        "ts",
    ),
    "@fastify/session": Fix(
        "Pass a shared `store` to @fastify/session (any express-session compatible store, e.g. "
        "connect-redis over one Redis client).",
        "app.register(fastifySession, { secret, store: new RedisStore({ client: redisClient }) });",
        "ts",
    ),
    "koa-generic-session": Fix(
        "Pass a shared `store` to koa-generic-session (koa-redis).",
        "app.use(session({ store: redisStore({ url: process.env.REDIS_URL }) }));",
        "js",
    ),
    "django": Fix(
        "Keep sessions in the database (the default engine) or in a shared cache: point the "
        "session cache alias at Redis (django.core.cache.backends.redis.RedisCache) instead of "
        "LocMemCache, or use SESSION_ENGINE = 'django.contrib.sessions.backends.db'.",
        'SESSION_ENGINE = "django.contrib.sessions.backends.cache"\n'
        "CACHES = {\n"
        '    "default": {\n'
        '        "BACKEND": "django.core.cache.backends.redis.RedisCache",\n'
        '        "LOCATION": os.environ["REDIS_URL"],\n'
        "    }\n"
        "}",
        "python",
    ),
    "flask-session": Fix(
        "Use a shared Flask-Session backend: SESSION_TYPE = 'redis' with SESSION_REDIS set to a "
        "redis-py client (or 'sqlalchemy' over the app's database).",
        'SESSION_TYPE = "redis"\nSESSION_REDIS = redis.from_url(os.environ["REDIS_URL"])',
        "python",
    ),
    "fastapi-sessions": Fix(
        "Implement the fastapi-sessions SessionBackend interface over Redis (or the database) "
        "instead of InMemoryBackend, or keep the session in a signed cookie.",
        "class RedisBackend(SessionBackend[UUID, SessionData]):\n"
        "    async def read(self, session_id):\n"
        '        raw = await redis.get(f"session:{session_id}")\n'
        "        return SessionData.model_validate_json(raw) if raw else None",
        "python",
    ),
}

#: (session library, Redis client in the stack) -> a fix using that client
SESSION_STORE_CLIENT_FIXES: dict[tuple[str, str], Fix] = {
    ("express-session", "ioredis"): Fix(
        "Give express-session a shared store: connect-redis (RedisStore) over the app's ioredis "
        "client, so every instance sees every session and expired ones are removed by Redis.",
        'import { RedisStore } from "connect-redis";\n'
        'import Redis from "ioredis";\n\n'
        "const redis = new Redis(process.env.REDIS_URL);\n"
        'app.use(session({ store: new RedisStore({ client: redis, prefix: "sess:" }), secret,\n'
        "  resave: false, saveUninitialized: false }));",
        "ts",
    ),
}


def session_store_fix(model: ProjectModel, store: SessionStore) -> Fix:
    """The shared-store fix for a session setup, using the Redis client its code already has."""
    stack = stack_near(model, store.loc.file)
    for (library, client), fix in SESSION_STORE_CLIENT_FIXES.items():
        if library == store.library and client in stack:
            return fix
    return SESSION_STORE_FIXES[store.library]
