from django.db import connection
from django.http import JsonResponse

from shop.models import Order, User


def view_0(request):
    orders = connection.cursor().execute("SELECT id, user_id FROM orders ORDER BY id DESC LIMIT 50", []).fetchall()
    out = []
    for order in orders:
        # ruleid: SC-DB-003
        out.append(connection.cursor().execute("SELECT id, email FROM users WHERE id = %s", [order[1]]).fetchall())
    return JsonResponse(out, safe=False)


def view_1(request):
    # ok: SC-DB-003
    return JsonResponse(connection.cursor().execute("SELECT id, email FROM users WHERE id = ANY(%s)", [request.GET.getlist("ids")]).fetchall(), safe=False)
