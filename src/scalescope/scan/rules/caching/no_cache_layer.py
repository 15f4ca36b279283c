"""SC-CACHE-001 no-cache-layer."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from scalescope.model.facts import DataAccess, InProcessCache, Route
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.caching._fixes import shared_cache_fix
from scalescope.scan.rules.caching._helpers import (
    READ_KINDS,
    Index,
    app_data_evidence,
    has_shared_cache,
    route_label,
)

_AD_HOC = frozenset({"dict", "map", "object"})


class NoCacheLayer(Rule):
    """Read endpoints hit the database on every request and no cache exists anywhere.

    ## What it finds
    Projects with GET routes whose handlers reach read queries while no shared cache is
    present: no Redis/Memcached client, no framework cache backend (Django ``CACHES``, Nest
    ``CacheModule``, Flask-Caching), no cached route and no cache package in the manifests.
    One finding, on the read route with the most read queries, lists up to five such routes.
    It does not fire when any cache layer exists.

    ## Why it matters at scale
    Without a cache every page view is a database round trip. Read traffic grows with users
    while the database is the one component that does not scale out by adding instances:
    connection pools saturate, p99 latency climbs and the same hot rows are read thousands of
    times a minute.

    ## Example
    ```ts
    app.get("/products", async (req, res) => res.json(await prisma.product.findMany()));
    ```

    ## Use instead
    ```ts
    const cached = await redis.get("products:v1");
    if (cached) return res.json(JSON.parse(cached));
    const products = await prisma.product.findMany({ take: 50 });
    await redis.set("products:v1", JSON.stringify(products), "EX", 60);
    ```
    In Django configure ``CACHES`` with ``django_redis`` and use ``cache.get_or_set`` or
    ``@cache_page`` on public views; in FastAPI use redis-py/fastapi-cache.

    ## Known problems
    It cannot tell whether a CDN or reverse proxy caches the responses in front of the app.
    """

    meta = RuleMeta(
        id="SC-CACHE-001",
        name="no-cache-layer",
        category="caching",
        severity="medium",
        title="Read endpoints with no cache layer",
        effort="days",
        scope="files",
        confidence="medium",
        impact="Every read goes to the database; read traffic scales the database, not the app tier.",
        ecosystems=("node", "python"),
        references=(
            "https://redis.io/docs/latest/develop/use/client-side-caching/",
            "https://docs.djangoproject.com/en/stable/topics/cache/",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        # one verdict per service: a sibling service's Redis does not cache this one's reads
        roots: dict[str, str] = {}
        for route in model.routes:
            roots.setdefault(model.package_root(route.loc.file), route.loc.file)
        for root, where in sorted(roots.items()):
            yield from self._check_service(model, root, where)

    def _check_service(self, model: ProjectModel, root: str, where: str) -> Iterator[Hit]:
        if has_shared_cache(model, where):
            return
        index = Index(model)
        # A deliberate in-process cache library (lru-cache, cachetools, node-cache, LocMem...) is a
        # cache layer, judged by SC-CACHE-002; an ad-hoc dict/Map memo of one lookup is not.
        if any(
            c.kind not in _AD_HOC
            and model.services.related(where, c.loc.file)
            and app_data_evidence(index, c)
            for c in model.all(InProcessCache)
        ):
            return
        score: Counter[Route] = Counter()
        subjects: dict[Route, str] = {}  # the model each route reads most (names the snippet's data)
        for access in model.all(DataAccess):
            if access.kind not in READ_KINDS:
                continue
            for route in model.routes_reaching(access.function_id):
                if model.package_root(route.loc.file) != root:
                    continue
                if route.method not in {"GET", "ANY", "QUERY", "FIELD"}:
                    continue
                score[route] += 3 if access.kind == "read-many" else 1
                if access.model and (access.kind == "read-many" or route not in subjects):
                    subjects.setdefault(route, access.model)
        if not score:
            return
        ranked = sorted(score.items(), key=lambda kv: (-kv[1], kv[0].loc.file, kv[0].loc.line))
        top = ranked[0][0]
        listed = ", ".join(route_label(r) for r, _ in ranked[:5])
        more = f" and {len(ranked) - 5} more" if len(ranked) > 5 else ""
        fix = shared_cache_fix(model, top.loc.file, subjects.get(top))
        yield self.hit(
            top.loc,
            message=(
                f"{len(ranked)} read endpoint(s) query the database on every request and the project has "
                f"no cache layer (no Redis/Memcached client, cache backend or cached route): {listed}{more}."
            ),
            recommendation=fix.advice,
            fix_snippet=fix.snippet,
            fix_language=fix.language,
        )
