"""The ``scan``, ``rules`` and ``explain`` commands end to end: formats, --output, --fail-on,
usage errors (exit 2, one plain line, never a traceback).

A test-only rule (``SC-OBS-900``, registered by patching the registry, so it never depends on
other people's rules) flags each line containing ``FLAG-<severity>`` with that severity.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from scalescope.cli import cli, main
from scalescope.model.facts import Loc
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta, rule_by_id

_FLAG = re.compile(r"FLAG-(critical|high|medium|low|info)")


class FlagMarker(Rule):
    """Lines that contain ``FLAG-<severity>`` (test only).

    ## What it finds
    Any line with a ``FLAG-high`` style marker, reported at that severity.

    ## Why it matters at scale
    It does not: it lets the CLI tests create findings of any severity.

    ## Example
    ```python
    x = 1  # FLAG-high
    ```

    ## Use instead
    ```python
    x = 1
    ```
    """

    meta = RuleMeta(
        id="SC-OBS-900",
        name="flag-marker",
        category="observability",
        severity="low",
        title="Test flag marker",
        effort="hours",
        confidence="high",
        impact="None: test only.",
        ecosystems=("python",),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        for f in model.files:
            for number, line in enumerate(model.source_lines(f.path), 1):
                m = _FLAG.search(line)
                if m:
                    yield self.hit(
                        Loc(f.path, number),
                        message=f"marker {m.group(0)}",
                        recommendation="remove the marker",
                        severity=m.group(1),
                    )


@pytest.fixture
def only_test_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the registry hold just :class:`FlagMarker` (CLI id checks and the engine)."""
    import scalescope.scan.engine as engine
    import scalescope.scan.rules.base as base

    monkeypatch.setattr(base, "all_rules", lambda: (FlagMarker,))
    monkeypatch.setattr(engine, "all_rules", lambda: (FlagMarker,))


def _project(tmp_path: Path, *flags: str) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    body = "".join(f"value_{i} = {i}  # FLAG-{flag}\n" for i, flag in enumerate(flags))
    (root / "app.py").write_text("import os\n" + body, encoding="utf-8")
    return root


def _run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


# ------------------------------------------------------------------------------ formats


