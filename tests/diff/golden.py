"""Golden files of the diff renderers, in ``tests/diff/golden/``; ``SCALESCOPE_UPDATE_GOLDEN=1``
rewrites them (the same switch as the report renderers' golden files)."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SCALESCOPE_UPDATE_GOLDEN", "") not in ("", "0"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.is_file(), f"missing golden file {path}: run SCALESCOPE_UPDATE_GOLDEN=1 pytest tests/diff"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True), name, "rendered", n=2
            )
        )
        raise AssertionError(f"{name} differs from its golden file (SCALESCOPE_UPDATE_GOLDEN=1):\n{diff}")
