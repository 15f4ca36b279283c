"""The audit's only door into the load engine: one constant-rate step, one concurrency level,
one endpoint, each turned into the small records the capacity model reads.

Every step runs the real engine (``scalescope.load``: worker processes, keep-alive connections,
HDR histograms, latency from the intended send time in the open model) and reads its JSON
result, so what the audit reports is what ``scalescope load`` would have printed for that step.
The app's process tree is sampled during each step (CPU, RSS) when a sampler is given.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from scalescope.audit.capacity import Step
from scalescope.audit.sampler import ProcessSampler
from scalescope.load.config import LoadConfig, Model, RequestSpec, Target
from scalescope.load.result import build_result
from scalescope.load.runner import run_load

__all__ = ["ConcurrencyPoint", "EndpointLatency", "Measurer"]


@dataclass(frozen=True, slots=True)
class ConcurrencyPoint:
    """One closed-model level: ``concurrency`` connections sending back to back."""

    concurrency: int
    throughput_rps: float
    p50_ms: float
    p95_ms: float
    error_rate: float
    cpu_percent: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "concurrency": self.concurrency,
            "throughput_rps": round(self.throughput_rps, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "error_rate": round(self.error_rate, 5),
            "cpu_percent": None if self.cpu_percent is None else round(self.cpu_percent, 1),
        }


@dataclass(frozen=True, slots=True)
class EndpointLatency:
    """Cold (first requests after start) and warm (after a warm-up) latency of one request."""

    name: str
    method: str
    path: str
    cold_p50_ms: float
    cold_p95_ms: float
    warm_p50_ms: float
    warm_p95_ms: float
    error_rate: float
    bytes_per_response: float | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "method": self.method,
            "path": self.path,
            "cold": {"p50_ms": round(self.cold_p50_ms, 2), "p95_ms": round(self.cold_p95_ms, 2)},
            "warm": {"p50_ms": round(self.warm_p50_ms, 2), "p95_ms": round(self.warm_p95_ms, 2)},
            "error_rate": round(self.error_rate, 5),
        }


def _summary(result: Mapping[str, Any]) -> Mapping[str, Any]:
    summary = result.get("summary", {})
    assert isinstance(summary, Mapping)
    return summary


def _latency(summary: Mapping[str, Any], key: str) -> float:
    lat = summary.get("latency_ms", {})
    value = lat.get(key, 0.0) if isinstance(lat, Mapping) else 0.0
    return float(value or 0.0)


def backlog_growing(series: object) -> bool:
    """Whether a queue built up during a constant-rate run: the per-second median latency of
    the last third is well above the first third's (and above it by a margin that timer noise
    cannot explain), and requests in flight did not fall. The first second (connection set-up)
    is left out."""
    if not isinstance(series, list):
        return False
    points = [p for p in series[1:] if isinstance(p, Mapping) and int(p.get("responses", 0) or 0) > 0]
    if len(points) < 3:
        return False
    p50 = [float((p.get("latency_ms") or {}).get("p50", 0.0) or 0.0) for p in points]
    flight = [float(p.get("in_flight", 0) or 0) for p in points]
    third = max(1, len(points) // 3)
    early, late = sum(p50[:third]) / third, sum(p50[-third:]) / third
    rising = sum(1 for a, b in itertools.pairwise(p50) if b > a) >= (len(p50) - 1) * 0.6
    return late > 1.5 * early + 5.0 and rising and flight[-1] >= flight[0]


def served_per_second(result: Mapping[str, Any], duration_s: float) -> float | None:
    """Successful responses per second *within* the step, from the per-second series: responses
    that complete after the step (the backlog draining) are not throughput the app sustained.
    ``None`` when the run has no usable series."""
    series = result.get("series")
    if not isinstance(series, list) or duration_s < 1:
        return None
    whole = int(duration_s)
    ok = 0
    seen = False
    for point in series:
        if not isinstance(point, Mapping):
            continue
        second = point.get("second")
        if not isinstance(second, int) or second >= whole:
            continue
        errors = point.get("errors") or {}
        failed = sum(int(v) for v in errors.values()) if isinstance(errors, Mapping) else 0
        ok += max(int(point.get("responses", 0) or 0) - failed, 0)
        seen = True
    return ok / whole if seen else None


def generator_limited(result: Mapping[str, Any]) -> bool:
    """Whether the engine says the generator, not the target, limited this run."""
    gen = result.get("generator")
    if isinstance(gen, Mapping) and "limited" in gen:
        return bool(gen["limited"])
    return bool(result.get("generator_limited", False))


class Measurer:
    """Runs load steps against ``target`` with the ``requests`` traffic mix."""

    def __init__(
        self,
        target: Target,
        requests: Sequence[RequestSpec],
        *,
        step_s: float,
        workers: int = 1,
        timeout_s: float = 10.0,
        sampler: ProcessSampler | None = None,
        exit_code: Callable[[], int | None] | None = None,
        on_step: Callable[[str], None] | None = None,
    ) -> None:
        self.target = target
        self.requests = tuple(requests)
        self.step_s = step_s
        self.workers = workers
        self.timeout_s = timeout_s
        self.sampler = sampler
        self.exit_code = exit_code or (lambda: None)
        self.on_step = on_step or (lambda _msg: None)
        self.results: list[dict[str, object]] = []

    def _config(
        self, model: Model, duration_s: float, requests: Sequence[RequestSpec] | None = None
    ) -> LoadConfig:
        return LoadConfig(
            target=self.target,
            requests=tuple(requests or self.requests),
            model=model,
            duration_s=duration_s,
            timeout_s=self.timeout_s,
            workers=self.workers,
            source="scalescope audit",
        )

    def _run(self, config: LoadConfig) -> tuple[dict[str, object], float, float]:
        started = time.monotonic()
        outcome = run_load(config)
        ended = time.monotonic()
        result = build_result(outcome)
        self.results.append(result)
        return result, started, ended

    def _window(self, start: float, end: float) -> tuple[float | None, float | None]:
        if self.sampler is None:
            return None, None
        win = self.sampler.window(start, end)
        return (win.cpu_mean, win.rss_max) if win is not None else (None, None)

    def at_rate(self, rate: float) -> Step:
        """One open-model step at ``rate`` requests/s for ``step_s`` seconds."""
        self.on_step(f"open model: {rate:,.0f} req/s for {self.step_s:g} s")
        # enough connections for the rate at the SLO's latency, capped: beyond them the engine
        # reports the requests it could not send as dropped, never silently
        connections = int(min(max(32, rate * 0.5), 2000))
        model = Model(kind="open", rate=rate, connections=connections)
        result, start, end = self._run(self._config(model, self.step_s))
        summary = _summary(result)
        duration = float(summary.get("duration_s", self.step_s) or self.step_s)
        requests = int(summary.get("requests", 0) or 0)
        errors = int(summary.get("error_count", 0) or 0)
        dropped = int(summary.get("dropped", 0) or 0)
        ok = max(requests - errors, 0)
        cpu, rss = self._window(start, end)
        served = served_per_second(result, duration)
        return Step(
            offered_rps=rate,
            achieved_rps=served if served is not None else (ok / duration if duration > 0 else 0.0),
            p50_ms=_latency(summary, "p50"),
            p95_ms=_latency(summary, "p95"),
            p99_ms=_latency(summary, "p99"),
            error_rate=(errors + dropped) / max(requests + dropped, 1),
            requests=requests,
            duration_s=duration,
            dropped=dropped,
            generator_limited=generator_limited(result),
            cpu_percent=cpu,
            rss_mib=rss,
            process_exit=self.exit_code(),
            errors={str(k): int(v) for k, v in dict(summary.get("errors", {}) or {}).items()},
            backlog_growing=backlog_growing(result.get("series")),
        )

    def at_concurrency(self, connections: int, duration_s: float | None = None) -> ConcurrencyPoint:
        """One closed-model level: ``connections`` connections, no think time."""
        self.on_step(f"closed model: {connections} connections")
        model = Model(kind="closed", connections=connections)
        result, start, end = self._run(self._config(model, duration_s or self.step_s))
        summary = _summary(result)
        duration = float(summary.get("duration_s", 1.0) or 1.0)
        requests = int(summary.get("requests", 0) or 0)
        errors = int(summary.get("error_count", 0) or 0)
        cpu, _ = self._window(start, end)
        return ConcurrencyPoint(
            concurrency=connections,
            throughput_rps=max(requests - errors, 0) / duration,
            p50_ms=_latency(summary, "p50"),
            p95_ms=_latency(summary, "p95"),
            error_rate=errors / max(requests, 1),
            cpu_percent=cpu,
        )

    def interleaved(
        self, requests: Sequence[tuple[str, str]], *, duration_s: float, max_requests: int
    ) -> dict[str, tuple[float, float, int, int]]:
        """GETs of ``(name, path)`` in one closed-model run on one connection, each request
        picked at random with equal weights (so drift hits every one alike): per name, (p50 ms,
        p95 ms, requests, errors)."""
        specs = [RequestSpec(name=name, method="GET", path=path) for name, path in requests]
        self.on_step(f"{len(specs)} sizes of one endpoint, interleaved on one connection")
        config = replace(
            self._config(Model(kind="closed", connections=1), duration_s, specs),
            max_requests=max_requests,
            workers=1,
        )
        result, _, _ = self._run(config)
        by_name = result.get("by_name")
        out: dict[str, tuple[float, float, int, int]] = {}
        if isinstance(by_name, Mapping):
            for name, summary in by_name.items():
                if isinstance(summary, Mapping):
                    out[str(name)] = (
                        _latency(summary, "p50"),
                        _latency(summary, "p95"),
                        int(summary.get("requests", 0) or 0),
                        int(summary.get("error_count", 0) or 0),
                    )
        return out

    def endpoint(self, spec: RequestSpec, *, cold_requests: int, warm_s: float) -> EndpointLatency:
        """Cold latency (the first ``cold_requests`` requests, one at a time) then warm latency
        (one connection for ``warm_s`` seconds after them): the difference is what caches,
        connection pools and JIT warm-up buy."""
        self.on_step(f"endpoint {spec.method} {spec.path}")
        one = replace(spec, weight=1.0)
        cold_cfg = replace(
            self._config(Model(kind="closed", connections=1), 60.0, [one]),
            max_requests=cold_requests,
            workers=1,
        )
        cold, _, _ = self._run(cold_cfg)
        warm, _, _ = self._run(
            replace(self._config(Model(kind="closed", connections=1), warm_s, [one]), workers=1)
        )
        cs, ws = _summary(cold), _summary(warm)
        requests = int(ws.get("requests", 0) or 0)
        errors = int(ws.get("error_count", 0) or 0)
        return EndpointLatency(
            name=spec.name,
            method=spec.method,
            path=spec.path,
            cold_p50_ms=_latency(cs, "p50"),
            cold_p95_ms=_latency(cs, "p95"),
            warm_p50_ms=_latency(ws, "p50"),
            warm_p95_ms=_latency(ws, "p95"),
            error_rate=errors / max(requests, 1),
        )
