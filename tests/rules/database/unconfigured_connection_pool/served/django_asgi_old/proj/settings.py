# Served over ASGI with psycopg 3 installed, but the lock file installs Django 4.2: the pool
# Django offers under ASGI (OPTIONS["pool"]) needs 5.1, so it is not one setting away.
# ruleid: SC-DB-001 low
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "licences",
        "HOST": "db",
        "CONN_MAX_AGE": 0,
    }
}
