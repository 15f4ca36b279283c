import redis
from django.core.cache import cache

r = redis.Redis.from_url("redis://localhost:6379/0")


def active_sessions(user_id: int) -> int:
    # ruleid: SC-CACHE-004
    return len(r.keys(f"session:{user_id}:*"))


def cached_reports() -> list:
    # ruleid: SC-CACHE-004
    return cache.keys("report:*")


def count_sessions(user_id: int) -> int:
    settings = {"a": 1}
    # ok: SC-CACHE-004
    names = list(settings.keys())
    # ok: SC-CACHE-004
    found = sum(1 for _ in r.scan_iter(match=f"session:{user_id}:*", count=100))
    return found + len(names)
