"""The JSON result: one plain dict with a stable shape (``schema_version`` 1; fields only added).

Top level: ``schema_version``, ``tool``, ``target``, ``config``, ``started_at``, ``interrupted``,
``lost_workers``, ``summary``, ``by_name``, ``series``, ``generator``, ``error_budget``,
``thresholds``, ``passed``, ``warnings``. ``summary`` and every ``by_name`` entry hold
``requests``, ``responses``, ``duration_s``, ``rps``, ``errors`` (count by kind), ``error_count``,
``error_rate``, ``status_codes``, ``dropped``, ``latency_ms`` (``p50``, ``p90``, ``p95``, ``p99``,
``p999``, ``max``, ``min``, ``mean``) and ``histogram`` (HdrHistogram encoding, microseconds);
``summary`` adds ``sent``, ``scheduled``, ``late_starts``, ``late_start_ms``, ``data`` (bytes sent
and received, and per second) and ``generator_limited``. docs/load.md describes every field.
"""

from __future__ import annotations

from datetime import UTC, datetime

from scalescope import __version__
from scalescope.load.aggregate import Aggregator, NameTotal, status_codes
from scalescope.load.runner import RunOutcome
from scalescope.load.thresholds import ThresholdResult, format_value

__all__ = ["GENERATOR_CPU_LIMIT", "SCHEMA_VERSION", "attach_thresholds", "build_result", "summarise"]

SCHEMA_VERSION = 1

GENERATOR_CPU_LIMIT = 0.9
"""A worker using more than this fraction of a CPU core over the run is the limit, not the target."""
BEHIND_LIMIT = 0.01
"""A worker late (by its own doing, see ``worker.BEHIND_S``) to more than this fraction of its
scheduled requests, and to at least :data:`BEHIND_MIN` of them, is the limit too."""
BEHIND_MIN = 10


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
        "status_codes": status_codes(total.statuses),
        "dropped": total.dropped,
        "latency_ms": total.hist.summary(),
        "histogram": total.hist.encode(),
    }


def _config_section(outcome: RunOutcome) -> dict[str, object]:
    cfg = outcome.config
    model = cfg.model
    return {
        "model": model.kind,
        "connections": model.connections,
        "max_connections": model.max_connections,
        "rate": model.rate,
        "stages": [{"duration_s": s.duration_s, "target": s.target} for s in model.stages],
        "think_time_s": model.think_time_s,
        "workers": outcome.workers,
        "duration_s": cfg.duration_s,
        "max_requests": cfg.max_requests,
        "timeout_s": cfg.timeout_s,
        "max_error_rate": cfg.max_error_rate,
    }


def _generator(agg: Aggregator, open_model: bool) -> tuple[dict[str, object], list[str]]:
    """Generator health: per-worker CPU and lateness, and whether the generator was the limit."""
    reasons: list[str] = []
    workers = []
    for index, health in sorted(agg.health.items()):
        workers.append(
            {
                "worker": index,
                "cpu": round(health.cpu, 3),
                "cpu_s": round(health.cpu_s, 3),
                "peak_cpu": round(health.peak_cpu, 3),
                "sent": health.sent,
                "scheduled": health.scheduled,
                "behind": health.behind,
                "connections": health.connections,
                "lost": health.lost,
            }
        )
        if health.cpu > GENERATOR_CPU_LIMIT:
            reasons.append(f"worker {index} used {health.cpu:.0%} of a CPU core")
        if open_model and health.behind >= max(BEHIND_MIN, BEHIND_LIMIT * health.scheduled):
            reasons.append(
                f"worker {index} was itself more than 50 ms late to {health.behind:,} of its "
                f"{health.scheduled:,} scheduled requests"
            )
    section: dict[str, object] = {
        "limited": bool(reasons),
        "reasons": reasons,
        "cpu_limit": GENERATOR_CPU_LIMIT,
        "workers": workers,
    }
    return section, reasons


