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