@pytest.mark.usefixtures("only_test_rule")
def test_scan_json(tmp_path: Path) -> None:
    root = _project(tmp_path, "high", "low")
    result = _run("scan", str(root), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["target"]["path"] == "proj"
    assert [(f["rule"], f["severity"], f["file"], f["line"]) for f in data["findings"]] == [
        ("SC-OBS-900", "high", "app.py", 2),
        ("SC-OBS-900", "low", "app.py", 3),
    ]


@pytest.mark.usefixtures("only_test_rule")
def test_scan_markdown(tmp_path: Path) -> None:
    result = _run("scan", str(_project(tmp_path, "medium")), "-f", "md")
    assert result.exit_code == 0
    assert result.stdout.startswith("# Scalability scan: proj\n")
    assert "| Observability | **amber** |" in result.stdout and "[`app.py:2`]" in result.stdout


@pytest.mark.usefixtures("only_test_rule")
def test_scan_markdown_links(tmp_path: Path) -> None:
    root = _project(tmp_path, "medium")
    out = tmp_path / "reports" / "scan.md"
    assert _run("scan", str(root), "-f", "md", "-o", str(out)).exit_code == 0
    assert "[`app.py:2`](../proj/app.py#L2)" in out.read_text()  # relative to the report's folder
    base = "https://github.com/org/repo/blob/0123abc/proj"
    result = _run("scan", str(root), "-f", "md", "--link-base", base + "/")
    assert f"[`app.py:2`]({base}/app.py#L2)" in result.stdout
    bad = _run("scan", str(root), "-f", "md", "--link-base", "javascript:alert(1)")
    assert bad.exit_code == 2 and "--link-base must be an http(s) URL" in bad.output


@pytest.mark.usefixtures("only_test_rule")
def test_scan_sarif(tmp_path: Path) -> None:
    result = _run("scan", str(_project(tmp_path, "critical")), "--format", "sarif")
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    (res,) = log["runs"][0]["results"]
    assert res["ruleId"] == "SC-OBS-900" and res["level"] == "error"
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "app.py"


@pytest.mark.usefixtures("only_test_rule")
def test_scan_terminal(tmp_path: Path) -> None:
    result = _run("scan", str(_project(tmp_path, "medium")))
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout  # not a tty: no colour
    assert "SC-OBS-900" in result.stdout and "app.py:2" in result.stdout
    assert "1 finding: 0 critical · 0 high · 1 medium" in result.stdout


@pytest.mark.usefixtures("only_test_rule")
def test_scan_terminal_no_findings(tmp_path: Path) -> None:
    result = _run("scan", str(_project(tmp_path)), "--no-progress")
    assert result.exit_code == 0
    assert "No findings" in result.stdout


@pytest.mark.usefixtures("only_test_rule")
@pytest.mark.parametrize(
    ("fmt", "start"),
    [("md", "# Scalability scan"), ("json", "{"), ("sarif", "{"), ("terminal", "scalescope")],
)
def test_output_writes_a_file(tmp_path: Path, fmt: str, start: str) -> None:
    out = tmp_path / "reports" / "nested" / f"report.{fmt}"
    result = _run("scan", str(_project(tmp_path, "high")), "-f", fmt, "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert f"wrote {out}" in result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith(start) and "\x1b[" not in text


def test_output_unwritable_is_a_plain_error(tmp_path: Path) -> None:
    _project(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = _run("scan", str(tmp_path / "proj"), "-f", "json", "-o", str(blocker / "r.json"))
    assert result.exit_code == 1
    assert "cannot write" in result.stderr


# ------------------------------------------------------------------------------ --fail-on


@pytest.mark.usefixtures("only_test_rule")
@pytest.mark.parametrize(
    ("flags", "fail_on", "code"),
    [
        (("medium",), "high", 0),
        (("medium",), "medium", 1),
        (("medium",), "low", 1),
        (("medium",), "info", 1),
        (("critical",), "critical", 1),
        (("high", "info"), "critical", 0),
        ((), "info", 0),
    ],
)
def test_fail_on(tmp_path: Path, flags: tuple[str, ...], fail_on: str, code: int) -> None:
    result = _run("scan", str(_project(tmp_path, *flags)), "-f", "json", "--fail-on", fail_on)
    assert result.exit_code == code
    json.loads(result.stdout)  # the report is printed whatever the exit status


@pytest.mark.usefixtures("only_test_rule")
def test_fail_on_with_output_file(tmp_path: Path) -> None:
    out = tmp_path / "r.sarif"
    result = _run("scan", str(_project(tmp_path, "high")), "-f", "sarif", "-o", str(out), "--fail-on", "high")
    assert result.exit_code == 1 and out.is_file()


@pytest.mark.usefixtures("only_test_rule")
def test_select_and_ignore_test_rule(tmp_path: Path) -> None:
    root = _project(tmp_path, "high")
    assert _run("scan", str(root), "-f", "json", "--select", "sc-obs-900", "--fail-on", "high").exit_code == 1
    ignored = _run("scan", str(root), "-f", "json", "--ignore", "SC-OBS-900", "--fail-on", "info")
    assert ignored.exit_code == 0 and json.loads(ignored.stdout)["findings"] == []


def test_fail_on_with_a_real_rule(tmp_path: Path) -> None:
    """A plain ``redis:7`` compose service is flagged by SC-CACHE-007 (when that rule exists)."""
    rule = rule_by_id("SC-CACHE-007")
    assert rule is not None
    root = tmp_path / "stack"
    root.mkdir()
    (root / "docker-compose.yml").write_text("services:\n  cache:\n    image: redis:7\n", encoding="utf-8")
    failing = _run(
        "scan", str(root), "-f", "json", "--select", "SC-CACHE-007", "--fail-on", rule.meta.severity,
        "--min-confidence", "low",  # SC-CACHE-007 is capped at low (scan/calibration.py)
    )
    assert failing.exit_code == 1
    assert {f["rule"] for f in json.loads(failing.stdout)["findings"]} == {"SC-CACHE-007"}
    assert (
        _run(
            "scan",
            str(root),
            "-f",
            "json",
            "--ignore",
            "SC-CACHE-007",
            "--select",
            "SC-CACHE-007",
            "--fail-on",
            "info",
        ).exit_code
        == 0
    )


# ------------------------------------------------------------------------------ usage errors


def _usage_error(result: Result, needle: str) -> None:
    assert result.exit_code == 2, result.output
    assert needle in result.stderr
    assert result.stdout == ""


def test_nonexistent_path(tmp_path: Path) -> None:
    _usage_error(_run("scan", str(tmp_path / "missing")), "path does not exist")


def test_path_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "a.py"
    target.write_text("x = 1\n", encoding="utf-8")
    _usage_error(_run("scan", str(target)), "not a directory")


def test_unknown_rule_in_select(tmp_path: Path) -> None:
    _usage_error(_run("scan", str(tmp_path), "--select", "SC-NOPE-999"), "unknown rule 'SC-NOPE-999'")


def test_unknown_rule_in_ignore(tmp_path: Path) -> None:
    _usage_error(_run("scan", str(tmp_path), "--ignore", "SC-NOPE-999"), "--ignore: unknown rule")


@pytest.mark.usefixtures("only_test_rule")
def test_select_accepts_names_and_comma_lists(tmp_path: Path) -> None:
    root = _project(tmp_path, "high")
    for select in ("flag-marker", "sc-obs-900,flag-marker", "FLAG-MARKER, SC-OBS-900"):
        result = _run("scan", str(root), "-f", "json", "--select", select)
        assert result.exit_code == 0, result.output
        assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["SC-OBS-900"]
    ignored = _run("scan", str(root), "-f", "json", "--ignore", "flag-marker")
    assert json.loads(ignored.stdout)["findings"] == []
    _usage_error(_run("scan", str(root), "--select", "flag-marker,flag"), "unknown rule 'flag'")


def test_empty_scan_is_an_error(tmp_path: Path) -> None:
    """A mistyped or empty folder must not pass CI's --fail-on as "no findings"."""
    (tmp_path / "README.txt").write_text("nothing to scan\n", encoding="utf-8")
    result = _run("scan", str(tmp_path), "--fail-on", "high")
    assert result.exit_code == 2
    assert "no source files recognised" in result.stderr
    assert "No findings" not in result.stdout


@pytest.mark.usefixtures("only_test_rule")
def test_fail_on_says_why(tmp_path: Path) -> None:
    result = _run("scan", str(_project(tmp_path, "high", "low", "critical")), "--fail-on", "high")
    assert result.exit_code == 1
    assert "failing (--fail-on high): 2 findings at high or worse" in result.stderr
    assert "app.py:4" in result.stderr  # the worst one first: the critical marker


@pytest.mark.usefixtures("only_test_rule")
def test_sarif_paths_are_relative_to_the_git_root(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    service = repo / "services"
    service.mkdir()
    root = _project(service, "high")  # repo/services/proj/app.py

    def uri(*extra: str) -> str:
        log = json.loads(_run("scan", str(root), "-f", "sarif", *extra).stdout)
        location = log["runs"][0]["results"][0]["locations"][0]
        return str(location["physicalLocation"]["artifactLocation"]["uri"])

    assert uri() == "services/proj/app.py"
    assert uri("--sarif-root", str(root)) == "app.py"
    assert uri("--sarif-root", str(service)) == "proj/app.py"
    elsewhere = str(tmp_path / "other")
    _usage_error(_run("scan", str(root), "-f", "sarif", "--sarif-root", elsewhere), "does not contain")


@pytest.mark.usefixtures("only_test_rule")
def test_dot_is_named_by_its_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path, "low")
    monkeypatch.chdir(root)
    data = json.loads(_run("scan", ".", "-f", "json").stdout)
    assert data["target"]["path"] == "proj"
    assert _run("scan", ".", "-f", "md").stdout.startswith("# Scalability scan: proj")


def test_bad_toml_config(tmp_path: Path) -> None:
    (tmp_path / "scalescope.toml").write_text("exclude = [\n", encoding="utf-8")
    _usage_error(_run("scan", str(tmp_path)), "cannot read configuration")


def test_invalid_config_value(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.scalescope]\ninstances = 0\n", encoding="utf-8")
    _usage_error(_run("scan", str(tmp_path)), "'instances' must be a positive integer")


def test_unknown_config_key(tmp_path: Path) -> None:
    cfg = tmp_path / "custom.toml"
    cfg.write_text("exclud = ['x']\n", encoding="utf-8")
    _usage_error(
        _run("scan", str(tmp_path), "--config", str(cfg)), "unknown key 'exclud' (did you mean 'exclude'?)"
    )


def test_missing_config_file(tmp_path: Path) -> None:
    _usage_error(
        _run("scan", str(tmp_path), "--config", str(tmp_path / "nope.toml")), "config file not found"
    )


def test_bad_format_and_severity(tmp_path: Path) -> None:
    _usage_error(_run("scan", str(tmp_path), "--format", "pdf"), "Invalid value for '--format'")
    _usage_error(_run("scan", str(tmp_path), "--fail-on", "severe"), "Invalid value for '--fail-on'")


def test_main_returns_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(tmp_path / "missing")]) == 2
    assert "path does not exist" in capsys.readouterr().err


# ------------------------------------------------------------------------------ rules / explain


def test_rules_lists_every_rule() -> None:
    from scalescope.scan.rules.base import all_rules

    result = _run("rules", "--format", "json")
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(result.stdout)] == [r.meta.id for r in all_rules()]
    table = _run("rules")
    assert table.exit_code == 0 and f"{len(all_rules())} rules" in table.stdout


@pytest.mark.parametrize("columns", ["80", "60"])
def test_rules_and_explain_fit_the_terminal(columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """No line wider than the terminal, and no rule name cut short."""
    from scalescope.scan.rules.base import all_rules

    monkeypatch.setenv("COLUMNS", columns)
    table = _run("rules").stdout
    assert max(len(line) for line in table.splitlines()) <= int(columns)
    if columns == "80":
        assert all(r.meta.name in table for r in all_rules())
        assert "categories with rules: database, caching" in table
    for rule in all_rules():
        text = _run("explain", rule.meta.id).stdout
        assert max(len(line) for line in text.splitlines()) <= int(columns), rule.meta.id
        assert "What it finds" in text and "Use instead" in text


def test_rules_by_category() -> None:
    result = _run("rules", "--category", "database", "--format", "json")
    assert result.exit_code == 0
    rules = json.loads(result.stdout)
    assert all(r["category"] == "database" for r in rules)
    table = _run("rules", "--category", "database")
    assert table.exit_code == 0 and f"{len(rules)} rules" in table.stdout


def test_rules_unknown_category() -> None:
    _usage_error(_run("rules", "--category", "quantum"), "Invalid value for '--category'")


@pytest.mark.usefixtures("only_test_rule")
def test_explain_known_rule() -> None:
    result = _run("explain", "sc-obs-900")
    assert result.exit_code == 0
    assert result.stdout.lstrip().startswith("SC-OBS-900 flag-marker")
    assert "What it finds" in result.stdout and "Use instead" in result.stdout
    assert "##" not in result.stdout  # Markdown is rendered, not printed raw


def test_explain_unknown_rule() -> None:
    _usage_error(_run("explain", "SC-XXX-999"), "unknown rule: SC-XXX-999")
