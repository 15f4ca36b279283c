from django.db import connection
from django.http import JsonResponse

from shop.models import Order, User


def view_0(request):
    orders = list(Order.objects.raw("SELECT id, user_id FROM orders ORDER BY id DESC LIMIT 50", []))
    out = []
    for order in orders:
        # ruleid: SC-DB-003
        out.append(list(User.objects.raw("SELECT id, email FROM users WHERE id = %s", [order.user_id])))
    return JsonResponse(out, safe=False)


def view_1(request):
    # ok: SC-DB-003
    return JsonResponse(list(User.objects.raw("SELECT id, email FROM users WHERE id = ANY(%s)", [request.GET.getlist("ids")])), safe=False)
