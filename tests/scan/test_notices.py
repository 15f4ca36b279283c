"""Notices are for users: an extractor or rule failure never shows an internal module path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import scalescope.scan.extract.base as base
from scalescope.model.project import ProjectModel
from scalescope.report.render import RenderOptions, render
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import Hit, Rule, RuleContext, rule_by_id


def _boom(ctx: base.FileContext) -> None:
    raise ValueError("cannot read <scalescope.model.facts.Loc object at 0x1>")


def _deep(ctx: base.FileContext) -> None:
    raise RecursionError("maximum recursion depth exceeded")


def test_extractor_errors_name_no_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "app.py").write_text("import os\n")
    specs = (
        base.ExtractorSpec(
            "scalescope.scan.extract.py.routes_flask.extract_routes", frozenset({"python"}), (), _boom
        ),
        base.ExtractorSpec(
            "scalescope.scan.extract.py.loops.extract_loops", frozenset({"python"}), (), _deep
        ),
    )
    monkeypatch.setattr(base, "extractors_for", lambda language: specs)
    report = scan(tmp_path, ScanConfig(), jobs=1)
    messages = [n.message for n in report.notices]
    assert (
        "extractor error: the routes flask reader (py) failed: ValueError: cannot read <Loc object at 0x1>"
        in messages
    )
    assert "extractor error: the loops reader (py) stopped: nesting too deep" in messages
    for fmt in ("terminal", "md", "json", "sarif"):
        assert "scalescope.scan" not in render(report, fmt, RenderOptions(width=200))


class _Broken(Rule):
    meta = rule_by_id("SC-DB-004").meta  # type: ignore[union-attr]

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        raise KeyError("scalescope.scan.rules.database.unbounded_list_query")


def test_rule_failure_names_no_module(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import os\n")
    report = scan(tmp_path, ScanConfig(), rules=[_Broken], jobs=1)
    assert [n.message for n in report.notices] == ["rule SC-DB-004 failed: KeyError: 'unbounded_list_query'"]
