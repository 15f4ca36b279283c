from django.http import JsonResponse

from store.models import Product


def old_product_list(request):
    # ok: SC-DB-004
    return JsonResponse({"names": list(Product.objects.values_list("name", flat=True))})
