INSTALLED_APPS = ["rest_framework", "shop"]
ROOT_URLCONF = "config.urls"

REST_FRAMEWORK = {
    # ruleid: SC-DB-012
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
