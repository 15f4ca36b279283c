"""Scenario files: YAML (or the same mapping built from command-line flags) to a :class:`LoadConfig`.

Every mistake in a file is reported as one plain sentence naming the place (``requests[2].checks``),
never as a traceback. See docs/load.md for the format.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, cast
from urllib.parse import quote, urlsplit

import yaml

from scalescope.load.checks import parse_json_path
from scalescope.load.config import (
    DEFAULT_DURATION_S,
    DEFAULT_MAX_ERROR_RATE,
    HARD_MAX_DURATION_S,
    Capture,
    Check,
    ConfigError,
    Feeder,
    LoadConfig,
    Model,
    RequestSpec,
    Stage,
    Target,
    default_workers,
    parse_duration,
)
from scalescope.load.thresholds import parse_threshold

__all__ = ["config_from_mapping", "load_scenario", "parse_target"]

_TOP_KEYS = {
    "base_url", "headers", "vars", "model", "connections", "rate", "duration", "requests_limit",
    "think_time", "timeout", "connect_timeout", "workers", "stages", "data", "setup", "requests",
    "thresholds", "max_pending", "insecure", "max_connections", "max_error_rate",
}  # fmt: skip
_REQUEST_KEYS = {"name", "method", "path", "query", "headers", "json", "body", "weight", "checks", "capture"}


def parse_target(url: str, verify_tls: bool = True) -> tuple[Target, str]:
    """Split a URL into a :class:`Target` and the path-with-query part."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme not in ("http", "https"):
        raise ConfigError(f"{url!r}: only http:// and https:// URLs are supported")
    if not parts.hostname:
        raise ConfigError(f"{url!r} has no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise ConfigError(f"{url!r} has an invalid port") from exc
    scheme = cast(Literal["http", "https"], parts.scheme)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme, parts.hostname, port, verify_tls=verify_tls), path


