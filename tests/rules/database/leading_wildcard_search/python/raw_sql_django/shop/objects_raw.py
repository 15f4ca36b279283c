from django.db import connection
from django.http import JsonResponse

from shop.models import Order, User


def view_0(request):
    # ruleid: SC-DB-014
    return JsonResponse(list(Order.objects.raw("SELECT id FROM orders WHERE note ILIKE '%' || %s || '%' LIMIT 20", [request.GET["q"]])), safe=False)


def view_1(request):
    # ruleid: SC-DB-014
    return JsonResponse(list(Order.objects.raw("SELECT id FROM orders WHERE note ILIKE %s LIMIT 20", [f"%{request.GET['q']}%"])), safe=False)


def view_2(request):
    # ok: SC-DB-014
    return JsonResponse(list(Order.objects.raw("SELECT id FROM orders WHERE title ILIKE '%' || %s || '%' LIMIT 20", [request.GET["q"]])), safe=False)


def view_3(request):
    # ok: SC-DB-014
    return JsonResponse(list(Order.objects.raw("SELECT id FROM orders WHERE note ILIKE %s LIMIT 20", [f"{request.GET['q']}%"])), safe=False)
