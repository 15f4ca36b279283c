"""What a live server says about one scan finding, and how the finding changes with it.

A cross-check reads a server's numbers against a finding and returns a :class:`Verdict`:
*confirmed* (the server shows the condition: confidence one step up), *contradicted* (it
shows otherwise: one step down) or *checked* (the numbers are context only). :func:`apply`
adds the sentence to the message and the numbers as related evidence whose note starts with
the outcome (``confirmed: …``, ``contradicted: …``), so a reader of the JSON report, and
:func:`outcome_of`, can tell what the server said without parsing prose.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from scalescope.report.model import Evidence, Finding
from scalescope.scan.calibration import ceiling_of

OUTCOMES = ("confirmed", "contradicted", "checked")
CONFIDENCE_UP = {"low": "medium", "medium": "high", "high": "high"}
CONFIDENCE_DOWN = {"high": "medium", "medium": "low", "low": "low"}


@dataclass(frozen=True, slots=True)
class Verdict:
    """``outcome`` (one of :data:`OUTCOMES`) from ``server`` (its label): ``sentence`` is
    appended to the finding's message, ``numbers`` (the server's figures) becomes evidence."""

    outcome: str
    server: str
    sentence: str
    numbers: str

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")


def apply(
    finding: Finding, verdict: Verdict, *, confidence: str | None = None, severity: str | None = None
) -> Finding:
    """``finding`` with ``verdict`` applied. The confidence moves one step (``confidence``
    overrides it), except that evidence never raises a finding in code that does not run in
    production (its reach is ``offline``: the server's numbers do not make it run). A
    finding raised above its rule's calibrated ceiling loses the ceiling's "Low confidence"
    sentence: the server has answered the question it asked."""
    level = finding.confidence
    if confidence is not None:
        level = confidence
    elif verdict.outcome == "confirmed" and finding.reach != "offline":
        level = CONFIDENCE_UP[level]
    elif verdict.outcome == "contradicted":
        level = CONFIDENCE_DOWN[level]
    message = finding.message
    ceiling = ceiling_of(finding.rule)
    if ceiling is not None and level != ceiling.confidence and _above(level, ceiling.confidence):
        message = message.replace(f" {ceiling.note}", "")
    prefix = "" if verdict.outcome == "checked" else f"{verdict.outcome}: "
    return replace(
        finding,
        confidence=level,
        severity=severity or finding.severity,
        message=f"{message.rstrip()} {verdict.sentence}",
        related=(*finding.related, Evidence(verdict.server, 0, f"{prefix}{verdict.numbers}")),
    )


def _above(a: str, b: str) -> bool:
    order = {"low": 0, "medium": 1, "high": 2}
    return order[a] > order[b]


def outcome_of(before: Finding, after: Finding) -> str:
    """What the servers said about a finding (``before`` as scanned, ``after`` as
    cross-checked): the strongest outcome among the evidence added, ``""`` when none was."""
    added = after.related[len(before.related) :]
    notes = [e.note for e in added if e.kind == "evidence"]
    if not notes:
        return ""
    if any(n.startswith("contradicted: ") for n in notes):
        return "contradicted"
    if any(n.startswith("confirmed: ") for n in notes):
        return "confirmed"
    return "checked"
