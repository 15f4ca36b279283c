"""Golden-file comparison: ``SCALESCOPE_UPDATE_GOLDEN=1 pytest tests/report`` rewrites them."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def updating() -> bool:
    return os.environ.get("SCALESCOPE_UPDATE_GOLDEN", "") not in ("", "0")


def check_golden(name: str, actual: str, folder: Path = GOLDEN) -> None:
    """Assert ``actual`` equals ``<folder>/<name>`` exactly (or rewrite it when updating); the
    folder defaults to the report renderers' ``golden/``."""
    path = folder / name
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.is_file(), f"missing golden file {path}: run SCALESCOPE_UPDATE_GOLDEN=1 pytest tests"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                f"golden/{name}",
                "rendered",
                n=2,
            )
        )
        raise AssertionError(
            f"{name} differs from its golden file (SCALESCOPE_UPDATE_GOLDEN=1 rewrites it):\n{diff[:6000]}"
        )
