"""The comparison itself: a pure function of two report sides.

Findings are matched in two passes:

1. by ``fingerprint``: it identifies the cause (the table and column of a missing index, the
   loop of an N+1, or the rule + file + normalised source text), so a finding whose code moved
   down the file, or whose primary place changed, keeps it;
2. what is left, by rule + file + title: the same problem in the same file whose source line
   was edited (its fingerprint changed). Within such a group the closest messages, then the
   closest lines, pair first. These matches are listed as ``moved`` so a reader can check them.

Unmatched old findings are *fixed*, unmatched new ones are *new*; matched ones whose severity
differs are *severity changed*. A scan compared with an audit compares only what both can hold:
the audit's measured findings are left out. Two audits also compare their measured figures.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from scalescope.diff.inputs import AuditFigures, Item, ReportSide
from scalescope.report.model import SEVERITY_RANK

__all__ = ["Change", "EndpointChange", "Match", "ReportDiff", "compare", "gate_failures"]

BY_FINGERPRINT = "fingerprint"
BY_LOCATION = "rule+file+title"


@dataclass(frozen=True, slots=True)
class Match:
    old: Item
    new: Item
    by: str  # fingerprint | rule+file+title

    @property
    def severity_changed(self) -> bool:
        return self.old.severity != self.new.severity

    @property
    def raised(self) -> bool:
        return SEVERITY_RANK[self.new.severity] < SEVERITY_RANK[self.old.severity]

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.new.rule,
            "title": self.new.title,
            "file": self.new.file,
            "line": self.new.line,
            "old_file": self.old.file,
            "old_line": self.old.line,
            "severity": self.new.severity,
            "old_severity": self.old.severity,
            "fingerprint": self.new.fingerprint,
            "old_fingerprint": self.old.fingerprint,
            "match": self.by,
        }


@dataclass(frozen=True, slots=True)
class Change:
    """One measured figure before and after."""

    name: str
    unit: str
    old: float | None
    new: float | None
    higher_is_better: bool

    @property
    def delta(self) -> float | None:
        return None if self.old is None or self.new is None else self.new - self.old

    @property
    def relative(self) -> float | None:
        """(new - old) / old, ``None`` when either is missing or old is 0."""
        if self.old is None or self.new is None or self.old == 0:
            return None
        return (self.new - self.old) / self.old

    @property
    def direction(self) -> str:
        """better | worse | same | n/a (a figure missing on one side)."""
        delta = self.delta
        if delta is None:
            return "n/a"
        if delta == 0:
            return "same"
        return "better" if (delta > 0) == self.higher_is_better else "worse"

    def as_dict(self) -> dict[str, object]:
        rel = self.relative
        delta = self.delta
        return {
            "name": self.name,
            "unit": self.unit,
            "old": self.old,
            "new": self.new,
            "delta": None if delta is None else round(delta, 3),
            "relative": None if rel is None else round(rel, 4),
            "change": self.direction,
        }


@dataclass(frozen=True, slots=True)
class EndpointChange:
    endpoint: str  # "METHOD /path" (or the endpoint's name)
    warm_p95: Change


@dataclass(frozen=True, slots=True)
class ReportDiff:
    old: ReportSide
    new: ReportSide
    new_findings: tuple[Item, ...]
    fixed: tuple[Item, ...]
    matched: tuple[Match, ...]
    #: the measured figures, when both sides are audits
    capacity: tuple[Change, ...] = ()
    latency: tuple[Change, ...] = ()
    endpoints: tuple[EndpointChange, ...] = ()
    endpoints_only_old: tuple[str, ...] = ()
    endpoints_only_new: tuple[str, ...] = ()
    limiting: tuple[str | None, str | None] | None = None
    notes: tuple[str, ...] = ()

    @property
    def severity_changed(self) -> tuple[Match, ...]:
        return tuple(m for m in self.matched if m.severity_changed)

    @property
    def moved(self) -> tuple[Match, ...]:
        return tuple(m for m in self.matched if m.by == BY_LOCATION)

    @property
    def unchanged(self) -> tuple[Match, ...]:
        return tuple(m for m in self.matched if not m.severity_changed)

    @property
    def audits(self) -> bool:
        return self.old.figures is not None and self.new.figures is not None

    def sustainable(self) -> Change | None:
        return next((c for c in self.capacity if c.name == "sustainable rate"), None)


def _order(item: Item) -> tuple[int, str, int, str, str]:
    return (SEVERITY_RANK[item.severity], item.file, item.line, item.rule, item.fingerprint)


def match_findings(old: Sequence[Item], new: Sequence[Item]) -> tuple[list[Match], list[Item], list[Item]]:
    """(matches, fixed, new) — see the module docstring for the two passes."""
    matches: list[Match] = []
    by_fp: dict[str, list[int]] = defaultdict(list)
    for j, item in enumerate(new):
        if item.fingerprint:
            by_fp[item.fingerprint].append(j)
    used_new: set[int] = set()
    left_old: list[int] = []
    for i, item in enumerate(old):
        candidates = by_fp.get(item.fingerprint) if item.fingerprint else None
        if candidates:
            j = candidates.pop(0)
            used_new.add(j)
            matches.append(Match(item, new[j], BY_FINGERPRINT))
        else:
            left_old.append(i)

    groups_new: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for j, item in enumerate(new):
        if j not in used_new:
            groups_new[(item.rule, item.file, item.title)].append(j)
    groups_old: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i in left_old:
        item = old[i]
        groups_old[(item.rule, item.file, item.title)].append(i)
    matched_old: set[int] = set()
    for key, olds in groups_old.items():
        news = groups_new.get(key, [])
        if not news:
            continue
        pairs = sorted(
            (
                -difflib.SequenceMatcher(None, old[i].message, new[j].message).ratio(),
                abs(old[i].line - new[j].line),
                i,
                j,
            )
            for i in olds
            for j in news
        )
        for _, _, i, j in pairs:
            if i in matched_old or j in used_new:
                continue
            matched_old.add(i)
            used_new.add(j)
            matches.append(Match(old[i], new[j], BY_LOCATION))

    fixed = sorted((old[i] for i in left_old if i not in matched_old), key=_order)
    added = sorted((item for j, item in enumerate(new) if j not in used_new), key=_order)
    matches.sort(key=lambda m: _order(m.new))
    return matches, fixed, added


def _figure_changes(old: AuditFigures, new: AuditFigures) -> tuple[list[Change], list[Change]]:
    capacity = [
        Change("sustainable rate", "req/s", old.sustainable_rps, new.sustainable_rps, True),
        Change("saturation rate", "req/s", old.saturation_rps, new.saturation_rps, True),
        Change("concurrent users", "users", old.concurrent_users, new.concurrent_users, True),
    ]
    latency = [
        Change(
            "p95 at the sustainable rate", "ms", old.p95_at_sustainable_ms, new.p95_at_sustainable_ms, False
        )
    ]
    return capacity, latency


def compare(old: ReportSide, new: ReportSide) -> ReportDiff:
    notes: list[str] = []
    old_items, new_items = list(old.findings), list(new.findings)
    if old.kind != new.kind:
        audit_side = "OLD" if old.kind == "audit" else "NEW"
        dropped = sum(1 for f in (*old_items, *new_items) if f.measured)
        old_items = [f for f in old_items if not f.measured]
        new_items = [f for f in new_items if not f.measured]
        notes.append(
            f"a scan compared with an audit: findings only; the audit's measured findings "
            f"({dropped}) are left out ({audit_side} is the audit)"
        )
    matches, fixed, added = match_findings(old_items, new_items)
    diff = ReportDiff(old, new, tuple(added), tuple(fixed), tuple(matches), notes=tuple(notes))
    if old.figures is None or new.figures is None:
        return diff

    capacity, latency = _figure_changes(old.figures, new.figures)
    old_eps = {e.key: e for e in old.figures.endpoints}
    new_eps = {e.key: e for e in new.figures.endpoints}
    endpoints = [
        EndpointChange(key, Change(key, "ms", old_eps[key].warm_p95_ms, new_eps[key].warm_p95_ms, False))
        for key in sorted(old_eps.keys() & new_eps.keys())
    ]
    if old.figures.slo_p95_ms != new.figures.slo_p95_ms:
        notes.append(
            f"the audits applied different latency objectives (p95 {_ms(old.figures.slo_p95_ms)} → "
            f"{_ms(new.figures.slo_p95_ms)}), so their sustainable rates answer different questions"
        )
    for side, figures in (("OLD", old.figures), ("NEW", new.figures)):
        if figures.ok is False:
            notes.append(f"the {side} audit did not run to a capacity figure (see its verdict)")
    return ReportDiff(
        old,
        new,
        diff.new_findings,
        diff.fixed,
        diff.matched,
        capacity=tuple(capacity),
        latency=tuple(latency),
        endpoints=tuple(endpoints),
        endpoints_only_old=tuple(sorted(old_eps.keys() - new_eps.keys())),
        endpoints_only_new=tuple(sorted(new_eps.keys() - old_eps.keys())),
        limiting=(old.figures.limiting, new.figures.limiting),
        notes=tuple(notes),
    )


def _ms(value: float | None) -> str:
    return "none" if value is None else f"< {value:g} ms"


def gate_failures(
    diff: ReportDiff, fail_on: str | None, capacity_drop_pct: float | None
) -> tuple[list[str], list[str]]:
    """(reasons to fail, warnings) for the CI gates, one line each.

    ``fail_on``: a new finding at this severity or worse fails. ``capacity_drop_pct``: the
    sustainable rate falling by more than this percentage fails (so does an audit that measured
    none after one that did); with no OLD figure there is nothing to compare, which is a warning.
    """
    reasons: list[str] = []
    warnings: list[str] = []
    if fail_on is not None:
        threshold = SEVERITY_RANK[fail_on]
        failing = [f for f in diff.new_findings if SEVERITY_RANK[f.severity] <= threshold]
        if failing:
            worst = failing[0]  # new findings are ordered most severe first
            count = f"{len(failing)} new finding" + ("" if len(failing) == 1 else "s")
            reasons.append(
                f"--fail-on {fail_on}: {count} at {fail_on} or worse, first {worst.rule} "
                f"({worst.severity}) at {worst.location}"
            )
    if capacity_drop_pct is not None:
        change = diff.sustainable()
        if change is None or change.old is None:
            warnings.append(
                "--fail-on-capacity-drop: OLD has no sustainable rate, so no drop can be measured"
            )
        elif change.new is None:
            reasons.append(
                f"--fail-on-capacity-drop {capacity_drop_pct:g}: NEW measured no sustainable rate "
                f"(OLD: {change.old:,.1f} req/s)"
            )
        else:
            rel = change.relative
            drop = -rel * 100 if rel is not None else 0.0
            if drop > capacity_drop_pct:
                reasons.append(
                    f"--fail-on-capacity-drop {capacity_drop_pct:g}: sustainable rate fell "
                    f"{drop:.1f}% ({change.old:,.1f} → {change.new:,.1f} req/s)"
                )
    return reasons, warnings
