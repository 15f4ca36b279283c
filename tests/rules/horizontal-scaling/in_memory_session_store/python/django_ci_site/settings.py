import os

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]

# sessions in the database, read through the cache the operator configures in local_settings
# ok: SC-SCALE-001 (only the CI settings, copied in by the CI job, give it a process-local cache)
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

CACHES = {}

try:
    with open(os.path.join(os.path.dirname(__file__), "local_settings.py")) as f:
        exec(f.read(), globals())
except IOError:
    pass
