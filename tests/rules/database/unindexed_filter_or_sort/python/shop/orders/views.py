from django.http import JsonResponse
from django.urls import path

from django.db.models import Q

from .models import Order, OrderState


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


def big_orders(request):
    # an index on total is added by a migration (AddIndex)
    # ok: SC-DB-006
    orders = Order.objects.filter(total__gte=request.GET["min"])[:50]
    return JsonResponse({"orders": [o.number for o in orders]})


def new_orders(request):
    # state has three declared choices: an index alone barely narrows it
    # ruleid: SC-DB-006 low
    orders = Order.objects.filter(state=OrderState.NEW)[:50]
    return JsonResponse({"orders": [o.number for o in orders]})


def not_pending(request):
    # a negated Q: no b-tree index narrows it
    # ruleid: SC-DB-006 low
    orders = Order.objects.filter(~Q(status="pending"))[:50]
    return JsonResponse({"orders": [o.number for o in orders]})


def cancelled(request):
    # IS NOT NULL
    # ruleid: SC-DB-006 low
    return JsonResponse({"n": Order.objects.filter(cancelled_at__isnull=False).count()})


def pending_or_big(request):
    # an OR whose status branch has no index
    # ruleid: SC-DB-006 low
    orders = Order.objects.filter(Q(status="pending") | Q(total__gte=1000))[:50]
    return JsonResponse({"orders": [o.number for o in orders]})


urlpatterns = [
    path("orders/open", open_orders),
    path("orders/status", orders_by_status),
    path("customers/<int:customer_id>/orders", orders_of_customer),
    path("orders/recent", recent_orders),
    path("orders/channel", orders_by_channel),
    path("orders/by-email", orders_by_customer_email),
    path("orders/big", big_orders),
    path("orders/new", new_orders),
    path("orders/not-pending", not_pending),
    path("orders/cancelled", cancelled),
    path("orders/pending-or-big", pending_or_big),
]
