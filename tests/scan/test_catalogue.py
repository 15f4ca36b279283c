"""docs/rules.md is generated from the rules' docstrings and must be current; the README links
the rule catalogue and the JSON contract."""

from __future__ import annotations

from pathlib import Path

from scalescope.scan.catalogue import render_catalogue
from scalescope.scan.rules.base import all_rules

ROOT = Path(__file__).parents[2]


def test_rule_catalogue_is_current() -> None:
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == render_catalogue(), (
        "docs/rules.md is out of date: run python -m scalescope.scan.catalogue docs/rules.md"
    )


def test_catalogue_documents_every_rule() -> None:
    text = render_catalogue()
    for rule in all_rules():
        assert f"### {rule.meta.id} {rule.meta.name}\n" in text
        assert f"](#{rule.meta.id.lower()}-{rule.meta.name})" in text
    assert "#### What it finds" in text and "\n## What it finds" not in text


def test_readme_links_the_contracts() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for doc in ("docs/json-report.md", "docs/rules.md"):
        assert f"]({doc})" in readme, doc
        assert (ROOT / doc).is_file()
