"""Redis checks over INFO, CONFIG, SLOWLOG and the key sample."""

from __future__ import annotations

from collections.abc import Iterator

from ..meta import ProbeCheck, ProbeHit, ProbeMeta
from ..postgres._helpers import human_bytes
from ..settings import ProbeSettings
from .snapshot import RedisSnapshot

_REFS = ("https://redis.io/docs/latest/develop/reference/eviction/",)


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n:,} times"


def _memory_line(snap: RedisSnapshot) -> str:
    used = snap.number("used_memory")
    peak = snap.number("used_memory_peak")
    parts = [
        f"maxmemory = {snap.setting('maxmemory')}",
        f"maxmemory-policy = {snap.setting('maxmemory-policy')}",
    ]
    if used is not None:
        parts.append(f"used_memory = {used} ({human_bytes(used)})")
    if peak is not None:
        parts.append(f"used_memory_peak = {peak}")
    return "\n".join(parts)


class RedisNoMaxmemory(ProbeCheck[RedisSnapshot]):
    """A live Redis with no memory limit.

    ## What it finds
    ``maxmemory`` is 0 on the server (``CONFIG GET``, or ``INFO memory`` when CONFIG is not
    allowed): Redis grows without bound.

    ## Why it matters at scale
    Cache keys, sessions and job payloads grow with traffic; without a limit Redis grows until
    the container or host runs out of memory and the kernel kills it, taking every key with it
    (and, without persistence, every queued job).

    ## Use instead
    ```text
    maxmemory 512mb                 # below the container limit, with room for fork/COW
    maxmemory-policy allkeys-lru    # a cache; noeviction only on a queue-only instance
    ```
    """

    meta = ProbeMeta(
        id="SC-REDIS-001",
        name="redis-no-maxmemory",
        category="caching",
        severity="medium",
        title="Redis runs without maxmemory",
        effort="hours",
        confidence="high",
        impact="Redis grows until it is OOM-killed, losing every key at once.",
        references=_REFS,
    )

    def check(self, snap: RedisSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        value = snap.setting("maxmemory")
        if value is None or value.strip() != "0":
            return
        yield ProbeHit(
            subject="maxmemory",
            message=(
                "maxmemory is 0: Redis has no memory limit and grows until the host or container "
                "runs out of memory."
            ),
            recommendation=(
                "Set maxmemory below the container's memory limit and an eviction policy that fits the "
                "use (allkeys-lru for a cache, noeviction on a separate queue-only instance)."
            ),
            evidence=_memory_line(snap),
            fix_snippet="CONFIG SET maxmemory 512mb   # and persist it in redis.conf / the command line",
            fix_language="text",
        )


class RedisNoevictionCache(ProbeCheck[RedisSnapshot]):
    """A Redis used as a cache that refuses writes when full (noeviction).

    ## What it finds
    ``maxmemory-policy noeviction`` with a memory limit set, on a server whose sampled keys
    include cache keys (anything that is not a BullMQ/Celery/RQ/Sidekiq-style queue key). A
    queue-only instance is not reported: queues need noeviction.

    ## Why it matters at scale
    Once the limit is reached every write fails with ``OOM command not allowed``: cache sets,
    session writes and rate-limit counters all error instead of cold keys being dropped.

    ## Use instead
    ``maxmemory-policy allkeys-lru`` (or ``volatile-lru`` when only keys with a TTL may go) on
    the cache; keep queues on their own instance with noeviction.
    """

    meta = ProbeMeta(
        id="SC-REDIS-002",
        name="redis-noeviction-cache",
        category="caching",
        severity="medium",
        title="Redis cache with maxmemory-policy noeviction",
        effort="hours",
        confidence="high",
        impact="When memory fills, every write fails instead of evicting cold keys.",
        references=_REFS,
    )

    def check(self, snap: RedisSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        policy = (snap.setting("maxmemory-policy") or "").strip().lower()
        maxmemory = (snap.setting("maxmemory") or "").strip()
        if policy != "noeviction" or maxmemory in {"", "0"} or not snap.cache_detected:
            return
        mixed = snap.queue_detected
        yield ProbeHit(
            subject="maxmemory-policy",
            message=(
                f"maxmemory-policy is noeviction (maxmemory {maxmemory}) on a Redis holding cache keys"
                + (" next to queue keys" if mixed else "")
                + ": once full, every write fails with OOM instead of evicting cold keys."
            ),
            recommendation=(
                "Split queues onto their own noeviction instance and give the cache allkeys-lru."
                if mixed
                else "Use allkeys-lru (or volatile-lru) for a cache."
            ),
            evidence=_memory_line(snap)
            + (
                f"\nqueue keys seen: {', '.join(snap.sample.queue_patterns)}" if mixed and snap.sample else ""
            ),
        )


class QueueWithoutPersistence(ProbeCheck[RedisSnapshot]):
    """A Redis that holds job queues with neither AOF nor RDB persistence.

    ## What it finds
    Sampled keys of a job queue (BullMQ/Bull ``bull:*``, Celery ``celery`` / ``_kombu.*`` /
    ``unacked``, RQ ``rq:*``, Sidekiq ``queue:*``, arq, Dramatiq, Bee-Queue, Kue) on a
    server with ``appendonly no`` and an empty ``save`` schedule.

    ## Why it matters at scale
    A restart, a failover or an OOM kill loses every queued and in-flight job: emails, payments
    and webhooks that were accepted but never run, with nothing left to retry from.

    ## Use instead
    ```text
    appendonly yes
    appendfsync everysec
    ```
    (or at least an RDB ``save`` schedule), and ``maxmemory-policy noeviction`` on the queue
    instance.
    """

    meta = ProbeMeta(
        id="SC-REDIS-003",
        name="queue-without-persistence",
        category="async-processing",
        severity="high",
        title="Job queue on a Redis without persistence",
        effort="hours",
        confidence="high",
        impact="A Redis restart silently drops every queued and in-flight job.",
        references=("https://redis.io/docs/latest/operate/oss_and_stack/management/persistence/",),
    )

    def check(self, snap: RedisSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        if not snap.queue_detected or snap.sample is None:
            return
        aof = (snap.setting("appendonly") or "").strip().lower()
        save = snap.config.get("save") if snap.config is not None else None
        if aof != "no" or save is None or save.strip() not in {"", '""', "''"}:
            return  # persistence on, or unknown (CONFIG not allowed)
        yield ProbeHit(
            subject="persistence",
            message=(
                f"Redis holds job queue keys ({', '.join(snap.sample.queue_patterns)}) with appendonly no "
                "and "
                "no RDB save schedule: a restart loses every queued job."
            ),
            recommendation="Enable AOF (appendonly yes, appendfsync everysec) on the queue instance.",
            evidence=(
                f'appendonly = {aof}\nsave = "{save}"\n'
                f"queue keys seen: {', '.join(snap.sample.queue_patterns)}"
            ),
            fix_snippet="appendonly yes\nappendfsync everysec",
            fix_language="text",
        )


class LowKeyspaceHitRatio(ProbeCheck[RedisSnapshot]):
    """Most cache lookups miss.

    ## What it finds
    ``keyspace_hits / (keyspace_hits + keyspace_misses)`` below 80% after at least 10,000
    lookups, with evicted and expired key counts.

    ## Why it matters at scale
    Every miss goes to the database: a cache that mostly misses adds a round trip to each
    request and protects nothing. Causes: keys that vary per request, TTLs shorter than reuse,
    or evictions from too little memory.

    ## Use instead
    Check key design (no timestamps or random parts), TTLs against access patterns, and
    ``evicted_keys``; size ``maxmemory`` to the working set.
    """

    meta = ProbeMeta(
        id="SC-REDIS-004",
        name="low-keyspace-hit-ratio",
        category="caching",
        severity="low",
        title="Redis keyspace hit ratio is low",
        effort="days",
        confidence="medium",
        impact="The cache adds latency to most requests without sparing the database.",
        references=("https://redis.io/docs/latest/operate/oss_and_stack/management/optimization/",),
    )

    def check(self, snap: RedisSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        hits, misses = snap.number("keyspace_hits"), snap.number("keyspace_misses")
        if hits is None or misses is None or hits + misses < settings.redis_hit_min_lookups:
            return
        ratio = hits / (hits + misses)
        if ratio >= settings.redis_hit_min_ratio:
            return
        yield ProbeHit(
            subject="hit-ratio",
            message=f"Only {ratio:.0%} of {hits + misses:,} key lookups hit.",
            recommendation="Check key design and TTLs against access patterns, and evictions against memory.",
            evidence=(
                f"keyspace_hits = {hits}\nkeyspace_misses = {misses}\n"
                f"evicted_keys = {snap.number('evicted_keys')}\nexpired_keys = {snap.number('expired_keys')}"
            ),
        )


class KeysEvicted(ProbeCheck[RedisSnapshot]):
    """Redis has been evicting keys to stay under maxmemory.

    ## What it finds
    ``evicted_keys`` above 0 since the server started (``INFO stats``), with the memory limit,
    the policy and the queue keys present if any.

    ## Why it matters at scale
    Evictions mean the working set no longer fits: the hit ratio drops and the database takes
    the load. On an instance that also holds sessions, locks or queue jobs, an ``allkeys-*``
    policy evicts those too.

    ## Use instead
    Raise ``maxmemory`` (or shrink values / TTLs), and keep data that must not be evicted on
    an instance with ``noeviction``.
    """

    meta = ProbeMeta(
        id="SC-REDIS-005",
        name="keys-evicted",
        category="caching",
        severity="low",
        title="Redis is evicting keys",
        effort="hours",
        confidence="high",
        impact="The working set no longer fits; misses move load to the database.",
        references=_REFS,
    )

    def check(self, snap: RedisSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        evicted = snap.number("evicted_keys")
        if not evicted:
            return
        queue = snap.queue_detected and (snap.setting("maxmemory-policy") or "").startswith("allkeys")
        yield ProbeHit(
            subject="evicted",
            message=(
                f"Redis evicted {evicted:,} keys since it started"
                + (
                    ": with an allkeys policy, queue keys on this instance can be evicted too."
                    if queue
                    else "."
                )
            ),
            recommendation=(
                "Give Redis more memory or store less; move queues and sessions to a noeviction instance."
            ),
            evidence=_memory_line(snap) + f"\nevicted_keys = {evicted}",
            severity="high" if queue else None,
        )


class ClientsNearMaxclients(ProbeCheck[RedisSnapshot]):
    """Connected clients close to maxclients.

    ## What it finds
    ``connected_clients`` at least 80% of ``maxclients`` (``INFO clients`` / ``CONFIG GET``),
    with ``blocked_clients`` (clients waiting in BLPOP/BRPOP/XREAD...).

    ## Why it matters at scale
    Each app process holds its own connections (more with blocking queue workers); past
    ``maxclients`` Redis refuses new connections and cache, session and queue calls fail.

    ## Use instead
    Share one client per process, cap connection pools, and raise ``maxclients`` (and the file
    descriptor limit) to match replicas x processes x connections.
    """

    meta = ProbeMeta(
        id="SC-REDIS-006",
        name="clients-near-maxclients",
        category="resource-management",
        severity="high",
        title="Redis connections close to maxclients",
        effort="hours",
        confidence="high",
        impact="New connections are refused once the limit is reached.",
        references=("https://redis.io/docs/latest/develop/reference/clients/",),
    )

    def check(self, snap: RedisSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        connected = snap.number("connected_clients")
        try:
            maxclients = int(snap.setting("maxclients") or "0")
        except ValueError:
            return
        if connected is None or maxclients <= 0 or connected / maxclients < settings.redis_clients_ratio:
            return
        blocked = snap.number("blocked_clients") or 0
        yield ProbeHit(
            subject="clients",
            message=f"{connected:,} of maxclients {maxclients:,} connections are in use ({blocked} blocked).",
            recommendation="Share one client per process and cap pools; raise maxclients with the fd limit.",
            evidence=(
                f"connected_clients = {connected}\nblocked_clients = {blocked}\nmaxclients = {maxclients}"
            ),
        )


class BigKey(ProbeCheck[RedisSnapshot]):
    """Keys whose value is large (found by sampling, never KEYS).

    ## What it finds
    Keys of at least 10 MiB by ``MEMORY USAGE`` (``SAMPLES 5``) in a bounded sample of the
    keyspace: ``SCAN`` with a ``COUNT`` hint, at most 1,000 keys and 2 s. Key names are shown
    as patterns (digits, ids and e-mail-like parts replaced by ``*``). A sample can miss big
    keys; the report says how much was sampled.

    ## Why it matters at scale
    Redis is single-threaded: reading, writing, expiring or deleting a big key blocks every
    other client for its duration, moves megabytes over the network per access, and makes
    memory usage lumpy across cluster shards.

    ## Use instead
    Split the value (a hash or sorted set per entity, pagination over lists), compress it, and
    delete big keys with ``UNLINK`` rather than ``DEL``.
    """

    meta = ProbeMeta(
        id="SC-REDIS-007",
        name="big-key",
        category="caching",
        severity="medium",
        title="Big Redis key",
        effort="days",
        confidence="high",
        impact="Each access blocks Redis and moves megabytes; latency spikes for every client.",
        references=("https://redis.io/docs/latest/commands/memory-usage/",),
    )

    def check(self, snap: RedisSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        if snap.sample is None:
            return
        for key in snap.sample.big_keys:
            yield ProbeHit(
                subject=f"{key.pattern}|{key.type}|{key.bytes}",
                message=f"A {key.type} key matching `{key.pattern}` uses {human_bytes(key.bytes)}.",
                recommendation=(
                    "Split it into smaller keys (a hash or sorted set per entity) and delete with UNLINK."
                ),
                evidence=(
                    f"MEMORY USAGE {key.pattern} SAMPLES 5 -> {key.bytes}\n"
                    f"sampled {snap.sample.sampled} of {snap.keys} keys"
                ),
            )


class KeysWithoutTtl(ProbeCheck[RedisSnapshot]):
    """Most sampled cache keys never expire.

    ## What it finds
    In the key sample (queue keys excluded), at least 50% of at least 20 keys have no TTL
    (``PTTL`` = -1), with the most common key patterns. Severity rises when the eviction
    policy is ``volatile-*`` (keys without a TTL can then never be evicted) or there is no
    ``maxmemory`` at all.

    ## Why it matters at scale
    Keys without a TTL accumulate for ever: memory grows with users and time until Redis hits
    its limit, and under a ``volatile-*`` policy or ``noeviction`` writes then fail.

    ## Use instead
    Write cache entries with an expiry (``SET key value EX 300``), and use ``allkeys-lru``
    for an instance that is purely a cache.
    """

    meta = ProbeMeta(
        id="SC-REDIS-008",
        name="keys-without-ttl",
        category="caching",
        severity="low",
        title="Redis keys written without a TTL",
        effort="hours",
        confidence="medium",
        impact="Memory grows for ever; with volatile-* policies those keys can never be evicted.",
        references=("https://redis.io/docs/latest/commands/expire/",),
    )

    def check(self, snap: RedisSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        sample = snap.sample
        if sample is None or sample.cache_keys < settings.redis_no_ttl_min_sampled:
            return
        ratio = sample.without_ttl / sample.cache_keys
        if ratio < settings.redis_no_ttl_ratio:
            return
        policy = (snap.setting("maxmemory-policy") or "").lower()
        maxmemory = (snap.setting("maxmemory") or "").strip()
        severe = policy.startswith("volatile") or policy == "noeviction" or maxmemory == "0"
        patterns = ", ".join(f"{p} ({n})" for p, n in sample.without_ttl_patterns[:5])
        yield ProbeHit(
            subject="ttl",
            message=(
                f"{sample.without_ttl} of {sample.cache_keys} sampled keys ({ratio:.0%}) have no TTL, "
                f"under maxmemory-policy {policy or '?'}; most common: {patterns}."
            ),
            recommendation="Give cache writes an expiry (SET ... EX n), or use allkeys-lru for a pure cache.",
            evidence=(
                f"sampled {sample.sampled} keys of {snap.keys} "
                f"(SCAN, {'complete' if sample.complete else 'partial'})\n"
                f"without TTL: {sample.without_ttl}\nmaxmemory = {maxmemory}, maxmemory-policy = {policy}"
            ),
            severity="medium" if severe else None,
        )


class SlowCommands(ProbeCheck[RedisSnapshot]):
    """Commands in the slow log.

    ## What it finds
    ``SLOWLOG GET 32`` entries of at least 10 ms, grouped by command name (arguments are not
    shown: they can carry data).

    ## Why it matters at scale
    Redis runs one command at a time: a 50 ms command delays every other client by 50 ms.
    Typical causes are ``KEYS``, ``SMEMBERS``/``HGETALL``/``LRANGE 0 -1`` on big keys,
    ``SORT`` and Lua scripts that loop.

    ## Use instead
    Replace whole-collection reads with ``SCAN``-family iteration or pagination, keep keys
    small, and move heavy scripts out of Redis.
    """

    meta = ProbeMeta(
        id="SC-REDIS-009",
        name="slow-commands",
        category="caching",
        severity="low",
        title="Slow Redis commands in the slow log",
        effort="hours",
        confidence="high",
        impact="Each slow command stalls every other client of the instance.",
        references=("https://redis.io/docs/latest/commands/slowlog-get/",),
    )

    def check(self, snap: RedisSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        by_command: dict[str, list[int]] = {}
        for entry in snap.slowlog or ():
            if entry.duration_us >= settings.redis_slowlog_min_us:
                by_command.setdefault(entry.command or "?", []).append(entry.duration_us)
        for command, durations in sorted(by_command.items()):
            worst = max(durations)
            yield ProbeHit(
                subject=command,
                message=(
                    f"{command} appears {_times(len(durations))} in the slow log, the slowest "
                    f"{worst / 1000:.0f} ms."
                ),
                recommendation=(
                    "Iterate with SCAN/HSCAN/SSCAN or paginate instead of whole-collection commands."
                ),
                evidence=f"SLOWLOG GET 32: {command} x{len(durations)}, max {worst} us",
                severity="medium" if worst >= 100_000 else None,
            )


class KeysOrFlushallUsed(ProbeCheck[RedisSnapshot]):
    """KEYS, FLUSHALL or FLUSHDB have been run against the live server.

    ## What it finds
    ``INFO commandstats`` shows calls of ``KEYS``, ``FLUSHALL`` or ``FLUSHDB`` since the server
    started (the probe itself never runs them).

    ## Why it matters at scale
    ``KEYS`` walks the whole keyspace in one blocking call: with millions of keys every client
    waits for seconds. ``FLUSHALL``/``FLUSHDB`` in application code (cache "invalidation")
    empties the cache for every user at once and stampedes the database.

    ## Use instead
    ``SCAN`` with ``MATCH``/``COUNT`` for iteration; for invalidation, versioned key prefixes
    or sets of keys per entity. Disable the commands in production with ``rename-command``
    or ACLs.
    """

    meta = ProbeMeta(
        id="SC-REDIS-010",
        name="keys-or-flushall-used",
        category="caching",
        severity="medium",
        title="KEYS or FLUSHALL run against the live Redis",
        effort="hours",
        confidence="high",
        impact="One call blocks Redis for every client, or empties the whole cache at once.",
        references=("https://redis.io/docs/latest/commands/keys/",),
    )

    def check(self, snap: RedisSnapshot, settings: ProbeSettings) -> Iterator[ProbeHit]:
        for command in ("keys", "flushall", "flushdb"):
            calls = snap.commandstats.get(command, 0)
            if calls <= 0:
                continue
            yield ProbeHit(
                subject=command,
                message=f"{command.upper()} was called {_times(calls)} since the server started.",
                recommendation=(
                    "Use SCAN for iteration and versioned prefixes for invalidation; block the command "
                    "with ACLs."
                ),
                evidence=f"INFO commandstats: cmdstat_{command}:calls={calls}",
                severity="high" if command == "keys" and snap.keys >= 100_000 else None,
            )