def load_scenario(path: Path, overrides: Mapping[str, Any] | None = None) -> LoadConfig:
    """Read a YAML scenario; ``overrides`` (from command-line flags) replace top-level keys."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path} is not valid YAML{where}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a scenario is a mapping with at least base_url and requests")
    data.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return config_from_mapping(data, base_dir=path.parent, source=str(path))


def _str_pairs(value: object, where: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a mapping of names to values")
    return tuple((str(k), "" if v is None else str(v)) for k, v in value.items())


def _checks(raw: object, where: str) -> tuple[Check, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"{where} must be a list")
    out = []
    for i, item in enumerate(raw):
        spot = f"{where}[{i}]"
        if not isinstance(item, dict):
            raise ConfigError(f"{spot} must be a mapping such as {{status: 200}}")
        if "status" in item:
            out.append(Check("status", item["status"]))
        elif "contains" in item:
            out.append(Check("contains", str(item["contains"])))
        elif "json" in item:
            parse_json_path(str(item["json"]))
            out.append(Check("json", item.get("equals"), path=str(item["json"])))
        else:
            raise ConfigError(f"{spot}: a check is one of status, json (with optional equals) or contains")
    return tuple(out)


def _captures(raw: object, where: str) -> tuple[Capture, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must map variable names to {{json: $.path}} or {{header: Name}}")
    out = []
    for var, spec in raw.items():
        if isinstance(spec, dict) and "json" in spec:
            parse_json_path(str(spec["json"]))
            out.append(Capture(str(var), "json", str(spec["json"])))
        elif isinstance(spec, dict) and "header" in spec:
            out.append(Capture(str(var), "header", str(spec["header"])))
        else:
            raise ConfigError(f"{where}.{var} must be {{json: $.path}} or {{header: Name}}")
    return tuple(out)


def _request(raw: object, where: str) -> RequestSpec:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a mapping with at least a path")
    unknown = set(raw) - _REQUEST_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    method = str(raw.get("method", "GET")).upper()
    path = str(raw.get("path", "/"))
    if not path.startswith("/"):
        raise ConfigError(f"{where}.path must start with /")
    query = _str_pairs(raw.get("query"), f"{where}.query")
    if query:
        encoded = "&".join(f"{quote(k, safe='{}')}={quote(v, safe='{}')}" for k, v in query)
        path += ("&" if "?" in path else "?") + encoded
    headers = _str_pairs(raw.get("headers"), f"{where}.headers")
    body: str | None = None
    if "json" in raw:
        body = json.dumps(raw["json"], separators=(",", ":"))
        if not any(k.lower() == "content-type" for k, _ in headers):
            headers += (("Content-Type", "application/json"),)
    elif "body" in raw:
        body = str(raw["body"])
    try:
        weight = float(raw.get("weight", 1.0))
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}.weight must be a number") from exc
    if weight <= 0:
        raise ConfigError(f"{where}.weight must be positive")
    return RequestSpec(
        name=str(raw.get("name") or f"{method} {path}"),
        method=method,
        path=path,
        headers=headers,
        body=body,
        weight=weight,
        checks=_checks(raw.get("checks"), f"{where}.checks"),
        captures=_captures(raw.get("capture"), f"{where}.capture"),
    )


def _requests(raw: object, where: str, required: bool) -> tuple[RequestSpec, ...]:
    if raw is None and not required:
        return ()
    if not isinstance(raw, list) or (required and not raw):
        raise ConfigError(f"{where} must be a non-empty list of requests")
    return tuple(_request(item, f"{where}[{i}]") for i, item in enumerate(raw))


def _feeder(raw: object, base_dir: Path) -> Feeder | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = {"file": raw}
    if not isinstance(raw, dict) or "file" not in raw:
        raise ConfigError("data must be a file name or {file: users.csv, mode: sequential|random}")
    mode = str(raw.get("mode", "sequential"))
    if mode not in ("sequential", "random"):
        raise ConfigError("data.mode must be sequential or random")
    path = base_dir / str(raw["file"])
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read data file {path}: {exc.strerror or exc}") from exc
    rows: list[dict[str, object]]
    if path.suffix.lower() == ".json":
        try:
            loaded = json.loads(text)
        except ValueError as exc:
            raise ConfigError(f"data file {path} is not valid JSON") from exc
        if not isinstance(loaded, list) or not all(isinstance(r, dict) for r in loaded):
            raise ConfigError(f"data file {path} must hold a list of objects")
        rows = loaded
    else:
        rows = list(csv.DictReader(text.splitlines()))
    if not rows:
        raise ConfigError(f"data file {path} has no rows")
    frozen = tuple(tuple((str(k), "" if v is None else str(v)) for k, v in r.items()) for r in rows)
    return Feeder(name=path.name, rows=frozen, mode=cast(Literal["sequential", "random"], mode))


def _stages(raw: object) -> tuple[Stage, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        raise ConfigError("stages must be a list such as [{duration: 10s, target: 100}]")
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or "duration" not in item or "target" not in item:
            raise ConfigError(f"stages[{i}] needs a duration and a target")
        try:
            target = float(item["target"])
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"stages[{i}].target must be a number") from exc
        out.append(Stage(parse_duration(item["duration"]), target))
    return tuple(out)


def _number(data: Mapping[str, Any], key: str, kind: type[int] | type[float]) -> Any:
    value = data.get(key)
    if value is None:
        return None
    try:
        return kind(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{key} must be a number, not {value!r}") from exc


def _error_budget(raw: object) -> float:
    """``max_error_rate``: ``5%``, ``0.05`` or ``100%`` (no budget); 1 % when not given."""
    if raw is None:
        return DEFAULT_MAX_ERROR_RATE
    text = str(raw).strip()
    try:
        value = float(text[:-1]) / 100.0 if text.endswith("%") else float(text)
    except ValueError as exc:
        raise ConfigError(f"max_error_rate {raw!r} is not a rate such as 5% or 0.05") from exc
    if not 0.0 <= value <= 1.0:
        raise ConfigError(f"max_error_rate {raw!r} must be between 0% and 100%")
    return value


def config_from_mapping(data: Mapping[str, Any], base_dir: Path, source: str) -> LoadConfig:
    """Validate a scenario mapping and build the config (defaults fill what is missing)."""
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ConfigError(f"unknown scenario key(s): {', '.join(sorted(unknown))}")
    if "base_url" not in data:
        raise ConfigError("the scenario needs a base_url such as http://127.0.0.1:8080")
    target, base_path = parse_target(str(data["base_url"]), verify_tls=not data.get("insecure", False))
    base_path = base_path.split("?")[0].rstrip("/")
    if base_path:
        target = Target(target.scheme, target.host, target.port, base_path, target.verify_tls)
    stages = _stages(data.get("stages"))
    rate = _number(data, "rate", float)
    kind = str(data.get("model") or ("open" if rate is not None else "closed"))
    if kind not in ("open", "closed"):
        raise ConfigError("model must be open or closed")
    limit = _number(data, "requests_limit", int)
    if stages and data.get("duration") is not None:
        raise ConfigError(
            "a run with stages lasts as long as its stages add up to; remove the duration (-d) or the stages"
        )
    if stages:
        duration = sum(s.duration_s for s in stages)
    elif data.get("duration") is not None:
        duration = parse_duration(data["duration"])
    else:
        duration = HARD_MAX_DURATION_S if limit is not None else DEFAULT_DURATION_S
    connections = _number(data, "connections", int)
    if connections is None:
        connections = int(max((s.target for s in stages), default=64)) if kind == "closed" and stages else 64
    thresholds = data.get("thresholds") or []
    if not isinstance(thresholds, list):
        raise ConfigError("thresholds must be a list such as ['p95 < 200ms']")
    for expr in thresholds:
        parse_threshold(str(expr))
    model = Model(
        kind=cast(Literal["closed", "open"], kind),
        connections=max(1, connections),
        rate=rate,
        stages=stages,
        think_time_s=parse_duration(data["think_time"]) if data.get("think_time") else 0.0,
        max_pending=_number(data, "max_pending", int) or 10_000,
        max_connections=_number(data, "max_connections", int),
    )
    return LoadConfig(
        target=target,
        requests=_requests(data.get("requests"), "requests", required=True),
        model=model,
        duration_s=duration,
        max_requests=limit,
        timeout_s=parse_duration(data["timeout"]) if data.get("timeout") else 10.0,
        connect_timeout_s=parse_duration(data["connect_timeout"]) if data.get("connect_timeout") else 3.0,
        workers=_number(data, "workers", int) or default_workers(),
        default_headers=_str_pairs(data.get("headers"), "headers"),
        setup=_requests(data.get("setup"), "setup", required=False),
        variables=_str_pairs(data.get("vars"), "vars"),
        feeder=_feeder(data.get("data"), base_dir),
        thresholds=tuple(str(t) for t in thresholds),
        max_error_rate=_error_budget(data.get("max_error_rate")),
        source=source,
    )
