# A variant nothing selects (no DJANGO_SETTINGS_MODULE names it, no image copies it, nothing
# imports it): one of several settings modules, maybe a developer's, so in doubt.
SECRET_KEY = "docker"
ALLOWED_HOSTS = ["*"]

# ruleid: SC-DB-001 low
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "postgres",
        "NAME": "site",
    }
}
