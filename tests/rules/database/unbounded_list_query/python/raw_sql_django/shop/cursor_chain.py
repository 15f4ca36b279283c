from django.db import connection
from django.http import JsonResponse

from shop.models import Order, User


def view_0(request):
    # ruleid: SC-DB-004
    return JsonResponse(connection.cursor().execute("SELECT id, status FROM orders", []).fetchall(), safe=False)


def view_1(request):
    # ok: SC-DB-004
    return JsonResponse(connection.cursor().execute("SELECT id, status FROM orders ORDER BY id LIMIT 50", []).fetchall(), safe=False)
