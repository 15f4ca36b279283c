"""Shared formatting helpers: grades, buckets, language tags, Markdown escaping."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scalescope.report.model import Finding
from scalescope.report.render._text import (
    fence_language,
    grade,
    md_code,
    md_fence,
    md_inline,
    roadmap_bucket,
)
from tests.report.conftest import FINDINGS


def _with(severity: str) -> Finding:
    return replace(FINDINGS[0], severity=severity)


@pytest.mark.parametrize(
    ("severities", "expected"),
    [
        ((), ("A", 0)),
        (("info", "info"), ("A", 0)),
        (("low",) * 4, ("B", 4)),
        (("high",), ("C", 5)),
        (("medium",) * 5, ("D", 10)),
        (("critical",), ("D", 10)),
        (("critical", "critical"), ("F", 20)),
    ],
)
def test_grade_bands(severities: tuple[str, ...], expected: tuple[str, int]) -> None:
    assert grade(_with(s) for s in severities) == expected


@pytest.mark.parametrize(
    ("effort", "bucket"), [("hours", "This week"), ("days", "This month"), ("weeks", "Later"), ("?", "Later")]
)
def test_roadmap_bucket(effort: str, bucket: str) -> None:
    assert roadmap_bucket(replace(FINDINGS[0], effort=effort)) == bucket


@pytest.mark.parametrize(
    ("path", "lang"),
    [
        ("src/a.ts", "ts"),
        ("a.tsx", "tsx"),
        ("x/y.mjs", "js"),
        ("app/views.py", "python"),
        ("docker-compose.yml", "yaml"),
        ("k8s/deploy.yaml", "yaml"),
        ("prisma/schema.prisma", "prisma"),
        ("db/001.sql", "sql"),
        ("Dockerfile", "dockerfile"),
        ("api.Dockerfile", "dockerfile"),
        (".env.example", "dotenv"),
        ("package.json", "json"),
        ("README", "text"),
    ],
)
def test_fence_language(path: str, lang: str) -> None:
    assert fence_language(path) == lang


def test_md_inline() -> None:
    assert md_inline("a <b> `c <d>` e_f _g") == r"a \<b\> `c <d>` e_f \_g"
    assert md_inline("odd ` tick") == r"odd \` tick"
    assert md_inline("two\nlines") == "two lines"


def test_md_code_and_fence() -> None:
    assert md_code("a`b") == "``a`b``"
    assert md_code("a|b") == "`a|b`" and md_code("a|b", table=True) == r"`a\|b`"
    assert md_fence("x\n```\ny", "ts").startswith("````ts\n")
