# entries built from a shared dict spread into them: its ENGINE and options are the entry's
SQLITE_OPTIONS = {"ENGINE": "django.db.backends.sqlite3", "OPTIONS": {"timeout": 10}}
POSTGRES_OPTIONS = {"ENGINE": "django.db.backends.postgresql", "HOST": "db", "CONN_MAX_AGE": 60}
POSTGRES_BARE = {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}

# ok: SC-DB-001
DATABASES = {
    "default": {"NAME": "data/index.sqlite3", **SQLITE_OPTIONS},
    # ok: SC-DB-001
    "reports": {"NAME": "reports", **POSTGRES_OPTIONS},
    # ruleid: SC-DB-001 low
    "audit": {"NAME": "audit", **POSTGRES_BARE},
}
