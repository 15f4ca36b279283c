# Served over ASGI (Dockerfile): CONN_MAX_AGE is not the fix there and psycopg2 has no pool of
# Django's, so the connect per request is reported at low confidence with PgBouncer as the fix.
# ruleid: SC-DB-001 low
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "tickets",
        "HOST": "db",
    }
}
