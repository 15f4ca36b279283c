from django.core.paginator import Paginator
from django.shortcuts import render

from .models import Order


def order_list(request):
    orders = Order.objects.filter(status="open").order_by("-id")
    # Paginator runs COUNT(*) for num_pages on every page
    # ruleid: SC-DB-005
    page = Paginator(orders, 25).get_page(request.GET.get("page"))
    return render(request, "orders.html", {"page": page})


def latest_orders(request):
    # ok: SC-DB-005
    orders = Order.objects.order_by("-id")[:25]
    return render(request, "orders.html", {"orders": orders})
