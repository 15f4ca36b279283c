"""A probe's outcome (findings, notices, what the server said) and its report form."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

from scalescope.report.model import Finding, Notice, ScanReport

from .meta import ProbeCheck, ProbeMeta, checks_for, to_finding
from .settings import ProbeSettings
from .target import Target, parse_target


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """What one probe of one server found. ``snapshot`` is the typed server snapshot
    (``PgSnapshot`` / ``RedisSnapshot``) that cross-checks read."""

    server: str  # postgres | redis
    label: str  # the server without secrets
    version: str
    findings: tuple[Finding, ...]
    notices: tuple[str, ...]
    checks: tuple[type[ProbeCheck[object]], ...]
    duration_s: float
    snapshot: object = field(default=None, compare=False)


def run_checks(
    checks: Iterable[type[ProbeCheck[object]]], snapshot: object, settings: ProbeSettings, label: str
) -> tuple[list[Finding], list[str]]:
    """Run every check over ``snapshot``; a failing check becomes a notice, never a crash."""
    findings: list[Finding] = []
    notices: list[str] = []
    for cls in checks:
        meta: ProbeMeta = cls.meta
        try:
            hits = list(cls().check(snapshot, settings))
        except Exception as exc:  # a check bug must not lose the other checks' findings
            notices.append(f"check {meta.id} failed: {type(exc).__name__}: {exc}")
            continue
        seen: set[str] = set()
        for hit in hits:
            if hit.subject in seen:
                continue
            seen.add(hit.subject)
            findings.append(to_finding(meta, hit, label))
    findings.sort(key=lambda f: (*f.sort_key, f.rule, f.fingerprint))
    return findings, notices


def to_report(results: Iterable[ProbeResult], base: ScanReport | None = None) -> ScanReport:
    """One report for the renderers: probe findings (after a scan's, when ``base`` is given)."""
    results = list(results)
    findings = list(base.findings) if base is not None else []
    notices = list(base.notices) if base is not None else []
    rules = list(base.rules) if base is not None else []
    stack = {k: list(v) for k, v in base.stack.items()} if base is not None else {}
    known = {f.fingerprint for f in findings}
    for r in results:
        findings.extend(f for f in r.findings if f.fingerprint not in known)
        notices.extend(Notice(r.label, 0, n) for n in r.notices)
        rules.extend(c.info() for c in r.checks)
        stack.setdefault("server", []).append(r.version)
    findings.sort(key=lambda f: (*f.sort_key, f.rule, f.fingerprint))
    labels = ", ".join(r.label for r in results)
    duration = sum(r.duration_s for r in results) + (base.duration_s or 0.0 if base is not None else 0.0)
    if base is None:
        return ScanReport(
            root=labels,
            stack=stack,
            findings=tuple(findings),
            rules=tuple(rules),
            notices=tuple(notices),
            duration_s=round(duration, 3),
            extra={"probes": [r.label for r in results]},
        )
    return ScanReport(
        root=base.root,
        stack=stack,
        findings=tuple(findings),
        skipped=base.skipped,
        rules=tuple(rules),
        files_scanned=base.files_scanned,
        lines_scanned=base.lines_scanned,
        suppressed=base.suppressed,
        notices=tuple(notices),
        key_files=base.key_files,
        instances=base.instances,
        duration_s=round(duration, 3),
        extra={**base.extra, "probes": [r.label for r in results]},
    )


class _Snapshot(Protocol):
    @property
    def version(self) -> str: ...


def probe_server(
    server: str,
    url: str | Target,
    settings: ProbeSettings | None,
    reader: Callable[[Target, ProbeSettings], tuple[_Snapshot, list[str]]],
) -> ProbeResult:
    """Read ``server``'s snapshot at ``url`` with ``reader`` and run every check of that server
    over it (the one body of ``probe_postgres`` and ``probe_redis``)."""
    settings = settings or ProbeSettings()
    target = url if isinstance(url, Target) else parse_target(server, url)
    started = time.perf_counter()
    snap, notices = reader(target, settings)
    checks = checks_for(server)
    findings, check_notices = run_checks(checks, snap, settings, target.label)
    return ProbeResult(
        server=server,
        label=target.label,
        version=snap.version,
        findings=tuple(findings),
        notices=tuple(notices + check_notices),
        checks=checks,
        duration_s=round(time.perf_counter() - started, 3),
        snapshot=snap,
    )
