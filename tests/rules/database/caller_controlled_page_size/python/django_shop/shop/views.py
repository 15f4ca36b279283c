from django.core.paginator import Paginator
from django.http import JsonResponse
from rest_framework import viewsets

from .models import Order, Product
from .pagination import BoundedPagination, FixedPagination, LargeResultsPagination


def product_list(request):
    n = int(request.GET.get("n", 20))
    # ruleid: SC-DB-012
    names = list(Product.objects.order_by("-created").values_list("name", flat=True)[:n])
    return JsonResponse({"names": names})


def product_page(request):
    size = min(int(request.GET.get("size", 20)), 100)
    # ok: SC-DB-012
    names = list(Product.objects.order_by("-created").values_list("name", flat=True)[:size])
    return JsonResponse({"names": names})


def product_catalog(request):
    # ruleid: SC-DB-012
    pages = Paginator(Product.objects.order_by("id"), request.GET.get("rows", 25))
    page = pages.get_page(request.GET.get("page"))
    return JsonResponse({"names": [p.name for p in page]})


class OrderViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Order.objects.order_by("id")
    pagination_class = LargeResultsPagination


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Product.objects.order_by("id")
    pagination_class = BoundedPagination


class ArchiveViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Product.objects.order_by("created")
    pagination_class = FixedPagination
