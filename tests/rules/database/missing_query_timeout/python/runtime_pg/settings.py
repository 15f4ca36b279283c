import os

# the engine comes from the environment, and psycopg2 is installed: PostgreSQL is possible, but
# nothing in the repository says the deployment uses it (no URL value, no database image)
# ruleid: SC-DB-002 low
DATABASES = {
    "default": {
        "ENGINE": os.environ["DB_ENGINE"],
        "NAME": os.environ["DB_NAME"],
    }
}
