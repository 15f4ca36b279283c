from django.db import models
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Item, Order


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
