"""The precision benchmark's matching and tallying (bench/precision/matching.py), on synthetic data."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

MATCHING = Path(__file__).resolve().parents[2] / "bench" / "precision" / "matching.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("precision_matching", MATCHING)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


m = _load()


def finding(rule: str, file: str, line: int, message: str, confidence: str = "medium") -> dict[str, Any]:
    return {"rule": rule, "file": file, "line": line, "message": message, "confidence": confidence}


def judgment(rule: str, file: str, line: int, message: str, verdict: str, dup: str | None = None) -> Any:
    return m.Judgment.from_dict(
        {
            "rule": rule,
            "file": file,
            "line": line,
            "message_prefix": message[: m.PREFIX_CHARS],
            "verdict": verdict,
            "reason": "r",
            "duplicate_of": dup,
        }
    )


ORDERS = "orders.findMany() (Prisma) filters on `userId`, reached from GET /orders, but no index"


def test_exact_place_matches_first() -> None:
    js = [
        judgment("SC-DB-006", "src/a.ts", 10, ORDERS, "TP"),
        judgment("SC-DB-006", "src/a.ts", 20, ORDERS, "FP"),
    ]
    res = m.match("o/r", [m.Finding.from_dict(finding("SC-DB-006", "src/a.ts", 20, ORDERS))], js)
    assert [(f.line, j.verdict) for f, j in res.matched] == [(20, "FP")]
    assert res.unjudged == []


def test_moved_line_falls_back_to_message_prefix_nearest_line() -> None:
    js = [
        judgment("SC-DB-006", "src/a.ts", 10, ORDERS, "TP"),
        judgment("SC-DB-006", "src/a.ts", 40, ORDERS, "FP"),
    ]
    # the rule now anchors two lines earlier, and rewords the tail of the message
    moved = finding("SC-DB-006", "src/a.ts", 38, ORDERS[:60] + " (2 places)")
    res = m.match("o/r", [m.Finding.from_dict(moved)], js)
    assert [(f.line, j.line, j.verdict) for f, j in res.matched] == [(38, 40, "FP")]


def test_other_rule_or_file_or_message_is_unjudged() -> None:
    js = [judgment("SC-DB-006", "src/a.ts", 10, ORDERS, "TP")]
    fs = [
        finding("SC-DB-004", "src/a.ts", 10, ORDERS),  # same place, other rule
        finding("SC-DB-006", "src/b.ts", 10, ORDERS),  # same message, other file
        finding("SC-DB-006", "src/a.ts", 11, "sessions.select() (Drizzle) filters on `token`"),
    ]
    res = m.match("o/r", [m.Finding.from_dict(f) for f in fs], js)
    assert res.matched == []
    assert [(f.rule, f.file, f.line) for f in res.unjudged] == [
        ("SC-DB-004", "src/a.ts", 10),
        ("SC-DB-006", "src/b.ts", 10),
        ("SC-DB-006", "src/a.ts", 11),
    ]


def test_tally_precision_ignores_unsure_and_unjudged() -> None:
    js = [
        judgment("SC-DB-003", "a.py", 1, "x", "TP"),
        judgment("SC-DB-003", "a.py", 2, "x", "TP", dup="a.py:1"),
        judgment("SC-DB-003", "a.py", 3, "x", "FP"),
        judgment("SC-CACHE-007", "c.yml", 4, "y", "unsure"),
    ]
    fs = [finding("SC-DB-003", "a.py", i, "x") for i in (1, 2, 3)]
    fs += [finding("SC-CACHE-007", "c.yml", 4, "y"), finding("SC-DB-001", "d.py", 5, "z")]
    res = m.match("o/r", [m.Finding.from_dict(f) for f in fs], js)
    t = res.tally()
    assert (t.tp, t.fp, t.unsure, t.unjudged, t.duplicates) == (2, 1, 1, 1, 1)
    assert t.precision == pytest.approx(2 / 3)
    rules = res.by_rule()
    assert list(rules) == ["SC-CACHE-007", "SC-DB-001", "SC-DB-003"]
    assert rules["SC-CACHE-007"].precision is None
    assert m.format_precision(rules["SC-DB-003"].precision) == "67%"


def test_report_filter_and_judgment_file(tmp_path: Path) -> None:
    report = {"findings": [finding("R", "f", 1, "m", "low"), finding("R", "f", 2, "m", "high")]}
    assert [f.line for f in m.findings_from_report(report, "medium")] == [2]
    assert len(m.findings_from_report(report, "low")) == 2
    path = tmp_path / "j.json"
    path.write_text(json.dumps({"judgments": [{"rule": "R", "file": "f", "line": 2, "verdict": "maybe"}]}))
    with pytest.raises(ValueError, match="unknown verdict"):
        m.load_judgments(path)


def test_empty_prefix_matches_only_its_exact_place() -> None:
    js = [m.Judgment.from_dict({"rule": "R", "file": "f", "line": 1, "verdict": "TP"})]
    res = m.match("o/r", [m.Finding.from_dict(finding("R", "f", 9, "anything"))], js)
    assert res.matched == [] and len(res.unjudged) == 1
