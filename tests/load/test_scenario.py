from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.load.config import ConfigError
from scalescope.load.scenario import load_scenario, parse_target

FULL = """
base_url: http://127.0.0.1:9/api/
headers: {Accept: application/json}
vars: {tenant: acme}
rate: 200
duration: 5s
timeout: 2s
workers: 2
data: {file: users.csv, mode: random}
setup:
  - name: login
    method: POST
    path: /login
    json: {user: admin}
    capture:
      token: {json: $.token}
      session: {header: X-Session}
requests:
  - name: item
    path: /items/{{id}}
    query: {tenant: "{{tenant}}"}
    headers: {Authorization: "Bearer {{token}}"}
    weight: 3
    checks:
      - status: 200
      - json: $.id
        equals: 7
      - contains: widget
  - name: create
    method: POST
    path: /items
    body: "raw"
thresholds: ["p95 < 200ms", "error_rate < 1%"]
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "users.csv").write_text("id,name\n1,ann\n2,bob\n")
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return path


def test_full_scenario(tmp_path: Path) -> None:
    cfg = load_scenario(write(tmp_path, FULL))
    assert cfg.target.url == "http://127.0.0.1:9/api"
    assert cfg.model.kind == "open" and cfg.model.rate == 200
    assert cfg.duration_s == 5 and cfg.timeout_s == 2 and cfg.workers == 2
    item, create = cfg.requests
    assert item.weight == 3 and item.path == "/items/{{id}}?tenant={{tenant}}"
    assert [c.kind for c in item.checks] == ["status", "json", "contains"]
    assert create.body == "raw" and create.method == "POST"
    assert cfg.feeder is not None and cfg.feeder.mode == "random" and len(cfg.feeder.rows) == 2
    login = cfg.setup[0]
    assert login.body == '{"user":"admin"}'
    assert ("Content-Type", "application/json") in login.headers
    assert {c.variable for c in login.captures} == {"token", "session"}
    assert cfg.thresholds == ("p95 < 200ms", "error_rate < 1%")


def test_overrides_and_stages(tmp_path: Path) -> None:
    text = "base_url: http://h:1\nstages: [{duration: 2s, target: 10}, {duration: 3s, target: 0}]\n"
    text += "requests: [{path: /}]\n"
    cfg = load_scenario(write(tmp_path, text), overrides={"workers": 3, "connections": None})
    assert cfg.model.kind == "closed" and cfg.duration_s == 5 and cfg.model.connections == 10
    assert cfg.workers == 3
    assert cfg.requests[0].name == "GET /"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("requests: [{path: /}]", "base_url"),
        ("base_url: ftp://x\nrequests: [{path: /}]", "http"),
        ("base_url: http://x\nrequests: []", "non-empty"),
        ("base_url: http://x\nrequests: [{path: nope}]", "start with /"),
        ("base_url: http://x\nrequests: [{path: /, wieght: 2}]", "wieght"),
        ("base_url: http://x\nrequests: [{path: /}]\nduration: forever", "duration"),
        ("base_url: http://x\nrequests: [{path: /}]\nthresholds: [p95 < soon]", "threshold"),
        ("base_url: http://x\nrequests: [{path: /, checks: [{weird: 1}]}]", "check"),
        ("base_url: http://x\nrequests: [{path: /}]\ndata: missing.csv", "cannot read"),
        ("base_url: [unclosed", "not valid YAML"),
        ("- just a list", "mapping"),
    ],
)
def test_bad_files_give_plain_messages(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_scenario(write(tmp_path, text))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_scenario(tmp_path / "nope.yaml")


def test_parse_target() -> None:
    target, path = parse_target("https://example.com/a?b=1")
    assert (target.scheme, target.port, path) == ("https", 443, "/a?b=1")
    assert parse_target("127.0.0.1:8080")[0].port == 8080
