from __future__ import annotations

import pytest

from scalescope.load.config import ConfigError
from scalescope.load.thresholds import evaluate, parse_threshold

RESULT = {
    "summary": {
        "requests": 1000,
        "rps": 600.0,
        "error_count": 2,
        "error_rate": 0.002,
        "latency_ms": {"p95": 150.0, "p99": 400.0},
    },
    "by_name": {"login": {"latency_ms": {"p95": 900.0}, "rps": 10.0}},
}


def test_parse_units() -> None:
    assert parse_threshold("p95 < 200ms").limit == 200.0
    assert parse_threshold("p99<=1.5s").limit == 1500.0
    assert parse_threshold("error_rate < 0.1%").limit == pytest.approx(0.001)
    assert parse_threshold("error_rate < 0.01").limit == 0.01
    th = parse_threshold("p95[login] < 1s")
    assert th.name == "login" and th.metric == "p95"


@pytest.mark.parametrize("bad", ["p97 < 1ms", "p95 200ms", "rps > many", "error_rate < lots"])
def test_parse_errors_are_plain(bad: str) -> None:
    with pytest.raises(ConfigError):
        parse_threshold(bad)


def test_evaluate() -> None:
    exprs = ["p95 < 200ms", "p99 < 300ms", "error_rate < 0.1%", "rps > 500", "p95[login] < 1s", "p95[x] < 1s"]
    results = evaluate(tuple(parse_threshold(e) for e in exprs), RESULT)
    assert [r.ok for r in results] == [True, False, False, True, True, False]
    assert results[1].actual == 400.0
    assert results[5].actual is None
    assert results[0].to_dict() == {
        "expr": "p95 < 200ms", "metric": "p95", "name": None, "op": "<", "limit": 200.0, "unit": "ms",
        "actual": 150.0, "ok": True,
    }  # fmt: skip
