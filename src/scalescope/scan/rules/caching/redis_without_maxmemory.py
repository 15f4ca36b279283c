"""SC-CACHE-007 redis-without-maxmemory."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from scalescope.model.facts import Loc, RedisConfig, Service
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.caching._fixes import RedisUse, maxmemory_fix, redis_use
from scalescope.scan.rules.caching._helpers import unexpiring_writes


def _growth(use: RedisUse) -> tuple[str, str]:
    """What makes the memory grow, from the cache writes and queues seen, and the severity."""
    if use.writes_without_ttl:
        n = use.writes_without_ttl
        example = f" (e.g. {use.no_ttl_example})" if use.no_ttl_example else ""
        return (
            f"; {n} cache write{'s set' if n > 1 else ' sets'} keys that never expire{example}, so its "
            "memory grows with the data until the process is OOM-killed",
            "medium",
        )
    if use.cache_writes or use.queues:
        ttl = "every cache write seen sets a TTL" if use.cache_writes else "no cache write is seen"
        queue = f" and {'/'.join(use.queues)} keeps only its job backlog here" if use.queues else ""
        return (
            f"; {ttl}{queue}, so only an unusual burst of distinct keys (or a stalled backlog) can fill it",
            "low",
        )
    return "", "medium"


def _losses(use: RedisUse) -> str:
    """What a restart loses, from what the project keeps in Redis."""
    lost = []
    if use.cache_writes or not (use.queues or use.sessions):
        lost.append("the cache entries")
    if use.queues:
        lost.append(f"queued {'/'.join(use.queues)} jobs not yet persisted")
    if use.sessions:
        lost.append("the sessions stored there")
    return ", ".join(lost[:-1]) + (" and " if len(lost) > 1 else "") + lost[-1]


class RedisWithoutMaxmemory(Rule):
    """A Redis server the project runs with no memory limit or a no-eviction policy.

    ## What it finds
    Redis servers defined in the repository (a docker-compose or Kubernetes service with a
    Redis image, or a ``redis.conf``) that set no ``maxmemory``, or set
    ``maxmemory-policy noeviction`` while the project uses Redis as a cache. Managed Redis
    (no server in the repository) is not reported, nor a server with ``--maxmemory`` and an
    eviction policy. ``noeviction`` is accepted when the project runs a Redis-backed queue
    (BullMQ, Celery, RQ...), which needs it.

    The message says what grows and what would be lost, from what the code shows: cache writes
    without a TTL, a Redis-backed queue, a Redis session store. When every cache write sets a
    TTL and nothing else lives there, the finding is low severity. The fix never recommends
    an ``allkeys-*`` eviction for a Redis that a queue uses (BullMQ, Bull, Celery, RQ... need
    ``noeviction``): it suggests a separate cache instance or ``volatile-lru``.

    ## Why it matters at scale
    Without ``maxmemory`` nothing caps Redis below the container or host limit: keys written
    without an expiry accumulate until the kernel kills it, taking its cache, queued jobs and
    sessions with it. With ``noeviction`` a full cache rejects every write with an OOM error
    instead of dropping cold keys.

    ## Example
    ```yaml
    services:
      redis:
        image: redis:7
    ```

    ## Use instead
    ```yaml
    services:
      redis:
        image: redis:7
        command: redis-server --maxmemory 512mb --maxmemory-policy allkeys-lru
    ```
    or in ``redis.conf``: ``maxmemory 512mb`` and ``maxmemory-policy allkeys-lru``.
    """

    meta = RuleMeta(
        id="SC-CACHE-007",
        name="redis-without-maxmemory",
        category="caching",
        severity="medium",
        title="Redis server without maxmemory or with noeviction",
        effort="hours",
        scope="setting",
        confidence="medium",
        impact="Redis grows until it is OOM-killed, or refuses writes when full.",
        ecosystems=("infra",),
        references=("https://redis.io/docs/latest/develop/reference/eviction/",),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        use = redis_use(model, [op for op, certain in unexpiring_writes(model) if certain])
        configs = list(model.all(RedisConfig))
        conf_files = [c for c in configs if not c.service]
        covered: set[str] = set()
        services = {(s.loc.file, s.name): s for s in model.all(Service)}
        for conf in configs:
            if not conf.service:
                continue
            maxmemory, policy = conf.maxmemory, conf.policy
            service = services.get((conf.loc.file, conf.service))
            command = service.command if service is not None else ""
            if ".conf" in command:
                linked = [c for c in conf_files if c.loc.file.rsplit("/", 1)[-1] in command]
                folder = conf.loc.file.rsplit("/", 1)[0] if "/" in conf.loc.file else ""
                near = [
                    c for c in linked if (c.loc.file.rsplit("/", 1)[0] if "/" in c.loc.file else "") == folder
                ]
                linked = near or linked[:1]
                covered.update(c.loc.file for c in linked)
                maxmemory = maxmemory or next((c.maxmemory for c in linked if c.maxmemory), None)
                policy = policy or next((c.policy for c in linked if c.policy), None)
                if not linked:
                    continue  # a config file we did not read: cannot judge
            loc = (
                self._service_line(model, service)
                if service is not None and service.source == "compose"
                else conf.loc
            )
            image = f" ({service.image})" if service is not None and service.image else ""
            hit = self._judge(loc, f"service '{conf.service}'{image}", maxmemory, policy, use)
            if hit is not None:
                # one service in the variants of a compose setup (docker-compose.postgres.yml,
                # docker-compose.mysql.yml ...) in one folder is one setting to fix
                folder = conf.loc.file.rsplit("/", 1)[0] if "/" in conf.loc.file else ""
                kind = "maxmemory" if "sets no maxmemory" in hit.message else "policy"
                yield replace(hit, cause=f"redis-service:{folder}:{conf.service}:{kind}")
        for conf in conf_files:
            if conf.loc.file in covered or conf.loc.file.endswith((".yml", ".yaml")):
                continue
            loc = self._conf_line(model, conf)
            hit = self._judge(loc, f"{conf.loc.file}", conf.maxmemory, conf.policy, use)
            if hit is not None:
                yield hit

    def _judge(
        self, loc: Loc, what: str, maxmemory: str | None, policy: str | None, use: RedisUse
    ) -> Hit | None:
        if maxmemory is None or maxmemory.strip() in {"0", "0b", "0mb"}:
            fix = maxmemory_fix(use)
            growth, severity = _growth(use)
            return self.hit(
                loc,
                message=f"Redis {what} sets no maxmemory: nothing caps its memory below the "
                f"container/host limit{growth}. If it is OOM-killed, {_losses(use)} go with it.",
                recommendation=fix.advice,
                fix_snippet=fix.snippet,
                fix_language=fix.language,
                severity=severity,
                # nothing in the code shows unbounded growth: a ceiling is hygiene, not a fix
                confidence="low" if severity == "low" else None,
            )
        if policy is not None and policy.strip().lower() == "noeviction" and not use.queues:
            return self.hit(
                loc,
                message=f"Redis {what} uses maxmemory-policy noeviction with maxmemory {maxmemory}: "
                "once full, every cache write fails with OOM instead of evicting cold keys "
                "(no Redis-backed queue in the stack needs noeviction).",
                recommendation="Use allkeys-lru (or volatile-lru when only TTL'd keys may be "
                "evicted) for a cache instance; keep noeviction on a separate queue instance.",
                fix_snippet=f"command: redis-server --maxmemory {maxmemory} --maxmemory-policy allkeys-lru",
                fix_language="yaml",
            )
        return None

    @staticmethod
    def _service_line(model: ProjectModel, service: Service) -> Loc:
        """The service's ``command:`` line, else its ``image:`` line, else its own location."""
        lines = model.source_lines(service.loc.file)
        start = service.loc.line
        end = service.loc.end_line if service.loc.end_line > start else len(lines)
        indent = None
        found: dict[str, int] = {}
        for no in range(start, min(end, len(lines)) + 1):
            raw = lines[no - 1]
            stripped = raw.strip()
            if not stripped or stripped.startswith("#"):
                continue
            cur = len(raw) - len(raw.lstrip())
            if no > start and indent is not None and cur <= indent and not stripped.startswith("-"):
                break
            if no == start:
                indent = cur
                continue
            m = re.match(r"-?\s*(command|image|args)\s*:", stripped)
            if m and m.group(1) not in found:
                found[m.group(1)] = no
        line = found.get("command") or found.get("args") or found.get("image") or start
        return Loc(service.loc.file, line)

    @staticmethod
    def _conf_line(model: ProjectModel, conf: RedisConfig) -> Loc:
        lines = model.source_lines(conf.loc.file)
        for no, raw in enumerate(lines, 1):
            if re.match(r"\s*maxmemory-policy\s", raw) or re.match(r"\s*maxmemory\s", raw):
                return Loc(conf.loc.file, no)
        return conf.loc
