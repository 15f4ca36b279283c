from django.core.cache import cache
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render

from .models import Customer, Order


def order_list(request):
    # ruleid: SC-DB-004
    orders = Order.objects.filter(status="open").order_by("-id")
    return render(request, "orders.html", {"orders": orders})


def customer_names(request):
    # ruleid: SC-DB-004
    return JsonResponse({"names": list(Customer.objects.values_list("name", flat=True))})


def recent_orders(request):
    # ok: SC-DB-004
    orders = Order.objects.filter(status="open").order_by("-id")[:20]
    return render(request, "orders.html", {"orders": orders})


def open_count(request):
    # ok: SC-DB-004
    return JsonResponse({"open": Order.objects.filter(status="open").count()})


def order_detail(request, pk):
    # ok: SC-DB-004
    order = Order.objects.select_related("customer").get(pk=pk)
    config = {"currency": "EUR"}
    # ok: SC-DB-004
    currency = config.get("currency")
    return JsonResponse({"id": order.id, "currency": currency})


def orders_by_status(request):
    # one row per status
    # ok: SC-DB-004
    return JsonResponse({"rows": list(Order.objects.values("status").annotate(n=Count("id")))})


def top_customer_orders(request):
    top = Customer.objects.order_by("-spent").values_list("id", flat=True)[:10]
    # the IN list holds ten ids
    # ok: SC-DB-004
    return JsonResponse({"orders": list(Order.objects.filter(customer_id__in=top))})


def vip_orders(request):
    vips = Customer.objects.filter(vip=True).values_list("id", flat=True)
    # ruleid: SC-DB-004 low
    return JsonResponse({"orders": list(Order.objects.filter(customer_id__in=vips))})


def cached_statuses(request):
    # runs on a cache miss only
    # ok: SC-DB-004
    rows = cache.get_or_set("statuses", lambda: list(Order.objects.all()), 300)
    return JsonResponse({"rows": rows})


def page_plus_one(request):
    size = min(int(request.GET.get("size", 20)), 100)
    # ok: SC-DB-004
    rows = list(Order.objects.order_by("-id")[: size + 1])
    return JsonResponse({"rows": rows[:size], "more": len(rows) > size})
