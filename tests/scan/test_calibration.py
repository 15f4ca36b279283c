"""Confidence calibration: rules whose findings were mostly false on real code report at most
the ceiling their measured precision sets, say why, and keep their own confidence uncalibrated."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from scalescope.cli import cli
from scalescope.scan.calibration import CEILINGS, ceiling_of
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules

API = """from fastapi import FastAPI
from .models import Post

app = FastAPI()


@app.get("/posts")
def all_posts(db):
    return db.query(Post).all()
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text(API, encoding="utf-8")
    return tmp_path


def _unbounded(config: ScanConfig, root: Path) -> list[tuple[str, str]]:
    rule = next(r for r in all_rules() if r.meta.id == "SC-DB-004")
    report = scan(root, config, rules=[rule], jobs=1)
    return [(f.confidence, f.message) for f in report.findings]


def test_every_ceiling_names_a_rule_and_lowers_it() -> None:
    rules = {r.meta.id: r.meta for r in all_rules()}
    order = {"low": 0, "medium": 1, "high": 2}
    for ceiling in CEILINGS:
        assert ceiling.rule in rules, ceiling.rule
        assert order[ceiling.confidence] < order[rules[ceiling.rule].confidence], ceiling.rule
        assert ceiling.basis and ceiling.note.endswith(".")
    assert ceiling_of("SC-DB-002") is None  # measured precise: keeps its own confidence


def test_a_capped_rule_is_low_by_default_and_says_why(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert _unbounded(ScanConfig(), root) == []  # hidden at the default medium
    [(confidence, message)] = _unbounded(ScanConfig(min_confidence="low"), root)
    assert confidence == "low"
    assert message.endswith(ceiling_of("SC-DB-004").note)  # type: ignore[union-attr]


def test_uncalibrated_keeps_the_rules_own_confidence(tmp_path: Path) -> None:
    root = _project(tmp_path)
    [(confidence, message)] = _unbounded(ScanConfig(calibrated=False), root)
    assert confidence == "high"
    assert "Low confidence" not in message


def test_cli_flag_and_explain(tmp_path: Path) -> None:
    root = _project(tmp_path)
    runner = CliRunner()
    args = ["scan", str(root), "-f", "json", "--select", "SC-DB-004", "--no-progress"]
    default = json.loads(runner.invoke(cli, args).output)
    raw = json.loads(runner.invoke(cli, [*args, "--uncalibrated"]).output)
    assert default["findings"] == []
    assert [(f["rule"], f["confidence"]) for f in raw["findings"]] == [("SC-DB-004", "high")]
    explained = runner.invoke(cli, ["explain", "SC-DB-004"], env={"COLUMNS": "200"})
    assert "Calibrated confidence: low" in explained.output
