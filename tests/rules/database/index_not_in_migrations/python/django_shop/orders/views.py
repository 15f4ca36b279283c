from django.http import JsonResponse

from orders.models import Order


def orders_by_status(request):
    rows = Order.objects.filter(status=request.GET.get("status", "open")).values("id", "reference")[:50]
    return JsonResponse({"orders": list(rows)})
