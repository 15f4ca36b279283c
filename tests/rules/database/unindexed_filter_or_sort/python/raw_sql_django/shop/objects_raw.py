from django.db import connection
from django.http import JsonResponse

from shop.models import Order, User


def view_0(request):
    # ruleid: SC-DB-006
    return JsonResponse(list(Order.objects.raw("SELECT id, status FROM orders WHERE status = %s ORDER BY id LIMIT 20", [request.GET["status"]])), safe=False)


def view_1(request):
    # ok: SC-DB-006
    return JsonResponse(list(Order.objects.raw("SELECT id, status FROM orders WHERE user_id = %s ORDER BY id LIMIT 20", [request.user.id])), safe=False)
