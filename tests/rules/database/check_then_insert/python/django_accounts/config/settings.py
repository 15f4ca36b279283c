INSTALLED_APPS = ["accounts"]
ROOT_URLCONF = "config.urls"
