"""Shared formatting helpers: language tags, Markdown escaping, links and anchors."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scalescope.report.model import Finding
from scalescope.report.render._text import (
    code_url,
    fence_language,
    md_code,
    md_fence,
    md_inline,
    slug,
)
from tests.report.conftest import FINDINGS


def _with(severity: str) -> Finding:
    return replace(FINDINGS[0], severity=severity)


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


def test_code_url_and_slug() -> None:
    assert code_url("src/a b.ts", 12) == "src/a%20b.ts#L12"
    assert code_url("src/a.ts", 0, prefix="../repo") == "../repo/src/a.ts"
    assert (
        code_url("src/a.ts", 3, base="https://x.org/o/r/blob/c0ffee/")
        == "https://x.org/o/r/blob/c0ffee/src/a.ts#L3"
    )
    assert slug("F1 \N{MIDDLE DOT} Query inside a loop (N+1 queries)") == "f1--query-inside-a-loop-n1-queries"
