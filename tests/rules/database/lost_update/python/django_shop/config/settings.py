INSTALLED_APPS = ["shop"]
ROOT_URLCONF = "config.urls"
