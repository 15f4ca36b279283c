from django.http import JsonResponse

from .models import Product


def product_list(request):
    # ruleid: SC-DB-004
    return JsonResponse({"names": list(Product.objects.values_list("name", flat=True))})
