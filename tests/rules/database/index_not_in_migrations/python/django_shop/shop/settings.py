INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "orders"]
ROOT_URLCONF = "shop.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop"}}
