import os

# SQLite by default; the deployment picks PostgreSQL or MySQL through DB.
# ok: SC-DB-001
DATABASES: dict[str, dict[str, object]] = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "local.sqlite3",
    }
}

if os.getenv("DB") == "postgres":
    # persistent connections, tunable from the environment
    # ok: SC-DB-001
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.getenv("DB_NAME", "app"),
            "CONN_MAX_AGE": int(os.getenv("DB_CONN_MAX_AGE", "0")),
        }
    }

if os.getenv("DB") == "mysql":
    # ruleid: SC-DB-001 low
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": os.getenv("DB_NAME", "app"),
        }
    }
