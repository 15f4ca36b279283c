"""Annotation-driven rule fixtures (semgrep-rules style).

In a fixture file, a comment ``ruleid: SC-XX-NNN`` (or ``expect: SC-XX-NNN``) marks the next
code line as one that must produce that rule's finding; ``ok: SC-XX-NNN`` marks one that must
not; ``todoruleid:`` / ``todook:`` record known gaps (a missing or a false finding) so they stay
visible without failing. Any comment style works: ``//``, ``#``, ``--``, ``/* */``.

Confidence is part of the expectation, because the default scan hides low-confidence findings
(``min-confidence = medium``): a plain ``ruleid:`` line must be reported at medium or high
confidence (visible by default), and ``ruleid: SC-XX-NNN low`` marks a line that must be
reported at low confidence only (tooling code, weaker evidence); ``ruleid: SC-XX-NNN (low: why)``
says the same with the reason. So demoting a finding below
the default visibility, or promoting a weak one above it, fails the fixture test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

ANNOTATION = re.compile(
    r"(?:^|\s|//|#|--|/\*|\{/\*)\s*(ruleid|expect|ok|todoruleid|todook):\s*([A-Z0-9-]+(?:\s*,\s*[A-Z0-9-]+)*)"
    r"(?:(?:\s+|\s*\()(low)\b)?"
)
_COMMENT_LINE = re.compile(r"^\s*(//|#|--|/\*|\*|\{/\*|<!--)")


@dataclass
class Expectations:
    expected: set[tuple[str, int]] = field(default_factory=set)
    # the expected places that must be reported at low confidence (``ruleid: ID low``); every
    # other expected place must be reported at medium or high confidence
    low: set[tuple[str, int]] = field(default_factory=set)
    ok: set[tuple[str, int]] = field(default_factory=set)
    todo_expected: set[tuple[str, int]] = field(default_factory=set)
    todo_ok: set[tuple[str, int]] = field(default_factory=set)


def _target_line(lines: list[str], idx: int) -> int:
    """The line an annotation at ``idx`` (0-based) applies to: the next non-comment line."""
    j = idx + 1
    while j < len(lines) and (not lines[j].strip() or _COMMENT_LINE.match(lines[j])):
        j += 1
    return j + 1


def collect(root: Path, rule_id: str) -> Expectations:
    exp = Expectations()
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (UnicodeDecodeError, OSError):
            continue
        rel = path.relative_to(root).as_posix()
        for idx, line in enumerate(lines):
            for m in ANNOTATION.finditer(line):
                kind, ids = m.group(1), {s.strip() for s in m.group(2).split(",")}
                if rule_id not in ids:
                    continue
                target = (rel, _target_line(lines, idx))
                if m.group(3) and kind in ("ruleid", "expect"):
                    exp.low.add(target)
                {
                    "ruleid": exp.expected,
                    "expect": exp.expected,
                    "ok": exp.ok,
                    "todoruleid": exp.todo_expected,
                    "todook": exp.todo_ok,
                }[kind].add(target)
    return exp
