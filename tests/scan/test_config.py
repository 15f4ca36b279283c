"""Configuration is checked against its schema: types, known keys and known rules, with the
same messages as the flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.scan.config import ConfigError, config_keys, load_config


def _load(tmp_path: Path, body: str) -> object:
    (tmp_path / "pyproject.toml").write_text("[tool.scalescope]\n" + body, encoding="utf-8")
    return load_config(tmp_path)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('include-tests = "false"\n', "'include-tests' must be true or false, got a string ('false')"),
        ('disable = ["SC-NOPE-001"]\n', "unknown rule 'SC-NOPE-001'"),
        ('select = ["n-plus-on-query"]\n', "unknown rule 'n-plus-on-query'"),
        ("select = []\n", "'select' is empty"),
        ('severity = { "SC-DB-999" = "high" }\n', "unknown rule 'SC-DB-999'"),
        ('severity = { "SC-DB-003" = "severe" }\n', "must be one of critical"),
        ("instances = true\n", "'instances' must be a positive integer"),
        ('min-confidence = "certain"\n', "'min-confidence' must be one of high, medium, low"),
        ("exclude = [1]\n", "'exclude' must be a list of strings"),
        ("include_tests = true\ninclude-tests = false\n", "'include-tests' is given twice"),
        ("min-confidense = 'low'\n", "did you mean 'min-confidence'?"),
    ],
)
def test_bad_values_are_rejected(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=None) as info:
        _load(tmp_path, body)
    assert message in str(info.value)
    assert str(info.value).startswith("pyproject.toml: ")


def test_rules_by_id_or_name_and_comma_lists(tmp_path: Path) -> None:
    config = _load(
        tmp_path,
        'disable = ["no-cache-layer, sc-cache-002"]\nselect = "SC-DB-003,unbounded-list-query"\n'
        'severity = { "n-plus-one-query" = "critical" }\ninclude_tests = true\n',
    )
    assert config.disable == frozenset({"SC-CACHE-001", "SC-CACHE-002"})  # type: ignore[attr-defined]
    assert config.enable_only == frozenset({"SC-DB-003", "SC-DB-004"})  # type: ignore[attr-defined]
    assert config.severity == {"SC-DB-003": "critical"}  # type: ignore[attr-defined]
    assert config.include_tests is True  # type: ignore[attr-defined]


def test_every_documented_key_is_known() -> None:
    assert set(config_keys()) == {
        "exclude",
        "disable",
        "select",
        "severity",
        "instances",
        "include-tests",
        "min-confidence",
    }


def test_the_audit_table_is_left_to_the_audit(tmp_path: Path) -> None:
    # `scalescope scan` of a project configured for `scalescope audit` (examples/audit-shop)
    config = _load(tmp_path, 'instances = 2\n[tool.scalescope.audit]\nstart = "uvicorn app:app"\n')
    assert config.instances == 2  # type: ignore[attr-defined]
    (tmp_path / "pyproject.toml").unlink()
    toml = 'min-confidence = "low"\n[audit]\nusers = 10\n'
    (tmp_path / "scalescope.toml").write_text(toml, encoding="utf-8")
    assert load_config(tmp_path).min_confidence == "low"
