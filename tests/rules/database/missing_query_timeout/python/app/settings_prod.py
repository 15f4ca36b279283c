# ok: SC-DB-002
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "CONN_MAX_AGE": 60,
        "OPTIONS": {"options": "-c statement_timeout=5000"},
    }
}
