"""SC-DB-011 write-on-read."""

from __future__ import annotations

from collections.abc import Iterator

from scalescope.model.facts import DataAccess, Route
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._helpers import describe, inside_function, is_write

#: route methods that only read: clients, caches, crawlers and prefetchers may call them freely
READ_METHODS = frozenset({"GET", "QUERY"})


class WriteOnRead(Rule):
    """A GET handler (or GraphQL query) writes to the database on every call.

    ## What it finds
    An INSERT, UPDATE, DELETE or upsert reached from a mounted `GET` route or a GraphQL
    `Query` field, written in the handler itself or in a function the handler calls, and not
    under a condition in its function (an `if`/`else` branch, a ternary, `&&`/`??`, a
    `catch`/`except`, a cache-miss loader such as `cache.wrap(key, () => ...)`): a view counter
    (`update({ data: { views: { increment: 1 } } })`), a "last seen" stamp, an access log row.
    The finding names the route and the write. A write only on a cache miss or only when a row
    does not exist yet (`if (!exists) create(...)`) does not fire.

    ## Why it matters at scale
    Reads are the traffic that scales out: they are cached by CDNs and browsers, retried,
    prefetched by link previews and crawlers, and served from read replicas. A write on every
    read turns each of those into a primary-database write: every page view takes a row lock
    (a popular post's counter row becomes a hot spot all requests queue on), writes WAL and
    bloats the table, the route cannot be cached or routed to a replica, and a crawler's burst
    of GETs is a burst of writes.

    ## Example
    ```ts
    router.get("/posts/:id", async (req, res) => {
      const post = await prisma.post.update({
        where: { id: req.params.id },
        data: { views: { increment: 1 } },
      });
      res.json(post);
    });
    ```

    ## Use instead
    Keep the read a read, and count views off the request path: increment a Redis counter
    (`INCR views:{id}`) and flush it to the table in batches from a job, or append to an
    analytics store. Record "last seen" at most once per interval (`WHERE last_seen < now() -
    interval '5 minutes'`) or in the session store.

    ## Known problems
    A handler that calls the writing helper only under a condition (`if (shouldTrack)
    track()`) is not seen as conditional, and GET routes that are actions rather than reads
    (OAuth callbacks, links in emails, cron endpoints called with GET) are not told apart: a
    write reached through a call is reported at low confidence only (shown with
    `--min-confidence low`). Writes through a loaded row (`post.views += 1; post.save()`,
    `DataAccess.row_write`) are not counted: the rule's precision was measured without them.
    Writes an early `return` skips on most calls (`if (cached) return cached;` before the write)
    still fire.
    """

    meta = RuleMeta(
        id="SC-DB-011",
        name="write-on-read",
        category="database",
        severity="medium",
        title="Read route writes to the database on every call",
        effort="hours",
        confidence="high",
        impact="Every read becomes a primary write: row locks on hot rows, no caching, no read replicas.",
        ecosystems=("node", "python"),
        references=(
            "https://developer.mozilla.org/en-US/docs/Glossary/Safe/HTTP",
            "https://www.rfc-editor.org/rfc/rfc9110#name-safe-methods",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        for access in model.all(DataAccess):
            if not is_write(access) or access.conditional or access.in_cache_loader or access.row_write:
                continue
            if access.function_id is None or not model.role(access.loc.file).reportable:
                continue
            reads = sorted(
                {r for r in model.routes_reaching(access.function_id) if r.method in READ_METHODS},
                key=lambda r: (r.loc.file, r.loc.line, r.path),
            )
            if not reads:
                continue
            route, direct = _best(model, reads, access)
            name = _route_name(route)
            via = "" if direct else f", through the call to {_function_name(model, access)}"
            more = f" (and {len(reads) - 1} other read route(s))" if len(reads) > 1 else ""
            yield self.hit(
                access.loc,
                message=(
                    f"{describe(access)} runs on every call of {name} "
                    f"({route.loc.file}:{route.loc.line}){via}"
                    f"{more}: each read is a write to the primary database, so the route cannot be "
                    "cached or served by a replica, and a popular row's lock becomes a queue."
                ),
                recommendation=(
                    "Keep the read route read-only: count or stamp off the request path (a Redis "
                    "counter flushed by a job, an analytics event), or write at most once per interval."
                ),
                # through a call, whether the call runs on every request (and whether the GET is a
                # read at all: OAuth callbacks, cron endpoints) is not shown
                confidence="high" if direct else "low",
            )


def _best(model: ProjectModel, routes: list[Route], access: DataAccess) -> tuple[Route, bool]:
    """The route whose own handler holds the write, else the first route reaching it."""
    assert access.function_id is not None
    for route in routes:
        handler = model.resolve_handler(route)
        if handler is not None and inside_function(model, access.function_id, handler.id):
            return route, True
    return routes[0], False


def _route_name(route: Route) -> str:
    if route.method == "QUERY":
        return f"the GraphQL query {route.path}"
    return f"GET {route.path}"


def _function_name(model: ProjectModel, access: DataAccess) -> str:
    fn = model.functions.get(access.function_id or "")
    if fn is None or not fn.name:
        return "a helper"
    return f"{fn.class_name + '.' if fn.class_name else ''}{fn.name}()"
