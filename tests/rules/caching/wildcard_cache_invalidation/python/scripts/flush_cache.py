import redis

r = redis.Redis.from_url("redis://localhost:6379/0")


def main() -> None:
    # ok: SC-CACHE-003
    r.flushdb()
