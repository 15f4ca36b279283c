import os

# the engine comes from the environment, and psycopg2 is installed: PostgreSQL is possible
# ruleid: SC-DB-002
DATABASES = {
    "default": {
        "ENGINE": os.environ["DB_ENGINE"],
        "NAME": os.environ["DB_NAME"],
    }
}
