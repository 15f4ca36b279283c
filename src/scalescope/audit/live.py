"""Live probes from the audit: after the load, read the app's PostgreSQL and Redis (``--db``,
``--redis``) with the read-only probes of ``scalescope.probe`` and cross-check the scan's
findings against what the servers show.

The probes run after the load on purpose: the servers' counters (sequential scans, index
scans, connections, slow log) then include the traffic the audit just sent, so a query the scan
flags as unindexed is either confirmed by the scans the load caused or contradicted by an index
the scan could not see. The join itself is ``scalescope.probe.cross_check``, shared with
``scalescope probe --scan``.

A server that cannot be probed (unreachable, login refused, the ``live`` extra missing, a bad
URL, a ``$NAME`` reference to an unset variable) becomes a warning in the report; the audit
still completes. Servers are named by their label (``postgresql://host:5432/db``): no user,
password or query string reaches the report.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from scalescope.audit.settings import AuditSettings, resolve_url
from scalescope.model.project import ProjectModel
from scalescope.redact import redact
from scalescope.report.model import Finding, ScanReport

__all__ = ["CrossCheck", "LiveResult", "LiveServer", "Prober", "probe_servers"]

_KINDS = (("postgres", "db", "PostgreSQL"), ("redis", "redis", "Redis"))
_RANK = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True, slots=True)
class LiveServer:
    """One server the audit probed (or tried to)."""

    kind: str  # postgres | redis
    label: str  # the server without secrets; the setting's source when it could not be parsed
    version: str = ""
    findings: tuple[str, ...] = ()  # ids of the probe's own findings, in report order
    notices: tuple[str, ...] = ()
    error: str = ""  # why the probe did not run (already scrubbed of secrets)
    duration_s: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "server": self.kind,
            "label": self.label,
            "version": self.version,
            "findings": list(self.findings),
            "notices": list(self.notices),
            "error": self.error or None,
            "duration_s": round(self.duration_s, 2),
        }


@dataclass(frozen=True, slots=True)
class CrossCheck:
    """A scan finding a live server confirmed, contradicted or annotated."""

    rule: str
    file: str
    line: int
    outcome: str  # confirmed | contradicted | checked
    server: str

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "file": self.file,
            "line": self.line,
            "outcome": self.outcome,
            "server": self.server,
        }


@dataclass(frozen=True, slots=True)
class LiveResult:
    servers: tuple[LiveServer, ...]
    #: the scan's findings after the cross-check, then the probes' own findings
    findings: tuple[Finding, ...]
    cross_checks: tuple[CrossCheck, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "servers": [s.as_dict() for s in self.servers],
            "cross_checks": [c.as_dict() for c in self.cross_checks],
        }


#: ``(kind, url) -> ProbeResult``; injected by tests, the real probes by default
Prober = Callable[[str, str], object]


def _default_prober(kind: str, url: str) -> object:
    from scalescope.probe import probe_postgres, probe_redis

    return probe_postgres(url) if kind == "postgres" else probe_redis(url)


def _label(kind: str, url: str) -> str:
    from scalescope.probe.target import ProbeError, parse_target

    try:
        return parse_target(kind, url).label
    except ProbeError:
        return f"{'postgresql' if kind == 'postgres' else 'redis'}://(unparsable URL)"


def _scrub(kind: str, url: str, text: str) -> str:
    from scalescope.probe.target import ProbeError, parse_target

    try:
        return parse_target(kind, url).scrub(text)
    except ProbeError:
        return redact(text.replace(url, "(the URL)"))


def _without_driver(url: str) -> str:
    """A SQLAlchemy-style URL (``postgresql+psycopg://``, ``postgres+asyncpg://``) as the probe's
    driver takes it: the app's own ``DATABASE_URL`` can be given as it is."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme.split('+', 1)[0]}{sep}{rest}" if sep and "+" in scheme else url


def _key(f: Finding) -> tuple[str, str, int, str]:
    return (f.rule, f.file, f.line, f.fingerprint)


def _outcome(before: Finding, after: Finding) -> str:
    """What the servers said (``probe/verdict.py`` records it in the evidence notes), else,
    for a join that records none (pool arithmetic), from the confidence."""
    from scalescope.probe.verdict import outcome_of

    recorded = outcome_of(before, after)
    if recorded:
        return recorded
    if _RANK.get(after.confidence, 1) < _RANK.get(before.confidence, 1):
        return "contradicted"
    if _RANK.get(after.confidence, 1) > _RANK.get(before.confidence, 1):
        return "confirmed"
    return "checked"


def probe_servers(
    settings: AuditSettings,
    scan: ScanReport | None,
    model: ProjectModel | None,
    environ: Mapping[str, str],
    *,
    prober: Prober | None = None,
    root: str = "",
) -> tuple[LiveResult | None, list[str]]:
    """Probe the servers ``settings`` names and cross-check ``scan`` against them. Returns the
    result (``None`` when no server is configured) and warnings for the report."""
    from scalescope.probe.result import ProbeResult
    from scalescope.probe.target import ProbeError

    probe = prober or _default_prober
    env = dict(settings.env)
    warnings: list[str] = []
    servers: list[LiveServer] = []
    results: list[ProbeResult] = []
    configured = False
    for kind, key, name in _KINDS:
        value = getattr(settings, key)
        if not value:
            continue
        configured = True
        url, source = resolve_url(value, env, environ)
        if url is None:
            warnings.append(f"{name} probe skipped: {source}")
            servers.append(LiveServer(kind, source, error=f"{source}: no URL"))
            continue
        url = _without_driver(url)
        label = _label(kind, url)
        started = time.monotonic()
        try:
            result = probe(kind, url)
        except ProbeError as exc:
            error = _scrub(kind, url, exc.message)
            warnings.append(f"{name} probe failed, the audit went on without it: {error}")
            servers.append(LiveServer(kind, label, error=error, duration_s=time.monotonic() - started))
            continue
        except Exception as exc:  # a probe bug must not lose the audit
            error = _scrub(kind, url, f"{type(exc).__name__}: {exc}")
            warnings.append(f"{name} probe failed, the audit went on without it: {error}")
            servers.append(LiveServer(kind, label, error=error, duration_s=time.monotonic() - started))
            continue
        assert isinstance(result, ProbeResult)
        results.append(result)
    if not configured:
        return None, warnings

    from scalescope.probe import cross_check

    base = scan if scan is not None else ScanReport(root=root, stack={}, findings=())
    before = {_key(f): f for f in base.findings}
    joined = cross_check(base, results, model) if results else base
    scan_side = [f for f in joined.findings if _key(f) in before]
    probe_side = [f for f in joined.findings if _key(f) not in before]
    checks: list[CrossCheck] = []
    for f in scan_side:
        old = before[_key(f)]
        if f == old:
            continue
        server = next((r.label for r in results if r.label in f.message), results[0].label if results else "")
        checks.append(CrossCheck(f.rule, f.file, f.line, _outcome(old, f), server))
    for r in results:
        prefix = "SC-PG-" if r.server == "postgres" else "SC-REDIS-"
        ids = tuple(f.rule for f in probe_side if f.rule.startswith(prefix))
        servers.append(
            LiveServer(r.server, r.label, r.version, ids, tuple(r.notices), duration_s=r.duration_s)
        )
    order = {kind: i for i, (kind, _, _) in enumerate(_KINDS)}
    servers.sort(key=lambda s: order.get(s.kind, 9))
    return (
        LiveResult(tuple(servers), tuple(scan_side + probe_side), tuple(checks)),
        warnings,
    )
