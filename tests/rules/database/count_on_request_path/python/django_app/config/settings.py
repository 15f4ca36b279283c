INSTALLED_APPS = ["desk"]
ROOT_URLCONF = "config.urls"
