"""Redis server settings: ``redis.conf`` files and ``redis-server --maxmemory ...`` arguments.

The caching rules read :class:`RedisConfig` to tell whether a Redis the project runs has a
memory bound and an eviction policy.
"""

from __future__ import annotations

import re
import shlex

from scalescope.model.facts import RedisConfig
from scalescope.scan.extract.base import FileContext, extractor

REDIS_IMAGE = re.compile(
    r"(?:^|[/:])(?:redis|valkey|keydb|redis-stack(?:-server)?)(?:[:@/]|$)|bitnami/redis", re.IGNORECASE
)
_CONF_LINE = re.compile(r"^\s*(maxmemory|maxmemory-policy)\s+(\S+)", re.IGNORECASE | re.MULTILINE)


def is_redis_image(image: str) -> bool:
    """True for redis/valkey/keydb images (``redis:7``, ``bitnami/redis``, ``valkey/valkey``)."""
    base = image.strip().strip("'\"").lower()
    if not base:
        return False
    name = base.split("@", 1)[0]
    repo = name.rsplit(":", 1)[0] if ":" in name.rsplit("/", 1)[-1] else name
    last = repo.rsplit("/", 1)[-1]
    return last in {"redis", "valkey", "keydb", "redis-stack", "redis-stack-server", "redis-server"} or (
        "redis" in last and not any(x in last for x in ("commander", "insight", "exporter", "ui", "admin"))
    )


def redis_args(command: str) -> tuple[str | None, str | None]:
    """``(maxmemory, policy)`` from a ``redis-server`` command line (``None`` when absent)."""
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    maxmemory: str | None = None
    policy: str | None = None
    for i, word in enumerate(words):
        low = word.lower()
        value: str | None = None
        key = low
        if "=" in low and low.startswith("--"):
            key, value = low.split("=", 1)
            value = word.split("=", 1)[1]
        elif i + 1 < len(words):
            value = words[i + 1]
        if key == "--maxmemory" and value is not None:
            maxmemory = value
        elif key == "--maxmemory-policy" and value is not None:
            policy = value
    return maxmemory, policy


def conf_settings(text: str) -> tuple[str | None, str | None, int]:
    """``(maxmemory, policy, line of the first setting or 0)`` from redis.conf text."""
    maxmemory: str | None = None
    policy: str | None = None
    first = 0
    for m in _CONF_LINE.finditer(text):
        lineno = text.count("\n", 0, m.start()) + 1
        first = first or lineno
        if m.group(1).lower() == "maxmemory":
            maxmemory = m.group(2)
        else:
            policy = m.group(2)
    return maxmemory, policy, first


@extractor(languages=("conf",), needs=("maxmemory", "port ", "bind ", "appendonly", "save "))
def redis_conf(ctx: FileContext) -> None:
    """A ``redis.conf`` (or ``*.conf`` that is clearly a Redis config) -> :class:`RedisConfig`."""
    name = ctx.path.rsplit("/", 1)[-1].lower()
    is_redis_name = "redis" in name or "valkey" in name
    if not is_redis_name and not re.search(r"^\s*maxmemory(-policy)?\s", ctx.text, re.MULTILINE):
        return
    if "server {" in ctx.text or "location " in ctx.text:  # nginx
        return
    maxmemory, policy, first = conf_settings(ctx.text)
    ctx.emit(RedisConfig(ctx.line_loc(first or 1), source="redis.conf", maxmemory=maxmemory, policy=policy))
