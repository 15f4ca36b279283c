import time

import requests


class SimpleTTLCache:
    """A hand-written cache around a dict."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._data = {}

    def get(self, key):
        hit = self._data.get(key)
        if hit is None or hit[1] < time.monotonic():
            return None
        return hit[0]

    def set(self, key, value):
        self._data[key] = (value, time.monotonic() + self.ttl)


# ruleid: SC-CACHE-002
rates = SimpleTTLCache(ttl=300)
# ok: SC-CACHE-002
slugs = SimpleTTLCache(ttl=300)


def rate_for(currency):
    hit = rates.get(currency)
    if hit is not None:
        return hit
    value = requests.get(f"https://rates.example.com/{currency}", timeout=5).json()
    rates.set(currency, value)
    return value


def slug(title):
    hit = slugs.get(title)
    if hit is None:
        hit = title.lower().replace(" ", "-")
        slugs.set(title, hit)
    return hit
