INSTALLED_APPS = ["django.contrib.postgres", "rest_framework", "store"]
ROOT_URLCONF = "config.urls"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "store",
    }
}
