import time

import requests
from django.core.mail import send_mail
from django.db import transaction
from django.http import JsonResponse

from .models import Order
from .tasks import send_receipt


@transaction.atomic
def checkout(request):
    order = Order.objects.create(email=request.POST["email"], total=request.POST["total"])
    # ruleid: SC-DB-008
    charge = requests.post("https://api.payments.example/charges", json={"amount": str(order.total)}, timeout=10)
    order.status = "paid" if charge.ok else "failed"
    order.save()
    return JsonResponse({"id": order.id})


def refund(request, pk):
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=pk)
        order.status = "refunded"
        order.save()
        # ruleid: SC-DB-008
        send_mail("Refund issued", f"Order {order.id} refunded", "shop@example.com", [order.email])
        # ruleid: SC-DB-008
        time.sleep(2)
    return JsonResponse({"ok": True})


def place_order(request):
    with transaction.atomic():
        order = Order.objects.create(email=request.POST["email"], total=request.POST["total"])
        # runs after COMMIT, outside the transaction
        # ok: SC-DB-008
        transaction.on_commit(lambda: send_mail("Thanks", "Order received", "shop@example.com", [order.email]))
        transaction.on_commit(lambda: send_receipt.delay(order.id))
    # after the block: the transaction is committed
    # ok: SC-DB-008
    requests.post("https://hooks.example/orders", json={"id": order.id}, timeout=5)
    return JsonResponse({"id": order.id})


@transaction.atomic
def link_partner(request):
    # the call runs before the block's first statement: no row lock is held yet, and Django keeps
    # one connection per worker thread
    # ruleid: SC-DB-008 low
    reply = requests.post("https://partner.example/links", json={"shop": request.POST["shop"]}, timeout=10)
    Order.objects.filter(email=request.POST["email"]).update(partner=reply.json()["id"])
    return JsonResponse({"ok": True})
