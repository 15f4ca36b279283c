from django.db import connection
from django.http import JsonResponse

from shop.models import Order, User


def view_0(request):
    # ruleid: SC-DB-012
    return JsonResponse(connection.cursor().execute("SELECT id, status FROM orders ORDER BY id LIMIT %s", [int(request.GET.get("top_n", 20))]).fetchall(), safe=False)


def view_1(request):
    # ok: SC-DB-012
    return JsonResponse(connection.cursor().execute("SELECT id, status FROM orders ORDER BY id LIMIT %s", [min(int(request.GET.get("top_n", 20)), 100)]).fetchall(), safe=False)
