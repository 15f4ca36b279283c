"""Audit settings: from flags, or from ``[tool.scalescope.audit]`` in the target's pyproject.toml
/ ``[audit]`` in scalescope.toml (same names as the flags). Flags win over the file.

```toml
[tool.scalescope.audit]
start = "uvicorn app.main:app --port {port}"   # {port}: a free port chosen by the audit
env = { DATABASE_URL = "sqlite:///./audit.db" }
health = "/healthz"
slo-p95 = "300ms"
slo-errors = "1%"
think-time = "5s"
users = 5000
price-per-hour = 0.17
budget = "3m"
db = "$DATABASE_URL"        # live PostgreSQL probe after the load ($NAME: from env, then the environment)
redis = "redis://127.0.0.1:6379/0"
```
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from scalescope.load.config import ConfigError as LoadConfigError
from scalescope.load.config import parse_duration, parse_latency_ms

__all__ = ["AuditSettings", "SettingsError", "load_settings", "resolve_url"]


class SettingsError(ValueError):
    """A setting that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class AuditSettings:
    path: Path | None = None
    start: str | None = None
    env: tuple[tuple[str, str], ...] = ()
    url: str | None = None
    health: str = "/"
    scenario: Path | None = None
    slo_p95_ms: float = 500.0
    slo_errors: float = 0.01
    think_time_s: float | None = None
    users: int | None = None
    price_per_hour: float | None = None
    instances_cmd: str | None = None
    max_instances: int = 3
    budget_s: float = 180.0
    startup_timeout_s: float = 60.0
    shutdown_grace_s: float = 10.0
    workers: int = 1
    #: live probes after the load: server URLs, or ``$NAME`` / ``${NAME}`` references to a
    #: variable of ``env`` or of the audit's own environment (resolved by :func:`resolve_url`)
    db: str | None = None
    redis: str | None = None
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def step_s(self) -> float:
        """Seconds per load step, from the budget: about 30 steps fit in it (2 to 10 s each)."""
        return max(2.0, min(10.0, self.budget_s / 30.0))


_KEYS = {
    "start": "start",
    "env": "env",
    "url": "url",
    "health": "health",
    "scenario": "scenario",
    "slo-p95": "slo_p95_ms",
    "slo-errors": "slo_errors",
    "think-time": "think_time_s",
    "users": "users",
    "price-per-hour": "price_per_hour",
    "instances-cmd": "instances_cmd",
    "max-instances": "max_instances",
    "budget": "budget_s",
    "startup-timeout": "startup_timeout_s",
    "shutdown-grace": "shutdown_grace_s",
    "workers": "workers",
    "db": "db",
    "redis": "redis",
}


def _percent(value: object, name: str) -> float:
    text = str(value).strip()
    try:
        number = float(text[:-1]) / 100.0 if text.endswith("%") else float(text)
    except ValueError as exc:
        raise SettingsError(f"{name}: {value!r} is not a percentage such as 1% or 0.01") from exc
    if not 0 <= number < 1:
        raise SettingsError(f"{name}: {value!r} must be between 0% and 100%")
    return number


def _convert(key: str, value: object, where: str) -> object:
    name = f"{where}{key}"
    try:
        if key in {"slo-p95"}:
            ms = parse_latency_ms(value)  # type: ignore[arg-type]
            if ms <= 0:
                raise SettingsError(f"{name} must be positive")
            return ms
        if key in {"think-time", "budget", "startup-timeout", "shutdown-grace"}:
            seconds = parse_duration(value)  # type: ignore[arg-type]
            if seconds < 0 or (key != "think-time" and seconds == 0):
                raise SettingsError(f"{name} must be positive")
            return seconds
    except LoadConfigError as exc:
        raise SettingsError(f"{name}: {exc}") from exc
    if key == "slo-errors":
        return _percent(value, name)
    if key in {"users", "max-instances", "workers"}:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise SettingsError(f"{name} must be a positive integer, got {value!r}")
        return value
    if key == "price-per-hour":
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise SettingsError(f"{name} must be a non-negative number, got {value!r}")
        return float(value)
    if key == "env":
        if not isinstance(value, Mapping) or not all(
            isinstance(v, str | int | float) for v in value.values()
        ):
            raise SettingsError(f"{name} must be a table of NAME = value")
        return tuple(sorted((str(k), str(v)) for k, v in value.items()))
    if key == "scenario":
        return Path(str(value))
    if key == "instances-cmd" and (not isinstance(value, str) or "{n}" not in value):
        raise SettingsError(f"{name} must contain {{n}}, the number of instances to start (got {value!r})")
    if not isinstance(value, str):
        raise SettingsError(f"{name} must be a string, got {value!r}")
    return value


def _file_section(path: Path | None) -> tuple[dict[str, Any], str]:
    if path is None or not path.is_dir():
        return {}, ""
    for name in ("scalescope.toml", "pyproject.toml"):
        candidate = path / name
        if not candidate.is_file():
            continue
        try:
            data = tomllib.loads(candidate.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"{name}: cannot read configuration: {exc}") from exc
        section = data.get("tool", {}).get("scalescope", {}) if name == "pyproject.toml" else data
        if name == "scalescope.toml" and "tool" in data:
            section = data["tool"].get("scalescope", {})
        audit = section.get("audit") if isinstance(section, dict) else None
        if isinstance(audit, dict):
            return audit, name
    return {}, ""


def load_settings(path: Path | None, flags: Mapping[str, object]) -> AuditSettings:
    """Settings for auditing ``path``: the file's ``audit`` table, then the flags given
    (``flags`` uses the file's key names; ``None`` values mean "not given")."""
    section, source = _file_section(path)
    values: dict[str, object] = {}
    for raw_key, value in section.items():
        key = str(raw_key).replace("_", "-")
        if key not in _KEYS:
            raise SettingsError(f"{source}: unknown audit key {raw_key!r}; known: {', '.join(_KEYS)}")
        values[_KEYS[key]] = _convert(key, value, f"{source}: ")
    if source and "scenario" in values and path is not None:
        scenario = values["scenario"]
        assert isinstance(scenario, Path)
        values["scenario"] = scenario if scenario.is_absolute() else path / scenario
    for key, value in flags.items():
        if value is None or value == ():
            continue
        if key not in _KEYS:
            raise SettingsError(f"unknown setting {key!r}")
        values[_KEYS[key]] = _convert(key, value, "--")
    known = {f.name for f in fields(AuditSettings)}
    assert set(values) <= known
    return AuditSettings(path=path, source=source, **values)  # type: ignore[arg-type]


_REFERENCE = re.compile(r"^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$")


def resolve_url(value: str, env: Mapping[str, str], environ: Mapping[str, str]) -> tuple[str | None, str]:
    """A server URL from a setting: the value itself, or for ``$NAME`` / ``${NAME}`` the
    variable from the app's ``env`` table, else from the audit's environment. Returns the URL
    (``None`` when the variable is unset or empty) and how it was found, for messages (never
    the URL itself: it may carry a password)."""
    text = value.strip()
    m = _REFERENCE.match(text)
    if m is None:
        return (text or None), "the setting"
    name = m.group(1) or m.group(2)
    for where, table in (("the app's env", env), ("the environment", environ)):
        found = table.get(name, "").strip()
        if found:
            return found, f"${name} from {where}"
    return None, f"${name} (not set)"
