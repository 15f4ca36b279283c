"""SC-CACHE-007 words the risk and the fix from what the Redis holds (issue 8, items 8 and 10):
a queue's Redis keeps ``noeviction`` (never ``allkeys-*``); a Redis whose every cache write has
a TTL does not "grow until OOM, losing every session"."""

from __future__ import annotations

from pathlib import Path

from scalescope.report.model import Finding
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules
from tests.rules.annotations import collect

CASES = Path(__file__).parent / "caching" / "redis_without_maxmemory" / "cases"


def _findings(case: str) -> list[Finding]:
    root = CASES / case
    rule = next(r for r in all_rules() if r.meta.id == "SC-CACHE-007")
    report = scan(root, ScanConfig(min_confidence="low", calibrated=False), rules=[rule], jobs=1)
    found = [f for f in report.findings if f.rule == "SC-CACHE-007"]
    assert {(f.file, f.line) for f in found} == collect(root, "SC-CACHE-007").expected
    return found


def test_a_queue_redis_keeps_noeviction() -> None:
    (finding,) = _findings("queue")
    text = f"{finding.recommendation}\n{finding.fix_snippet}"
    assert "noeviction" in finding.fix_snippet
    assert "allkeys" not in text
    assert "BullMQ" in finding.message and "BullMQ" in finding.recommendation
    assert (finding.severity, finding.confidence) == ("low", "low")  # its cache writes all expire


def test_ttl_only_cache_is_low_severity_and_claims_no_session_loss() -> None:
    (finding,) = _findings("ttl_only")
    assert (finding.severity, finding.confidence) == ("low", "low")
    assert "every cache write seen sets a TTL" in finding.message
    assert "session" not in finding.message
    assert "grows" not in finding.message
    assert "allkeys-lru" in finding.fix_snippet  # a cache-only Redis may evict any key


def test_keys_without_expiry_and_redis_sessions_are_named() -> None:
    (finding,) = _findings("no_ttl")
    assert finding.severity == "medium"
    assert "never expire (e.g. src/cache.ts:6)" in finding.message
    assert "sessions" in finding.message


def test_a_celery_broker_keeps_noeviction() -> None:
    (finding,) = _findings("celery")
    assert "noeviction" in finding.fix_snippet
    assert "allkeys" not in f"{finding.recommendation}\n{finding.fix_snippet}"
    assert "Celery" in finding.message
