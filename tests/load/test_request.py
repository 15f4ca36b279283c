from __future__ import annotations

import pytest

from scalescope.load.config import ConfigError, RequestSpec, Target
from scalescope.load.request import PreparedRequest, Template, prepare_requests

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


def test_values_outside_latin1_are_utf8_and_urls_percent_encoded() -> None:
    """A data value such as 東京 used to raise UnicodeEncodeError inside the send path."""
    spec = RequestSpec(
        "search",
        method="POST",
        path="/city/{{q}}?q={{q}}&lang=日本語",
        headers=(("X-City", "{{q}}"),),
        body='{"q": "{{q}}"}',
    )
    req = PreparedRequest(spec, TARGET, (), {}, frozenset({"q"}), [{"q": "東京 & co=1"}])
    raw = req.encode({"q": "東京 & co=1"})
    head, body = raw.split(b"\r\n\r\n")
    request_line = head.split(b"\r\n")[0]
    # Path value: spaces and non-ASCII encoded, '&' and '=' may stay; query value: all of them encoded.
    assert request_line == (
        b"POST /city/%E6%9D%B1%E4%BA%AC%20&%20co=1?q=%E6%9D%B1%E4%BA%AC%20%26%20co%3D1"
        b"&lang=%E6%97%A5%E6%9C%AC%E8%AA%9E HTTP/1.1"
    )
    assert "X-City: 東京 & co=1".encode() in head
    assert body.decode("utf-8") == '{"q": "東京 & co=1"}'
    assert f"Content-Length: {len(body)}".encode() in head and len(body) > len('{"q": "東京 & co=1"}')


def test_constant_utf8_body_counts_bytes() -> None:
    spec = RequestSpec("p", method="POST", path="/p", body='{"q": "東京"}')
    raw = PreparedRequest(spec, TARGET, (), {}, frozenset()).encode({})
    head, body = raw.split(b"\r\n\r\n")
    assert body == '{"q": "東京"}'.encode() and head.endswith(b"\r\nContent-Length: 15")


@pytest.mark.parametrize("value", ["a\r\nX-Injected: 1", "a\nb", "a\rb"])
def test_line_breaks_in_header_values_are_refused_when_the_plan_is_built(value: str) -> None:
    with pytest.raises(ConfigError, match="line break"):  # a constant header
        PreparedRequest(RequestSpec("a", headers=(("X-A", value),)), TARGET, (), {}, frozenset())
    with pytest.raises(ConfigError, match="line break"):  # a variable (vars or a setup capture)
        PreparedRequest(RequestSpec("a", headers=(("X-A", "{{v}}"),)), TARGET, (), {"v": value}, frozenset())
    with pytest.raises(ConfigError, match="line break"):  # any data-file row
        prepare_requests(
            (RequestSpec("a", headers=(("X-A", "t {{v}}"),)),),
            TARGET, (), {}, frozenset({"v"}), [{"v": "fine"}, {"v": value}],
        )  # fmt: skip
