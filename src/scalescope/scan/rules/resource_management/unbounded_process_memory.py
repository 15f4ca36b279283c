"""SC-RES-001 unbounded-process-memory."""

from __future__ import annotations

from collections.abc import Iterator

from scalescope.model.facts import REQUEST_DATA_EVIDENCE, CollectionWrite, Import, InProcessCache, Loc, Route
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta


class UnboundedProcessMemoryRule(Rule):
    """A module-level collection that grows with every request and is never pruned.

    ## What it finds
    A module-level ``Map``/``Set``/array/``{}`` (JS) or ``dict``/``list``/``set`` (Python)
    that a function reached from a mounted route writes with a key or value taken from its
    input (``visitors.add(req.ip)``, ``EVENTS.append(payload)``), where nothing in the
    repository's view of that module deletes from it, clears it, checks its size, rebinds it or
    hands it to other code. Collections that only hold constants, registries filled at import
    time and caches with eviction are not reported; in-process caches of query or API results are
    SC-CACHE-002's. One timer per entry (``setTimeout`` per key, ``threading.Timer``) is noted.

    ## Why it matters at scale
    The process keeps one entry per distinct user, IP, id or event for its whole life: memory
    grows with traffic until the container is OOM-killed and restarts (often under peak load,
    taking in-flight requests with it), and the garbage collector spends longer on every pause as
    the heap grows. A timer per entry multiplies the cost and keeps each entry alive until it
    fires. Each instance holds a different subset, so the data is also wrong as soon as there are
    two.

    ## Example
    ```ts
    const visitors = new Set<string>();
    router.get("/", (req, res) => {
      visitors.add(req.ip);
      res.render("home");
    });
    ```

    ## Use instead
    ```ts
    // shared, bounded state: a HyperLogLog per day in Redis, with a TTL
    await redis.pfadd(`visitors:${day}`, req.ip);
    await redis.expire(`visitors:${day}`, 86_400 * 7);
    ```
    Or bound it in process: an ``LRUCache({ max, ttl })`` (lru-cache), ``cachetools.TTLCache``,
    ``collections.deque(maxlen=n)``, or delete entries when they are done.

    ## Known problems
    Pruning done by another module that imports the collection is not seen: such collections
    are reported at low confidence. A key space that is small by construction (an enum) still
    grows "without bound" in the code's view.
    """

    meta = RuleMeta(
        id="SC-RES-001",
        name="unbounded-process-memory",
        category="resource-management",
        severity="medium",
        title="Module-level collection grows with requests and is never pruned",
        effort="hours",
        confidence="medium",
        impact="Memory grows with traffic until the process is OOM-killed; per-instance data.",
        ecosystems=("node", "python"),
        references=("https://nodejs.org/en/learn/diagnostics/memory",),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        # caches of I/O results are SC-CACHE-002's; a map that only holds request data (per-IP
        # counters, per-user state) is growth, reported here
        caches = {
            (c.loc.file, c.loc.line) for c in model.all(InProcessCache) if c.evidence != REQUEST_DATA_EVIDENCE
        }
        imported = _imported_elsewhere(model)
        middleware_of = _route_middleware(model)
        for write in model.all(CollectionWrite):
            if (write.decl.file, write.decl.line) in caches:
                continue  # an in-process cache of application data: SC-CACHE-002 reports it
            routes = model.routes_reaching(write.function_id) or middleware_of.get(
                _function_key(model, write.function_id), ()
            )
            if not routes:
                continue  # not on a request path (import time, jobs, scripts)
            route = min(routes, key=lambda r: (r.loc.file, r.loc.line, r.display))
            more = f" and {len(routes) - 1} more route(s)" if len(routes) > 1 else ""
            shared = write.exported or (write.decl.file, write.name) in imported
            timer = (
                f" Each write also starts a {write.timer}(): one live timer per entry." if write.timer else ""
            )
            written = (
                f"{write.name}[{write.key}] = …"
                if write.op == "[key] ="
                else f"{write.name}.{write.op}({write.key})"
            )
            yield self.hit(
                write.loc,
                message=(
                    f"Module-level {write.kind} '{write.name}' grows on every call from "
                    f"{route.display}{more} (`{written}`) and nothing removes entries or bounds "
                    f"its size: memory grows with traffic until the process is OOM-killed, and each "
                    f"instance holds a different subset.{timer}"
                    + (" It is exported: another module may prune it." if shared else "")
                ),
                recommendation=(
                    "Bound it (an LRU with max and ttl, deque(maxlen=n)), delete entries when done, "
                    "or keep this state in a shared store with a TTL (Redis)."
                ),
                cause=Loc(write.decl.file, write.decl.line),
                confidence="low" if shared else "medium",
                severity="high" if write.timer else "medium",
            )


def _imported_elsewhere(model: ProjectModel) -> set[tuple[str, str]]:
    """(declaring file, name) of collections another file imports by name."""
    names = {w.name for w in model.all(CollectionWrite)}
    out: set[tuple[str, str]] = set()
    for imp in model.all(Import):
        if imp.name in names:
            for target in model.module_files(imp.loc.file, imp.module):
                out.add((target, imp.name))
    return out


def _function_key(model: ProjectModel, function_id: str | None) -> tuple[str, str]:
    fn = model.functions.get(function_id or "")
    return (fn.loc.file, fn.name) if fn is not None else ("", "")


def _route_middleware(model: ProjectModel) -> dict[tuple[str, str], tuple[Route, ...]]:
    """``(file, function name) -> routes`` that run it as per-route middleware
    (``app.post("/leads", rateLimit, handler)``), for functions defined in the route's file or
    a file it imports."""
    by_name: dict[str, list[Route]] = {}
    for route in model.routes:
        for name in route.middleware:
            by_name.setdefault(name.rsplit(".", 1)[-1], []).append(route)
    out: dict[tuple[str, str], list[Route]] = {}
    for fn in model.functions.values():
        for route in by_name.get(fn.name, ()):
            if fn.loc.file == route.loc.file or model.imports_from(route.loc.file, fn.loc.file):
                out.setdefault((fn.loc.file, fn.name), []).append(route)
    return {k: tuple(v) for k, v in out.items()}
