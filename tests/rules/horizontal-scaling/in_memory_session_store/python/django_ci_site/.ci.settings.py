# copied over local_settings.py by the CI workflow before the test run
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    },
}
