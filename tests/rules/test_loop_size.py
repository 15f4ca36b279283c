"""SC-DB-003 judges the loop by what it iterates (issue 8, item 9): rows of a query are high; a
collection bounded by construction (parsed from one input, a constant list or enum, a slice), by
a declared request maximum or by the small declared limit of its query (at most 10 rows) is low
and says why; a request array with no maximum and a collection not traced to its source are low
too (measured precision, scan/calibration.py) and say so.

The fixtures under ``tests/rules/database/n_plus_one_query/<eco>/sized`` carry the expected
confidence in their annotations: ``ruleid: SC-DB-003 (low: ...)`` / ``(high: ...)``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules
from tests.rules.annotations import _target_line

HERE = Path(__file__).parent / "database" / "n_plus_one_query"
_EXPECT = re.compile(r"ruleid:\s*SC-DB-003\s*\((low|medium|high)\b")


def _expected(root: Path) -> dict[tuple[str, int], str]:
    out: dict[tuple[str, int], str] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for idx, line in enumerate(lines):
            m = _EXPECT.search(line)
            if m:
                out[(path.relative_to(root).as_posix(), _target_line(lines, idx))] = m.group(1)
    return out


@pytest.mark.parametrize("eco", ["node", "python"])
def test_confidence_follows_what_the_loop_iterates(eco: str) -> None:
    root = HERE / eco / "sized"
    expected = _expected(root)
    assert expected
    rule = next(r for r in all_rules() if r.meta.id == "SC-DB-003")
    report = scan(root, ScanConfig(min_confidence="low", calibrated=False), rules=[rule], jobs=1)
    got = {(f.file, f.line): f.confidence for f in report.findings}
    assert got == expected


@pytest.mark.parametrize("eco", ["node", "python"])
def test_bounded_loops_say_why(eco: str) -> None:
    root = HERE / eco / "sized"
    rule = next(r for r in all_rules() if r.meta.id == "SC-DB-003")
    report = scan(root, ScanConfig(min_confidence="low", calibrated=False), rules=[rule], jobs=1)
    low = [f for f in report.findings if f.confidence == "low"]
    assert low
    for finding in low:
        assert any(
            why in finding.message
            for why in (
                "bounded by the input",
                "bounded by the query",
                "catalog table",
                "declares no maximum",
                "does not show",
            )
        ), finding.message
    mentions = [f for f in low if "mention" in f.message]
    assert mentions, [f.message for f in low]


FANOUT = [
    ("node", "prisma"),
    ("node", "drizzle"),
    ("node", "typeorm"),
    ("node", "sequelize"),
    ("node", "mongoose"),
    ("python", "django"),
    ("python", "sqlalchemy"),
]


@pytest.mark.parametrize(("eco", "stack"), FANOUT)
def test_loops_over_one_parents_children_are_low(eco: str, stack: str) -> None:
    """A loop over the rows of a read that pins one parent (equality on a foreign key or a
    relation, a relation accessor) goes over that parent's fan-out: low, and the message names
    the parent and the key. The same loop over rows of many parents (a status filter, an IN
    list of parents) stays high."""
    root = HERE / eco / "fanout" / stack
    expected = _expected(root)
    assert "low" in expected.values() and "high" in expected.values()
    rule = next(r for r in all_rules() if r.meta.id == "SC-DB-003")
    report = scan(root, ScanConfig(min_confidence="low", calibrated=False), rules=[rule], jobs=1)
    assert {(f.file, f.line): f.confidence for f in report.findings} == expected
    for finding in report.findings:
        if finding.confidence == "low":
            assert "fan-out" in finding.message or "does not show" in finding.message, finding.message
    fanout = [f for f in report.findings if "fan-out" in f.message]
    assert fanout and all("of one" in f.message for f in fanout)
