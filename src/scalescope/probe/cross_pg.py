"""PostgreSQL cross-checks of scan findings: sequential scans (SC-DB-006), timeouts
(SC-DB-002), pool arithmetic (SC-DB-001, SC-PG-015) and row counts (SC-DB-004/005, in
:mod:`.cross_rows`). Each takes a finding and the snapshot and returns the finding, changed
through :func:`.verdict.apply` when the server says something about it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from scalescope.model.facts import DataAccess, DbClient
from scalescope.model.project import ProjectModel
from scalescope.redact import redact
from scalescope.report.model import Evidence, Finding, ScanReport

from .checks_cross import PoolsExceedMaxConnections
from .cross_rows import row_verdict
from .meta import ProbeHit, to_finding
from .postgres.snapshot import PgSnapshot, TableStat
from .result import ProbeResult
from .settings import ProbeSettings
from .verdict import Verdict, apply

_WHOLE_TABLE = re.compile(r"scans the whole `([^`]+)` table")


def rows(
    f: Finding, label: str, snap: PgSnapshot, model: ProjectModel | None, settings: ProbeSettings
) -> Finding:
    verdict = row_verdict(f, model, snap, label, settings)
    return f if verdict is None else apply(f, verdict)


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


def seq_scans(
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
            verdict = Verdict(
                "confirmed",
                probe.label,
                f"The live server confirms it: {counters} ({probe.label}).",
                f"server statistics: {counters}",
            )
            out.append(
                apply(f, verdict, severity="high" if big and f.severity in {"medium", "low"} else None)
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
            verdict = Verdict(
                "contradicted",
                probe.label,
                f"The live server does not show it: {counters} ({probe.label}); an index the scan "
                "did not see may exist there.",
                f"server statistics: {counters}",
            )
            out.append(apply(f, verdict))
        else:
            out.append(f)
    return out, probe_findings


def timeouts(f: Finding, label: str, snap: PgSnapshot) -> Finding:
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
        return apply(
            f,
            Verdict(
                "contradicted",
                label,
                f"The live server sets statement_timeout by default ({text}; {label}), so PostgreSQL "
                "cancels long queries of those sessions even without a client-side timeout.",
                f"statement_timeout default: {text}",
            ),
        )
    return apply(
        f,
        Verdict(
            "confirmed",
            label,
            "The live server confirms it: statement_timeout is 0 with no role or database default "
            f"({label}).",
            "statement_timeout = 0",
        ),
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


def pool_arithmetic(
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
    over = size is not None and size * _processes(model, scan, f.file)[0] > c.available
    verdict = Verdict("confirmed" if over else "checked", label, f"Server check ({label}): {note}.", note)
    # the arithmetic is exact whatever it shows: the pool's size and the server's limit are known
    return apply(f, verdict, confidence="high", severity="critical" if over else None)


def pools_total(
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