def build_result(outcome: RunOutcome, thresholds: list[ThresholdResult] | None = None) -> dict[str, object]:
    """The full JSON result (thresholds and the error budget are added by :func:`attach_thresholds`)."""
    agg = outcome.aggregator
    open_model = outcome.config.model.kind == "open"
    duration = outcome.duration_s
    summary = summarise(agg.overall, duration)
    summary["sent"] = agg.sent
    summary["scheduled"] = agg.scheduled if open_model else None
    summary["late_starts"] = agg.late
    late = agg.late_hist
    summary["late_start_ms"] = {k: v for k, v in late.summary().items() if k in ("p50", "p90", "p99", "max")}
    summary["late_start_histogram"] = late.encode()
    summary["data"] = {
        "sent_bytes": agg.bytes_sent,
        "received_bytes": agg.bytes_received,
        "sent_per_s": round(agg.bytes_sent / duration, 1) if duration > 0 else 0.0,
        "received_per_s": round(agg.bytes_received / duration, 1) if duration > 0 else 0.0,
    }
    generator, reasons = _generator(agg, open_model)
    summary["generator_limited"] = generator["limited"]
    warnings = list(outcome.worker_errors)
    if reasons:
        warnings.append(
            "the load generator, not the target, was the limit ("
            + "; ".join(reasons)
            + "): the target may take more than these numbers show; add workers or machines, "
            "or lower the rate"
        )
    if agg.dropped:
        scheduled = f" of {agg.scheduled:,} scheduled" if open_model else ""
        if reasons:
            why = "the generator fell behind its schedule"
        else:
            why = (
                "every connection was busy when they came due, so the target did not keep up with "
                "the rate (more concurrency: raise -c or --max-connections)"
            )
        warnings.append(f"{agg.dropped:,}{scheduled} requests were never sent (dropped): {why}")
    if outcome.interrupted:
        warnings.append("the run was interrupted; these are partial results")
    result: dict[str, object] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "scalescope", "version": __version__},
        "target": {"url": outcome.config.target.url, "source": outcome.config.source},
        "config": _config_section(outcome),
        "started_at": datetime.fromtimestamp(outcome.started_at, UTC).isoformat(timespec="seconds"),
        "interrupted": outcome.interrupted,
        "lost_workers": list(outcome.lost_workers),
        "summary": summary,
        "by_name": {name: summarise(t, duration) for name, t in sorted(agg.by_name.items())},
        "series": agg.series,
        "generator": generator,
        "captured": list(outcome.captured),
        "error_budget": None,
        "thresholds": [],
        "passed": True,
        "warnings": warnings,
    }
    attach_thresholds(result, thresholds or [])
    return result


def attach_thresholds(result: dict[str, object], thresholds: list[ThresholdResult]) -> None:
    """Record threshold outcomes, the default error budget and the overall pass/fail in ``result``.

    The error budget (``config.max_error_rate``, 1 % unless set) applies when no threshold on the
    overall ``error_rate`` was given: a run whose error rate passes it fails, with a warning.
    """
    result["thresholds"] = [t.to_dict() for t in thresholds]
    passed = all(t.ok for t in thresholds)
    summary = result["summary"]
    config = result["config"]
    assert isinstance(summary, dict) and isinstance(config, dict)
    rate = float(summary["error_rate"])
    limit = float(config.get("max_error_rate", 1.0))
    applies = not any(t.threshold.metric == "error_rate" and t.threshold.name is None for t in thresholds)
    ok = not applies or rate <= limit
    result["error_budget"] = {"max_error_rate": limit, "error_rate": rate, "applies": applies, "ok": ok}
    warnings = result["warnings"]
    assert isinstance(warnings, list)
    warnings[:] = [w for w in warnings if not str(w).startswith(_BUDGET_WARNING)]
    if not ok:
        warnings.insert(
            0,
            f"{_BUDGET_WARNING} {format_value('error_rate', rate)} of requests failed, over the "
            f"{format_value('error_rate', limit)} budget "
            "(set --max-error-rate or an error_rate threshold to change it)",
        )
    result["passed"] = passed and ok


_BUDGET_WARNING = "error budget exceeded:"
