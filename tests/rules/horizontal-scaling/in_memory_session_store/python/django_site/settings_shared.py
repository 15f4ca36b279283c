# sessions on a shared (Redis) cache: every process sees them
# ok: SC-SCALE-001
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
# the default engine keeps sessions in the database
# ok: SC-SCALE-001
SESSION_SAVE_EVERY_REQUEST = False
