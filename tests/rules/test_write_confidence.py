"""The scan-depth write rules (issue 12) carry their confidence in the fixture annotations:
``ruleid: SC-DB-009 (low)`` / ``(high)``. A loop over query rows is high; a loop over a request
array with no maximum, over a collection not traced to its source, or over one bounded by
construction is low and says why (the rule's own confidence: the calibrated default report caps
SC-DB-009 at low, scan/calibration.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import rule_by_id
from tests.rules.annotations import _target_line

HERE = Path(__file__).parent / "database"
CASES = [
    ("SC-DB-009", "write_per_item", "node"),
    ("SC-DB-009", "write_per_item", "python"),
    ("SC-DB-011", "write_on_read", "node"),
]


def _expected(root: Path, rule_id: str) -> dict[tuple[str, int], str]:
    pattern = re.compile(rf"ruleid:\s*{rule_id}\s*\((low|medium|high)\b")
    out: dict[tuple[str, int], str] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for idx, line in enumerate(lines):
            m = pattern.search(line)
            if m:
                out[(path.relative_to(root).as_posix(), _target_line(lines, idx))] = m.group(1)
    return out


@pytest.mark.parametrize(("rule_id", "folder", "eco"), CASES)
def test_confidence_matches_annotations(rule_id: str, folder: str, eco: str) -> None:
    root = HERE / folder / eco
    expected = _expected(root, rule_id)
    assert expected
    rule = rule_by_id(rule_id)
    assert rule is not None
    report = scan(root, ScanConfig(min_confidence="low", calibrated=False), rules=[rule], jobs=1)
    got = {(place.file, place.line): f.confidence for f in report.findings for place in (f, *f.other_places)}
    assert got == expected
