"""Cross-checks: a scan's findings and facts against what live servers show.

``cross_check(scan_report, probe_results, model)`` returns one report: the scan's findings,
some confirmed (confidence raised, the server's numbers added as evidence) or contradicted
(confidence lowered, the contradiction stated), the probes' findings, and findings that need
both sides (SC-PG-015, pools x processes against ``max_connections``). It is a pure function
of its inputs, so ``scalescope probe ... --scan PATH`` and a future ``scalescope audit --db URL
--redis URL`` share it.

- SC-DB-006 (query filters on an unindexed column) whose table the server shows read by
  sequential scans: confidence high, the table's counters added, and the probe's SC-PG-006
  finding points back at the query. A table the server reads almost only through indexes
  lowers the confidence instead.
- SC-DB-001 (pool left at defaults): the live ``max_connections`` and the arithmetic
  (pool x processes against ``max_connections`` minus reserved) added to the message.
- SC-DB-002 (no query timeout): a server-side ``statement_timeout`` contradicts it (the
  server cancels the queries after all); none confirms it.
- SC-CACHE-007 (Redis without maxmemory / noeviction, from compose or redis.conf): confirmed
  or contradicted by the live setting. The live server may not be the one the file deploys
  (development compose, managed production Redis): the message says which server was read.
- SC-CACHE-004 / SC-CACHE-003 (KEYS in code): confirmed when the live server counts KEYS calls.
- SC-CACHE-005 (a Redis write without expiry): confirmed when the key sample holds keys without
  a TTL that start with the write's literal key prefix.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from scalescope.model.facts import CacheOp, DataAccess, DbClient
from scalescope.model.project import ProjectModel
from scalescope.redact import redact
from scalescope.report.model import Evidence, Finding, ScanReport

from .checks_cross import PoolsExceedMaxConnections
from .meta import ProbeHit, to_finding
from .postgres.snapshot import PgSnapshot, TableStat
from .redis.snapshot import RedisSnapshot
from .result import ProbeResult, to_report
from .settings import ProbeSettings

_WHOLE_TABLE = re.compile(r"scans the whole `([^`]+)` table")
_CONFIDENCE_UP = {"low": "medium", "medium": "high", "high": "high"}
_CONFIDENCE_DOWN = {"high": "medium", "medium": "low", "low": "low"}


def scan_with_model(path: Path) -> tuple[ScanReport, ProjectModel]:
    """Scan ``path`` as ``scalescope scan`` does, and return the project model as well.

    The engine's ``scan()`` does not expose its model, so the tree is read twice (the second
    time without rules); see the report to the lead for the one-line engine change that
    would avoid it.
    """
    from scalescope.scan.config import load_config
    from scalescope.scan.engine import build_project, scan

    config = load_config(path)
    report = scan(path, config)
    model, _, _ = build_project(path, config)
    return report, model


def cross_check(
    scan: ScanReport,
    probes: Sequence[ProbeResult],
    model: ProjectModel | None = None,
    settings: ProbeSettings | None = None,
) -> ScanReport:
    """One report of ``scan`` and ``probes``, with the findings each confirms or contradicts."""
    settings = settings or ProbeSettings()
    pg = next((p for p in probes if isinstance(p.snapshot, PgSnapshot)), None)
    rd = next((p for p in probes if isinstance(p.snapshot, RedisSnapshot)), None)
    findings = list(scan.findings)
    adjusted_probes = list(probes)
    if pg is not None:
        assert isinstance(pg.snapshot, PgSnapshot)
        findings, pg_findings = _seq_scans(findings, pg, pg.snapshot, model, settings)
        findings = [_timeouts(f, pg.label, pg.snapshot) for f in findings]
        findings = [_pool_arithmetic(f, pg.label, pg.snapshot, model, scan) for f in findings]
        extra = _pools_total(pg.label, pg.snapshot, model, scan, settings, findings)
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
        findings = [_redis(f, rd.label, rd.snapshot) for f in findings]
        findings = [_ttl(f, rd.label, rd.snapshot, model) for f in findings]
    base = replace(scan, findings=tuple(sorted(findings, key=lambda f: (*f.sort_key, f.rule))))
    return to_report(adjusted_probes, base=base)


# ---------------------------------------------------------------------------- PostgreSQL


def _tables_of(finding: Finding, model: ProjectModel | None) -> list[str]:
    """Table names an SC-DB-006 finding is about: from the model's query at the finding's
    location, else from the finding's message."""
    names: list[str] = []
    if model is not None:
        for access in model.all(DataAccess):
            if access.loc.file == finding.file and access.loc.line == finding.line:
                for table in model.find_tables(access.model):
                    names.append(table.name)
    if not names:
        m = _WHOLE_TABLE.search(finding.message)
        if m:
            names.append(m.group(1))
    return list(dict.fromkeys(n.strip('"').lower() for n in names))


