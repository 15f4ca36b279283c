"""The load run's settings: one frozen tree of dataclasses, built once and passed down.

Nothing here does I/O. Workers receive a :class:`WorkerPlan` (the config plus their share), pickle it
across the process boundary and need nothing else, so a worker can later run on another machine.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from typing import Literal

__all__ = [
    "DEFAULT_DURATION_S",
    "DEFAULT_MAX_ERROR_RATE",
    "HARD_MAX_DURATION_S",
    "Capture",
    "Check",
    "ConfigError",
    "Feeder",
    "LoadConfig",
    "Model",
    "RequestSpec",
    "Stage",
    "Target",
    "WorkerPlan",
    "default_workers",
    "parse_duration",
    "parse_latency_ms",
    "split_share",
]

DEFAULT_DURATION_S = 10.0
"""Run length when neither a duration nor a request count is given."""

HARD_MAX_DURATION_S = 24 * 3600.0
"""No run, however configured, lasts longer than this."""

DEFAULT_MAX_ERROR_RATE = 0.01
"""Error budget when no ``error_rate`` threshold is given: above it the run warns and exits 1."""

LATE_START_S = 0.010
"""An open-model request sent this much after its intended time counts as a late start."""


class ConfigError(ValueError):
    """A setting is invalid; the message is meant for the user, in plain words."""


_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s|m|h)?\s*$")
_UNIT_S = {"us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0, None: 1.0}


def parse_duration(text: str | float | int, *, default_unit: str = "s") -> float:
    """Parse ``10s``, ``2m``, ``1h``, ``500ms`` or a bare number into seconds."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text) * _UNIT_S[default_unit]
    match = _DURATION_RE.match(str(text))
    if match is None:
        raise ConfigError(f"cannot read {text!r} as a duration; use forms like 500ms, 10s, 2m or 1h")
    unit = match.group(2) or default_unit
    return float(match.group(1)) * _UNIT_S[unit]


def parse_latency_ms(text: str | float | int) -> float:
    """Parse a latency such as ``200ms``, ``1.5s`` or ``800us`` into milliseconds (bare numbers: ms)."""
    return parse_duration(text, default_unit="ms") * 1000.0


@dataclass(frozen=True)
class Target:
    """Where traffic goes: scheme, host and port (the path lives on each request)."""

    scheme: Literal["http", "https"]
    host: str
    port: int
    base_path: str = ""
    verify_tls: bool = True

    @property
    def authority(self) -> str:
        """The ``Host`` header value: the port is omitted when it is the scheme's default."""
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"

    @property
    def url(self) -> str:
        """The base URL in its usual spelling."""
        return f"{self.scheme}://{self.authority}{self.base_path}"


@dataclass(frozen=True)
class Check:
    """A response assertion. ``kind`` is ``status``, ``json`` (path equals value) or ``contains``."""

    kind: Literal["status", "json", "contains"]
    expected: object
    path: str = ""


@dataclass(frozen=True)
class Capture:
    """Save a value from a setup response into a variable: from a JSON path or a header."""

    variable: str
    source: Literal["json", "header"]
    expr: str


@dataclass(frozen=True)
class RequestSpec:
    """One kind of request. Path, query, header values and body may hold ``{{variable}}`` templates."""

    name: str
    method: str = "GET"
    path: str = "/"
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None
    weight: float = 1.0
    checks: tuple[Check, ...] = ()
    captures: tuple[Capture, ...] = ()


@dataclass(frozen=True)
class Stage:
    """Move linearly to ``target`` (connections for closed, requests/s for open) over the duration."""

    duration_s: float
    target: float


@dataclass(frozen=True)
class Model:
    """Closed (``connections`` virtual users loop) or open (requests arrive at ``rate`` per second).

    ``stages`` replace the fixed connection count (closed) or the fixed rate (open).
    ``max_pending`` bounds the open model's backlog of due-but-unsent requests; beyond it
    requests are dropped and counted, never silently delayed. ``max_connections`` (open model,
    k6's ``maxVUs``) lets the pool grow from ``connections`` up to that many when due requests
    find every connection busy.
    """

    kind: Literal["closed", "open"] = "closed"
    connections: int = 64
    rate: float | None = None
    stages: tuple[Stage, ...] = ()
    think_time_s: float = 0.0
    max_pending: int = 10_000
    max_connections: int | None = None


