import os

# One of two alternatives (different branches of one if), named for the deployment it serves:
# container.py does not replace it.
# ruleid: SC-DB-001
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": os.environ["PGHOST"],
        "NAME": "app",
    }
}
