"""Golden files of the diff renderers, in ``tests/diff/golden/``; ``SCALESCOPE_UPDATE_GOLDEN=1``
rewrites them (the same switch and comparison as the report renderers' golden files)."""

from __future__ import annotations

from pathlib import Path

from tests.report.golden_files import check_golden as _check_golden

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, actual: str) -> None:
    _check_golden(name, actual, folder=GOLDEN)
