# Every command that serves this project runs `manage.py runserver` (the Celery worker serves no
# request): Django's development server opens a thread per request and a persistent connection
# belongs to its thread, so CONN_MAX_AGE would change nothing there. Reported at low confidence,
# saying the development server serves it.
# ruleid: SC-DB-001 low
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "tickets",
        "HOST": "db",
    }
}
