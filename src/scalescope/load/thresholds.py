"""Pass/fail thresholds, k6 style: ``p95 < 200ms``, ``error_rate < 0.1%``, ``rps > 500``.

A threshold names a metric, optionally one request name in brackets (``p99[login] < 1s``), a
comparison and a value. Latency values take units (``us``, ``ms``, ``s``; bare numbers are ms);
``error_rate`` takes a percentage or a fraction. Any failed threshold makes the run exit with 1.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from scalescope.load.config import ConfigError, parse_latency_ms

__all__ = [
    "Threshold",
    "ThresholdResult",
    "describe",
    "evaluate",
    "format_value",
    "parse_threshold",
    "unit_of",
]

_LATENCY = ("p50", "p90", "p95", "p99", "p999", "max", "min", "mean")
_COUNTS = ("rps", "requests", "errors", "dropped", "late_starts")
_RE = re.compile(
    r"^\s*(?P<metric>[a-z_0-9]+)(?:\[(?P<name>[^\]]+)\])?\s*(?P<op><=|>=|==|<|>)\s*(?P<value>\S.*?)\s*$"
)
_OPS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
}


@dataclass(frozen=True)
class Threshold:
    """A parsed threshold; ``limit`` is in ms for latencies and a fraction for ``error_rate``."""

    expr: str
    metric: str
    op: str
    limit: float
    name: str | None = None


@dataclass(frozen=True)
class ThresholdResult:
    """Outcome of one threshold against a result."""

    threshold: Threshold
    actual: float | None
    ok: bool

    def to_dict(self) -> dict[str, object]:
        """JSON form: the expression as written, its parts, the unit, the actual value and the verdict."""
        th = self.threshold
        return {
            "expr": th.expr,
            "metric": th.metric,
            "name": th.name,
            "op": th.op,
            "limit": th.limit,
            "unit": unit_of(th.metric),
            "actual": self.actual,
            "ok": self.ok,
        }


def unit_of(metric: str) -> str:
    """The unit of a metric's values in results: ``ms``, ``ratio`` (shown as %), ``req/s`` or ``""``."""
    if metric in _LATENCY:
        return "ms"
    if metric == "error_rate":
        return "ratio"
    if metric == "rps":
        return "req/s"
    return ""


def format_value(metric: str, value: float | None) -> str:
    """A metric's value with its unit, as people write it: ``612 ms``, ``32.4%``, ``500 req/s``."""
    if value is None:
        return "n/a"
    unit = unit_of(metric)
    if unit == "ratio":
        return f"{value * 100:.3g}%" if value else "0%"
    if unit in ("ms", "req/s") and abs(value) < 100:
        digits = 2 if abs(value) >= 1 else 3
        number = f"{value:,.{digits}f}".rstrip("0").rstrip(".")
    else:
        number = f"{value:,.0f}"
    return f"{number} {unit}" if unit else number


def describe(th: Mapping[str, object]) -> str:
    """``p95 < 500 ms`` from a threshold's JSON form (limit in result units, with the unit)."""
    metric = str(th["metric"])
    name = f"[{th['name']}]" if th.get("name") else ""
    limit = th["limit"]
    shown = format_value(metric, float(limit) if isinstance(limit, int | float) else None)
    return f"{metric}{name} {th['op']} {shown}"


def parse_threshold(expr: str) -> Threshold:
    """Parse one threshold expression; raises :class:`ConfigError` in plain words."""
    match = _RE.match(expr)
    if match is None:
        raise ConfigError(f"cannot read threshold {expr!r}; write it like 'p95 < 200ms' or 'rps > 500'")
    metric, op, raw = match.group("metric"), match.group("op"), match.group("value")
    if metric in _LATENCY:
        try:
            limit = parse_latency_ms(raw)
        except ConfigError as exc:
            raise ConfigError(f"threshold {expr!r}: {raw!r} is not a latency such as 200ms or 1s") from exc
    elif metric == "error_rate":
        text = raw.strip()
        try:
            limit = float(text[:-1]) / 100.0 if text.endswith("%") else float(text)
        except ValueError as exc:
            raise ConfigError(f"threshold {expr!r}: {raw!r} is not a rate such as 0.1% or 0.001") from exc
    elif metric in _COUNTS:
        try:
            limit = float(raw)
        except ValueError as exc:
            raise ConfigError(f"threshold {expr!r}: {raw!r} is not a number") from exc
    else:
        known = ", ".join((*_LATENCY, "error_rate", *_COUNTS))
        raise ConfigError(f"threshold {expr!r}: unknown metric {metric!r} (known: {known})")
    return Threshold(expr.strip(), metric, op, limit, match.group("name"))


def _actual(section: Mapping[str, object], metric: str) -> float | None:
    if metric in _LATENCY:
        latency = section.get("latency_ms")
        value = latency.get(metric) if isinstance(latency, dict) else None
    elif metric == "errors":
        value = section.get("error_count")
    else:
        value = section.get(metric)
    return float(value) if isinstance(value, int | float) else None


def evaluate(thresholds: tuple[Threshold, ...], result: Mapping[str, object]) -> list[ThresholdResult]:
    """Check each threshold against ``result`` (the JSON result's ``summary`` and ``by_name``)."""
    out = []
    summary = result.get("summary")
    by_name = result.get("by_name")
    for th in thresholds:
        section: object = summary
        if th.name is not None:
            section = by_name.get(th.name) if isinstance(by_name, dict) else None
        actual = _actual(section, th.metric) if isinstance(section, dict) else None
        ok = actual is not None and _OPS[th.op](actual, th.limit)
        out.append(ThresholdResult(th, actual, ok))
    return out
