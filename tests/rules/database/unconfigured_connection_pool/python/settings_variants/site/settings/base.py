# The base every environment's module extends (production.py star-imports it): what runs.
SECRET_KEY = "replace-me"
INSTALLED_APPS = ["django.contrib.auth"]

# ruleid: SC-DB-001
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "db.internal",
        "NAME": "site",
    }
}
