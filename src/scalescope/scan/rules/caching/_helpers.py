"""Shared logic of the caching rules: what counts as application data, expensive work in a
function, whether the deployment runs several processes, and user-specific code."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from scalescope.model.facts import (
    CacheClient,
    CachedRoute,
    CacheOp,
    DataAccess,
    Function,
    InProcessCache,
    Route,
    Service,
    SlowCall,
    StackItem,
    WorkerProcesses,
)
from scalescope.model.project import ProjectModel

READ_KINDS = frozenset({"read-many", "read-one", "count", "aggregate"})
CACHE_STACK = frozenset(
    {
        "redis",
        "ioredis",
        "node-redis",
        "@redis/client",
        "redis-py",
        "aioredis",
        "memcached",
        "pymemcache",
        "python-memcached",
        "pylibmc",
        "memjs",
        "django-redis",
        "cache-manager",
        "@nestjs/cache-manager",
        "keyv",
        "@keyv/redis",
        "apicache",
        "flask-caching",
        "fastapi-cache2",
        "fastapi-cache",
        "aiocache",
        "@upstash/redis",
        "django-cacheops",
        "cacheops",
        "valkey",
        "dragonfly",
        "keydb",
    }
)
USER_RE = re.compile(
    r"\breq(?:uest)?\.(?:user|session|auth)\b|\bcurrent_user\b|\bcurrentUser\b|\brequest\.user\b|"
    r"\buser_?[iI]d\b|\buser\.id\b|\bsession\[|\bsession\.get\(|\b[Aa]uthorization\b|@CurrentUser\b|"
    r"@User\(|@AuthUser\b|\bg\.user\b|get_current_user|\bctx\.state\.user\b|\brequest\.auth\b|"
    r"\bres\.locals\.user\b"
)
KEY_USER_RE = re.compile(
    # a tenant scope (workspace, organisation, team) is as private as the user
    r"user|uid|account|tenant|session|auth|token|owner|customer|\bme\b|\bsub\b|"
    r"workspace|organi[sz]ation|\borg(?:_?id)?\b|team_?id",
    re.IGNORECASE,
)
MITIGATION_RE = re.compile(
    r"\block\b|\bLock\b|[lL]ock\(|Mutex|mutex|redlock|Redlock|single_?[fF]light|singleFlight|['\"]NX['\"]|"
    r"\bNX\s*:|nx\s*=\s*True|setnx|SETNX|\bacquire\(|stale|jitter|random|dogpile|inflight|in_flight|"
    r"inFlight|pending\.(?:get|has)\("
)


IO_TEXT_RE = re.compile(
    r"\bprisma\.\w+\.\w+\(|\.objects\.\w+\(|\bsession\.(?:query|execute|scalars?)\(|\brequests\.\w+\(|"
    r"\bhttpx\.\w+\(|\bfetch\(|\baxios\.\w+\(|\bdb\.\w+\(|\.(?:findMany|findAll|findOne|findUnique|"
    r"findFirst|aggregate|groupBy|count|query|execute)\(|\bknex\(|\bRepository\b"
)


def io_in_text(text: str) -> str:
    """A query or HTTP call written in ``text`` (fallback when no fact covers it)."""
    m = IO_TEXT_RE.search(text)
    return m.group(0).rstrip("(") + "()" if m else ""


class Index:
    """Per-function lookups built once per rule run."""

    def __init__(self, model: ProjectModel) -> None:
        self.model = model
        self.access: dict[str, list[DataAccess]] = defaultdict(list)
        for a in model.all(DataAccess):
            if a.function_id:
                self.access[a.function_id].append(a)
        self.slow: dict[str, list[SlowCall]] = defaultdict(list)
        for s in model.all(SlowCall):
            if s.function_id:
                self.slow[s.function_id].append(s)

    def expensive_in(self, function_id: str | None, start: int = 0, end: int = 10**9) -> str:
        """The first read query or slow call in the function between two lines, described."""
        if not function_id:
            return ""
        for a in self.access.get(function_id, ()):
            if a.kind not in {"write", "delete"} and start <= a.loc.line <= end:
                return describe_access(a)
        for s in self.slow.get(function_id, ()):
            if start <= s.loc.line <= end:
                return f"{s.target}() ({s.kind})"
        return ""

    def expensive_via_calls(self, function_id: str | None, depth: int = 2) -> str:
        """An expensive call reached through the functions this one calls (name-resolved)."""
        fn = self.model.functions.get(function_id or "")
        if fn is None:
            return ""
        frontier: list[tuple[Function, str]] = [(fn, "")]
        seen = {fn.id}
        for _ in range(depth):
            nxt: list[tuple[Function, str]] = []
            for cur, via in frontier:
                for call in cur.calls:
                    for target in self.model.resolve_call(cur.loc.file, call):
                        if target.id in seen:
                            continue
                        seen.add(target.id)
                        label = via or (f"{call.receiver}.{call.name}" if call.receiver else call.name)
                        found = self.expensive_in(target.id)
                        if found:
                            return f"{label}() -> {found}"
                        nxt.append((target, label))
            frontier = nxt
        return ""

    def has_io(self, function_ids: Iterable[str]) -> str:
        for fid in function_ids:
            found = self.expensive_in(fid) or self.expensive_via_calls(fid, depth=1)
            if found:
                return found
        return ""


def describe_access(a: DataAccess) -> str:
    model = f"{a.model}." if a.model else ""
    return f"{model}{a.operation}() ({a.orm})"


def app_data_evidence(index: Index, cache: InProcessCache) -> str:
    """Why this in-process cache holds application data (I/O results, request data), or ''."""
    if cache.evidence:
        return cache.evidence
    return index.has_io(cache.used_in)


def runs_several_processes(model: ProjectModel, options: dict[str, object]) -> bool:
    """More than one app process/instance is declared (replicas, workers) or configured."""
    instances = options.get("instances")
    if isinstance(instances, int) and instances > 1:
        return True
    count = model.instance_count
    if count is not None and count > 1:
        return True
    if model.all(WorkerProcesses):
        return True
    return any((s.replicas or 0) > 1 or (s.autoscale_max or 0) > 1 for s in model.all(Service))


def has_shared_cache(model: ProjectModel) -> bool:
    """Any cache layer: a client, a cached route, a cache operation or a cache in the stack."""
    if any(len(model.all(kind)) for kind in (CacheClient, CachedRoute, CacheOp)):
        return True
    return any(item.name.lower() in CACHE_STACK for item in model.all(StackItem))


def function_text(model: ProjectModel, function_id: str | None, start: int = 0, end: int = 0) -> str:
    """Source of a function (optionally restricted to a line range inside it)."""
    fn = model.functions.get(function_id or "")
    if fn is None:
        return ""
    lo = max(fn.loc.line, start) if start else fn.loc.line
    hi = min(fn.loc.end_line, end) if end else fn.loc.end_line
    lines = model.source_lines(fn.loc.file)
    return "\n".join(lines[lo - 1 : hi])


def short_fn(function_id: str | None, model: ProjectModel | None = None) -> str:
    """A readable name for a function: ``UserService.find``; an anonymous route handler is
    named after its route (``the GET /orders handler``) when ``model`` is given."""
    if not function_id:
        return "module level"
    name = function_id.split("::", 1)[-1].rsplit("@", 1)[0]
    if model is not None and name in {"<anonymous>", "<lambda>"}:
        for route in model.routes:
            if route.handler_id == function_id:
                return f"the {route.display} handler"
    return name


def route_label(route: Route) -> str:
    return f"{route.display} ({route.loc.file}:{route.loc.line})"


def is_python(path: str) -> bool:
    return path.endswith(".py")
