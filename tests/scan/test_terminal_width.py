"""The bar of issue 11: at 80 columns, ``scalescope scan`` of each bundled example prints no line
wider than 80 characters (stdout and stderr), at the default and at the lowest confidence."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from scalescope.cli import cli

EXAMPLES = sorted(p for p in (Path(__file__).parents[2] / "examples").iterdir() if p.is_dir())


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("confidence", ["medium", "low"])
def test_scan_fits_80_columns(example: Path, confidence: str) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["scan", str(example), "--min-confidence", confidence], env={"COLUMNS": "80"})
    assert result.exit_code in (0, 1), result.output
    assert "scan report" in result.stdout
    wide = [line for line in (result.stdout + result.stderr).splitlines() if len(line) > 80]
    assert not wide, "\n".join(wide[:5])
