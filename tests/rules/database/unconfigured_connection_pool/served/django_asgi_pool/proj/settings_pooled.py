# The fix under ASGI: the backend's pool, CONN_MAX_AGE left at 0.
# ok: SC-DB-001
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "orders",
        "HOST": "db",
        "OPTIONS": {"pool": {"min_size": 2, "max_size": 8}},
    }
}
