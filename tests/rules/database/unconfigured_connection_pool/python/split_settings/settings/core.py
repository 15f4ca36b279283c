# The base every environment's file replaces: split-settings includes heroku.py or container.py
# after it, and both assign DATABASES, so this entry is a default, not what production runs.
SECRET_KEY = "replace-me"
INSTALLED_APPS = ["django.contrib.auth"]

# ruleid: SC-DB-001 low
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "app",
    }
}
