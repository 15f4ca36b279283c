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

import difflib
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

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
    # cap each rule at the confidence its measured precision allows (scan/calibration.py);
    # off only for rule authors who test a rule's own logic (`--uncalibrated`)
    calibrated: bool = True


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


def resolve_rules(values: Iterable[str], where: str) -> frozenset[str]:
    """Rule ids for ``values``: ids (``SC-DB-003``, any case) or names (``n-plus-one-query``),
    each value possibly a comma-separated list. The same function checks flags and config files,
    so both give the same error for an unknown rule."""
    from scalescope.scan.rules.base import rule_by_id

    out: set[str] = set()
    for value in values:
        for part in value.split(","):
            token = part.strip()
            if not token:
                continue
            rule = rule_by_id(token)
            if rule is None:
                raise ConfigError(f"{where}: unknown rule {token!r} (see 'scalescope rules')")
            out.add(rule.meta.id)
    return frozenset(out)


def _strings(value: object, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: '{key}' must be a list of strings, got {_kind(value)}")
    return tuple(value)


def _kind(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list"}
    return names.get(type(value), "a table" if isinstance(value, dict) else type(value).__name__)


def _bool(value: object, key: str, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: '{key}' must be true or false, got {_kind(value)} ({value!r})")
    return value


def _choice(value: object, key: str, where: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise ConfigError(f"{where}: '{key}' must be one of {', '.join(choices)}, got {value!r}")
    return str(value)


def _instances(value: object, key: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{where}: '{key}' must be a positive integer, got {value!r}")
    return value


def _severities(value: object, key: str, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: '{key}' must be a table of RULE = severity, got {_kind(value)}")
    out: dict[str, str] = {}
    for rule, sev in value.items():
        (rule_id,) = resolve_rules([str(rule)], f"{where}: '{key}'") or {""}
        out[rule_id] = _choice(sev, f"{key}.{rule}", where, SEVERITIES)
    return out


#: The configuration schema: key -> (what it holds, checker). Keys are written with dashes;
#: the underscore spelling is accepted too.
_SCHEMA: dict[str, tuple[str, Callable[[object, str, str], object]]] = {
    "exclude": ("gitignore-style patterns of paths not to scan", _strings),
    "disable": (
        "rule ids or names not to run",
        lambda v, k, w: resolve_rules(_strings(v, k, w), f"{w}: '{k}'"),
    ),
    "select": (
        "rule ids or names to run, and no others",
        lambda v, k, w: resolve_rules(_strings(v, k, w), f"{w}: '{k}'"),
    ),
    "severity": ("severity per rule", _severities),
    "instances": ("production app instances, when the deployment files do not say", _instances),
    "include-tests": ("scan test files too", _bool),
    "min-confidence": ("hide findings below this confidence", lambda v, k, w: _choice(v, k, w, CONFIDENCES)),
}


#: Sub-tables that belong to other commands (``[tool.scalescope.audit]`` is read by
#: ``scalescope audit``, see ``audit/settings.py``): the scan leaves them alone.
_OTHER_COMMANDS = frozenset({"audit"})


def config_keys() -> dict[str, str]:
    """The known keys and what each holds (for documentation and error messages)."""
    return {key: what for key, (what, _) in _SCHEMA.items()}


def _parse(section: dict[str, object], where: str) -> ScanConfig:
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [tool.scalescope] must be a table")
    values: dict[str, object] = {}
    for raw_key, raw in section.items():
        key = str(raw_key).replace("_", "-")
        if key in _OTHER_COMMANDS:
            continue  # another command's table, checked by that command
        if key not in _SCHEMA:
            close = difflib.get_close_matches(key, list(_SCHEMA), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"{where}: unknown key '{raw_key}'{hint}; known keys: {', '.join(_SCHEMA)}")
        if key in values:
            raise ConfigError(f"{where}: '{key}' is given twice")
        values[key] = _SCHEMA[key][1](raw, key, where)
    select = values.get("select")
    if select is not None and not select:
        raise ConfigError(f"{where}: 'select' is empty, which would run no rule")
    return ScanConfig(
        exclude=cast(tuple[str, ...], values.get("exclude", ())),
        disable=cast(frozenset[str], values.get("disable", frozenset())),
        enable_only=cast(frozenset[str], values.get("select", frozenset())),
        severity=cast(dict[str, str], values.get("severity", {})),
        instances=cast(int | None, values.get("instances")),
        include_tests=cast(bool, values.get("include-tests", False)),
        min_confidence=cast(str, values.get("min-confidence", "medium")),
        source=where,
    )
