"""Every rule runs alone on its fixtures; findings must match the annotations exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import Rule, all_rules
from tests.rules.annotations import collect

HERE = Path(__file__).parent


def _module_leaf(rule: type[Rule]) -> str:
    return rule.__module__.rsplit(".", 1)[-1]


def _cases() -> list[tuple[type[Rule], str]]:
    return [(rule, eco) for rule in all_rules() for eco in rule.meta.ecosystems]


@pytest.mark.parametrize(("rule", "eco"), _cases(), ids=lambda v: v if isinstance(v, str) else v.meta.id)
def test_rule_fixture(rule: type[Rule], eco: str) -> None:
    folder = HERE / rule.meta.category / _module_leaf(rule) / eco
    assert folder.is_dir(), f"missing fixtures: {folder.relative_to(HERE.parent.parent)}"
    exp = collect(folder, rule.meta.id)
    assert exp.expected, f"{folder}: no 'ruleid: {rule.meta.id}' annotation (a bad case is required)"
    assert exp.ok, f"{folder}: no 'ok: {rule.meta.id}' annotation (an ok case is required)"
    report = scan(folder, ScanConfig(min_confidence="low", calibrated=False), rules=[rule], jobs=1)
    # a finding's other places of the same cause fire too (one finding per cause, every place
    # annotated)
    confidence = {
        (place.file, place.line): f.confidence
        for f in report.findings
        if f.rule == rule.meta.id
        for place in (f, *f.other_places)
    }
    primary = {(f.file, f.line) for f in report.findings if f.rule == rule.meta.id}
    got = set(confidence)
    missing = exp.expected - got
    unexpected = got - exp.expected - exp.todo_ok
    assert not missing and not unexpected, (
        f"{rule.meta.id} on {folder.name}: missing {sorted(missing)}, unexpected {sorted(unexpected)}"
    )
    assert not (exp.ok & got), f"findings on ok lines: {sorted(exp.ok & got)}"
    # confidence is part of the expectation: plain ``ruleid:`` places are visible at the default
    # min-confidence (medium), ``ruleid: ID low`` places are reported at low confidence only. A
    # finding carries its primary place's confidence (the most confident place): another place
    # annotated low may sit in a more confident finding of the same cause
    hidden = sorted(p for p in exp.expected - exp.low if confidence.get(p) == "low")
    shown = sorted(p for p in exp.low & primary if confidence.get(p) in ("high", "medium"))
    assert not hidden, f"{rule.meta.id}: reported at low confidence (annotate 'ruleid: ID low'?): {hidden}"
    assert not shown, f"{rule.meta.id}: annotated low but reported at medium or higher: {shown}"
