import os

import dj_database_url

# The documented setup names a database URL and keeps connections for 600 s; the other branch
# is the fallback for a host given piece by piece. One branch runs, so the fallback without
# CONN_MAX_AGE is a deployment's alternative, not a missing setting.
if os.environ.get("BRANCH_DATABASE_URL"):
    # ok: SC-DB-001
    DATABASES = {
        "default": dj_database_url.parse(os.environ["BRANCH_DATABASE_URL"], conn_max_age=600),
    }
else:
    # ruleid: SC-DB-001 low
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": os.environ.get("PGHOST", "localhost"),
            "NAME": os.environ.get("PGDATABASE", "app"),
        },
        # no branch keeps connections for the analytics database
        # ruleid: SC-DB-001
        "analytics": {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": os.environ.get("ANALYTICS_HOST", "localhost"),
            "NAME": "analytics",
        },
    }
