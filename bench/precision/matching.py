"""Match a scan's findings to recorded reviewer judgments and tally precision.

A judgment records one finding a reviewer read against the scanned repository's code: its rule,
file and line, the start of its message, and a verdict (TP, FP or unsure) with a reason. A later
scan of the same commit is matched finding by finding:

1. by (rule, file, line): the same rule still reports the same place;
2. failing that, by (rule, file, message prefix): the rule moved its anchor line (for example
   to the start of the statement) but says the same thing about the same file.

Findings that match neither are *unjudged*: they are new claims for the next review, and are
not counted in precision. Precision is TP / (TP + FP) over judged findings; "unsure" counts in
neither. Nothing here runs the scanner: `run.py` does that.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VERDICTS = ("TP", "FP", "unsure")
CONFIDENCE_ORDER = {"low": 0, "medium": 1, "high": 2}
# Characters of the message kept as the fallback key: long enough to name the call and the
# table, short enough to survive a reworded tail ("... and 39 more" -> "... N places").
PREFIX_CHARS = 48


@dataclass(frozen=True)
class Judgment:
    rule: str
    file: str
    line: int
    message_prefix: str
    verdict: str
    reason: str
    cause: str | None = None
    duplicate_of: str | None = None

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Judgment:
        verdict = str(raw["verdict"])
        if verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r} for {raw.get('rule')} {raw.get('file')}")
        return cls(
            rule=str(raw["rule"]),
            file=str(raw["file"]),
            line=int(raw["line"]),
            message_prefix=str(raw.get("message_prefix", "")),
            verdict=verdict,
            reason=str(raw.get("reason", "")),
            cause=raw.get("cause") or None,
            duplicate_of=raw.get("duplicate_of") or None,
        )


@dataclass(frozen=True)
class Finding:
    rule: str
    file: str
    line: int
    message: str
    confidence: str
    excerpt: str = ""

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Finding:
        return cls(
            rule=str(raw["rule"]),
            file=str(raw["file"]),
            line=int(raw.get("line") or 0),
            message=str(raw.get("message", "")),
            confidence=str(raw.get("confidence", "medium")),
            excerpt=str(raw.get("excerpt", "")),
        )


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    unsure: int = 0
    unjudged: int = 0
    duplicates: int = 0  # judged findings whose cause an earlier finding already reported

    def add(self, verdict: str | None, duplicate: bool = False) -> None:
        if verdict == "TP":
            self.tp += 1
        elif verdict == "FP":
            self.fp += 1
        elif verdict == "unsure":
            self.unsure += 1
        else:
            self.unjudged += 1
        if duplicate:
            self.duplicates += 1

    def merge(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.unsure += other.unsure
        self.unjudged += other.unjudged
        self.duplicates += other.duplicates

    @property
    def precision(self) -> float | None:
        judged = self.tp + self.fp
        return self.tp / judged if judged else None


@dataclass
class RepoResult:
    repo: str
    matched: list[tuple[Finding, Judgment]] = field(default_factory=list)
    unjudged: list[Finding] = field(default_factory=list)

    def tally(self) -> Tally:
        t = Tally()
        for _, j in self.matched:
            t.add(j.verdict, duplicate=j.duplicate_of is not None)
        for _ in self.unjudged:
            t.add(None)
        return t

    def by_rule(self) -> dict[str, Tally]:
        out: dict[str, Tally] = {}
        for f, j in self.matched:
            out.setdefault(f.rule, Tally()).add(j.verdict, duplicate=j.duplicate_of is not None)
        for f in self.unjudged:
            out.setdefault(f.rule, Tally()).add(None)
        return dict(sorted(out.items()))


def _norm(message: str) -> str:
    return " ".join(message.split())


def load_judgments(path: Path) -> list[Judgment]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Judgment.from_dict(r) for r in data.get("judgments", [])]


def at_least(confidence: str, minimum: str) -> bool:
    return CONFIDENCE_ORDER.get(confidence, 1) >= CONFIDENCE_ORDER.get(minimum, 1)


def match(repo: str, findings: Iterable[Finding], judgments: Sequence[Judgment]) -> RepoResult:
    """Pair each finding with its judgment (exact place first, then message prefix)."""
    exact: dict[tuple[str, str, int], Judgment] = {}
    by_file: dict[tuple[str, str], list[Judgment]] = {}
    for judged in judgments:
        exact.setdefault((judged.rule, judged.file, judged.line), judged)
        by_file.setdefault((judged.rule, judged.file), []).append(judged)
    result = RepoResult(repo)
    for f in findings:
        j: Judgment | None = exact.get((f.rule, f.file, f.line))
        if j is None:
            message = _norm(f.message)
            candidates = [
                c
                for c in by_file.get((f.rule, f.file), [])
                if _norm(c.message_prefix) and message.startswith(_norm(c.message_prefix))
            ]
            # Several judgments with the same prefix in one file: take the nearest line.
            if candidates:
                j = min(candidates, key=lambda c: (abs(c.line - f.line), c.line))
        if j is None:
            result.unjudged.append(f)
        else:
            result.matched.append((f, j))
    return result


def findings_from_report(report: Mapping[str, Any], min_confidence: str = "medium") -> list[Finding]:
    """The findings of a scalescope JSON report at or above `min_confidence`."""
    out = [Finding.from_dict(r) for r in report.get("findings", [])]
    return [f for f in out if at_least(f.confidence, min_confidence)]


def format_precision(p: float | None) -> str:
    return "n/a" if p is None else f"{p:.0%}"
