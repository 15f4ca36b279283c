"""Live probes: PostgreSQL and Redis read as evidence, and cross-checked against a scan.

``probe_postgres`` / ``probe_redis`` read a server with bounded, read-only commands and return
a :class:`ProbeResult` whose findings have the scan's shape; ``cross_check`` joins them with a
scan's findings and project model. The ``scalescope probe`` command is in ``probe/cli.py``.
"""

from __future__ import annotations

__all__ = [
    "ProbeError",
    "ProbeResult",
    "ProbeSettings",
    "cross_check",
    "probe_postgres",
    "probe_redis",
]

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .crosscheck import cross_check
    from .postgres.probe import probe_postgres
    from .redis.probe import probe_redis
    from .result import ProbeResult
    from .settings import ProbeSettings
    from .target import ProbeError

_LAZY = {
    "ProbeError": ".target",
    "ProbeResult": ".result",
    "ProbeSettings": ".settings",
    "cross_check": ".crosscheck",
    "probe_postgres": ".postgres.probe",
    "probe_redis": ".redis.probe",
}


def __getattr__(name: str) -> Any:
    """Import on first use: ``import scalescope.probe`` stays free of drivers and I/O."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(module, __name__), name)
