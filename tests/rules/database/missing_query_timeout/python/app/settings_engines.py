import os

# SQLite for local runs: no server-side statement timeout to set
# ok: SC-DB-002
DATABASES: dict[str, dict[str, object]] = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "local.sqlite3",
        "OPTIONS": {"init_command": "PRAGMA busy_timeout = 5000;"},
    }
}

if os.getenv("DB") == "postgres":
    # ruleid: SC-DB-002 low
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.getenv("DB_NAME", "app"),
            "CONN_MAX_AGE": 60,
        }
    }

if os.getenv("DB") == "mysql":
    # ok: SC-DB-002
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": os.getenv("DB_NAME", "app"),
        }
    }
