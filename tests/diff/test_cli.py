"""``scalescope diff`` on the command line: exit statuses, one-line reasons, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scalescope.cli import cli
from tests.diff.reports import audit, finding, scan, step, write


def _run(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(cli, ["diff", *args], input=stdin)


def _audit(sustainable: float | None) -> dict[str, Any]:
    steps = [step(sustainable, sustainable, 50.0)] if sustainable is not None else []
    return audit([], sustainable=sustainable, saturation=None, users=None, steps=steps, endpoints=[])


@pytest.fixture
def scans(tmp_path: Path) -> tuple[Path, Path]:
    kept = finding("SC-DB-004", "a.py", 1, "kept", "high")
    old = write(tmp_path, "old.json", scan([kept, finding("SC-DB-003", "b.py", 5, "gone", "critical")]))
    new = write(tmp_path, "new.json", scan([kept, finding("SC-DB-006", "c.py", 9, "added", "medium")]))
    return old, new


def test_default_terminal_exit_0(scans: tuple[Path, Path]) -> None:
    result = _run(str(scans[0]), str(scans[1]))
    assert result.exit_code == 0, result.output
    assert "Findings: 1 new · 1 fixed · 0 severity changed · 1 unchanged" in result.output


def test_fail_on_exits_1_with_one_line_reason(scans: tuple[Path, Path]) -> None:
    result = _run(str(scans[0]), str(scans[1]), "--fail-on", "medium", "-f", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["summary"]["new"] == 1
    (line,) = result.stderr.strip().splitlines()
    assert line == (
        "scalescope diff: failing (--fail-on medium: 1 new finding at medium or worse, "
        "first SC-DB-006 (medium) at c.py:9)"
    )
    # the critical one was fixed and the high one is old: neither fails the gate
    assert _run(str(scans[0]), str(scans[1]), "--fail-on", "high").exit_code == 0


def test_output_file_and_markdown(scans: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "sub" / "diff.md"
    result = _run(str(scans[0]), str(scans[1]), "-f", "md", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("# scalescope diff")


def test_new_from_stdin(scans: tuple[Path, Path]) -> None:
    result = _run(str(scans[0]), "-", stdin=scans[1].read_text(encoding="utf-8"))
    assert result.exit_code == 0 and "1 new" in result.stdout
    assert _run("-", "-", stdin="{}").exit_code == 2


def test_capacity_drop_gate(tmp_path: Path) -> None:
    old = write(tmp_path, "old.json", _audit(200.0))
    worse = write(tmp_path, "worse.json", _audit(150.0))
    result = _run(str(old), str(worse), "--fail-on-capacity-drop", "20")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "scalescope diff: failing (--fail-on-capacity-drop 20: sustainable rate fell 25.0% "
        "(200.0 → 150.0 req/s))"
    )
    assert _run(str(old), str(worse), "--fail-on-capacity-drop", "25").exit_code == 0
    none = write(tmp_path, "none.json", _audit(None))
    result = _run(str(none), str(old), "--fail-on-capacity-drop", "5")
    assert result.exit_code == 0 and "warning: --fail-on-capacity-drop: OLD has no" in result.stderr


def test_capacity_gate_needs_two_audits(scans: tuple[Path, Path], tmp_path: Path) -> None:
    a = write(tmp_path, "a.json", _audit(100.0))
    result = _run(str(scans[0]), str(a), "--fail-on-capacity-drop", "5")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "scalescope diff: --fail-on-capacity-drop compares two audits; got a scan and an audit"
    )
    assert _run(str(scans[0]), str(a)).exit_code == 0  # scan vs audit: findings only


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("{", "not valid JSON"),
        ('{"schema_version": 1, "tool": {}, "summary": {}, "series": []}', "a 'scalescope load' result"),
    ],
)
def test_bad_input_exit_2_plain_message(
    scans: tuple[Path, Path], tmp_path: Path, content: str | None, message: str
) -> None:
    bad = tmp_path / "bad.json"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    result = _run(str(scans[0]), str(bad))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"scalescope diff: {bad}: ") and message in result.stderr
    assert "Traceback" not in result.stderr and isinstance(result.exception, SystemExit)


def test_bad_option_values_are_usage_errors(scans: tuple[Path, Path]) -> None:
    assert _run(str(scans[0]), str(scans[1]), "--fail-on", "severe").exit_code == 2
    assert _run(str(scans[0]), str(scans[1]), "--fail-on-capacity-drop", "-3").exit_code == 2
    assert _run(str(scans[0])).exit_code == 2


def test_real_process_exit_status(scans: tuple[Path, Path], tmp_path: Path) -> None:
    folder = tmp_path / "folder.json"
    folder.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "scalescope", "diff", str(scans[0]), str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"scalescope diff: {folder}: is a folder, not a JSON report"


def test_documented_diff_commands_parse() -> None:
    import shlex

    import click

    root = Path(__file__).resolve().parents[2]
    command = cli.get_command(click.Context(cli), "diff")
    assert command is not None
    seen = 0
    for doc in ("README.md", "docs/diff.md"):
        for line in (root / doc).read_text(encoding="utf-8").splitlines():
            at = line.find("scalescope diff ")
            if at < 0 or "`" in line[:at]:
                continue
            argv = shlex.split(line[at:].split("#")[0])
            command.make_context("diff", argv[2:])  # raises on an unknown option or bad value
            seen += 1
    assert seen >= 8
