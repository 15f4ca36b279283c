"""Read a :class:`RedisSnapshot` with bounded, read-only commands.

Commands: ``INFO``, ``CONFIG GET`` (a handful of parameters), ``SLOWLOG GET 32``, ``SCAN``
with a ``COUNT`` hint, and per sampled key ``PTTL``, ``TYPE`` and ``MEMORY USAGE key SAMPLES 5``
in pipelines. Never ``KEYS``, never anything that writes. Sampling stops at
``redis_sample_keys`` keys or after ``redis_sample_seconds``, whichever comes first; a command
the server refuses (``CONFIG`` renamed away on managed Redis, an ACL) becomes a notice.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from ..settings import ProbeSettings
from ..target import EXIT_AUTH, EXIT_DRIVER_MISSING, EXIT_UNREACHABLE, ProbeError, Target
from .snapshot import BigKey, KeySample, RedisSnapshot, SlowEntry, key_pattern, queue_label

CONFIG_NAMES = ("maxmemory", "maxmemory-policy", "appendonly", "save", "maxclients")
INFO_SECTIONS = ("server", "clients", "memory", "persistence", "stats", "replication", "keyspace")
PIPELINE = 100


def _redis() -> Any:
    try:
        import redis
    except ImportError:
        raise ProbeError(
            "the Redis probe needs redis-py: pip install 'scalescope[live]'", EXIT_DRIVER_MISSING
        ) from None
    return redis


def connect(target: Target, settings: ProbeSettings) -> Any:
    redis = _redis()
    try:
        client = redis.Redis.from_url(
            target.url,
            socket_connect_timeout=settings.connect_timeout_s,
            socket_timeout=settings.statement_timeout_ms / 1000,
            decode_responses=False,
            client_name="scalescope-probe",
        )
        client.ping()
    except (redis.AuthenticationError, redis.exceptions.NoPermissionError) as exc:
        raise ProbeError(
            f"Redis at {target.label} refused the login: {target.scrub(str(exc))}", EXIT_AUTH
        ) from None
    except redis.ResponseError as exc:
        text = target.scrub(str(exc))
        if any(w in text.upper() for w in ("NOAUTH", "WRONGPASS", "AUTH")):
            raise ProbeError(f"Redis at {target.label} refused the login: {text}", EXIT_AUTH) from None
        raise ProbeError(
            f"Redis at {target.label} answered with an error: {text}", EXIT_UNREACHABLE
        ) from None
    except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
        raise ProbeError(
            f"cannot reach Redis at {target.label}: {target.scrub(str(exc))}", EXIT_UNREACHABLE
        ) from None
    except ValueError as exc:  # a URL redis-py cannot use
        raise ProbeError(f"cannot use this Redis URL: {target.scrub(str(exc))}", 2) from None
    return client


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


class _Reader:
    def __init__(self, client: Any, target: Target) -> None:
        self.client = client
        self.target = target
        self.notices: list[str] = []
        self.redis = _redis()

    def call(self, what: str, *args: object) -> Any:
        try:
            return self.client.execute_command(*args)
        except (self.redis.ConnectionError, self.redis.TimeoutError) as exc:
            raise ProbeError(
                f"lost the connection to {self.target.label} during {what}: {self.target.scrub(str(exc))}",
                EXIT_UNREACHABLE,
            ) from None
        except self.redis.RedisError as exc:
            first = self.target.scrub(str(exc)).splitlines()[0] if str(exc) else type(exc).__name__
            self.notices.append(f"{what}: skipped ({first})")
            return None


def _info(r: _Reader) -> dict[str, str]:
    out: dict[str, str] = {}
    for section in INFO_SECTIONS:
        raw = r.call(f"INFO {section}", "INFO", section)
        if raw is None:
            continue
        if isinstance(raw, dict):  # redis-py parses INFO into a dict
            for key, value in raw.items():
                if isinstance(value, dict):  # keyspace: db0 -> {keys: 3, expires: 1}
                    value = ",".join(f"{k}={v}" for k, v in value.items())
                out[str(key)] = str(value)
            continue
        for line in _text(raw).splitlines():
            if ":" in line and not line.startswith("#"):
                key, _, value = line.partition(":")
                out[key.strip()] = value.strip()
    return out


def _commandstats(r: _Reader) -> dict[str, int]:
    raw = r.call("INFO commandstats", "INFO", "commandstats")
    out: dict[str, int] = {}
    if isinstance(raw, dict):  # redis-py parses INFO commandstats into a dict
        for name, fields in raw.items():
            if str(name).startswith("cmdstat_") and isinstance(fields, dict):
                out[str(name)[len("cmdstat_") :].lower()] = int(fields.get("calls", 0))
        return out
    for line in _text(raw or "").splitlines():
        if not line.startswith("cmdstat_"):
            continue
        name, _, rest = line.partition(":")
        fields = dict(kv.split("=", 1) for kv in rest.split(",") if "=" in kv)
        try:
            out[name[len("cmdstat_") :].lower()] = int(fields.get("calls", "0"))
        except ValueError:
            continue
    return out


def _config(r: _Reader) -> dict[str, str] | None:
    out: dict[str, str] = {}
    for name in CONFIG_NAMES:
        raw = r.call(f"CONFIG GET {name}", "CONFIG", "GET", name)
        if raw is None:
            return None  # CONFIG is disabled: INFO mirrors are used instead
        pairs = list(raw.items()) if isinstance(raw, dict) else list(zip(raw[::2], raw[1::2], strict=False))
        for key, value in pairs:
            out[_text(key)] = _text(value)
    return out


def _slowlog(r: _Reader) -> tuple[SlowEntry, ...] | None:
    raw = r.call("SLOWLOG GET", "SLOWLOG", "GET", "32")
    if raw is None:
        return None
    entries = []
    for item in raw:
        if isinstance(item, dict):  # redis-py parses SLOWLOG GET into dicts
            duration = int(item.get("duration", 0))
            command = item.get("command", b"")
            name = _text(command).split(" ", 1)[0]
        else:
            duration = int(item[2])
            args = item[3] if len(item) > 3 else []
            name = _text(args[0]) if args else ""
        entries.append(SlowEntry(duration, name.upper()))
    return tuple(entries)


def _sample(r: _Reader, settings: ProbeSettings) -> KeySample | None:
    deadline = time.monotonic() + settings.redis_sample_seconds
    cursor: object = 0
    keys: list[bytes] = []
    stopped = ""
    complete = False
    while True:
        page = r.call("SCAN", "SCAN", cursor, "COUNT", settings.redis_scan_count)
        if page is None:
            return None
        cursor, batch = page[0], page[1]
        keys.extend(batch)
        if _text(cursor) == "0":
            complete = True
            break
        if len(keys) >= settings.redis_sample_keys:
            stopped = f"stopped at {settings.redis_sample_keys} keys"
            break
        if time.monotonic() > deadline:
            stopped = f"stopped after {settings.redis_sample_seconds:g} s"
            break
    keys = keys[: settings.redis_sample_keys]
    no_ttl: Counter[str] = Counter()
    queue: dict[str, None] = {}
    big: list[BigKey] = []
    sampled = 0
    cache_keys = 0
    for start in range(0, len(keys), PIPELINE):
        if time.monotonic() > deadline + settings.redis_sample_seconds:
            stopped = stopped or "stopped: time budget spent"
            break
        chunk = keys[start : start + PIPELINE]
        pipe = r.client.pipeline(transaction=False)
        for key in chunk:
            pipe.execute_command("PTTL", key)
            pipe.execute_command("TYPE", key)
            pipe.execute_command("MEMORY", "USAGE", key, "SAMPLES", "5")
        try:
            replies = pipe.execute(raise_on_error=False)
        except (r.redis.ConnectionError, r.redis.TimeoutError) as exc:
            raise ProbeError(f"lost the connection to {r.target.label}: {exc}", EXIT_UNREACHABLE) from None
        for i, key in enumerate(chunk):
            ttl, kind, size = replies[3 * i : 3 * i + 3]
            if isinstance(ttl, Exception) or ttl == -2:
                continue  # gone since SCAN saw it, or refused
            sampled += 1
            name = _text(key)
            pattern = key_pattern(name)
            label = queue_label(name)
            if label is not None:
                queue.setdefault(label, None)
            else:
                cache_keys += 1
                if ttl == -1:
                    no_ttl[pattern] += 1
            if isinstance(size, int) and size >= settings.redis_big_key_bytes:
                big.append(BigKey(pattern, _text(kind) if not isinstance(kind, Exception) else "?", size))
    big.sort(key=lambda b: -b.bytes)
    return KeySample(
        sampled=sampled,
        without_ttl=sum(no_ttl.values()),
        without_ttl_patterns=tuple(sorted(no_ttl.items(), key=lambda kv: (-kv[1], kv[0]))[:10]),
        queue_patterns=tuple(sorted(queue)),
        big_keys=tuple(big[:20]),
        complete=complete,
        stopped=stopped,
        cache_keys=cache_keys,
    )


def collect(client: Any, target: Target, settings: ProbeSettings) -> tuple[RedisSnapshot, list[str]]:
    r = _Reader(client, target)
    info = _info(r)
    keys = 0
    for name, value in info.items():
        if name.startswith("db") and name[2:].isdigit():
            fields = dict(kv.split("=", 1) for kv in value.split(",") if "=" in kv)
            keys += int(fields.get("keys", "0") or 0)
    snap = RedisSnapshot(
        version=f"Redis {info.get('redis_version', '?')}",
        mode=info.get("redis_mode", "standalone"),
        info=info,
        config=_config(r),
        commandstats=_commandstats(r),
        slowlog=_slowlog(r),
        keys=keys,
        sample=_sample(r, settings),
    )
    if snap.config is None:
        r.notices.append("CONFIG GET is not allowed: settings read from INFO (no 'save' schedule visible)")
    if snap.mode == "cluster":
        r.notices.append("cluster mode: the key sample covers the node probed only")
    if snap.sample is not None and snap.sample.stopped:
        r.notices.append(f"key sample {snap.sample.stopped} ({snap.sample.sampled} of {keys} keys)")
    return snap, r.notices


def read_snapshot(target: Target, settings: ProbeSettings) -> tuple[RedisSnapshot, list[str]]:
    client = connect(target, settings)
    try:
        return collect(client, target, settings)
    finally:
        client.close()
