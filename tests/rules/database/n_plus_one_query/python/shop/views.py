from django.http import JsonResponse
from django.shortcuts import render

from .models import Customer, Order


def customer_orders(request):
    customers = Customer.objects.order_by("name")[:50]
    rows = []
    for customer in customers:
        # ruleid: SC-DB-003 low
        rows.append((customer.name, list(customer.orders.all())))
    return render(request, "customers.html", {"rows": rows})


def order_totals(request):
    ids = request.GET.getlist("id")
    # ruleid: SC-DB-003 low
    totals = {pk: Order.objects.get(pk=pk).total for pk in ids}
    return JsonResponse(totals)


def customer_orders_prefetched(request):
    # ok: SC-DB-003
    customers = Customer.objects.prefetch_related("orders").order_by("name")[:50]
    rows = []
    for customer in customers:
        # served from the prefetch cache: no query per customer
        # ok: SC-DB-003
        rows.append((customer.name, list(customer.orders.all())))
    return render(request, "customers.html", {"rows": rows})


def orders_with_customer(request):
    # ok: SC-DB-003
    orders = Order.objects.select_related("customer").filter(status="open")[:100]
    return JsonResponse({"orders": [(o.id, o.customer.name) for o in orders]})


def status_counts(request):
    out = {}
    for status in ["open", "paid", "shipped"]:
        # ok: SC-DB-003
        out[status] = Order.objects.filter(status=status).count()
    return JsonResponse(out)


def export_orders(request):
    ids = [int(i) for i in request.GET.getlist("id")]
    chunks = [ids[i : i + 500] for i in range(0, len(ids), 500)]
    rows = []
    for chunk in chunks:
        # ok: SC-DB-003 (one IN query per chunk of 500 keys)
        rows.extend(Order.objects.filter(id__in=chunk).values("id", "total"))
    return JsonResponse({"rows": rows})


def reorder(request):
    orders = Order.objects.filter(customer_id=request.GET["customer"])
    moved = []
    for pk in request.GET.getlist("id"):
        # ruleid: SC-DB-003 low
        moved.append(orders.get(pk=pk))
    return JsonResponse({"n": len(moved)})
