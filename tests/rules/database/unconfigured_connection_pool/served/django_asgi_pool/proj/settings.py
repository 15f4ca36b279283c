# Served over ASGI (Procfile) with psycopg 3 installed: Django's own pool is one setting away.
# ruleid: SC-DB-001
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "orders",
        "HOST": "db",
    }
}
