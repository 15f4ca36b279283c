from __future__ import annotations

import pytest

from scalescope.load.config import (
    ConfigError,
    LoadConfig,
    Model,
    RequestSpec,
    Target,
    WorkerPlan,
    parse_duration,
    parse_latency_ms,
    split_share,
)

TARGET = Target("http", "127.0.0.1", 8080)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("10s", 10.0), ("2m", 120.0), ("1h", 3600.0), ("500ms", 0.5), ("1.5s", 1.5), ("7", 7.0), (3, 3.0)],
)
def test_parse_duration(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


def test_parse_duration_rejects_nonsense_in_plain_words() -> None:
    with pytest.raises(ConfigError, match="duration"):
        parse_duration("ten seconds")


def test_parse_latency_ms_defaults_to_ms() -> None:
    assert parse_latency_ms("200") == 200.0
    assert parse_latency_ms("1.5s") == 1500.0
    assert parse_latency_ms("800us") == pytest.approx(0.8)


def test_split_share_sums_to_total() -> None:
    assert [split_share(10, 3, i) for i in range(3)] == [4, 3, 3]
    assert sum(split_share(64, 7, i) for i in range(7)) == 64


def test_worker_plans_split_connections_and_requests() -> None:
    cfg = LoadConfig(TARGET, (RequestSpec("home"),), Model(connections=10), max_requests=101, workers=3)
    plans = WorkerPlan.split(cfg, 3)
    assert [p.connections for p in plans] == [4, 3, 3]
    assert sum(p.max_requests or 0 for p in plans) == 101
    assert [p.index for p in plans] == [0, 1, 2]
    assert all(p.count == 3 for p in plans)


def test_config_is_validated_and_frozen() -> None:
    with pytest.raises(ConfigError):
        LoadConfig(TARGET, ())
    with pytest.raises(ConfigError, match="open model"):
        LoadConfig(TARGET, (RequestSpec("a"),), Model(kind="open"))
    with pytest.raises(ConfigError):
        LoadConfig(TARGET, (RequestSpec("a"),), duration_s=10 * 24 * 3600.0)
    cfg = LoadConfig(TARGET, (RequestSpec("a"),))
    with pytest.raises(AttributeError):
        cfg.duration_s = 3  # type: ignore[misc]


def test_target_authority_omits_default_port() -> None:
    assert Target("http", "example.com", 80).authority == "example.com"
    assert Target("https", "example.com", 8443).url == "https://example.com:8443"
