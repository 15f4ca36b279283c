"""Rule metadata and documentation are complete and consistent."""

from __future__ import annotations

import inspect

import pytest

from scalescope.scan.rules.base import CATEGORY_CODES, REQUIRED_SECTIONS, Rule, all_rules


def test_rules_exist() -> None:
    assert len(all_rules()) >= 1


def test_ids_and_names_unique() -> None:
    ids = [r.meta.id for r in all_rules()]
    names = [r.meta.name for r in all_rules()]
    assert len(ids) == len(set(ids))
    assert len(names) == len(set(names))


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.meta.id)
def test_rule_lives_in_its_category_and_module(rule: type[Rule]) -> None:
    parts = rule.__module__.split(".")
    assert parts[-2] == rule.meta.category.replace("-", "_"), "rule module must sit in its category folder"
    assert parts[-1] == rule.meta.name.replace("-", "_"), "module file is the snake_case rule name"
    assert rule.meta.id.split("-")[1] == CATEGORY_CODES[rule.meta.category]


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.meta.id)
def test_rule_docs_have_all_sections(rule: type[Rule]) -> None:
    docs = rule.docs()
    for section in REQUIRED_SECTIONS:
        assert docs.get(section, "").strip(), f"{rule.meta.id}: docstring lacks '## {section}'"
    assert inspect.getdoc(rule)
