import functools
import re
from functools import lru_cache

import redis
import requests
from cachetools import TTLCache, cached
from django.core.cache import cache

r = redis.Redis.from_url("redis://localhost:6379/0")
# ok: SC-CACHE-005
_quotes = TTLCache(maxsize=512, ttl=60)
# ruleid: SC-CACHE-005
_customers = {}


def store(key: str, payload: bytes) -> None:
    # ruleid: SC-CACHE-005
    r.set(f"rates:{key}", payload)
    # ok: SC-CACHE-005
    r.set(f"rates:{key}:v2", payload, ex=300)
    # ok: SC-CACHE-005
    r.setex(f"rates:{key}:v3", 300, payload)
    # ruleid: SC-CACHE-005
    cache.set(f"rates:{key}:forever", payload, None)
    # ok: SC-CACHE-005
    cache.set(f"rates:{key}:default", payload)
    # ok: SC-CACHE-005
    cache.set(f"rates:{key}:minute", payload, timeout=60)


def customer(customer_id: int):
    if customer_id in _customers:
        return _customers[customer_id]
    row = Customer.objects.get(pk=customer_id)
    _customers[customer_id] = row
    return row


def quote(symbol: str):
    if symbol not in _quotes:
        _quotes[symbol] = requests.get(f"https://quotes.example.com/{symbol}", timeout=5).json()
    return _quotes[symbol]


# ruleid: SC-CACHE-005
@lru_cache(maxsize=None)
def exchange_rate(code: str) -> float:
    return requests.get(f"https://fx.example.com/{code}", timeout=5).json()["rate"]


# ok: SC-CACHE-005
@functools.lru_cache(maxsize=None)
def slug_pattern() -> re.Pattern[str]:
    return re.compile(r"^[a-z0-9-]+$")


# a store built once and handed to the decorator by name: its TTL and size are the decorator's
_prices = TTLCache(maxsize=1000, ttl=60)
_forever = {}


# ok: SC-CACHE-005
@cached(_prices)
def price(sku: str) -> float:
    return requests.get(f"https://prices.example.com/{sku}", timeout=5).json()["price"]


# ruleid: SC-CACHE-005
@cached(cache=_forever)
def tax_rate(region: str) -> float:
    return requests.get(f"https://tax.example.com/{region}", timeout=5).json()["rate"]
