import os

# a MySQL connection is a server thread: a connect per request is a handshake, not a process
# ruleid: SC-DB-001 low
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.mysql",
        "NAME": os.environ.get("DB_NAME", "inventory"),
    }
}
