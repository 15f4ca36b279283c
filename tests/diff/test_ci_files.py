"""The GitHub Action (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml): their shape,
and that the commands they run exist in the CLI with the options they pass. The Action's scan
step is also run as written, with bash, on the bundled example."""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from scalescope.cli import _COMMANDS, cli

ROOT = Path(__file__).resolve().parents[2]


def _yaml(name: str) -> Any:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def _scan_options() -> set[str]:
    command = cli.get_command(click.Context(cli), "scan")
    assert command is not None
    return {opt for p in command.params for opt in (*p.opts, *p.secondary_opts) if opt.startswith("-")}


def _steps() -> list[dict[str, Any]]:
    steps = _yaml("action.yml")["runs"]["steps"]
    assert isinstance(steps, list)
    return steps


def _step(predicate: Any) -> dict[str, Any]:
    found = [s for s in _steps() if predicate(s)]
    assert len(found) == 1, found
    return found[0]


def test_action_shape() -> None:
    action = _yaml("action.yml")
    assert {"name", "description", "inputs", "runs"} <= set(action)
    inputs = action["inputs"]
    assert {"path", "fail-on", "min-confidence", "sarif-file"} <= set(inputs)
    for name, spec in inputs.items():
        assert spec.get("description"), f"input {name} has no description"
        assert isinstance(spec.get("default", ""), str), f"input {name}: defaults are strings"
    assert action["runs"]["using"] == "composite"
    for step in _steps():
        assert ("uses" in step) != ("run" in step), step
        if "run" in step:
            assert step.get("shell") == "bash", f"composite run steps need a shell: {step.get('name')}"


def test_action_references_only_declared_inputs_and_never_inlines_them_in_scripts() -> None:
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    declared = set(_yaml("action.yml")["inputs"])
    used = set(re.findall(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", text))
    used |= set(re.findall(r"\binputs\.([\w-]+)\s*==", text))
    assert used and used <= declared
    for step in _steps():
        # inputs reach scripts through env, so a value is never spliced into shell code
        assert "${{" not in step.get("run", ""), step.get("name")


def test_action_installs_itself_scans_and_uploads_sarif() -> None:
    setup = _step(lambda s: str(s.get("uses", "")).startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"
    install = _step(lambda s: "pip install" in s.get("run", ""))
    assert '"$GITHUB_ACTION_PATH"' in install["run"]
    scan = _step(lambda s: s.get("id") == "scan")
    assert "scan" in _COMMANDS
    passed = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", scan["run"]))
    assert {"--format", "--output", "--fail-on", "--min-confidence", "--no-progress"} <= passed
    assert passed <= _scan_options(), passed - _scan_options()
    upload = _step(lambda s: str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert _steps().index(upload) > _steps().index(scan)
    gate = _step(lambda s: s.get("if") == "steps.scan.outputs.failed == 'true'")
    assert _steps().index(gate) > _steps().index(upload)  # findings are uploaded before failing


@pytest.fixture
def shim(tmp_path: Path) -> Path:
    """A ``scalescope`` executable that runs this checkout's package (PYTHONPATH is inherited)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "scalescope"
    exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m scalescope "$@"\n', encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IEXEC)
    return bin_dir


@pytest.mark.parametrize(("fail_on", "status", "failed"), [("high", 0, "true"), ("", 0, "false")])
def test_action_scan_step_runs_as_written(
    shim: Path, tmp_path: Path, fail_on: str, status: int, failed: str
) -> None:
    script = _step(lambda s: s.get("id") == "scan")["run"]
    outputs = tmp_path / "github_output"
    sarif = tmp_path / "out.sarif"
    env = {
        **os.environ,
        "PATH": f"{shim}{os.pathsep}{os.environ.get('PATH', '')}",
        "SCAN_PATH": "examples/node-shop",
        "FAIL_ON": fail_on,
        "MIN_CONFIDENCE": "medium",
        "SARIF_FILE": str(sarif),
        "GITHUB_OUTPUT": str(outputs),
    }
    proc = subprocess.run(
        ["bash", "-e", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == status, proc.stderr
    written = dict(line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines())
    assert written == {"sarif-file": str(sarif), "failed": failed}
    import json

    results = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    # relative to the git root, as code scanning wants
    assert uris and all(u.startswith("examples/node-shop/") for u in uris), uris


def test_action_scan_step_fails_on_a_usage_error(shim: Path, tmp_path: Path) -> None:
    script = _step(lambda s: s.get("id") == "scan")["run"]
    env = {
        **os.environ,
        "PATH": f"{shim}{os.pathsep}{os.environ.get('PATH', '')}",
        "SCAN_PATH": "no/such/folder",
        "FAIL_ON": "high",
        "MIN_CONFIDENCE": "",
        "SARIF_FILE": str(tmp_path / "out.sarif"),
        "GITHUB_OUTPUT": str(tmp_path / "github_output"),
    }
    proc = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2 and "path does not exist" in proc.stderr


def test_pre_commit_hook() -> None:
    hooks = _yaml(".pre-commit-hooks.yaml")
    assert isinstance(hooks, list)
    (hook,) = [h for h in hooks if h["id"] == "scalescope-scan"]
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    argv = shlex.split(hook["entry"])
    assert argv == ["scalescope", "scan", ".", "--fail-on", "high", "--no-progress"]
    command = cli.get_command(click.Context(cli), argv[1])
    assert command is not None
    ctx = command.make_context("scan", argv[2:])  # raises on an unknown option or a bad value
    assert ctx.params["fail_on"] == "high" and ctx.params["no_progress"] is True
