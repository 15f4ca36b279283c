"""A Redis cache, used only when REDIS_URL is set: the example also runs with no other service."""

import os

REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    import redis

    redis_client = redis.Redis.from_url(REDIS_URL)
else:
    redis_client = None
