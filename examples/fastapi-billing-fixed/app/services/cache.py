import json
import time
from collections.abc import Callable
from typing import Any

import redis

from app.config import settings

client = redis.Redis.from_url(settings.redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)


def cached(key: str, ttl_seconds: int, load: Callable[[], Any]) -> Any:
    """Read-through cache shared by all workers; one caller recomputes a missing key."""
    hit = client.get(key)
    if hit is not None:
        return json.loads(hit)
    if not client.set(f"lock:{key}", "1", nx=True, px=5000):
        time.sleep(0.05)
        retry = client.get(key)
        if retry is not None:
            return json.loads(retry)
    value = load()
    client.set(key, json.dumps(value), ex=ttl_seconds)
    client.delete(f"lock:{key}")
    return value
