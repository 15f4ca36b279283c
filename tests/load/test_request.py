from __future__ import annotations

import pytest

from scalescope.load.config import ConfigError, RequestSpec, Target
from scalescope.load.request import PreparedRequest, Template

TARGET = Target("http", "127.0.0.1", 8080)


def test_constant_request_is_encoded_once() -> None:
    req = PreparedRequest(RequestSpec("home", path="/a b"), TARGET, (("Accept", "*/*"),), {}, frozenset())
    first = req.encode({})
    assert first is req.encode({"x": "y"})
    assert first.startswith(b"GET /a%20b HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n")
    assert b"Accept: */*\r\n" in first and first.endswith(b"\r\n\r\n")


def test_body_gets_content_length_and_request_headers_override_defaults() -> None:
    spec = RequestSpec("post", method="post", path="/p", headers=(("accept", "json"),), body='{"a":1}')
    raw = PreparedRequest(spec, TARGET, (("Accept", "*/*"),), {}, frozenset()).encode({})
    head, body = raw.split(b"\r\n\r\n")
    assert head.startswith(b"POST /p HTTP/1.1")
    assert b"accept: json" in head and b"*/*" not in head
    assert b"Content-Length: 7" in head and body == b'{"a":1}'


def test_constants_fill_at_compile_time_and_feeder_values_at_run_time() -> None:
    spec = RequestSpec(
        "item", path="/items/{{id}}", headers=(("Authorization", "Bearer {{token}}"),), body="{{ id }}"
    )
    req = PreparedRequest(spec, TARGET, (), {"token": "T"}, frozenset({"id"}))
    raw = req.encode({"id": "42"})
    assert raw.startswith(b"GET /items/42 HTTP/1.1")
    assert b"Authorization: Bearer T" in raw
    assert raw.endswith(b"Content-Length: 2\r\n\r\n42")


def test_unknown_variable_is_a_plain_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown variable"):
        Template("/x/{{nope}}", {}, frozenset())
