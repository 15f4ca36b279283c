"""``probe_redis``: snapshot a Redis database and run every Redis check over it."""

from __future__ import annotations

import time
from collections.abc import Callable

from ..meta import checks_for
from ..result import ProbeResult, run_checks
from ..settings import ProbeSettings
from ..target import Target, parse_target
from .snapshot import RedisSnapshot

Reader = Callable[[Target, ProbeSettings], tuple[RedisSnapshot, list[str]]]


def probe_redis(
    url: str | Target, settings: ProbeSettings | None = None, reader: Reader | None = None
) -> ProbeResult:
    """Probe the database at ``url``. Raises :class:`~scalescope.probe.target.ProbeError` when
    the server cannot be reached or refuses the login; anything less is a notice."""
    settings = settings or ProbeSettings()
    target = url if isinstance(url, Target) else parse_target("redis", url)
    if reader is None:
        from .collect import read_snapshot

        reader = read_snapshot
    started = time.perf_counter()
    snap, notices = reader(target, settings)
    checks = checks_for("redis")
    findings, check_notices = run_checks(checks, snap, settings, target.label)
    return ProbeResult(
        server="redis",
        label=target.label,
        version=snap.version,
        findings=tuple(findings),
        notices=tuple(notices + check_notices),
        checks=checks,
        duration_s=round(time.perf_counter() - started, 3),
        snapshot=snap,
    )