def _stat_for(snap: PgSnapshot, name: str) -> TableStat | None:
    schema, _, table = name.rpartition(".")
    matches = [
        t for t in snap.tables if t.name.lower() == table and (not schema or t.schema.lower() == schema)
    ]
    if not matches:
        return None
    return next((t for t in matches if t.schema == "public"), matches[0])


def _seq_scans(
    findings: list[Finding],
    probe: ProbeResult,
    snap: PgSnapshot,
    model: ProjectModel | None,
    settings: ProbeSettings,
) -> tuple[list[Finding], list[Finding]]:
    probe_findings = list(probe.findings)
    out: list[Finding] = []
    for f in findings:
        if f.rule != "SC-DB-006":
            out.append(f)
            continue
        stat = next((s for n in _tables_of(f, model) if (s := _stat_for(snap, n)) is not None), None)
        if stat is None:
            out.append(f)
            continue
        counters = (
            f"{stat.qualified}: {stat.live:,} live rows, {stat.seq_scan:,} sequential scans "
            f"({stat.seq_tup_read:,} rows read), {stat.idx_scan or 0:,} index scans"
        )
        sequential = stat.seq_scan >= settings.seq_scan_min_scans and stat.seq_scan > (stat.idx_scan or 0)
        if sequential:
            big = stat.live >= settings.seq_scan_min_rows
            out.append(
                replace(
                    f,
                    confidence="high",
                    severity="high" if big and f.severity in {"medium", "low"} else f.severity,
                    message=f"{f.message} The live server confirms it: {counters} ({probe.label}).",
                    related=(*f.related, Evidence(probe.label, 0, f"server statistics: {counters}")),
                )
            )
            probe_findings = [
                replace(
                    pf,
                    related=(
                        *pf.related,
                        Evidence(f.file, f.line, f"query filtering without an index ({f.rule})"),
                    ),
                )
                if pf.rule == "SC-PG-006" and pf.message.startswith(stat.qualified + " ")
                else pf
                for pf in probe_findings
            ]
        elif (stat.idx_scan or 0) > stat.seq_scan:
            out.append(
                replace(
                    f,
                    confidence=_CONFIDENCE_DOWN[f.confidence],
                    message=(
                        f"{f.message} The live server does not show it: {counters} "
                        f"({probe.label}); an index the scan did not see may exist there."
                    ),
                    related=(*f.related, Evidence(probe.label, 0, f"server statistics: {counters}")),
                )
            )
        else:
            out.append(f)
    return out, probe_findings


def _timeouts(f: Finding, label: str, snap: PgSnapshot) -> Finding:
    if f.rule != "SC-DB-002":
        return f
    setting = snap.setting("statement_timeout")
    if setting is None:
        return f
    roles = [s for s in snap.role_settings if s.name == "statement_timeout" and s.value not in {"0", ""}]
    if setting.value not in {"0", ""} or roles:
        where = [
            f"{(s.role and 'role ' + s.role) or 'every role'} in "
            f"{(s.database and 'database ' + s.database) or 'every database'}: {s.value}"
            for s in roles
        ]
        if not where:
            where = [f"new sessions of {snap.user}: {setting.value} {setting.unit}".strip()]
        text = "; ".join(where)
        return replace(
            f,
            confidence=_CONFIDENCE_DOWN[f.confidence],
            message=f"{f.message} The live server sets statement_timeout by default ({text}; {label}), so "
            "PostgreSQL cancels long queries of those sessions even without a client-side timeout.",
            related=(*f.related, Evidence(label, 0, f"statement_timeout default: {text}")),
        )
    return replace(
        f,
        confidence=_CONFIDENCE_UP[f.confidence],
        message=f"{f.message} The live server confirms it: statement_timeout is 0 with no role or "
        f"database default ({label}).",
        related=(*f.related, Evidence(label, 0, "statement_timeout = 0")),
    )


