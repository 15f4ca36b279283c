from django.db import connection
from django.http import JsonResponse


def audit_rows(request):
    wanted = int(request.GET.get("audit_rows", 50))
    with connection.cursor() as cursor:
        # ruleid: SC-DB-012
        cursor.execute("SELECT id, action FROM shop_audit ORDER BY id DESC LIMIT %s", [wanted])
        rows = cursor.fetchall()
    return JsonResponse({"rows": rows})


def recent_audit_rows(request):
    wanted = min(int(request.GET.get("recent_rows", 50)), 200)
    with connection.cursor() as cursor:
        # ok: SC-DB-012
        cursor.execute("SELECT id, action FROM shop_audit ORDER BY id DESC LIMIT %(n)s", {"n": wanted})
        rows = cursor.fetchall()
    return JsonResponse({"rows": rows})
