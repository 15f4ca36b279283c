"""Caching facts extracted from Python."""

from __future__ import annotations

from scalescope.model.facts import CacheClient, CachedRoute, CacheOp, InProcessCache
from scalescope.scan.extract.base import extract_file


def _facts(text: str, path: str = "app/x.py") -> list[object]:
    result = extract_file(path, "python", text)
    assert not result.errors
    return result.facts


def _of(facts: list[object], kind: type) -> list:  # type: ignore[type-arg]
    return [f for f in facts if isinstance(f, kind)]


def test_redis_py_client_and_ttl() -> None:
    facts = _facts(
        "import redis\n"
        "r = redis.Redis.from_url(os.environ['REDIS_URL'])\n"
        "def f(k):\n"
        "    r.set(k, 1, ex=60)\n"
        "    r.set(k, 1)\n"
        "    r.setex(k, 60, 1)\n"
        "    r.keys('a*')\n"
        "    {}.keys()\n"
    )
    (client,) = _of(facts, CacheClient)
    assert (client.library, client.url_env) == ("redis-py", "REDIS_URL")
    assert [(o.op, o.command, o.has_ttl, o.loc.line) for o in _of(facts, CacheOp)] == [
        ("set", "set", True, 4),
        ("set", "set", False, 5),
        ("set", "setex", True, 6),
        ("keys", "keys", None, 7),
    ]


def test_django_caches_and_default_timeout() -> None:
    facts = _facts(
        "CACHES = {\n"
        "    'default': {'BACKEND': 'django_redis.cache.RedisCache', 'LOCATION': 'redis://r',\n"
        "                'TIMEOUT': None},\n"
        "    'local': {'BACKEND': 'django.core.cache.backends.locmem.LocMemCache'},\n"
        "}\n",
        path="proj/settings.py",
    )
    (client,) = _of(facts, CacheClient)
    assert client.library == "django" and ("TIMEOUT", "None") in client.options
    (local,) = _of(facts, InProcessCache)
    assert (local.kind, local.bounded, local.has_ttl, local.loc.line) == ("django-locmem", True, True, 4)
    facts = _facts(
        "from django.core.cache import cache\n"
        "def f():\n"
        "    cache.set('a', 1)\n"
        "    cache.set('b', 1, None)\n"
        "    cache.set('c', 1, timeout=30)\n"
        "    cache.delete_pattern('x:*')\n"
    )
    ops = [(o.op, o.has_ttl, o.uses_default_ttl, o.library) for o in _of(facts, CacheOp)]
    assert ops == [
        ("set", False, True, "django"),
        ("set", False, False, "django"),
        ("set", True, False, "django"),
        ("del-pattern", None, False, "django"),
    ]


def test_lru_cache_and_dict_cache() -> None:
    facts = _facts(
        "from functools import lru_cache\n"
        "import requests\n"
        "_cache = {}\n"
        "@lru_cache(maxsize=None)\n"
        "def rate(c):\n"
        "    return requests.get(c).json()\n"
        "@lru_cache\n"
        "def pat():\n"
        "    return 1\n"
        "def get(k):\n"
        "    if k in _cache:\n"
        "        return _cache[k]\n"
        "    _cache[k] = User.objects.get(pk=k)\n"
        "    return _cache[k]\n"
    )
    caches = {c.name: c for c in _of(facts, InProcessCache)}
    assert set(caches) == {"rate", "pat", "_cache"}
    assert (caches["rate"].bounded, caches["rate"].evidence) == (False, "calls requests.get")
    assert caches["rate"].loc.line == 4 and caches["rate"].used_in == ("app/x.py::rate@5",)
    assert caches["pat"].bounded and caches["pat"].evidence == ""
    assert caches["_cache"].kind == "dict" and caches["_cache"].evidence.startswith("written after")


def test_cached_views() -> None:
    facts = _facts(
        "from django.views.decorators.cache import cache_page\n"
        "from django.views.decorators.vary import vary_on_cookie\n"
        "@cache_page(60)\n"
        "def a(request):\n"
        "    return 1\n"
        "@cache_page(60)\n"
        "@vary_on_cookie\n"
        "def b(request):\n"
        "    return 1\n"
    )
    routes = _of(facts, CachedRoute)
    assert [(r.loc.line, r.varies_on_user, r.function_id) for r in routes] == [
        (3, False, "app/x.py::a@4"),
        (6, True, "app/x.py::b@8"),
    ]
