"""``probe_redis``: snapshot a Redis database and run every Redis check over it."""

from __future__ import annotations

from collections.abc import Callable

from ..result import ProbeResult, probe_server
from ..settings import ProbeSettings
from ..target import Target
from .snapshot import RedisSnapshot

Reader = Callable[[Target, ProbeSettings], tuple[RedisSnapshot, list[str]]]


def probe_redis(
    url: str | Target, settings: ProbeSettings | None = None, reader: Reader | None = None
) -> ProbeResult:
    """Probe the Redis server at ``url``. Raises :class:`~scalescope.probe.target.ProbeError` when
    the server cannot be reached or refuses the login; anything less is a notice."""
    if reader is None:
        from .collect import read_snapshot

        reader = read_snapshot
    return probe_server("redis", url, settings, reader)
