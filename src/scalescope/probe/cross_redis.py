"""Redis cross-checks of scan findings: maxmemory and its policy (SC-CACHE-007), KEYS calls
(SC-CACHE-004/003) and keys without TTL under a write's key prefix (SC-CACHE-005)."""

from __future__ import annotations

import re

from scalescope.model.facts import CacheOp
from scalescope.model.project import ProjectModel
from scalescope.report.model import Finding

from .redis.snapshot import RedisSnapshot
from .settings import ProbeSettings
from .verdict import Verdict, apply


def settings_and_commands(f: Finding, label: str, snap: RedisSnapshot) -> Finding:
    if f.rule == "SC-CACHE-007":
        maxmemory = (snap.setting("maxmemory") or "").strip()
        policy = (snap.setting("maxmemory-policy") or "").strip().lower()
        if not maxmemory:
            return f
        live = f"maxmemory {maxmemory}, maxmemory-policy {policy or '?'}"
        about_noeviction = "noeviction" in f.message and "sets no maxmemory" not in f.message
        confirmed = (policy == "noeviction" and maxmemory != "0") if about_noeviction else maxmemory == "0"
        if confirmed:
            return apply(
                f,
                Verdict(
                    "confirmed", label, f"The live Redis at {label} confirms it ({live}).", f"live: {live}"
                ),
            )
        return apply(
            f,
            Verdict(
                "contradicted",
                label,
                f"The live Redis at {label} is configured otherwise ({live}): the file may describe "
                "another environment (development compose, a different instance).",
                f"live: {live}",
            ),
            confidence="low",
        )
    if f.rule in {"SC-CACHE-004", "SC-CACHE-003"}:
        calls = snap.commandstats.get("keys", 0)
        if calls > 0:
            times = "once" if calls == 1 else f"{calls:,} times"
            return apply(
                f,
                Verdict(
                    "confirmed",
                    label,
                    f"The live Redis at {label} has run KEYS {times}.",
                    f"cmdstat_keys calls={calls}",
                ),
            )
    return f


_INTERPOLATION = re.compile(r"\$\{|\{|%s|%\(|\*|\+")


def _literal_prefix(key: str) -> str:
    """The literal start of a key expression from code: ``"orders:recent"`` -> ``orders:recent``,
    `` `product:${id}` `` -> ``product:``; ``""`` for a variable (``key``) or no literal start."""
    text = key.strip()
    if text[:2] in {'f"', "f'"}:
        text = text[1:]
    if len(text) < 2 or text[0] not in "\"'`":
        return ""
    closing = text.find(text[0], 1)
    body = text[1:closing] if closing > 0 else text[1:]
    m = _INTERPOLATION.search(body)
    if m:
        body = body[: m.start()]
    return body if len(body) >= 3 else ""


def keys_without_ttl(
    f: Finding, label: str, snap: RedisSnapshot, model: ProjectModel | None, settings: ProbeSettings
) -> Finding:
    """SC-CACHE-005 (a cache write without expiry) against the keys without TTL the live
    server holds. Confirmed when the sample holds at least ``redis_no_ttl_confirm_keys`` keys
    without TTL under the write's literal key prefix, keyed by a varying part (a pattern with
    ``*``, or several patterns): entries that grow with their input. Keys without TTL under
    one fixed name are persistent state more often than a leak, so they are context only."""
    if f.rule != "SC-CACHE-005" or snap.sample is None or model is None:
        return f
    ops = [op for op in model.all(CacheOp) if op.loc.file == f.file and op.loc.line == f.line]
    if not ops:
        return f  # an in-process cache, not a Redis write
    prefix = _literal_prefix(ops[0].key)
    sample = snap.sample
    matching = [(p, n) for p, n in sample.without_ttl_patterns if prefix and p.startswith(prefix)]
    if not matching:
        return f
    found = ", ".join(f"{p} ({n})" for p, n in matching)
    # keys that vary: under a pattern with an id part, or under several fixed names
    fixed = [n for p, n in matching if "*" not in p]
    varying = sum(n for p, n in matching if "*" in p) + (sum(fixed) if len(fixed) > 1 else 0)
    numbers = f"sampled keys without TTL: {found} of {sample.sampled} sampled"
    if varying >= settings.redis_no_ttl_confirm_keys:
        return apply(
            f,
            Verdict(
                "confirmed",
                label,
                f"The live Redis at {label} holds such keys without a TTL: {found} in a sample of "
                f"{sample.sampled} keys.",
                numbers,
            ),
        )
    why = (
        "one fixed key, which does not grow with input"
        if not varying
        else f"{varying} varying, fewer than the {settings.redis_no_ttl_confirm_keys} that would show growth"
    )
    return apply(
        f,
        Verdict(
            "checked",
            label,
            f"The live Redis at {label} holds keys without a TTL under this prefix: {found} in a sample "
            f"of {sample.sampled} keys ({why}).",
            numbers,
        ),
    )
