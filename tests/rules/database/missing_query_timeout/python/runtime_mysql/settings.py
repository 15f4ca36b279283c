import os

# the engine comes from the environment; the only driver installed is MySQL's
# ok: SC-DB-002
DATABASES = {
    "default": {
        "ENGINE": os.environ["DB_ENGINE"],
        "NAME": os.environ["DB_NAME"],
    }
}
