"""The Redis probe against redis-server processes started with known settings: each condition
planted, with an ok twin that must not raise the finding."""

from __future__ import annotations

from typing import Any

import pytest

from scalescope.probe.redis.probe import probe_redis
from scalescope.probe.result import ProbeResult
from scalescope.probe.settings import ProbeSettings
from scalescope.probe.target import EXIT_AUTH, ProbeError

from .conftest import RedisFactory, redis_client

CACHE = ("--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru")


def rules(result: ProbeResult) -> set[str]:
    return {f.rule for f in result.findings}


def messages(result: ProbeResult, rule: str) -> list[str]:
    return [f.message for f in result.findings if f.rule == rule]


def fill_cache(url: str, n: int = 40, ttl: bool = True) -> None:
    r = redis_client(url)
    pipe = r.pipeline(transaction=False)
    for i in range(n):
        pipe.set(f"cache:user:{i}:profile", "x" * 20, ex=600 if ttl else None)
    pipe.execute()


def fill_queue(url: str) -> None:
    r = redis_client(url)
    r.lpush("bull:email:wait", "1", "2")
    r.hset("bull:email:1", mapping={"data": "{}", "name": "send"})
    r.set("bull:email:id", 2)
    r.lpush("celery", "{}")
    r.sadd("_kombu.binding.celery", "celery")


def test_no_maxmemory_and_limited_twin(redis_server: RedisFactory) -> None:
    bad = probe_redis(redis_server())
    assert "SC-REDIS-001" in rules(bad)
    ok = probe_redis(redis_server(*CACHE))
    assert not rules(ok) & {"SC-REDIS-001", "SC-REDIS-002"}


def test_noeviction_on_a_cache_but_not_on_a_queue_only_instance(redis_server: RedisFactory) -> None:
    noeviction = ("--maxmemory", "64mb", "--maxmemory-policy", "noeviction", "--appendonly", "yes")
    cache_url = redis_server(*noeviction)
    fill_cache(cache_url)
    assert "SC-REDIS-002" in rules(probe_redis(cache_url))
    queue_url = redis_server(*noeviction)
    fill_queue(queue_url)
    queue = probe_redis(queue_url)
    assert "SC-REDIS-002" not in rules(queue)
    assert "SC-REDIS-003" not in rules(queue)  # appendonly yes


def test_queue_without_persistence_and_persistent_twin(redis_server: RedisFactory) -> None:
    volatile_url = redis_server(*CACHE)
    fill_queue(volatile_url)
    bad = probe_redis(volatile_url)
    assert messages(bad, "SC-REDIS-003") == [
        "Redis holds job queue keys (_kombu.binding., bull:, celery) with appendonly no and no RDB save "
        "schedule: a restart loses every queued job."
    ]
    aof_url = redis_server(*CACHE, "--appendonly", "yes")
    fill_queue(aof_url)
    assert "SC-REDIS-003" not in rules(probe_redis(aof_url))
    rdb_url = redis_server(*CACHE, "--save", "60 1")
    fill_queue(rdb_url)
    assert "SC-REDIS-003" not in rules(probe_redis(rdb_url))
    cache_url = redis_server(*CACHE)
    fill_cache(cache_url)
    assert "SC-REDIS-003" not in rules(probe_redis(cache_url))  # a cache needs no persistence


def test_big_key_found_by_bounded_sampling(redis_server: RedisFactory) -> None:
    url = redis_server(*CACHE)
    r = redis_client(url)
    r.set("report:2024:alice@example.com", b"x" * (11 << 20))
    fill_cache(url)
    result = probe_redis(url)
    big = messages(result, "SC-REDIS-007")
    assert len(big) == 1 and big[0].startswith("A string key matching `report:*:*` uses 1")
    assert "alice" not in "".join(f.message + f.excerpt for f in result.findings)
    ok_url = redis_server(*CACHE)
    fill_cache(ok_url)
    assert "SC-REDIS-007" not in rules(probe_redis(ok_url))
    # the key sample stops at its cap and says so
    big_url = redis_server(*CACHE)
    fill_cache(big_url, n=3000)
    capped = probe_redis(big_url, ProbeSettings(redis_sample_keys=500))
    sample: Any = capped.snapshot.sample  # type: ignore[attr-defined]
    assert sample.sampled <= 500 and not sample.complete
    assert any(n.startswith("key sample stopped at 500 keys") for n in capped.notices)


def test_keys_without_ttl_and_ttl_twin(redis_server: RedisFactory) -> None:
    volatile = ("--maxmemory", "64mb", "--maxmemory-policy", "volatile-lru")
    url = redis_server(*volatile)
    fill_cache(url, ttl=False)
    bad = probe_redis(url)
    finding = next(f for f in bad.findings if f.rule == "SC-REDIS-008")
    assert finding.severity == "medium"  # volatile-lru can never evict them
    assert "40 of 40 sampled keys (100%) have no TTL" in finding.message
    assert "cache:user:*:profile (40)" in finding.message
    ok_url = redis_server(*volatile)
    fill_cache(ok_url, ttl=True)
    assert "SC-REDIS-008" not in rules(probe_redis(ok_url))


