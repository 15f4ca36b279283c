# The other alternative, included last when it runs: nothing replaces it.
# ruleid: SC-DB-001
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "NAME": "app",
    }
}
