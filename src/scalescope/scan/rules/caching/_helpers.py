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
    Fact,
    Function,
    InProcessCache,
    Route,
    Service,
    SlowCall,
    StackItem,
    WorkerProcesses,
    option,
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
# a quoted name such as ``"user_id"``: a column or a key, not the request's user
_QUOTED_USER_ID = re.compile(r"""(['"])\w*user_?id\w*\1""", re.IGNORECASE)


def without_strings(text: str) -> str:
    """``text`` with quoted user-id names blanked: ``values_list("user_id")`` names a column,
    not the request's user (``request.user``, ``session["user_id"]`` and an ``Authorization``
    header still show)."""
    return _QUOTED_USER_ID.sub("''", text)


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
    """Why this in-process cache holds application data (I/O results, request data), or ''.
    A hand-written cache class is mostly used from other modules: the functions of files that
    import its module and call ``<instance>.get/set`` count as its users."""
    if cache.evidence:
        return cache.evidence
    users = cache.used_in
    if cache.kind == "hand-written":
        users = (*users, *importing_users(index.model, cache))
    return index.has_io(users)


CACHE_METHODS = frozenset({"get", "set", "has", "put", "getOrSet", "wrap", "remember", "fetch"})


def importing_users(model: ProjectModel, cache: InProcessCache) -> tuple[str, ...]:
    """Functions in other files that import the cache's module and call a cache method on it
    (by its instance name, or a camel-case field of its class for an injected singleton)."""
    names = {cache.name, cache.name[:1].lower() + cache.name[1:]}
    out: list[str] = []
    importers: dict[str, bool] = {}
    for fn in model.functions.values():
        file = fn.loc.file
        if file == cache.loc.file:
            continue
        if not any(c.receiver in names and c.name in CACHE_METHODS for c in fn.calls):
            continue
        if file not in importers:
            importers[file] = model.imports_from(file, cache.loc.file)
        if importers[file]:
            out.append(fn.id)
    return tuple(sorted(out))


def runs_several_processes(model: ProjectModel, options: dict[str, object], path: str | None = None) -> bool:
    """More than one app process/instance is declared (replicas, workers) or configured; with
    ``path``, for the service that runs that file (another service's workers do not count)."""
    instances = options.get("instances")
    if isinstance(instances, int) and instances > 1:
        return True
    if path is not None:
        per_file = model.instance_count_for(path)
        return per_file is not None and per_file > 1
    count = model.instance_count
    if count is not None and count > 1:
        return True
    if model.all(WorkerProcesses):
        return True
    return any((s.replicas or 0) > 1 or (s.autoscale_max or 0) > 1 for s in model.all(Service))


def has_shared_cache(model: ProjectModel, path: str | None = None) -> bool:
    """Any cache layer: a client, a cached route, a cache operation or a cache in the
    production stack; with ``path``, only those of the service that file belongs to."""

    def mine(fact: Fact) -> bool:
        return path is None or model.services.related(path, fact.loc.file)

    for kind in (CacheClient, CachedRoute, CacheOp):
        if any(mine(f) for f in model.all(kind)):
            return True
    return any(
        item.name.lower() in CACHE_STACK and item.scope == "production" and mine(item)
        for item in model.all(StackItem)
    )


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


# --------------------------------------------------------------------------- writes without expiry

_CONSTANT_KEY = re.compile(r"""^(?:'[^'{}$]*'|"[^"{}$]*"|`[^`$]*`)$""")


def forever_default_ttls(model: ProjectModel) -> dict[str, str]:
    """Cache libraries whose configured default timeout is "never" -> where it is set."""
    out: dict[str, str] = {}
    for client in model.all(CacheClient):
        timeout = option(client.options, "TIMEOUT", "CACHE_DEFAULT_TIMEOUT")
        if client.library == "django" and timeout is not None and timeout.strip() == "None":
            out["django"] = f"CACHES at {client.loc.file}:{client.loc.line}"
        if client.library == "flask-caching" and timeout is not None and timeout.strip() == "0":
            out["flask-caching"] = f"CACHE_DEFAULT_TIMEOUT=0 at {client.loc.file}:{client.loc.line}"
        ttl = option(client.options, "ttl")
        if client.library == "cache-manager" and ttl is not None and ttl.strip() == "0":
            out["cache-manager"] = f"ttl: 0 at {client.loc.file}:{client.loc.line}"
    return out


def unexpiring_writes(model: ProjectModel) -> list[tuple[CacheOp, bool]]:
    """Shared-cache writes that set no expiry, each with ``certain``: ``False`` for the no-TTL
    branch of a wrapper that also writes the key with one (``if (ttl === undefined) set(k, v)
    else set(k, v, EX)``) and for keys some code deletes explicitly (job state cleared when the
    job ends). Writes to one constant key, writes followed by ``expire`` on the same key in the
    same function, and writes that get a finite backend default are not listed."""
    expires: dict[str, list[CacheOp]] = defaultdict(list)
    for op in model.all(CacheOp):
        if op.op == "expire" and op.function_id:
            expires[op.function_id].append(op)
    forever_defaults = forever_default_ttls(model)
    with_ttl = {
        (op.function_id, op.key)
        for op in model.all(CacheOp)
        if op.op == "set" and op.has_ttl and op.function_id
    }
    deleted = {key_shape(op.key) for op in model.all(CacheOp) if op.op == "del" and op.key}
    deleted = {k for k in deleted if not k.startswith("<variable")}
    out: list[tuple[CacheOp, bool]] = []
    for op in model.all(CacheOp):
        if op.op != "set" or op.has_ttl is not False:
            continue
        if op.uses_default_ttl and op.library not in forever_defaults:
            continue
        if _CONSTANT_KEY.match(op.key):
            continue  # one fixed entry (config, latest release): it does not grow
        if any(e.key == op.key and e.loc.line >= op.loc.line for e in expires.get(op.function_id or "", ())):
            continue
        certain = (op.function_id, op.key) not in with_ttl and key_shape(op.key) not in deleted
        out.append((op, certain))
    return out


def key_shape(key: str) -> str:
    """A key template with its variable parts blanked: ``import:${ws.id}`` ~ ``import:${wsId}``."""
    if not re.match(r"""^f?[`'"]""", key):
        return f"<variable {key}>"  # a bare name says nothing about which key it holds
    return re.sub(r"\$\{[^}]*\}|\{[^}]*\}", "*", key)
