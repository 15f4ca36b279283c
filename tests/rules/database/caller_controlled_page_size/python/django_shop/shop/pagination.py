from rest_framework.pagination import PageNumberPagination


class LargeResultsPagination(PageNumberPagination):
    page_size = 100
    # ruleid: SC-DB-012
    page_size_query_param = "page_size"


class BoundedPagination(PageNumberPagination):
    page_size = 20
    # ok: SC-DB-012
    page_size_query_param = "psize"
    max_page_size = 100


class FixedPagination(PageNumberPagination):
    # ok: SC-DB-012
    page_size = 25
