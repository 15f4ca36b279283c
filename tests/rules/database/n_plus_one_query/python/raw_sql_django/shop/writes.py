from django.http import JsonResponse

from shop.models import Order


def create_order(request):
    order = Order.objects.create(user_id=request.POST["user"], status="open", note=request.POST["note"])
    return JsonResponse({"id": order.id})
