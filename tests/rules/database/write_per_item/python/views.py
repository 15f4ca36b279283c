from django.db import models
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Item, Order, Shipment


@api_view(["POST"])
def import_items(request):
    for row in request.data["items"]:
        # ruleid: SC-DB-009 (low)
        Item.objects.create(name=row["name"], sku=row["sku"])
    return Response(status=201)


@api_view(["POST"])
def close_orders(request):
    # ruleid: SC-DB-009 (low)
    [Order.objects.filter(id=oid).update(status="closed") for oid in request.data["ids"]]
    return Response(status=204)


@api_view(["POST"])
def import_items_bulk(request):
    # ok: SC-DB-009
    Item.objects.bulk_create([Item(name=r["name"]) for r in request.data["items"]], batch_size=500)
    # ok: SC-DB-009
    Order.objects.filter(id__in=request.data["ids"]).update(status="closed")
    return Response(status=201)


def reset_flags():
    for flag in ("beta", "dark"):
        # ok: SC-DB-009
        Item.objects.filter(flag=flag).delete()


@api_view(["POST"])
def reassign_carrier(request, order_id):
    # the shipments of one order: that order's fan-out, a handful
    shipments = Shipment.objects.filter(order_id=order_id)
    for shipment in shipments:
        # ruleid: SC-DB-009 (low: the shipments of one order)
        Shipment.objects.filter(pk=shipment.pk).update(carrier=request.data["carrier"])
    return Response(status=204)


def mark_delivered():
    # every undelivered shipment of every order: grows with the table
    pending = Shipment.objects.filter(delivered=False)
    for shipment in pending:
        # ruleid: SC-DB-009 (high: undelivered shipments of every order)
        Shipment.objects.filter(pk=shipment.pk).update(delivered=True)
