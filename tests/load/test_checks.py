from __future__ import annotations

import pytest

from scalescope.load.checks import capture_values, json_path_get, parse_json_path, run_checks
from scalescope.load.config import Capture, Check, ConfigError

DOC = b'{"data": {"items": [{"id": 1}, {"id": 2}]}, "ok": true}'


def test_json_path() -> None:
    assert parse_json_path("$.data.items[1].id") == ("data", "items", 1, "id")
    import json

    assert json_path_get(json.loads(DOC), "$.data.items[1].id") == 2
    with pytest.raises(LookupError):
        json_path_get(json.loads(DOC), "$.data.missing")
    with pytest.raises(ConfigError):
        parse_json_path("$..bad")


def test_checks_status_json_contains() -> None:
    assert run_checks((Check("status", 200),), 200, None)
    assert run_checks((Check("status", [200, 201]),), 201, None)
    assert run_checks((Check("status", "2xx"),), 204, None)
    assert not run_checks((Check("status", 200),), 500, None)
    assert run_checks((Check("json", True, path="$.ok"),), 200, DOC)
    assert run_checks((Check("json", None, path="$.data.items[0]"),), 200, DOC)
    assert not run_checks((Check("json", 3, path="$.data.items[0].id"),), 200, DOC)
    assert not run_checks((Check("json", 1, path="$.x"),), 200, b"not json")
    assert run_checks((Check("contains", "items"),), 200, DOC)
    assert not run_checks((Check("contains", "zzz"),), 200, DOC)


def test_captures() -> None:
    caps = (Capture("token", "json", "$.data.items[0].id"), Capture("sess", "header", "X-Session"))
    assert capture_values(caps, DOC, {"x-session": "abc"}) == {"token": "1", "sess": "abc"}
    with pytest.raises(LookupError, match="X-Session"):
        capture_values(caps, DOC, {})
