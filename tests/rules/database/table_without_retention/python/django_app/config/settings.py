INSTALLED_APPS = ["tracker"]
ROOT_URLCONF = "config.urls"
MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",
    "tracker.middleware.RequestAuditMiddleware",
]