@dataclass(frozen=True)
class Feeder:
    """Rows of test data (from CSV or JSON) handed to requests, in order or at random."""

    name: str
    rows: tuple[tuple[tuple[str, str], ...], ...]
    mode: Literal["sequential", "random"] = "sequential"


@dataclass(frozen=True)
class LoadConfig:
    """Everything a run needs. Built by ``scenario``/``cli``; never mutated afterwards."""

    target: Target
    requests: tuple[RequestSpec, ...]
    model: Model = field(default_factory=Model)
    duration_s: float = DEFAULT_DURATION_S
    max_requests: int | None = None
    timeout_s: float = 10.0
    connect_timeout_s: float = 3.0
    workers: int = 1
    default_headers: tuple[tuple[str, str], ...] = ()
    setup: tuple[RequestSpec, ...] = ()
    variables: tuple[tuple[str, str], ...] = ()
    feeder: Feeder | None = None
    thresholds: tuple[str, ...] = ()
    max_error_rate: float = DEFAULT_MAX_ERROR_RATE
    source: str = ""

    def __post_init__(self) -> None:
        if not self.requests:
            raise ConfigError("no requests to send")
        if self.duration_s <= 0 or self.duration_s > HARD_MAX_DURATION_S:
            raise ConfigError(f"duration must be between 0 and {HARD_MAX_DURATION_S:.0f}s")
        if self.max_requests is not None and self.max_requests < 1:
            raise ConfigError("the request count must be at least 1")
        if self.workers < 1:
            raise ConfigError("workers must be at least 1")
        model = self.model
        if model.kind == "open" and model.rate is None and not model.stages:
            raise ConfigError("the open model needs a rate or stages")
        if model.kind == "open" and model.rate is not None and model.rate <= 0:
            raise ConfigError("the rate must be positive")
        if model.connections < 1:
            raise ConfigError("connections must be at least 1")
        if self.timeout_s <= 0:
            raise ConfigError("the timeout must be positive")
        if model.max_pending < 0:
            raise ConfigError("max_pending must be 0 or more")
        if model.max_connections is not None:
            if model.kind != "open":
                raise ConfigError("--max-connections applies to the open model (--rate or stages)")
            if model.max_connections < model.connections:
                raise ConfigError(
                    f"max connections ({model.max_connections}) must be at least the connections "
                    f"({model.connections})"
                )
        if not 0.0 <= self.max_error_rate <= 1.0:
            raise ConfigError("the error budget must be between 0% and 100%")

    def with_variables(self, extra: dict[str, str]) -> LoadConfig:
        """Return a copy with ``extra`` variables added (e.g. values captured in setup)."""
        merged = dict(self.variables)
        merged.update(extra)
        return replace(self, variables=tuple(sorted(merged.items())))


def default_workers() -> int:
    """One worker per CPU this process may run on (honours ``taskset`` and cgroup cpusets)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def split_share(total: int, parts: int, index: int) -> int:
    """Share ``index`` of ``total`` split into ``parts`` near-equal integers (earlier parts get more)."""
    base, extra = divmod(total, parts)
    return base + (1 if index < extra else 0)


@dataclass(frozen=True)
class WorkerPlan:
    """What one worker runs: the config plus its share.

    An open-model worker sends the global schedule's requests ``index, index + count, ...``, so the
    workers together follow the exact schedule with no coordination.
    """

    config: LoadConfig
    index: int = 0
    count: int = 1
    connections: int = 64
    max_requests: int | None = None
    max_connections: int | None = None

    @classmethod
    def split(cls, config: LoadConfig, workers: int) -> list[WorkerPlan]:
        """Split ``config`` into ``workers`` plans (connections and request count divided)."""
        plans = []
        for i in range(workers):
            share = None
            if config.max_requests is not None:
                share = split_share(config.max_requests, workers, i)
            connections = max(1, split_share(config.model.connections, workers, i))
            grow = config.model.max_connections
            most = None if grow is None else max(connections, split_share(grow, workers, i))
            plans.append(
                cls(
                    config=config,
                    index=i,
                    count=workers,
                    connections=connections,
                    max_requests=share,
                    max_connections=most,
                )
            )
        return plans
