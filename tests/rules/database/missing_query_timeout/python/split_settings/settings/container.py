# The other alternative, included last when it runs: nothing replaces it, but nothing shows
# production runs it either (an environment variable picks it; its name is no deployment's).
# ruleid: SC-DB-002 low
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db",
        "NAME": "app",
    }
}
