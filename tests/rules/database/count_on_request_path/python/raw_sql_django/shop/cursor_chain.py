from django.db import connection
from django.http import JsonResponse

from shop.models import Order, User


def view_0(request):
    # ruleid: SC-DB-017
    total = connection.cursor().execute("SELECT COUNT(*) AS n FROM orders WHERE status = %s", [request.GET["status"]]).fetchall()
    return JsonResponse({"total": total})


def view_1(request):
    rows = connection.cursor().execute("SELECT id, status FROM orders WHERE status = %s ORDER BY id LIMIT 20 OFFSET %s", [request.GET["status"], int(request.GET.get("offset", 0))]).fetchall()
    # ok: SC-DB-017
    total = connection.cursor().execute("SELECT COUNT(*) AS n FROM orders WHERE status = %s", [request.GET["status"]]).fetchall()
    return JsonResponse({"rows": rows, "total": total})
