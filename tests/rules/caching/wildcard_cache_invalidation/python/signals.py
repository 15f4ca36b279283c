import redis
from django.core.cache import cache

r = redis.Redis.from_url("redis://localhost:6379/0")


def on_product_saved(sender, instance, **kwargs):
    # ruleid: SC-CACHE-003
    cache.delete_pattern("products:*")
    # ok: SC-CACHE-003
    cache.delete(f"product:{instance.pk}")


def on_user_saved(user_id: int) -> None:
    # ruleid: SC-CACHE-003
    for key in r.scan_iter(match=f"user:{user_id}:*"):
        r.delete(key)


def on_category_saved(category_id: int) -> None:
    # ruleid: SC-CACHE-003
    keys = r.keys(f"category:{category_id}:*")
    if keys:
        r.delete(*keys)
    # ok: SC-CACHE-003
    r.delete(f"category:{category_id}")
