"""Scan configuration from ``[tool.scalescope]`` in pyproject.toml or ``scalescope.toml``.

```toml
[tool.scalescope]            # or top level of scalescope.toml
exclude = ["legacy/**", "scripts/"]
disable = ["SC-CACHE-001"]
severity = { "SC-DB-004" = "critical" }
instances = 4                 # app instances in production, when files do not say
include-tests = false         # test files are skipped by default
min-confidence = "medium"     # show low-confidence findings too with "low"
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from scalescope.report.model import CONFIDENCES, SEVERITIES


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message says what and where."""


@dataclass(frozen=True)
class ScanConfig:
    exclude: tuple[str, ...] = ()
    disable: frozenset[str] = frozenset()
    enable_only: frozenset[str] = frozenset()
    severity: dict[str, str] = field(default_factory=dict)
    instances: int | None = None
    include_tests: bool = False
    # findings below this confidence are hidden (counted in a notice): precision first
    min_confidence: str = "medium"
    source: str = ""


def load_config(root: Path, explicit: Path | None = None) -> ScanConfig:
    """Read the config for ``root``: an explicit file, else scalescope.toml, else pyproject."""
    candidates = [explicit] if explicit else [root / "scalescope.toml", root / "pyproject.toml"]
    for path in candidates:
        if path is None or not path.is_file():
            if explicit is not None:
                raise ConfigError(f"config file not found: {explicit}")
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path.name}: cannot read configuration: {exc}") from exc
        section = data.get("tool", {}).get("scalescope") if path.name == "pyproject.toml" else data
        if path.name != "pyproject.toml" and "tool" in data and "scalescope" in data["tool"]:
            section = data["tool"]["scalescope"]
        if section is None:
            continue
        return _parse(section, path.name)
    return ScanConfig()


def _confidence(value: object, where: str) -> str:
    if value not in CONFIDENCES:
        raise ConfigError(f"{where}: 'min-confidence' must be one of {', '.join(CONFIDENCES)}")
    return str(value)


def _strings(value: object, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings")
    return tuple(value)


def _parse(section: dict[str, object], where: str) -> ScanConfig:
    known = {
        "exclude",
        "disable",
        "select",
        "severity",
        "instances",
        "include-tests",
        "include_tests",
        "min-confidence",
        "min_confidence",
    }
    unknown = set(section) - known
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    severity_raw = section.get("severity", {})
    if not isinstance(severity_raw, dict):
        raise ConfigError(f"{where}: 'severity' must be a table of RULE = severity")
    severity: dict[str, str] = {}
    for rule, sev in severity_raw.items():
        if sev not in SEVERITIES:
            raise ConfigError(f"{where}: severity for {rule} must be one of {', '.join(SEVERITIES)}")
        severity[str(rule).upper()] = str(sev)
    instances = section.get("instances")
    if instances is not None and (not isinstance(instances, int) or instances < 1):
        raise ConfigError(f"{where}: 'instances' must be a positive integer")
    return ScanConfig(
        exclude=_strings(section.get("exclude", []), "exclude", where),
        disable=frozenset(r.upper() for r in _strings(section.get("disable", []), "disable", where)),
        enable_only=frozenset(r.upper() for r in _strings(section.get("select", []), "select", where)),
        severity=severity,
        instances=instances,
        include_tests=bool(section.get("include-tests", section.get("include_tests", False))),
        min_confidence=_confidence(
            section.get("min-confidence", section.get("min_confidence", "medium")), where
        ),
        source=where,
    )
