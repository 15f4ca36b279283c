"""The grouping stage: one finding per cause, with inline suppressions applied per place.

Rules report hits, one per place where they see a problem; several places often share one
cause (every query filtering on a column no index leads, every caller of a helper that runs
``KEYS``, every inner query of one loop). A hit carries the cause its rule chose
(:attr:`Hit.cause`); hits of one rule with the same cause become one :class:`Finding`:

- the **primary place** (the finding's file/line/excerpt/message) is the most important one:
  highest severity, then highest confidence, then production code before the rest (a seed
  script's place is not the primary of a cause a server's place shares), then the place of the
  cause itself, then the
  hottest (``Hit.heat``: how many routes reach it), then file, line and message (so the
  choice is deterministic);
- the other places follow in ``related`` as :class:`Evidence` of kind ``"place"``, in the
  same order, then the evidence the rules cited (deduplicated);
- ``places`` counts them all, and the message ends "Same cause in N places.";
- the fix's scope is the primary hit's (or the rule's), widened to ``files`` when a one-line or
  local fix has places in several files; the effort follows from the scope;
- the fingerprint is derived from the cause, not from whichever place is primary.

Suppressions (``scalescope: ignore[RULE]`` on the line or the line before) apply to places: one
on the primary place suppresses the whole finding (the cause is accepted); one on another
place removes only that place. Everything here is one pass over a dict keyed by cause, then a
sort of each group: linear in the number of hits apart from the sorts.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scalescope.model.facts import Loc, Suppression
from scalescope.redact import redact
from scalescope.report.model import CONFIDENCES, SCOPE_EFFORT, SEVERITY_RANK, Evidence, Finding, Notice
from scalescope.scan.rules.base import Hit, RuleMeta

PLACE_NOTE_CHARS = 140
_CONFIDENCE_RANK = {name: i for i, name in enumerate(CONFIDENCES)}


@dataclass(frozen=True, slots=True)
class Place:
    """One hit, ready to become a finding or one place of a finding.

    ``key`` groups places of one cause (with the rule id); ``identity`` is the text the
    fingerprint is computed from (the cause string, or the cause's file and source text)."""

    meta: RuleMeta
    hit: Hit
    severity: str
    confidence: str
    excerpt: str
    key: tuple[str, ...]
    identity: str

    @property
    def order(self) -> tuple[int, int, int, int, int, str, int, str]:
        """Most important first: severity, confidence, production code before the rest, the
        place of the cause itself (the ``KEYS`` call inside the helper before its callers),
        heat, then location and message."""
        h = self.hit
        at = cause_loc(h)
        return (
            SEVERITY_RANK.get(self.severity, 9),
            _CONFIDENCE_RANK.get(self.confidence, 9),
            1 if h.offside else 0,
            0 if at is not None and (at.file, at.line) == (h.loc.file, h.loc.line) else 1,
            -h.heat,
            h.loc.file,
            h.loc.line,
            h.message,
        )


def cause_key(rule_id: str, hit: Hit) -> tuple[str, ...]:
    """The grouping key of a hit: its rule plus the cause (a name, or a file and line)."""
    cause = hit.cause
    if isinstance(cause, str):
        return (rule_id, "cause", cause)
    loc = cause if isinstance(cause, Loc) else hit.loc
    return (rule_id, "at", loc.file, str(loc.line))


def cause_loc(hit: Hit) -> Loc | None:
    """The location whose source text identifies the cause (``None`` for a named cause)."""
    if isinstance(hit.cause, str):
        return None
    return hit.cause if isinstance(hit.cause, Loc) else hit.loc


def identity(hit: Hit, cause_excerpt: str) -> str:
    """What the fingerprint hashes: the named cause, or the cause's file and normalised source
    text (for a hit without a cause this is its own file and excerpt, as before grouping)."""
    if isinstance(hit.cause, str):
        return hit.cause
    loc = cause_loc(hit)
    assert loc is not None
    return f"{loc.file}|{' '.join(cause_excerpt.split())}"


def place_note(hit: Hit) -> str:
    """The short note for a hit listed as another place of its cause."""
    if hit.place:
        return redact(hit.place)
    text = " ".join(redact(hit.message).split())
    if len(text) <= PLACE_NOTE_CHARS:
        return text
    cut = text[:PLACE_NOTE_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def _fingerprint(rule: str, ident: str, seen: Counter[str]) -> str:
    base = hashlib.sha256(f"{rule}|{ident}".encode()).hexdigest()[:16]
    seen[base] += 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"


def _places_sentence(n: int) -> str:
    return f"Same cause in {n} places."


def _finding(primary: Place, others: Sequence[Place], members: Sequence[Place], fingerprint: str) -> Finding:
    h = primary.hit
    n = 1 + len(others)
    related: list[Evidence] = [
        Evidence(p.hit.loc.file, p.hit.loc.line, place_note(p.hit), "place") for p in others
    ]
    seen_evidence: set[tuple[str, int, str]] = set()
    for p in members:
        for ev in p.hit.related:
            k = (ev.file, ev.line, ev.note)
            if k not in seen_evidence:
                seen_evidence.add(k)
                related.append(ev)
    message = redact(h.message)
    if n > 1:
        message = f"{message.rstrip()} {_places_sentence(n)}"
    meta = primary.meta
    scope = fix_scope(primary, others)
    return Finding(
        rule=meta.id,
        rule_name=meta.name,
        category=meta.category,
        severity=primary.severity,
        title=h.title or meta.title,
        message=message,
        file=h.loc.file,
        line=h.loc.line,
        end_line=h.loc.end_line,
        excerpt=primary.excerpt,
        recommendation=redact(h.recommendation),
        effort=SCOPE_EFFORT.get(scope, meta.effort),
        confidence=primary.confidence,
        fingerprint=fingerprint,
        impact=meta.impact,
        fix_snippet=h.fix_snippet,
        fix_language=h.fix_language,
        related=tuple(related),
        places=n,
        scope=scope,
    )


def fix_scope(primary: Place, others: Sequence[Place]) -> str:
    """The fix's scope: the primary hit's (else the rule's), widened from one ``line`` or one
    ``local`` change to ``files`` when the places of the cause are in several files."""
    scope = primary.hit.scope or primary.meta.scope
    if scope in ("line", "local") and any(p.hit.loc.file != primary.hit.loc.file for p in others):
        return "files"
    return scope


@dataclass(frozen=True, slots=True)
class Grouped:
    findings: list[Finding]
    suppressed: int
    notices: list[Notice]


def group(places: Iterable[Place], suppressions: Sequence[Suppression] = ()) -> Grouped:
    """One finding per (rule, cause), suppressions applied per place; sorted in report order.

    ``suppressed`` counts the findings a suppression on their primary place removed. Bare
    ignores and ignores that suppress nothing (no place of their rule on their lines) are
    reported as notices."""
    index: dict[tuple[str, int], list[Suppression]] = {}
    for s in suppressions:
        for line in s.applies_to:
            index.setdefault((s.loc.file, line), []).append(s)
    used: set[Suppression] = set()

    def suppression(p: Place) -> Suppression | None:
        for s in index.get((p.hit.loc.file, p.hit.loc.line), ()):
            if s.rules and (p.meta.id in s.rules or p.meta.name.upper() in s.rules):
                return s
        return None

    groups: dict[tuple[str, ...], list[Place]] = {}
    for p in places:
        groups.setdefault(p.key, []).append(p)
    findings: list[Finding] = []
    suppressed = 0
    seen: Counter[str] = Counter()
    for members in groups.values():
        members.sort(key=lambda p: p.order)
        primary = members[0]
        fingerprint = _fingerprint(primary.meta.id, primary.identity, seen)  # one cause: one identity
        marks = [suppression(p) for p in members]
        if marks[0] is not None:
            used.update(s for s in marks if s is not None)  # the whole cause is accepted
            suppressed += 1
            continue
        others: list[Place] = []
        at: set[tuple[str, int]] = {(primary.hit.loc.file, primary.hit.loc.line)}
        for p, mark in zip(members[1:], marks[1:], strict=True):
            if mark is not None:
                used.add(mark)
                continue
            where = (p.hit.loc.file, p.hit.loc.line)
            if where not in at:
                at.add(where)
                others.append(p)
        findings.append(_finding(primary, others, members, fingerprint))
    findings.sort(key=lambda f: f.sort_key)
    notices: list[Notice] = []
    for s in suppressions:
        if not s.rules:
            notices.append(
                Notice(
                    s.loc.file, s.loc.line, "bare 'scalescope: ignore' needs rule ids, e.g. ignore[SC-DB-001]"
                )
            )
        elif s not in used:
            notices.append(
                Notice(
                    s.loc.file,
                    s.loc.line,
                    f"unused suppression: ignore[{', '.join(s.rules)}] suppresses nothing",
                )
            )
    return Grouped(findings, suppressed, notices)
