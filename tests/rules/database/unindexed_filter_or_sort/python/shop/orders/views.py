from django.http import JsonResponse
from django.urls import path

from .models import Order


def orders_by_status(request):
    # ruleid: SC-DB-006
    orders = Order.objects.filter(status=request.GET["status"])[:50]
    return JsonResponse({"orders": [o.number for o in orders]})


def orders_of_customer(request, customer_id):
    # Django indexes foreign keys
    # ok: SC-DB-006
    orders = Order.objects.filter(customer_id=customer_id, status="paid")[:50]
    return JsonResponse({"orders": [o.number for o in orders]})


def recent_orders(request):
    # ok: SC-DB-006
    orders = Order.objects.filter(placed_at__gte=request.GET["since"])[:50]
    return JsonResponse({"orders": [o.number for o in orders]})


def orders_by_channel(request):
    # ok: SC-DB-006
    orders = Order.objects.filter(channel=request.GET["channel"]).order_by("-placed_at")[:50]
    return JsonResponse({"orders": [o.number for o in orders]})


def orders_by_customer_email(request):
    # a lookup through the customer relation: the join uses Customer's unique email
    # ok: SC-DB-006
    orders = Order.objects.filter(customer__email=request.GET["email"])[:50]
    return JsonResponse({"orders": [o.number for o in orders]})


def open_orders(request):
    # a negative predicate: no B-tree index serves it
    # ok: SC-DB-006
    orders = Order.objects.exclude(status="cancelled").order_by("-id")[:50]
    return JsonResponse({"orders": [o.number for o in orders]})


urlpatterns = [
    path("orders/open", open_orders),
    path("orders/status", orders_by_status),
    path("customers/<int:customer_id>/orders", orders_of_customer),
    path("orders/recent", recent_orders),
    path("orders/channel", orders_by_channel),
    path("orders/by-email", orders_by_customer_email),
]
