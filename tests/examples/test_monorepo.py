"""A monorepo is several projects: scanning a folder that holds a broken service and its fixed
copy reports the broken one's problems exactly as scanning it alone does (each service gets its
own schema, environment, cache layer and deployment context)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scalescope.report.model import Finding, ScanReport
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PAIRS = [("node-shop", "node-shop-fixed"), ("fastapi-billing", "fastapi-billing-fixed")]


def _keys(report: ScanReport, name: str, prefix: str) -> list[tuple[str, str, int, str, str]]:
    def key(f: Finding) -> tuple[str, str, int, str, str]:
        file = f.file.removeprefix(prefix)
        return (f.rule, file, f.line, f.confidence, f.message.replace(prefix, ""))

    return sorted(key(f) for f in report.findings if f.file.startswith(prefix))


@pytest.fixture(scope="module")
def together(tmp_path_factory: pytest.TempPathFactory) -> ScanReport:
    root = tmp_path_factory.mktemp("monorepo")
    for pair in PAIRS:
        for name in pair:
            shutil.copytree(EXAMPLES / name, root / name)
    return scan(root, ScanConfig(min_confidence="low"), jobs=1)


@pytest.mark.parametrize("name", [n for pair in PAIRS for n in pair])
def test_each_service_is_reported_as_if_scanned_alone(together: ScanReport, name: str) -> None:
    alone = scan(EXAMPLES / name, ScanConfig(min_confidence="low"), jobs=1)
    assert _keys(together, name, f"{name}/") == _keys(alone, name, "")
    if not name.endswith("-fixed"):
        assert alone.findings, "the broken example must have findings for this test to mean anything"
