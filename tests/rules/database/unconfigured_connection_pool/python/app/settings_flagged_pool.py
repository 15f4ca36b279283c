import os

POOL_ENABLED = os.environ.get("DB_POOL_ENABLED", "false") == "true"

# ok: SC-DB-001
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DBNAME", "crm"),
        # a pool refuses persistent connections: kept at 0 on purpose
        "CONN_MAX_AGE": 0,
    }
}

if POOL_ENABLED:
    DATABASES["default"]["OPTIONS"] = {
        "pool": {"min_size": 2, "max_size": 10},
    }
