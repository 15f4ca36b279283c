from django.db import connection
from django.http import JsonResponse

from shop.models import Order, User


def view_0(request):
    rows = connection.cursor().execute("SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET %s", [int(request.GET.get("offset", 0))]).fetchall()
    # ruleid: SC-DB-005
    total = connection.cursor().execute("SELECT COUNT(*) AS n FROM orders", []).fetchall()
    return JsonResponse({"rows": rows, "total": total})


def view_1(request):
    rows = connection.cursor().execute("SELECT id, status FROM orders ORDER BY id LIMIT 20 OFFSET %s", [int(request.GET.get("offset", 0))]).fetchall()
    # ok: SC-DB-005
    users = connection.cursor().execute("SELECT COUNT(*) AS n FROM users", []).fetchall()
    return JsonResponse({"rows": rows, "users": users})