def _pool_size(client: DbClient) -> int | None:
    if client.pool_max is not None:
        return client.pool_max
    if client.pool_options:
        return None  # set somewhere the scanner reads as a name only
    from scalescope.scan.rules.database.unconfigured_connection_pool import DEFAULTS

    info = DEFAULTS.get(client.library)
    return info[1] if info else None


def _processes(model: ProjectModel | None, scan: ScanReport, path: str = "") -> tuple[int, str]:
    """Processes that run the client at ``path``: its own service's replicas x workers (a
    worker count of another service in the repository does not apply), else the scan's."""
    n = (model.instance_count_for(path) if model is not None and path else None) or scan.instances
    if n:
        return n, "replicas x worker processes of its service from the deployment files"
    return 1, "one process (no replicas or worker counts found: set `instances` in scalescope.toml)"


def _pool_clients(model: ProjectModel) -> list[tuple[DbClient, int]]:
    from scalescope.scan.rules.database._pools import dialect_in

    out = []
    for client in model.all(DbClient):
        if client.kind not in {"pool"} or not model.role(client.loc.file).production:
            continue
        if dialect_in(model, client) not in {"postgres", "unknown"} or client.serverless:
            continue
        size = _pool_size(client)
        if size:
            out.append((client, size))
    return out


def _pool_arithmetic(
    f: Finding, label: str, snap: PgSnapshot, model: ProjectModel | None, scan: ScanReport
) -> Finding:
    if f.rule != "SC-DB-001" or snap.connections is None:
        return f
    c = snap.connections
    size = None
    if model is not None:
        client = next((d for d in model.all(DbClient) if d.loc.file == f.file and d.loc.line == f.line), None)
        size = _pool_size(client) if client is not None else None
    if size is None:
        note = f"live max_connections {c.max_connections} - {c.reserved} reserved = {c.available} available"
    else:
        n, source = _processes(model, scan, f.file)
        total = size * n
        note = (
            f"{size} per process x {n} processes ({source}) = {total} connections against live "
            f"max_connections {c.max_connections} - {c.reserved} reserved = {c.available} available "
            f"({total / max(c.available, 1):.0%}; {c.in_use} in use now)"
        )
    severity = f.severity
    if size is not None and size * _processes(model, scan, f.file)[0] > c.available:
        severity = "critical"
    return replace(
        f,
        severity=severity,
        confidence="high",
        message=f"{f.message} Server check ({label}): {note}.",
        related=(*f.related, Evidence(label, 0, note)),
    )


def _pools_total(
    label: str,
    snap: PgSnapshot,
    model: ProjectModel | None,
    scan: ScanReport,
    settings: ProbeSettings,
    findings: Sequence[Finding],
) -> list[Finding]:
    """SC-PG-015 over every pool, unless each pool already carries its arithmetic in an
    SC-DB-001 finding (one pool left at its defaults says it all)."""
    if model is None or snap.connections is None:
        return []
    c = snap.connections
    clients = _pool_clients(model)
    if not clients or c.available <= 0:
        return []
    covered = {(f.file, f.line) for f in findings if f.rule == "SC-DB-001"}
    if all((cl.loc.file, cl.loc.line) in covered for cl, _ in clients):
        return []
    counts = [(cl, size, *_processes(model, scan, cl.loc.file)) for cl, size in clients]
    total = sum(size * n for _, size, n, _ in counts)
    ratio = total / c.available
    if ratio < settings.connections_used_ratio:
        return []
    source = "; ".join(sorted({src for _, _, _, src in counts}))
    terms = " + ".join(f"{size} x {n}" for _, size, n, _ in counts)
    arithmetic = (
        f"{terms} (pool size x processes of its service) = {total} connections; "
        f"max_connections {c.max_connections} - {c.reserved} reserved = {c.available} available"
    )
    pools = "; ".join(
        f"{cl.library} pool at {cl.loc.file}:{cl.loc.line}: {size} per process" for cl, size in clients
    )
    first = clients[0][0]
    hit = ProbeHit(
        subject="pools",
        message=(
            f"The project's connection pools can open {total} connections ({ratio:.0%} of the {c.available} "
            f"the live server at {label} accepts): {arithmetic} ({pools}; {c.in_use} in use now). "
            f"Processes: {source}."
        ),
        recommendation=(
            "Shrink the per-process pools so the total stays under the limit with headroom, or put PgBouncer "
            "(transaction pooling) in front of the server."
        ),
        severity="critical" if total > c.available else "high",
    )
    finding = to_finding(PoolsExceedMaxConnections.meta, hit, label)
    return [
        replace(
            finding,
            file=first.loc.file,
            line=first.loc.line,
            end_line=first.loc.line,
            excerpt=redact(model.line_text(first.loc.file, first.loc.line).strip()),
            related=(
                *(
                    Evidence(cl.loc.file, cl.loc.line, f"{size} connections per process")
                    for cl, size in clients[1:]
                ),
                Evidence(label, 0, f"max_connections {c.max_connections}, reserved {c.reserved}"),
            ),
        )
    ]


