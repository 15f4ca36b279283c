"""What the Redis probe read: plain data, no connection. Key names never appear in full:
they may carry user ids or e-mail addresses, so the snapshot keeps key *patterns* only."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_VOLATILE_SEGMENT = re.compile(r"\d|^[0-9a-f]{16,}$|@", re.IGNORECASE)
_QUEUE_PATTERNS = (
    re.compile(r"^bull:"),  # Bull / BullMQ: bull:<queue>:wait, :active, :<job id>
    re.compile(r"^bee:"),  # Bee-Queue
    re.compile(r"^celery$|^celery\b|^_kombu\.binding\.|^unacked(_index|_mutex)?$"),  # Celery/kombu
    re.compile(r"^rq:(queue|job|wip|finished|failed|workers?)\b"),  # RQ
    re.compile(r"^arq:(queue|job|in-progress|result)"),  # arq
    re.compile(r"^dramatiq:"),
    re.compile(r"^(sidekiq:)?queues?$|^(sidekiq:)?queue:[\w.-]+$|^(sidekiq:)?(retry|schedule|dead)$"),
    re.compile(r"^huey\."),
    re.compile(r"^q:(jobs|[\w-]+:jobs)"),  # Kue
)


def key_pattern(key: str) -> str:
    """``user:1234:cart`` -> ``user:*:cart``: ``:``-separated segments with digits, long hex,
    ``@`` or more than 32 characters are replaced by ``*`` (they are ids, e-mails, tokens)."""
    segments = ["*" if _VOLATILE_SEGMENT.search(s) or len(s) > 32 else s for s in key.split(":")]
    return ":".join(segments)[:80]


def queue_label(key: str) -> str | None:
    """The queue-library prefix ``key`` starts with (``bull:``, ``celery``...), else ``None``."""
    for pattern in _QUEUE_PATTERNS:
        m = pattern.search(key)
        if m:
            return m.group(0)
    return None


def is_queue_key(key: str) -> bool:
    return queue_label(key) is not None


@dataclass(frozen=True, slots=True)
class BigKey:
    pattern: str
    type: str
    bytes: int


@dataclass(frozen=True, slots=True)
class KeySample:
    """A bounded sample of the keyspace (SCAN + PTTL + TYPE + MEMORY USAGE)."""

    sampled: int
    without_ttl: int
    without_ttl_patterns: tuple[tuple[str, int], ...]  # (pattern, count), most frequent first
    queue_patterns: tuple[str, ...]
    big_keys: tuple[BigKey, ...]
    complete: bool  # the SCAN reached the end of the keyspace
    stopped: str = ""  # why sampling stopped early (cap, time budget)
    cache_keys: int = 0  # sampled keys that are not queue keys


@dataclass(frozen=True, slots=True)
class SlowEntry:
    duration_us: int
    command: str  # the command name only (arguments may carry data)


@dataclass(frozen=True, slots=True)
class RedisSnapshot:
    version: str
    mode: str = "standalone"
    info: dict[str, str] = field(default_factory=dict)  # INFO fields (all sections merged)
    config: dict[str, str] | None = None  # CONFIG GET results; None when CONFIG is unavailable
    commandstats: dict[str, int] = field(default_factory=dict)  # command -> calls
    slowlog: tuple[SlowEntry, ...] | None = None
    keys: int = 0  # keys in every database (INFO keyspace)
    sample: KeySample | None = None

    def setting(self, name: str) -> str | None:
        """A server setting from CONFIG GET, else from the INFO field that mirrors it."""
        if self.config is not None and name in self.config:
            return self.config[name]
        mirror = {
            "maxmemory": "maxmemory",
            "maxmemory-policy": "maxmemory_policy",
            "appendonly": "aof_enabled",
            "maxclients": "maxclients",
        }.get(name)
        if mirror and mirror in self.info:
            value = self.info[mirror]
            if name == "appendonly":
                return "yes" if value == "1" else "no"
            return value
        return None

    def number(self, name: str) -> int | None:
        try:
            return int(float(self.info[name]))
        except (KeyError, ValueError):
            return None

    @property
    def queue_detected(self) -> bool:
        return bool(self.sample and self.sample.queue_patterns)

    @property
    def cache_detected(self) -> bool:
        """Keys that are not queue keys were seen (or no sample, but keys exist)."""
        if self.sample is None:
            return self.keys > 0
        return self.sample.cache_keys > 0
