"""The audit report: one immutable object every renderer reads (renderers format, never compute).

Its JSON form extends the scan's contract (``schema_version`` 1, same finding shape) with the
measured sections: ``capacity``, ``usl``, ``users``, ``plan``, ``endpoints``, ``shutdown``,
``probes`` (the live servers read and the scan findings they confirmed or contradicted),
``data_size`` (endpoints measured at several response sizes, their fit and verdict), plus
``sweep`` (the closed-model points the USL was fitted to), ``resources`` (CPU/RSS samples),
``traffic`` (the mix and what was left out) and ``verdict``. Every number is
measured, or sits in a row whose ``basis`` is ``projected`` with its ``model``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scalescope import __version__
from scalescope.audit.capacity import CapacityResult
from scalescope.audit.datasize import SizeSeries
from scalescope.audit.live import LiveResult
from scalescope.audit.measure import ConcurrencyPoint, EndpointLatency
from scalescope.audit.plan import PlanRow, UsersEstimate
from scalescope.audit.shutdown import ShutdownResult
from scalescope.audit.traffic import TrafficMix
from scalescope.audit.usl import USLFit
from scalescope.report.model import SEVERITY_RANK, Finding, ScanReport

__all__ = ["AuditReport", "Verdict"]


@dataclass(frozen=True)
class Verdict:
    """The first thing a reader sees: users now, what breaks first, what to fix first."""

    headline: str
    users_now: int | None
    sustainable_rps: float | None
    limiting: str
    first_fix: str
    ok: bool  # the audit ran to a capacity figure (False: the app failed, or nothing measured)

    def as_dict(self) -> dict[str, object]:
        return {
            "headline": self.headline,
            "users_now": self.users_now,
            "sustainable_rps": None if self.sustainable_rps is None else round(self.sustainable_rps, 1),
            "limiting": self.limiting,
            "first_fix": self.first_fix,
            "ok": self.ok,
        }


@dataclass(frozen=True)
class AuditReport:
    root: str
    url: str
    verdict: Verdict
    settings: dict[str, object]
    scan: ScanReport | None = None
    findings: tuple[Finding, ...] = ()
    capacity: CapacityResult | None = None
    sweep: tuple[ConcurrencyPoint, ...] = ()
    usl: USLFit | None = None
    users: UsersEstimate | None = None
    plan: tuple[PlanRow, ...] = ()
    plan_fit: USLFit | None = None
    endpoints: tuple[EndpointLatency, ...] = ()
    #: endpoints measured at several response sizes (latency against the data returned)
    data_sizes: tuple[SizeSeries, ...] = ()
    traffic: TrafficMix | None = None
    shutdown: ShutdownResult | None = None
    resources: tuple[tuple[float, float, float], ...] = ()  # (seconds since start, cpu %, rss MiB)
    events: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    log_tail: str = ""
    cores: int = 1
    duration_s: float = 0.0
    generated_at: str = ""
    stack: dict[str, list[str]] = field(default_factory=dict)
    #: the live probes (``--db`` / ``--redis``); ``None`` when none was configured
    live: LiveResult | None = None

    @property
    def prioritised(self) -> tuple[Finding, ...]:
        """Measured findings first within a severity (they are facts about this deployment)."""
        return tuple(
            sorted(
                self.findings,
                key=lambda f: (SEVERITY_RANK.get(f.severity, 9), f.impact != "measured", f.sort_key),
            )
        )

    def to_dict(self) -> dict[str, Any]:
        from scalescope.report.render.json import finding_dict

        return {
            "schema_version": 1,
            "kind": "audit",
            "tool": {"name": "scalescope", "version": __version__},
            "target": {"path": self.root, "url": self.url, "stack": self.stack},
            "generated_at": self.generated_at,
            "duration_s": round(self.duration_s, 1),
            "settings": self.settings,
            "verdict": self.verdict.as_dict(),
            "capacity": self.capacity.as_dict() if self.capacity is not None else None,
            "usl": self.usl.as_dict() if self.usl is not None else None,
            "sweep": [p.as_dict() for p in self.sweep],
            "users": self.users.as_dict() if self.users is not None else None,
            "plan": [r.as_dict() for r in self.plan],
            "endpoints": [e.as_dict() for e in self.endpoints],
            "data_size": [d.as_dict() for d in self.data_sizes],
            "traffic": self.traffic.as_dict() if self.traffic is not None else None,
            "shutdown": self.shutdown.as_dict() if self.shutdown is not None else None,
            "resources": {
                "cores": self.cores,
                "samples": [
                    {"t": round(t, 2), "cpu_percent": round(c, 1), "rss_mib": round(r, 1)}
                    for t, c, r in self.resources
                ],
            },
            "probes": self.live.as_dict() if self.live is not None else None,
            "findings": [finding_dict(f) for f in self.prioritised],
            "scan": None
            if self.scan is None
            else {
                "files_scanned": self.scan.files_scanned,
                "lines_scanned": self.scan.lines_scanned,
                "findings": len(self.scan.findings),
            },
            "events": list(self.events),
            "warnings": list(self.warnings),
            "log_tail": self.log_tail,
        }
