import redis
from django.core.cache import cache

r = redis.Redis.from_url("redis://localhost:6379/0")


def top_products():
    # ruleid: SC-CACHE-006
    data = cache.get("top-products")
    if data is None:
        data = list(Product.objects.order_by("-sold")[:20])
        cache.set("top-products", data, 300)
    return data


def top_sellers():
    # ok: SC-CACHE-006
    data = cache.get("top-sellers")
    if data is None:
        with r.lock("top-sellers:lock", timeout=5):
            data = list(Seller.objects.order_by("-sold")[:20])
            cache.set("top-sellers", data, 300)
    return data


def categories():
    # ok: SC-CACHE-006
    return cache.get_or_set("categories", lambda: list(Category.objects.all()), 600)
