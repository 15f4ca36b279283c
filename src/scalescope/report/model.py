"""The immutable report objects that renderers format (renderers never compute)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SEVERITIES = ("critical", "high", "medium", "low", "info")
SEVERITY_RANK = {name: i for i, name in enumerate(SEVERITIES)}
CATEGORIES = (
    "database",
    "caching",
    "rate-limiting",
    "async-processing",
    "horizontal-scaling",
    "availability",
    "resource-management",
    "observability",
    "security",
    "infrastructure",
    "frontend",
)
EFFORTS = ("hours", "days", "weeks")

_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def check_metadata(
    check_id: str, name: str, category: str, severity: str, effort: str, confidence: str = "high"
) -> None:
    """Raise ``ValueError`` unless a rule's or check's metadata uses the fixed vocabularies:
    one definition for scan rules, probe checks and the audit's measured checks."""
    if category not in CATEGORIES:
        raise ValueError(f"{check_id}: unknown category {category!r}")
    if not _KEBAB.match(name):
        raise ValueError(f"{check_id}: name {name!r} is not kebab-case")
    if severity not in SEVERITIES:
        raise ValueError(f"{check_id}: unknown severity {severity!r}")
    if effort not in EFFORTS:
        raise ValueError(f"{check_id}: unknown effort {effort!r}")
    if confidence not in CONFIDENCES:
        raise ValueError(f"{check_id}: unknown confidence {confidence!r}")


# The real scope of a fix, smallest first, and the effort each implies. Rules set it (a rule's
# default, refined per hit from what the rule knows); grouping widens ``local``/``line`` to
# ``files`` when the places of one cause span several files.
SCOPES = ("setting", "line", "local", "files", "migration", "redesign")
SCOPE_EFFORT = {
    "setting": "hours",
    "line": "hours",
    "local": "hours",
    "files": "days",
    "migration": "days",
    "redesign": "weeks",
}
# Who runs a finding's code, most exposed first: ``public`` (reached from a route end users
# call), ``app`` (production set-up or deployment configuration that every request goes
# through: a pool, a client, a compose service), ``job`` (production code no route reaches:
# background work, start-up), ``admin`` (reached from admin routes only), ``offline`` (not
# production code: tooling, dev-only, unimported); empty when unknown (findings not made by a
# scan, such as probe findings).
REACHES = ("public", "app", "job", "admin", "offline")
CONFIDENCES = ("high", "medium", "low")


@dataclass(frozen=True, slots=True)
class Evidence:
    """A further place that supports a finding (the schema line lacking an index, say).

    ``kind`` is ``"place"`` for another place where the same cause shows (another query on
    the column that lacks an index, another caller of the helper running ``KEYS``), and
    ``"evidence"`` for anything else a rule cites.
    """

    file: str
    line: int
    note: str = ""
    kind: str = "evidence"


@dataclass(frozen=True, slots=True)
class Finding:
    """One proven problem, in the shape of the JSON contract (plus optional extras)."""

    rule: str
    rule_name: str
    category: str
    severity: str
    title: str
    message: str
    file: str
    line: int
    end_line: int
    excerpt: str
    recommendation: str
    effort: str
    confidence: str
    fingerprint: str = ""
    impact: str = ""
    fix_snippet: str = ""
    fix_language: str = ""
    related: tuple[Evidence, ...] = ()
    # how many places share this finding's cause: the primary place (file/line) plus the
    # ``related`` entries of kind ``"place"``
    places: int = 1
    # the fix's real scope (one of :data:`SCOPES`; empty: unknown, the effort alone applies)
    scope: str = ""
    # who runs this code (one of :data:`REACHES`, empty: unknown) and the routes that reach any
    # of its places (``GET /orders``), public routes first
    reach: str = ""
    routes: tuple[str, ...] = ()

    @property
    def other_places(self) -> tuple[Evidence, ...]:
        return tuple(r for r in self.related if r.kind == "place")

    @property
    def sort_key(self) -> tuple[int, str, str, int]:
        return (SEVERITY_RANK.get(self.severity, 9), self.category, self.file, self.line)


@dataclass(frozen=True, slots=True)
class SkippedFile:
    file: str
    reason: str


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a renderer needs to know about a rule (SARIF driver rules, explain text)."""

    id: str
    name: str
    category: str
    severity: str
    title: str
    summary: str
    help_markdown: str
    effort: str
    confidence: str
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Notice:
    """Something about the scan itself (an unused suppression, an extractor error)."""

    file: str
    line: int
    message: str


@dataclass(frozen=True, slots=True)
class ScanReport:
    """Everything ``scan`` found, ready to render."""

    root: str
    stack: dict[str, list[str]]
    findings: tuple[Finding, ...]
    skipped: tuple[SkippedFile, ...] = ()
    rules: tuple[RuleInfo, ...] = ()
    files_scanned: int = 0
    lines_scanned: int = 0
    suppressed: int = 0
    notices: tuple[Notice, ...] = ()
    key_files: tuple[str, ...] = ()
    instances: int | None = None
    duration_s: float | None = None
    extra: dict[str, object] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in SEVERITIES}
        for f in self.findings:
            out[f.severity] = out.get(f.severity, 0) + 1
        return out

    def by_category(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for f in sorted(self.findings, key=lambda x: x.sort_key):
            out.setdefault(f.category, []).append(f)
        return {c: out[c] for c in CATEGORIES if c in out}