# ---------------------------------------------------------------------------- Redis


def _redis(f: Finding, label: str, snap: RedisSnapshot) -> Finding:
    if f.rule == "SC-CACHE-007":
        maxmemory = (snap.setting("maxmemory") or "").strip()
        policy = (snap.setting("maxmemory-policy") or "").strip().lower()
        if not maxmemory:
            return f
        live = f"maxmemory {maxmemory}, maxmemory-policy {policy or '?'}"
        about_noeviction = "noeviction" in f.message and "sets no maxmemory" not in f.message
        confirmed = (policy == "noeviction" and maxmemory != "0") if about_noeviction else maxmemory == "0"
        if confirmed:
            return replace(
                f,
                confidence="high",
                message=f"{f.message} The live Redis at {label} confirms it ({live}).",
                related=(*f.related, Evidence(label, 0, f"live: {live}")),
            )
        return replace(
            f,
            confidence="low",
            message=(
                f"{f.message} The live Redis at {label} is configured otherwise ({live}): the file may "
                "describe another environment (development compose, a different instance)."
            ),
            related=(*f.related, Evidence(label, 0, f"live: {live}")),
        )
    if f.rule in {"SC-CACHE-004", "SC-CACHE-003"}:
        calls = snap.commandstats.get("keys", 0)
        if calls > 0:
            return replace(
                f,
                confidence="high",
                message=f"{f.message} The live Redis at {label} has run KEYS "
                f"{'once' if calls == 1 else f'{calls:,} times'}.",
                related=(*f.related, Evidence(label, 0, f"cmdstat_keys calls={calls}")),
            )
    return f


_INTERPOLATION = re.compile(r"\$\{|\{|%s|%\(|\*|\+")


def _literal_prefix(key: str) -> str:
    """The literal start of a key expression from code: ``"orders:recent"`` -> ``orders:recent``,
    `` `product:${id}` `` -> ``product:``; ``""`` for a variable (``key``) or no literal start."""
    text = key.strip()
    if text[:2] in {'f"', "f'"}:
        text = text[1:]
    if len(text) < 2 or text[0] not in "\"'`":
        return ""
    closing = text.find(text[0], 1)
    body = text[1:closing] if closing > 0 else text[1:]
    m = _INTERPOLATION.search(body)
    if m:
        body = body[: m.start()]
    return body if len(body) >= 3 else ""


def _ttl(f: Finding, label: str, snap: RedisSnapshot, model: ProjectModel | None) -> Finding:
    """SC-CACHE-005 (a cache write without expiry) against the keys without TTL the live
    server holds: confirmed when a sampled key without TTL starts with the write's literal key
    prefix; otherwise the sample is added as context only."""
    if f.rule != "SC-CACHE-005" or snap.sample is None or model is None:
        return f
    ops = [op for op in model.all(CacheOp) if op.loc.file == f.file and op.loc.line == f.line]
    if not ops:
        return f  # an in-process cache, not a Redis write
    prefix = _literal_prefix(ops[0].key)
    sample = snap.sample
    matching = [(p, n) for p, n in sample.without_ttl_patterns if prefix and p.startswith(prefix)]
    if matching:
        found = ", ".join(f"{p} ({n})" for p, n in matching)
        return replace(
            f,
            confidence="high",
            message=f"{f.message} The live Redis at {label} holds such keys without a TTL: {found} in a "
            f"sample of {sample.sampled} keys.",
            related=(*f.related, Evidence(label, 0, f"sampled keys without TTL: {found}")),
        )
    return f
