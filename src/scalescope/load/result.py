"""The JSON result: one plain dict with a stable shape (``schema_version`` 1).

Top level: ``schema_version``, ``tool``, ``target``, ``config``, ``started_at``, ``interrupted``,
``summary``, ``by_name``, ``series``, ``thresholds``, ``passed``, ``warnings``. ``summary`` and every
``by_name`` entry hold ``requests``, ``responses``, ``duration_s``, ``rps``, ``errors`` (count by
kind), ``error_count``, ``error_rate``, ``latency_ms`` (``p50``, ``p90``, ``p95``, ``p99``, ``p999``,
``max``, ``min``, ``mean``) and ``histogram`` (HdrHistogram encoding, microseconds).
"""

from __future__ import annotations

from datetime import UTC, datetime

from scalescope import __version__
from scalescope.load.aggregate import NameTotal
from scalescope.load.runner import RunOutcome
from scalescope.load.thresholds import ThresholdResult

__all__ = ["SCHEMA_VERSION", "build_result", "summarise"]

SCHEMA_VERSION = 1


def summarise(total: NameTotal, duration_s: float) -> dict[str, object]:
    """Summary section for one name (or overall) over ``duration_s`` seconds."""
    requests = total.requests
    errors = total.error_count
    return {
        "requests": requests,
        "responses": total.responses,
        "duration_s": round(duration_s, 3),
        "rps": round(requests / duration_s, 2) if duration_s > 0 else 0.0,
        "errors": dict(sorted(total.errors.items())),
        "error_count": errors,
        "error_rate": round(errors / requests, 6) if requests else 0.0,
        "latency_ms": total.hist.summary(),
        "histogram": total.hist.encode(),
    }


def _config_section(outcome: RunOutcome) -> dict[str, object]:
    cfg = outcome.config
    model = cfg.model
    return {
        "model": model.kind,
        "connections": model.connections,
        "rate": model.rate,
        "stages": [{"duration_s": s.duration_s, "target": s.target} for s in model.stages],
        "think_time_s": model.think_time_s,
        "workers": outcome.workers,
        "duration_s": cfg.duration_s,
        "max_requests": cfg.max_requests,
        "timeout_s": cfg.timeout_s,
    }


def build_result(outcome: RunOutcome, thresholds: list[ThresholdResult] | None = None) -> dict[str, object]:
    """The full JSON result (thresholds may be added later with :func:`attach_thresholds`)."""
    agg = outcome.aggregator
    summary = summarise(agg.overall, outcome.duration_s)
    summary["dropped"] = agg.dropped
    summary["late_starts"] = agg.late
    warnings = list(outcome.worker_errors)
    if agg.dropped:
        warnings.append(
            f"{agg.dropped} scheduled requests were dropped: too many were already waiting "
            "(the target or the generator could not keep up with the rate)"
        )
    if outcome.interrupted:
        warnings.append("the run was interrupted; these are partial results")
    result: dict[str, object] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "scalescope", "version": __version__},
        "target": {"url": outcome.config.target.url, "source": outcome.config.source},
        "config": _config_section(outcome),
        "started_at": datetime.fromtimestamp(outcome.started_at, UTC).isoformat(timespec="seconds"),
        "interrupted": outcome.interrupted,
        "summary": summary,
        "by_name": {name: summarise(t, outcome.duration_s) for name, t in sorted(agg.by_name.items())},
        "series": agg.series,
        "captured": list(outcome.captured),
        "thresholds": [],
        "passed": True,
        "warnings": warnings,
    }
    if thresholds is not None:
        attach_thresholds(result, thresholds)
    return result


def attach_thresholds(result: dict[str, object], thresholds: list[ThresholdResult]) -> None:
    """Record threshold outcomes and the overall pass/fail in ``result``."""
    result["thresholds"] = [t.to_dict() for t in thresholds]
    result["passed"] = all(t.ok for t in thresholds)
