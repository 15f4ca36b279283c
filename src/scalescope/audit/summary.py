"""What the audit report's sections say, computed once from an :class:`AuditReport`: the
scorecard per category, the performance table (metric, measured, target, gap), the work
ordered into quick wins / this month / longer, and the key files. Renderers only format these.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from scalescope.audit.report import AuditReport
from scalescope.report.model import CATEGORIES, SEVERITY_RANK, Finding

__all__ = ["PerfRow", "ScoreRow", "key_files", "performance_rows", "roadmap", "scorecard"]


@dataclass(frozen=True, slots=True)
class ScoreRow:
    category: str
    grade: str  # green | amber | red
    why: str


@dataclass(frozen=True, slots=True)
class PerfRow:
    metric: str
    measured: str
    target: str
    gap: str
    ok: bool | None  # None: no target to compare with


def scorecard(report: AuditReport) -> list[ScoreRow]:
    """Per category with findings or measurements: red (critical/high), amber (medium), green."""
    by_cat: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_cat.setdefault(f.category, []).append(f)
    measured_cats = {"availability", "resource-management"} if report.capacity is not None else set()
    rows: list[ScoreRow] = []
    for cat in CATEGORIES:
        found = by_cat.get(cat, [])
        if not found and cat not in measured_cats and cat not in {"database", "caching"}:
            continue
        if not found:
            what = "measured under load" if cat in measured_cats else "scanned"
            rows.append(ScoreRow(cat, "green", f"nothing flagged ({what})"))
            continue
        worst = min(found, key=lambda f: SEVERITY_RANK.get(f.severity, 9))
        grade = (
            "red"
            if worst.severity in {"critical", "high"}
            else "amber"
            if worst.severity == "medium"
            else "green"
        )
        counts = Counter(f.severity for f in found)
        summary = ", ".join(
            f"{counts[s]} {s}" for s in ("critical", "high", "medium", "low", "info") if counts[s]
        )
        rows.append(ScoreRow(cat, grade, f"{summary}; worst: {worst.title}"))
    return rows


def _gap(measured: float, target: float, higher_is_better: bool) -> tuple[str, bool]:
    if higher_is_better:
        ok = measured >= target
        diff = (measured - target) / target * 100 if target else 0.0
    else:
        ok = measured <= target
        diff = (target - measured) / target * 100 if target else 0.0
    return (f"{'+' if diff >= 0 else ''}{diff:.0f}% {'headroom' if ok else 'short'}", ok)


def performance_rows(report: AuditReport) -> list[PerfRow]:
    rows: list[PerfRow] = []
    cap = report.capacity
    if cap is None:
        return rows
    passing = [
        s
        for s in cap.steps
        if cap.sustainable_rps is not None and abs(s.achieved_rps - cap.sustainable_rps) < 1e-6
    ]
    at = passing[0] if passing else None
    if at is not None:
        gap, ok = _gap(at.p95_ms, cap.slo.p95_ms, higher_is_better=False)
        rows.append(
            PerfRow(
                "p95 latency at the sustainable rate",
                f"{at.p95_ms:,.1f} ms",
                f"< {cap.slo.p95_ms:g} ms",
                gap,
                ok,
            )
        )
        gap, ok = _gap(at.error_rate * 100, cap.slo.error_rate * 100, higher_is_better=False)
        rows.append(
            PerfRow(
                "error rate at the sustainable rate",
                f"{at.error_rate * 100:.2f}%",
                f"< {cap.slo.error_rate * 100:g}%",
                "ok" if ok else gap,
                ok,
            )
        )
    if cap.sustainable_rps is not None:
        rows.append(
            PerfRow(
                "sustainable throughput (one instance)", f"{cap.sustainable_rps:,.0f} req/s", "", "", None
            )
        )
    if cap.saturation_rps is not None:
        rows.append(PerfRow("saturation throughput", f"{cap.saturation_rps:,.0f} req/s", "", "", None))
    if cap.knee_rps is not None:
        rows.append(PerfRow("knee (p95 doubles past it)", f"{cap.knee_rps:,.0f} req/s", "", "", None))
    users_target = report.settings.get("users")
    if report.users is not None:
        if isinstance(users_target, int):
            gap, ok = _gap(report.users.concurrent_users, users_target, higher_is_better=True)
            rows.append(
                PerfRow(
                    "concurrent users (one instance)",
                    f"{report.users.concurrent_users:,}",
                    f"{users_target:,}",
                    gap,
                    ok,
                )
            )
        else:
            rows.append(
                PerfRow("concurrent users (one instance)", f"{report.users.concurrent_users:,}", "", "", None)
            )
    if report.usl is not None and report.usl.peak_concurrency is not None and report.usl.peak_rps is not None:
        rows.append(
            PerfRow(
                "USL peak (closed model)",
                f"{report.usl.peak_rps:,.0f} req/s at "
                f"{report.usl.peak_concurrency:,.0f} connections (projected)",
                "",
                "",
                None,
            )
        )
    if report.shutdown is not None:
        sd = report.shutdown
        rows.append(
            PerfRow(
                "requests in flight failed on SIGTERM",
                f"{sd.failed} of {sd.in_flight}",
                "0",
                "ok" if sd.failed == 0 else f"{sd.failed} lost per instance stop",
                sd.failed == 0,
            )
        )
    return rows


def roadmap(report: AuditReport) -> dict[str, list[Finding]]:
    """Findings into quick wins (hours), this month (days) and longer (weeks), each ordered by
    expected impact: severity, then measured before static, then confidence."""
    buckets: dict[str, list[Finding]] = {"Quick wins": [], "This month": [], "Longer": []}
    conf = {"high": 0, "medium": 1, "low": 2}
    for f in sorted(
        report.findings,
        key=lambda f: (
            SEVERITY_RANK.get(f.severity, 9),
            f.impact != "measured",
            conf.get(f.confidence, 3),
            f.sort_key,
        ),
    ):
        bucket = {"hours": "Quick wins", "days": "This month"}.get(f.effort, "Longer")
        buckets[bucket].append(f)
    return buckets


def key_files(report: AuditReport, limit: int = 10) -> list[tuple[str, int, str]]:
    """Files with the most findings: (file, count, worst severity)."""
    counts: Counter[str] = Counter()
    worst: dict[str, str] = {}
    for f in report.findings:
        if not f.file or "://" in f.file:  # measured, or a live server's finding (named by URL)
            continue
        counts[f.file] += 1
        if f.file not in worst or SEVERITY_RANK.get(f.severity, 9) < SEVERITY_RANK.get(worst[f.file], 9):
            worst[f.file] = f.severity
    return [
        (file, n, worst[file]) for file, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    ]
