"""Probe check metadata and documentation: the same bar as scan rules."""

from __future__ import annotations

import re

import pytest

import scalescope.probe as probe_pkg
from scalescope.probe.meta import REQUIRED_SECTIONS, ProbeMeta, all_checks, check_by_id, checks_for
from scalescope.report.model import CATEGORIES
from scalescope.scan.rules.base import all_rules


def test_public_names_are_pinned() -> None:
    assert probe_pkg.__all__ == [
        "ProbeError",
        "ProbeResult",
        "ProbeSettings",
        "cross_check",
        "probe_postgres",
        "probe_redis",
    ]
    for name in probe_pkg.__all__:
        assert getattr(probe_pkg, name) is not None


def test_ids_unique_sequential_and_disjoint_from_scan_rules() -> None:
    checks = all_checks()
    ids = [c.meta.id for c in checks]
    assert len(ids) == len(set(ids))
    assert not set(ids) & {r.meta.id for r in all_rules()}
    for prefix in ("SC-PG-", "SC-REDIS-"):
        numbers = sorted(int(i.rsplit("-", 1)[1]) for i in ids if i.startswith(prefix))
        assert numbers == list(range(1, len(numbers) + 1)), prefix
    assert (
        len(checks_for("postgres")) == 15 and len(checks_for("redis")) == 10
    )  # + SC-PG-015, cross-check only
    assert check_by_id("SC-PG-015") is not None and check_by_id("SC-PG-015") not in checks_for("postgres")


@pytest.mark.parametrize("check", all_checks(), ids=lambda c: c.meta.id)
def test_every_check_is_documented(check: type) -> None:
    docs = check.docs()  # type: ignore[attr-defined]
    for section in REQUIRED_SECTIONS:
        assert docs.get(section, "").strip(), f"{check.meta.id} lacks '{section}'"  # type: ignore[attr-defined]
    meta = check.meta  # type: ignore[attr-defined]
    assert meta.category in CATEGORIES
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", meta.name)
    assert check.__name__.lower() == meta.name.replace("-", "")  # the class is named after the check
    assert check_by_id(meta.id) is check and check_by_id(meta.name) is check
    info = check.info()  # type: ignore[attr-defined]
    assert info.summary and info.help_markdown.startswith(check.__doc__.strip().splitlines()[0])  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("id", "SC-DB-001", "not SC-PG-NNN"),
        ("category", "speed", "unknown category"),
        ("name", "Bad_Name", "kebab-case"),
        ("severity", "urgent", "unknown severity"),
        ("effort", "minutes", "unknown effort"),
        ("confidence", "sure", "unknown confidence"),
    ],
)
def test_metadata_is_validated(field: str, value: str, error: str) -> None:
    fields = dict(
        id="SC-PG-099",
        name="x-y",
        category="database",
        severity="low",
        title="t",
        effort="hours",
        confidence="high",
        impact="i",
    )
    fields[field] = value
    with pytest.raises(ValueError, match=error):
        ProbeMeta(**fields)  # type: ignore[arg-type]


def test_docs_list_every_query_and_every_check() -> None:
    from pathlib import Path

    from scalescope.probe.postgres import collect

    text = (Path(__file__).parents[2] / "docs" / "probes.md").read_text(encoding="utf-8")
    for name in dir(collect):
        if name.startswith("Q_"):
            assert f"`{name}`" in text, name
    for check in all_checks():
        assert f"| {check.meta.id} | {check.meta.name} |" in text, check.meta.id
