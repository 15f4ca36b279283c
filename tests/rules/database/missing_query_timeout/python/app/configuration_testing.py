# loaded by the test runner only (CI database)
# ok: SC-DB-002
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "app_ci",
        "USER": "postgres",
    }
}
