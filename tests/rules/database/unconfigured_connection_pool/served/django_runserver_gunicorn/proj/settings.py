# The compose file runs the development server, but the Dockerfile serves the project with
# gunicorn: production opens a connection per request, and CONN_MAX_AGE is the fix.
# ruleid: SC-DB-001
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "tickets",
        "HOST": "db",
    }
}
