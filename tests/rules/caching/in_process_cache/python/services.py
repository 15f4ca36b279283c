import functools
import re
from functools import lru_cache

import httpx
from cachetools import TTLCache, cached

# ruleid: SC-CACHE-002
_accounts = {}
# ok: SC-CACHE-002
_PATTERNS = {}


def account(account_id: int):
    if account_id in _accounts:
        return _accounts[account_id]
    row = Account.objects.get(pk=account_id)
    _accounts[account_id] = row
    return row


def pattern(name: str):
    if name not in _PATTERNS:
        _PATTERNS[name] = re.compile(name)
    return _PATTERNS[name]


# ruleid: SC-CACHE-002
@lru_cache(maxsize=256)
def exchange_rate(code: str) -> float:
    return httpx.get(f"https://fx.example.com/{code}", timeout=5).json()["rate"]


# ruleid: SC-CACHE-002 low
@cached(cache=TTLCache(maxsize=100, ttl=30))
def plan_limits(plan_id: int):
    return Plan.objects.filter(pk=plan_id).values("limits").first()


# ok: SC-CACHE-002
@functools.lru_cache
def settings_pattern() -> re.Pattern[str]:
    return re.compile(r"^[A-Z_]+$")
