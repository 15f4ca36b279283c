"""Reading a side: the real contracts are accepted, anything else is a sentence, not a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scalescope.diff import DiffInputError, load_side, parse_side
from tests.audit.test_render import _report
from tests.diff.reports import finding, scan


def test_a_real_audit_report_is_read_with_its_figures() -> None:
    data = json.loads(json.dumps(_report().to_dict()))
    side = parse_side(data, "audit.json")
    assert side.kind == "audit" and side.target == "shop"
    assert side.figures is not None
    assert side.figures.sustainable_rps == 149.0 and side.figures.saturation_rps == 150.0
    assert side.figures.p95_at_sustainable_ms == 120.0  # the step that achieved 149 req/s
    assert side.figures.concurrent_users == data["users"]["concurrent_users"]
    assert side.figures.limiting == "throughput"
    assert [(e.key, e.warm_p95_ms) for e in side.figures.endpoints] == [("GET /orders", 25.0)]
    measured = [f for f in side.findings if f.measured]
    assert measured and all(f.file == "" for f in measured)
    assert any(f.rule == "SC-DB-003" and not f.measured for f in side.findings)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"{not json", "not valid JSON (line 1, column 2"),
        (b"\xff\xfe\x00garbage", "not UTF-8 text"),
        (b"[1, 2]", "a scalescope report is a JSON object, this is a list"),
        (b'{"version": "2.1.0", "$schema": "x", "runs": []}', "a SARIF file"),
        (b'{"schema_version": 2, "tool": {}, "findings": []}', "not a scalescope report"),
        (b'{"schema_version": 1, "kind": "diff", "tool": {}}', "already a diff"),
        (b'{"schema_version": 1, "tool": {}, "summary": {}, "series": []}', "a 'scalescope load' result"),
        (b'{"schema_version": 1, "tool": {}, "target": {}}', "no 'findings' list"),
        (
            b'{"schema_version": 1, "kind": "probe", "tool": {}, "findings": []}',
            "unknown report kind 'probe'",
        ),
        (b'{"schema_version": 1, "tool": {}, "findings": {}}', "'findings' must be a list, is an object"),
        (b'{"schema_version": 1, "tool": {}, "findings": [3]}', "findings[0]: a finding must be an object"),
        (
            b'{"schema_version": 1, "tool": {}, "findings": [{"rule": "X", "severity": "severe"}]}',
            "findings[0]: unknown severity 'severe'",
        ),
        (
            b'{"schema_version": 1, "tool": {}, "findings": [{"severity": "high"}]}',
            "findings[0]: 'rule' must be a string, is null",
        ),
        (
            b'{"schema_version": 1, "tool": {}, "findings": [{"rule": "X", "severity": "low", "line": "4"}]}',
            "'line' must be an integer, is a string",
        ),
        (
            b'{"schema_version": 1, "kind": "audit", "tool": {}, "findings": [], '
            b'"capacity": {"sustainable_rps": "fast"}}',
            "capacity: 'sustainable_rps' must be a number or null, is a string",
        ),
        (
            b'{"schema_version": 1, "kind": "audit", "tool": {}, "findings": [], '
            b'"capacity": {"sustainable_rps": NaN}}',
            "'sustainable_rps' must be a number or null",
        ),
        (
            b'{"schema_version": 1, "kind": "audit", "tool": {}, "findings": [], "endpoints": [1]}',
            "endpoints[0]: must be an object",
        ),
        (b"[" * 100_000, "nested too deeply"),
    ],
)
def test_bad_inputs_say_what_is_wrong(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "report.json"
    path.write_bytes(content)
    with pytest.raises(DiffInputError) as info:
        load_side(path)
    assert message in str(info.value)
    assert str(info.value).startswith(f"{path}: ")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(DiffInputError, match="no such file"):
        load_side(tmp_path / "absent.json")
    with pytest.raises(DiffInputError, match="is a folder"):
        load_side(tmp_path)


def test_a_bom_and_optional_fields_are_accepted(tmp_path: Path) -> None:
    report = scan([finding("SC-DB-004", "a.py", 3, "fp")])
    del report["findings"][0]["places"], report["findings"][0]["fingerprint"]
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(report).encode())
    side = load_side(path)
    assert side.kind == "scan" and side.findings[0].fingerprint == "" and side.findings[0].places == 1
