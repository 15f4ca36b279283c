"""What to do first: the priority of findings, the scorecard per category and the verdict.

Renderers format these; they never compute them. Every formula here is stated in the report
(:data:`PRIORITY_FORMULA`, :data:`STATUS_RULE`) so a reader can check the order.

- **Priority** = severity × confidence × reach. A critical finding on a public route comes
  before the same finding in an admin-only route or an offline script; a finding reached from
  more routes comes before one reached from fewer (a bonus of 5% per further route, at most 50%).
- **Status** of a category: ``red`` when a critical or high finding has high or medium
  confidence, ``amber`` when any other medium-or-worse finding remains, ``green`` otherwise.
- **Verdict**: the worst status, with the findings to start with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scalescope.report.model import CATEGORIES, SEVERITY_RANK, Finding, ScanReport

SEVERITY_WEIGHT = {"critical": 10.0, "high": 5.0, "medium": 2.0, "low": 1.0, "info": 0.25}
CONFIDENCE_WEIGHT = {"high": 1.0, "medium": 0.7, "low": 0.4}
REACH_WEIGHT = {"public": 1.0, "app": 1.0, "job": 0.6, "admin": 0.4, "offline": 0.2, "": 0.6}
ROUTE_BONUS = 0.05
MAX_ROUTE_BONUS = 0.5
PRIORITY_FORMULA = (
    "priority = severity (critical 10, high 5, medium 2, low 1, info 0.25) \N{MULTIPLICATION SIGN} "
    "confidence (high 1, medium 0.7, low 0.4) \N{MULTIPLICATION SIGN} reach (public route or "
    "app-wide 1, background job 0.6, admin only 0.4, not production 0.2; +5% per further route, "
    "at most +50%), shown \N{MULTIPLICATION SIGN} 10"
)
STATUSES = ("red", "amber", "green")
STATUS_RULE = (
    "red: a critical or high finding with high or medium confidence; amber: any other finding of "
    "medium severity or worse; green: only low or info findings, or none"
)

# the fix's scope in words (``files`` is said with the number of files)
SCOPE_LABELS = {
    "setting": "one setting",
    "line": "one line",
    "local": "one file",
    "files": "several files",
    "migration": "a schema migration",
    "redesign": "a design change",
}
REACH_LABELS = {
    "public": "public route",
    "app": "app-wide",
    "job": "background",
    "admin": "admin only",
    "offline": "not production",
    "": "unknown",
}


def priority(f: Finding) -> float:
    """The finding's priority (see :data:`PRIORITY_FORMULA`), unscaled."""
    bonus = min(MAX_ROUTE_BONUS, ROUTE_BONUS * max(0, len(f.routes) - 1))
    return (
        SEVERITY_WEIGHT.get(f.severity, 0.0)
        * CONFIDENCE_WEIGHT.get(f.confidence, 0.4)
        * REACH_WEIGHT.get(f.reach, REACH_WEIGHT[""])
        * (1 + bonus)
    )


def priority_points(f: Finding) -> int:
    """The priority as shown in reports (× 10, rounded)."""
    return round(priority(f) * 10)


def by_priority(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in the order to act on them: priority, then severity, then report order."""
    return sorted(findings, key=lambda f: (-priority_points(f), SEVERITY_RANK.get(f.severity, 9), f.sort_key))


def status(findings: Iterable[Finding]) -> str:
    """``red``, ``amber`` or ``green`` by :data:`STATUS_RULE`."""
    out = "green"
    for f in findings:
        if f.severity in ("critical", "high") and f.confidence in ("high", "medium"):
            return "red"
        if SEVERITY_RANK.get(f.severity, 9) <= SEVERITY_RANK["medium"]:
            out = "amber"
    return out


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """One category of the scorecard: its status, counts, and the finding that sets it."""

    category: str
    status: str
    rules: int
    counts: dict[str, int]
    first: Finding | None  # the category's highest-priority finding, if any
    findings: int


def scorecard(report: ScanReport, ordered: Sequence[Finding]) -> list[ScoreRow]:
    """One row per category a rule checked or a finding is in, in category order."""
    rules = Counter(r.category for r in report.rules)
    present = set(rules) | {f.category for f in ordered}
    rows: list[ScoreRow] = []
    for c in CATEGORIES:
        if c not in present:
            continue
        mine = [f for f in ordered if f.category == c]
        counts = Counter(f.severity for f in mine)
        rows.append(
            ScoreRow(
                category=c,
                status=status(mine),
                rules=rules[c],
                counts={s: counts[s] for s in SEVERITY_RANK if counts[s]},
                first=mine[0] if mine else None,
                findings=len(mine),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class Verdict:
    status: str
    headline: str
    first: tuple[Finding, ...]  # the findings to start with (red ones, at most three)


def verdict(ordered: Sequence[Finding]) -> Verdict:
    """The report's verdict from the findings in priority order."""
    level = status(ordered)
    if level == "red":
        red = [f for f in ordered if status([f]) == "red"]
        return Verdict(
            "red",
            "Fix before scaling out: "
            + ("one critical or high finding" if len(red) == 1 else f"{len(red)} critical or high findings")
            + " at medium or high confidence.",
            tuple(red[:3]),
        )
    if level == "amber":
        return Verdict(
            "amber",
            "No critical or high finding at medium or high confidence; review the others before load grows.",
            tuple(ordered[:3]),
        )
    if ordered:
        return Verdict("green", "Only low or informational findings: nothing here blocks scaling out.", ())
    return Verdict("green", "No rule found evidence of a scalability problem in the files read.", ())


def scope_label(f: Finding) -> str:
    """``one setting``, ``3 files``, ``a schema migration`` (empty when the scope is unknown)."""
    if f.scope == "files":
        n = len({f.file, *(r.file for r in f.other_places)})
        return f"{n} files" if n > 1 else SCOPE_LABELS["files"]
    return SCOPE_LABELS.get(f.scope, "")


def effort_text(f: Finding) -> str:
    """``one setting (hours)``, or just the effort when the scope is unknown."""
    label = scope_label(f)
    return f"{label} ({f.effort})" if label else f.effort


def _routes_phrase(routes: Sequence[str], limit: int = 3) -> str:
    shown = list(routes[:limit])
    if len(routes) > limit:
        shown.append(f"{len(routes) - limit} more")
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def reach_sentence(f: Finding, instances: int | None = None) -> str:
    """Who runs this finding's code, as one sentence built from its reach and routes."""
    if f.reach == "public":
        n = len(f.routes)
        return f"Every request to {_routes_phrase(f.routes)} runs this code" + (
            f" ({n} routes)." if n > 3 else "."
        )
    if f.reach == "admin":
        return f"Only admin routes reach it ({_routes_phrase(f.routes)}), so few users trigger it."
    if f.reach == "app":
        many = f" ({instances} declared)" if instances and instances > 1 else ""
        return f"It is production set-up or configuration: it applies to every instance of the app{many}."
    if f.reach == "job":
        return "No route reaches it: it runs in background work or at start-up."
    if f.reach == "offline":
        return "It is not production code (tooling, dev-only or unimported)."
    return ""


def impact_text(f: Finding, instances: int | None = None) -> str:
    """The rule's consequence at scale, made specific: who runs it and how many places share
    the cause."""
    parts = [_sentence(f.impact)] if f.impact else []
    who = reach_sentence(f, instances)
    if who:
        parts.append(who)
    if f.places > 1:
        files = len({f.file, *(r.file for r in f.other_places)})
        where = f" in {files} files" if files > 1 else ""
        parts.append(f"One fix covers all {f.places} places{where}.")
    return " ".join(parts)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."
