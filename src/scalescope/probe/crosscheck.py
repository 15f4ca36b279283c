"""Cross-checks: a scan's findings and facts against what live servers show.

``cross_check(scan_report, probe_results, model)`` returns one report: the scan's findings,
some confirmed (confidence one step up, the server's numbers added as evidence) or contradicted
(one step down, the contradiction stated), the probes' findings, and findings that need both
sides (SC-PG-015, pools x processes against ``max_connections``). It is a pure function of its
inputs, so ``scalescope probe ... --scan PATH`` and ``scalescope audit --db URL --redis URL``
share it.

The scan is read at low confidence (:func:`scan_with_model`): the findings whose truth depends
on a size the code does not show are capped at low (``scan/calibration.py``), and the server is
what can show that size. ``cross_check(..., min_confidence=...)`` then hides what is still
below the user's minimum, so a low finding the server confirms is shown and one it does not
stays hidden. What each server said is in the findings' evidence (notes ``confirmed: …`` /
``contradicted: …``, :mod:`.verdict`) and in ``report.extra["cross_checks"]``.

The checks per server are in :mod:`.cross_pg` (with :mod:`.cross_rows`) and :mod:`.cross_redis`:

- SC-DB-006 (query filters on an unindexed column) whose table the server shows read by
  sequential scans: confirmed, the table's counters added, and the probe's SC-PG-006
  finding points back at the query. A table the server reads almost only through indexes
  contradicts it.
- SC-DB-004 / SC-DB-005 (a list with no limit, an exact count per page): the table's row
  count and the filter column's statistics decide (:mod:`.cross_rows`).
- SC-DB-001 (pool left at defaults): the live ``max_connections`` and the arithmetic
  (pool x processes against ``max_connections`` minus reserved) added to the message.
- SC-DB-002 (no query timeout): a server-side ``statement_timeout`` contradicts it (the
  server cancels the queries after all); none confirms it.
- SC-CACHE-007 (Redis without maxmemory / noeviction, from compose or redis.conf): confirmed
  or contradicted by the live setting. The live server may not be the one the file deploys
  (development compose, managed production Redis): the message says which server was read.
- SC-CACHE-004 / SC-CACHE-003 (KEYS in code): confirmed when the live server counts KEYS calls.
- SC-CACHE-005 (a Redis write without expiry): confirmed when the key sample holds keys without
  a TTL under the write's literal key prefix, keyed by a varying part (``invoice:*``), at least
  ``ProbeSettings.redis_no_ttl_confirm_keys`` of them; one fixed key is context only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from scalescope.model.project import ProjectModel
from scalescope.report.model import Finding, Notice, ScanReport

from . import cross_pg, cross_redis
from .checks_cross import PoolsExceedMaxConnections
from .postgres.snapshot import PgSnapshot
from .redis.snapshot import RedisSnapshot
from .result import ProbeResult, to_report
from .settings import ProbeSettings
from .verdict import outcome_of

if TYPE_CHECKING:
    from scalescope.scan.config import ScanConfig


def scan_with_model(path: Path, config: ScanConfig | None = None) -> tuple[ScanReport, ProjectModel]:
    """Scan ``path`` as ``scalescope scan`` does (``config``, else the repository's own), but
    at low confidence, and return the project model as well: every finding reaches the
    cross-check, which hides what is still below the minimum once the servers have spoken."""
    from scalescope.scan.config import load_config
    from scalescope.scan.engine import scan_project

    config = config or load_config(path)
    return scan_project(path, replace(config, min_confidence="low"))


def cross_check(
    scan: ScanReport,
    probes: Sequence[ProbeResult],
    model: ProjectModel | None = None,
    settings: ProbeSettings | None = None,
    min_confidence: str | None = None,
) -> ScanReport:
    """One report of ``scan`` and ``probes``, with the findings each confirms or contradicts;
    with ``min_confidence``, findings still below it afterwards are hidden (and counted)."""
    settings = settings or ProbeSettings()
    pg = next((p for p in probes if isinstance(p.snapshot, PgSnapshot)), None)
    rd = next((p for p in probes if isinstance(p.snapshot, RedisSnapshot)), None)
    findings = list(scan.findings)
    adjusted_probes = list(probes)
    if pg is not None:
        assert isinstance(pg.snapshot, PgSnapshot)
        findings, pg_findings = cross_pg.seq_scans(findings, pg, pg.snapshot, model, settings)
        findings = [cross_pg.timeouts(f, pg.label, pg.snapshot) for f in findings]
        findings = [cross_pg.pool_arithmetic(f, pg.label, pg.snapshot, model, scan) for f in findings]
        findings = [cross_pg.rows(f, pg.label, pg.snapshot, model, settings) for f in findings]
        extra = cross_pg.pools_total(pg.label, pg.snapshot, model, scan, settings, findings)
        adjusted_probes = [
            replace(
                p,
                findings=tuple(pg_findings) + tuple(extra),
                checks=(*p.checks, PoolsExceedMaxConnections) if model is not None else p.checks,
            )
            if p is pg
            else p
            for p in adjusted_probes
        ]
    if rd is not None:
        assert isinstance(rd.snapshot, RedisSnapshot)
        findings = [cross_redis.settings_and_commands(f, rd.label, rd.snapshot) for f in findings]
        findings = [cross_redis.keys_without_ttl(f, rd.label, rd.snapshot, model, settings) for f in findings]
    checks = _outcomes(scan.findings, findings)
    base = replace(
        scan,
        findings=tuple(sorted(findings, key=lambda f: (*f.sort_key, f.rule))),
        notices=(*scan.notices, *_summary(checks)),
    )
    report = to_report(adjusted_probes, base=base)
    report = replace(report, extra={**report.extra, "cross_checks": checks})
    if min_confidence is None:
        return report
    return hide_below_confidence(report, min_confidence, {f.fingerprint for f in findings})


def _outcomes(before: Sequence[Finding], after: Sequence[Finding]) -> list[dict[str, object]]:
    """One record per scan finding the servers said something about (same order as before)."""
    out: list[dict[str, object]] = []
    for old, new in zip(before, after, strict=True):
        outcome = outcome_of(old, new)
        if not outcome:
            continue
        servers = sorted({e.file for e in new.related[len(old.related) :] if e.kind == "evidence"})
        out.append(
            {
                "rule": new.rule,
                "file": new.file,
                "line": new.line,
                "fingerprint": new.fingerprint,
                "outcome": outcome,
                "confidence_before": old.confidence,
                "confidence": new.confidence,
                "servers": servers,
            }
        )
    return out


def _summary(checks: Sequence[dict[str, object]]) -> list[Notice]:
    if not checks:
        return []
    counts = {
        o: sum(1 for c in checks if c["outcome"] == o) for o in ("confirmed", "contradicted", "checked")
    }
    raised = sum(1 for c in checks if c["confidence_before"] == "low" and c["confidence"] != "low")
    text = (
        f"live cross-check: {counts['confirmed']} scan findings confirmed, {counts['contradicted']} "
        f"contradicted, {counts['checked']} given the server's numbers"
        + (f"; {raised} raised from low confidence by the evidence" if raised else "")
    )
    return [Notice("", 0, text)]


def hide_below_confidence(
    report: ScanReport, min_confidence: str, scanned: set[str] | frozenset[str] = frozenset()
) -> ScanReport:
    """``report`` without the findings below ``min_confidence``, counted in a notice; the key
    files are those of the scan findings still shown (``scanned``: their fingerprints)."""
    from scalescope.scan.engine import hide_below, key_files

    kept, hidden = hide_below(report.findings, min_confidence)
    if hidden is None:
        return report
    return replace(
        report,
        findings=tuple(kept),
        notices=(*report.notices, hidden),
        key_files=key_files([f for f in kept if f.fingerprint in scanned]) if scanned else report.key_files,
    )
