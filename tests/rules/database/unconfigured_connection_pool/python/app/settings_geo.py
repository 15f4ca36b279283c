# GeoDjango's SpatiaLite backend is SQLite: a file, no server connections to keep
DATABASES = {
    # ok: SC-DB-001
    "default": {
        "ENGINE": "django.contrib.gis.db.backends.spatialite",
        "NAME": "db.sqlite3",
    },
}
