"""The rule catalogue, ``docs/rules.md``, generated from the rules' docstrings and metadata.

The docstring of each rule is its documentation (``scalescope explain`` and the SARIF rule help
read it too), so the catalogue is never edited by hand: ``python -m scalescope.scan.catalogue``
prints it and ``python -m scalescope.scan.catalogue docs/rules.md`` rewrites the file. A test
fails when the file is not what the rules generate.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

from scalescope.report.priority import SCOPE_LABELS
from scalescope.scan.calibration import ceiling_of
from scalescope.scan.rules.base import Rule, all_rules

_HEADING = re.compile(r"^(#{1,5}) ", re.M)


def _anchor(rule: type[Rule]) -> str:
    return f"{rule.meta.id}-{rule.meta.name}".lower()


def _body(rule: type[Rule]) -> str:
    """The docstring with its headings pushed below the rule's own (``## What it finds`` ->
    ``#### What it finds``) and its first paragraph (the title line) left out."""
    doc = inspect.getdoc(rule) or ""
    first, _, rest = doc.partition("\n\n")
    text = rest if not first.startswith("#") else doc
    out: list[str] = []
    fence = ""
    for line in text.splitlines():
        stripped = line.lstrip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
        elif stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        else:
            line = _HEADING.sub(lambda m: "#" * min(6, len(m.group(1)) + 2) + " ", line)
        out.append(line)
    return "\n".join(out).strip()


def _confidence(rule_id: str, own: str) -> str:
    ceiling = ceiling_of(rule_id)
    return f"{ceiling.confidence} (calibrated; own: {own})" if ceiling is not None else own


def render_catalogue() -> str:
    """The whole catalogue as Markdown (deterministic: rules by id)."""
    rules = all_rules()
    lines = [
        "# Rule catalogue",
        "",
        "Generated from the rules' docstrings by `python -m scalescope.scan.catalogue docs/rules.md`;",
        "do not edit by hand (a test fails when this file is out of date).",
        "`scalescope explain RULE` shows the same text in a terminal; `scalescope rules` lists them.",
        "",
        "Fix scope is what the fix usually takes (a rule may say more or less for one finding): "
        + "; ".join(f"`{k}` {v}" for k, v in SCOPE_LABELS.items())
        + ".",
        "",
        "Confidence is the highest a rule reports by default: a rule whose findings were mostly",
        "false on real code judged blind is capped (`scan/calibration.py`, with the measurement);",
        "`--uncalibrated` shows each rule's own confidence, `--min-confidence low` shows capped findings.",
        "",
        "| Id | Name | Category | Severity | Confidence | Fix scope | Ecosystems |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rules:
        m = r.meta
        lines.append(
            f"| [{m.id}](#{_anchor(r)}) | `{m.name}` | {m.category} | {m.severity} | "
            f"{_confidence(m.id, m.confidence)} | "
            f"{SCOPE_LABELS[m.scope]} ({m.effort}) | {', '.join(m.ecosystems)} |"
        )
    category = ""
    for r in rules:
        m = r.meta
        if m.category != category:
            category = m.category
            lines += ["", f"## {category.replace('-', ' ').capitalize()}"]
        lines += [
            "",
            f"### {m.id} {m.name}",
            "",
            f"**{m.title}** · default severity {m.severity} · "
            f"confidence {_confidence(m.id, m.confidence)} · fix scope "
            f"{SCOPE_LABELS[m.scope]} ({m.effort}) · ecosystems {', '.join(m.ecosystems)}",
            "",
            f"Impact at scale: {m.impact}",
            "",
            _body(r),
        ]
        ceiling = ceiling_of(m.id)
        if ceiling is not None:
            lines += [
                "",
                f"**Calibrated confidence: {ceiling.confidence}.** Measured: {ceiling.basis}. "
                f'A finding lowered to {ceiling.confidence} says: "{ceiling.note}"',
            ]
        if m.references:
            lines += ["", "References: " + ", ".join(f"<{u}>" for u in m.references)]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    text = render_catalogue()
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
