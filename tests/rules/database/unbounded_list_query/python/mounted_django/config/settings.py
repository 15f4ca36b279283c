INSTALLED_APPS = ["store", "legacy"]
ROOT_URLCONF = "config.urls"
