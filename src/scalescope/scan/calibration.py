"""Confidence calibration: the highest confidence a rule may claim, from measured precision.

A rule's confidence is a promise about how often its findings are true. The default report
shows medium and high findings only, so a rule whose findings were mostly false on real code
must not print them there, however sure its own logic is. This table caps such rules: each
entry says the highest confidence the rule may report (the *ceiling*), the measurement behind
it, and the sentence a lowered finding carries so the reader knows why it is low.

Precision was measured on real backends judged blind (see docs/real-world-trials.md and
bench/precision/): a reviewer who never read the rules read every finding against the code.
An entry is a measurement, not a taste: change a ceiling only with a new measurement on
repositories the change was not tuned on, recorded in docs/real-world-trials.md.

Where the size of a collection or a table decides whether a finding is true (a list, a count,
a write loop, an in-process map), the code alone rarely shows it, so these rules report at low
confidence and live evidence is the way to confirm them: `scalescope probe postgres|redis URL
--scan PATH` scans at low confidence and raises a finding the server confirms (a table's row
count, a Redis setting, keys without TTL; :mod:`scalescope.probe.crosscheck`), and a measured
finding of `scalescope audit` on the same route (latency that grows with the rows returned,
memory that grows at a constant rate) raises the static one (see :mod:`scalescope.audit`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from scalescope.report.model import CONFIDENCES

if TYPE_CHECKING:
    from scalescope.scan.rules.base import Hit


@dataclass(frozen=True)
class Ceiling:
    """The highest confidence ``rule`` may report, why (``basis``: the measurement), and the
    sentence appended to a finding the ceiling lowered (``note``)."""

    rule: str
    confidence: str
    basis: str
    note: str

    def __post_init__(self) -> None:
        if self.confidence not in CONFIDENCES:
            raise ValueError(f"{self.rule}: unknown confidence {self.confidence!r}")


_SIZE = (
    "whether this matters depends on how many rows the collection holds in production, which "
    "the code does not show; confirm with `scalescope audit` or the table's row count"
)
# the rules whose size a live server's row counts show (probe/cross_rows.py)
_ROWS = (
    "whether this matters depends on how many rows the table holds in production, which the "
    "code does not show; `scalescope probe postgres URL --scan .` reads the table's row count "
    "and confirms or contradicts it"
)

CEILINGS: tuple[Ceiling, ...] = (
    Ceiling(
        "SC-DB-004",
        "low",
        "held-out 2026-12 (14 repositories): 10 of 149 judged findings true; most lists are "
        "small per-parent sets, admin-curated tables, or whole sets needed by design",
        f"Low confidence: {_ROWS}.",
    ),
    Ceiling(
        "SC-DB-005",
        "low",
        "held-out 2026-12: 0 of 15 judged findings true; counts next to pages were over small "
        "per-parent sets or served another purpose (an unread badge)",
        f"Low confidence: {_ROWS}.",
    ),
    Ceiling(
        "SC-DB-006",
        "low",
        "held-out 2026-12 (five sets of backends never tuned on, 45 repositories, judged blind): "
        "52 of 112 findings reported at medium were true (46%); fresh4 alone 1 of 7. The false ones "
        "were tables small by nature (settings, OAuth apps, teams of a one-team product, bots, "
        "invites); the code shows who inserts rows, not how many there are",
        f"Low confidence: {_ROWS}; `scalescope probe postgres URL --scan .` also reads the "
        "table's sequential scans and raises a finding the server confirms.",
    ),
    Ceiling(
        "SC-DB-003",
        "low",
        "held-out 2026-12 (fresh2, fresh3, fresh4: 31 repositories, judged blind): 1 of 12 "
        "findings reported at medium or high were true; the loops ran in batch jobs over a few "
        "rows per parent, or per-item work other than the query dominated",
        f"Low confidence: {_SIZE}; `scalescope audit` measures how the route's latency grows with "
        "the rows it returns.",
    ),
    Ceiling(
        "SC-DB-012",
        "low",
        "in-sample 2026-12 (24 repositories), read by the rule's author: 9 of 9 true; held-out "
        "fresh4..fresh7 (42 repositories, judged blind): 16 of 28 true; false: page sizes over one "
        "user's or one organization's rows, a cap set in an overriding method or from settings",
        "Low confidence (measured blind on real backends: about half true): a maximum enforced where "
        "the scan does not look (an API gateway, a middleware that rewrites the query string) "
        "would make it false.",
    ),
    Ceiling(
        "SC-CACHE-009",
        "low",
        "judged blind 2026-12 (re-trial set, 7 backends of the first trials): 0 of 2 true (pages "
        "behind session middleware, per-workspace data)",
        "Low confidence (measured blind on real code: none of the few judged was true): a per-visitor "
        "read the scan cannot see (auth done only in middleware, a helper in an unresolved "
        "package) or data that must be fresh to the second would make it false.",
    ),
    Ceiling(
        "SC-CACHE-010",
        "low",
        "judged blind 2026-12 (re-trial and fresh10 sets): 0 of 2 true (a handful of first-party "
        "static images, remote images served through a custom CDN loader)",
        "Low confidence (measured blind on real code: none of the few judged was true): an image origin "
        "that sends a long Cache-Control max-age, or a platform or plugin that replaces the "
        "built-in optimizer, would make it harmless.",
    ),
    Ceiling(
        "SC-DB-014",
        "low",
        "held-out 2026-12 (fresh4..fresh7, 42 repositories, judged blind): 1 finding, true (a "
        "ticket search on every keystroke); too few to raise",
        "Low confidence (measured blind on real backends: about half true): the table may stay small, or "
        "a trigram index may exist in the database without a migration in the repository.",
    ),
    Ceiling(
        "SC-DB-016",
        "low",
        "held-out 2026-12 (fresh4..fresh7, judged blind): 3 of 15 true; the rest were databases "
        "built by a schema push or generated SQL files, not the migrations folder, and deliberate "
        "differences between model and migration",
        "Low confidence (measured blind on real backends, too often false at medium): the database "
        "the app runs "
        "on may have the index (created by hand or by a schema push), which the scan cannot see.",
    ),
    Ceiling(
        "SC-DB-017",
        "low",
        "held-out 2026-12 (fresh4..fresh7, judged blind): 3 of 22 true; most counts were "
        "dashboards loaded by a few people, per-tenant counts through an index, or a count plus "
        "one that is a length, not an identifier",
        "Low confidence (measured blind on real backends, too often false at medium): a count cached or "
        "throttled where the scan does not look (an HTTP cache, a CDN) is not seen.",
    ),
    Ceiling(
        "SC-DB-013",
        "low",
        "held-out 2026-12 (fresh4..fresh7, judged blind): 5 of 10 true (spacebar's invite uses "
        "and thread counters); false: display-only counters with one writer",
        "Low confidence (measured blind on real backends: about half true): a lock, a serialised queue "
        "or a database constraint outside this function would make it false.",
    ),
    Ceiling(
        "SC-DB-018",
        "low",
        "held-out 2026-12 (fresh6, fresh7, judged blind): 0 of 8 true; duplicates that break "
        "nothing, a unique constraint on an expression (Lower(email)) not read, dead code",
        "Low confidence (measured blind on real backends, too often false at medium): a unique "
        "index the database "
        "has but the repository does not show, or a caller that serialises the requests (a lock or a "
        "queue outside this function), would make it false.",
    ),
    Ceiling(
        "SC-DB-015",
        "low",
        "held-out 2026-12 (fresh4..fresh7, judged blind): 4 of 33 true (16 false ones came from "
        "Fastify controllers read as middleware, fixed); the rest were business records read back "
        "or deleted through a parent's cascade",
        "Low confidence (measured blind on real backends, too often false at medium): retention "
        "that lives outside "
        "the repository (a DBA's cron job, a managed database's retention setting) would make it false.",
    ),
    Ceiling(
        "SC-DB-007",
        "low",
        "held-out 2026-12: 0 of 4 judged findings true (filters inside required includes, "
        "prefetching that is the cure for N+1)",
        f"Low confidence: {_SIZE}.",
    ),
    Ceiling(
        "SC-DB-009",
        "low",
        "held-out 2026-12: 0 of 38 judged findings true; loops over a handful of items, writes "
        "per chunk, per-item side effects (hooks, notifications) that a bulk insert would skip",
        "Low confidence: a bulk write is a fix only when the items are many and carry no per-item "
        "side effects (hooks, signals), which the code here does not show.",
    ),
    Ceiling(
        "SC-DB-011",
        "low",
        "held-out 2026-12: 0 of 21 judged findings true",
        "Low confidence: read paths that write are often deliberate (last-seen stamps, lazy "
        "creation); confirm the write runs on most reads before changing it.",
    ),
    Ceiling(
        "SC-CACHE-001",
        "low",
        "fresh held-out 2026-12 (10 repositories): 0 of 3 judged findings true; reads were per-user, "
        "frequently changing data, or the app runs as one process on an embedded database",
        "Low confidence: a shared cache pays off only for reads many users repeat; whether these are "
        "such reads depends on traffic the code does not show (`scalescope audit` measures it).",
    ),
    Ceiling(
        "SC-CACHE-006",
        "low",
        "fresh held-out 2026-12: 1 of 8 judged findings true; the keys were per user or per tenant, "
        "so few requests could miss together",
        "Low confidence: a stampede needs many concurrent requests missing the same key; a key "
        "scoped to one user or tenant rarely sees that.",
    ),
    Ceiling(
        "SC-CACHE-002",
        "low",
        "held-out 2026-12: 0 of 9 judged findings true; module-level maps were registries of live "
        "objects or deliberate short-lived per-process memos",
        "Low confidence: a per-process map is a scaling problem only when it holds shared "
        "application data that must agree across instances, which the code here does not show.",
    ),
    Ceiling(
        "SC-CACHE-003",
        "low",
        "held-out 2026-12: 1 of 3 judged findings true; the KEYS call itself is SC-CACHE-004",
        "Low confidence: the scan itself is reported by SC-CACHE-004 where KEYS is used; the "
        "invalidation pattern matters only on a large keyspace.",
    ),
    Ceiling(
        "SC-CACHE-005",
        "low",
        "held-out 2026-12: 0 of 11 judged findings true; keys without expiry were persistent "
        "state (flags, assignments, one version key), not cache entries",
        "Low confidence: a key without expiry is a leak only if it is a cache entry keyed by "
        "unbounded input; state meant to persist must not expire. `scalescope probe redis URL "
        "--scan .` samples the live keys and confirms it.",
    ),
    Ceiling(
        "SC-CACHE-007",
        "low",
        "held-out 2026-12: 0 of 12 judged findings true; the Redis was a queue broker, dev-only, "
        "or capped by a managed service outside the repository",
        "Low confidence: maxmemory is often set outside the repository (a managed Redis, a "
        "parameter group, a Helm value); check the deployed server with `scalescope probe redis URL "
        "--scan .`.",
    ),
    Ceiling(
        "SC-CACHE-008",
        "low",
        "held-out 2026-12 (fresh11, fresh15, fresh22, judged blind): 0 of 4 true; the cached "
        "responses were per-document aggregates, global counts, or one anonymous installation id, "
        "where the user only gated access or was a column name",
        "Low confidence (measured blind on real backends: none of the few judged was true): whether "
        "the cached answer differs per user depends on what the response holds, which the key "
        "alone does not show.",
    ),
    Ceiling(
        "SC-DB-010",
        "low",
        "held-out 2026-12 (fresh, fresh4, fresh12, fresh14, fresh16, fresh21, fresh23, judged blind): "
        "5 of 15 reported at medium or high were true; the false ones were queries already on the "
        "handle (since fixed), SQLite, one-time installs and an admin-only action that waits on no "
        "row the transaction holds",
        "Low confidence (measured blind on real backends: about a third true): the pool runs out only "
        "when as many of these transactions run at once as the pool has connections, which the code "
        "does not show; the commit outside the transaction is a bug at any load.",
    ),
    Ceiling(
        "SC-DB-008",
        "low",
        "held-out 2026-12 (fresh, fresh2, fresh7, fresh8, fresh12, fresh16, fresh17, fresh20, judged "
        "blind): 7 of 18 reported at medium or high were true; fresh22's 11 low ones were all false "
        "(management commands, offline imports, tasks)",
        "Low confidence (measured blind on real backends: about a third true): whether the slow call "
        "holds locks other requests wait on depends on how often this transaction runs, which the "
        "code does not show.",
    ),
    Ceiling(
        "SC-SCALE-001",
        "low",
        "held-out 2026-12 (fresh, fresh4, fresh6, fresh8, fresh11, fresh15, fresh19, fresh21, fresh23, "
        "judged blind): 2 of 13 true; the session stores were replaced by deployment settings "
        "(class-based settings, local settings, split-settings files), setup-only code, or served by "
        "one process",
        "Low confidence (measured blind on real backends: few true): a deployment's own settings often "
        "replace the store, and one process shares it; confirm with the deployed settings and "
        "instance count.",
    ),
    Ceiling(
        "SC-RES-001",
        "low",
        "held-out 2026-12: 0 of 2 judged findings true (memos keyed by a small fixed key set)",
        "Low confidence: the map grows with its key space, which may be a small fixed set "
        "(regions, tenants' clients); confirm memory growth with `scalescope audit`.",
    ),
)

_BY_RULE = {c.rule: c for c in CEILINGS}
_RANK = {"low": 0, "medium": 1, "high": 2}


def ceiling_of(rule_id: str) -> Ceiling | None:
    """The ceiling of ``rule_id``, or ``None`` when its findings keep their own confidence."""
    return _BY_RULE.get(rule_id)


def calibrate(rule_id: str, hit: Hit, default: str) -> Hit:
    """``hit`` with its confidence capped at the rule's ceiling; a lowered hit says why."""
    ceiling = _BY_RULE.get(rule_id)
    if ceiling is None:
        return hit
    current = hit.confidence or default
    if _RANK[current] <= _RANK[ceiling.confidence]:
        return hit
    return replace(hit, confidence=ceiling.confidence, message=f"{hit.message.rstrip()} {ceiling.note}")