def test_keys_and_flush_in_commandstats_and_probe_never_runs_keys(redis_server: RedisFactory) -> None:
    clean_url = redis_server(*CACHE)
    fill_cache(clean_url)
    clean = probe_redis(clean_url)
    assert "SC-REDIS-010" not in rules(clean)
    stats = redis_client(clean_url).info("commandstats")
    assert "cmdstat_keys" not in stats and "cmdstat_flushall" not in stats  # the probe used SCAN
    assert "cmdstat_scan" in stats
    url = redis_server(*CACHE)
    r = redis_client(url)
    r.keys("*")
    r.flushdb()
    assert sorted(messages(probe_redis(url), "SC-REDIS-010")) == [
        "FLUSHDB was called once since the server started.",
        "KEYS was called once since the server started.",
    ]


def test_slow_commands_from_the_slowlog(redis_server: RedisFactory) -> None:
    url = redis_server(*CACHE, "--slowlog-log-slower-than", "0")
    r = redis_client(url)
    r.eval("local i = 0 while i < 3000000 do i = i + 1 end return i", 0)
    r.get("fast")
    slow = messages(probe_redis(url), "SC-REDIS-009")
    assert len(slow) == 1 and slow[0].startswith("EVAL appears once in the slow log")
    quiet_url = redis_server(*CACHE, "--slowlog-log-slower-than", "0")
    redis_client(quiet_url).get("fast")
    assert "SC-REDIS-009" not in rules(probe_redis(quiet_url))


def test_clients_near_maxclients(redis_server: RedisFactory) -> None:
    url = redis_server(*CACHE, "--maxclients", "10")
    held = [redis_client(url) for _ in range(8)]
    for client in held:
        client.ping()
    try:
        assert "SC-REDIS-006" in rules(probe_redis(url))
    finally:
        for client in held:
            client.close()
    assert "SC-REDIS-006" not in rules(probe_redis(redis_server(*CACHE)))


def test_evictions_and_low_hit_ratio(redis_server: RedisFactory) -> None:
    url = redis_server("--maxmemory", "4mb", "--maxmemory-policy", "allkeys-lru")
    r = redis_client(url)
    for i in range(300):  # one command at a time: Redis evicts between them
        r.set(f"page:{i}", "x" * 20_000)
    pipe = r.pipeline(transaction=False)
    for i in range(300):
        pipe.get(f"missing:{i}")
    pipe.execute()
    result = probe_redis(url, ProbeSettings(redis_hit_min_lookups=100))
    assert "SC-REDIS-005" in rules(result)
    assert "SC-REDIS-004" in rules(result)
    ok_url = redis_server(*CACHE)
    fill_cache(ok_url)
    ok_client = redis_client(ok_url)
    for i in range(200):
        ok_client.get(f"cache:user:{i % 40}:profile")
    ok = probe_redis(ok_url, ProbeSettings(redis_hit_min_lookups=100))
    assert not rules(ok) & {"SC-REDIS-004", "SC-REDIS-005"}


def test_wrong_password_and_no_password(redis_server: RedisFactory) -> None:
    url = redis_server(password="s3cret-pw")
    wrong = url.replace("s3cret-pw", "not-the-pw")
    with pytest.raises(ProbeError) as info:
        probe_redis(wrong)
    assert info.value.exit_code == EXIT_AUTH
    assert "not-the-pw" not in info.value.message and "s3cret" not in info.value.message
    with pytest.raises(ProbeError) as info:
        probe_redis(url.replace(":s3cret-pw@", ""))
    assert info.value.exit_code == EXIT_AUTH
    assert "SC-REDIS-001" in rules(probe_redis(url))


def test_config_disabled_is_a_notice_and_info_is_used(redis_server: RedisFactory) -> None:
    # managed Redis often renames CONFIG away; the probe falls back to the INFO fields
    url = redis_server(
        "--maxmemory", "64mb", "--maxmemory-policy", "noeviction", "--rename-command", "CONFIG", ""
    )
    fill_cache(url)
    fill_queue(url)
    result = probe_redis(url)
    snap: Any = result.snapshot
    assert snap.config is None
    assert any(n.startswith("CONFIG GET maxmemory: skipped") for n in result.notices)
    assert any(n.startswith("CONFIG GET is not allowed") for n in result.notices)
    assert snap.setting("maxmemory") == "67108864" and snap.setting("maxmemory-policy") == "noeviction"
    assert "SC-REDIS-002" in rules(result)  # still judged, from INFO memory
    assert "SC-REDIS-003" not in rules(result)  # persistence unknown without CONFIG: not guessed
