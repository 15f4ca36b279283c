"""SC-DB-011 write-on-read."""

from __future__ import annotations

from collections.abc import Iterator

from scalescope.model.facts import DataAccess, Route
from scalescope.model.project import ProjectModel
from scalescope.model.route_actions import RouteAction, route_action
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._helpers import describe, inside_function, is_write

#: route methods that only read: clients, caches, crawlers and prefetchers may call them freely
READ_METHODS = frozenset({"GET", "QUERY"})


class WriteOnRead(Rule):
    """A GET handler (or GraphQL / tRPC query) writes to the database on every call.

    ## What it finds
    An INSERT, UPDATE, DELETE or upsert reached from a mounted `GET` route, a GraphQL
    `Query` field or a tRPC `.query()` procedure (served over GET, cached and prefetched by the
    client like one), written in the handler itself or in a function the handler calls, and not
    under a condition in its function (an `if`/`else` branch, a ternary, `&&`/`??`, a
    `catch`/`except`, a cache-miss loader such as `cache.wrap(key, () => ...)`): a view counter
    (`update({ data: { views: { increment: 1 } } })`), a "last seen" stamp, an access log row.
    The finding names the route and the write. A write only on a cache miss or only when a row
    does not exist yet (`if (!exists) create(...)`) does not fire.

    A handler registered for GET and POST (Flask `methods=["GET", "POST"]`, FastAPI
    `api_route`, Express `route(path).get(h).post(h)`) that writes, or calls the writing
    helper, only under a test of the request method (`if request.method == "POST":`, `if
    (req.method !== "POST") return ...`, `switch (req.method)`, WTForms `validate_on_submit()`)
    does not fire for its GET: on GET it renders the form or the confirmation. GETs that are
    actions by protocol do not fire either when the path says so: an OAuth/OIDC redirect
    callback (`/auth/github/callback`, RFC 6749 §4.1.2), a link followed from an email
    (`/email/verify`, `/unsubscribe/:token`, `/auth/magic-link`, `/invites/:id/accept`), a
    webhook or postback receiver (`/stripe/webhook`, `/webhooks/appsflyer`), a token refresh
    (`/auth/refresh`), a logout link, a cron trigger (`/api/cron/...`, called with GET by
    schedulers). Where the path only suggests one (`/auth/verify/admin`, `/oauth/...`,
    `/orders/:id/confirmation`) the finding is low confidence and says why.

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
    A handler that calls the writing helper only under a condition other than a method test
    (`if (shouldTrack) track()`) is not seen as conditional: a write reached through a call is
    reported at low confidence only (shown with `--min-confidence low`). Action GETs are told
    apart by their path only: a callback at a path without such a word (`/connect/github`), or
    a handler that reads `code`/`state` from the query string under another name, is still
    reported. A method test on a value copied from the request (`const m = req.method`) other
    than a name `method` is not read. Routes for any method (Django function views, Express
    `router.all`) are not read routes here. Writes through a loaded row (`post.views += 1;
    post.save()`, `DataAccess.row_write`) are not counted: the rule's precision was measured
    without them. Writes an early `return` skips on most calls (`if (cached) return cached;`
    before the write) still fire, unless the `return` is under a method test.
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
                {r for r in model.routes_reaching(access.function_id) if _reads(r, access)},
                key=lambda r: (r.loc.file, r.loc.line, r.path),
            )
            # GETs that are actions by protocol (an OAuth callback, a link in an email, a
            # webhook, a cron trigger): left out when the path says so, low when it only suggests it
            actions = {r: action_of(r) for r in reads}
            plain = [r for r in reads if actions[r] is None]
            likely = [r for r in reads if (a := actions[r]) is not None and not a.sure]
            if not plain and not likely:
                continue
            route, direct = _best(model, plain or likely, access)
            action = actions[route]
            name = _route_name(route)
            via = "" if direct else f", through the call to {_function_name(model, access)}"
            others = len(plain) + len(likely) - 1
            more = f" (and {others} other read route(s))" if others else ""
            why = f" {name} may not be a read at all: its path suggests {action.reason}." if action else ""
            yield self.hit(
                access.loc,
                message=(
                    f"{describe(access)} runs on every call of {name} "
                    f"({route.loc.file}:{route.loc.line}){via}"
                    f"{more}: each read is a write to the primary database, so the route cannot be "
                    f"cached or served by a replica, and a popular row's lock becomes a queue.{why}"
                ),
                recommendation=(
                    "Keep the read route read-only: count or stamp off the request path (a Redis "
                    "counter flushed by a job, an analytics event), or write at most once per interval."
                ),
                # through a call, whether the call runs on every request is not shown; a path that
                # suggests an action (``/auth/verify/admin``) may not be a read at all
                confidence="high" if direct and action is None else "low",
            )


def _reads(route: Route, access: DataAccess) -> bool:
    """A read route that runs the access: a GET (or GraphQL query), unless a test of the
    request method keeps the access off GET (``if request.method == "POST":`` in a handler
    registered for GET and POST)."""
    if route.method not in READ_METHODS:
        return False
    return route.method == "QUERY" or not access.methods or route.method in access.methods


def action_of(route: Route) -> RouteAction | None:
    """What a GET route's path says it does when it is an action, not a read."""
    return route_action(route.path) if route.method == "GET" else None


def _best(model: ProjectModel, routes: list[Route], access: DataAccess) -> tuple[Route, bool]:
    """The route whose own handler holds the write, else the first route reaching it."""
    assert access.function_id is not None
    for route in routes:
        handler = model.resolve_handler(route)
        if handler is not None and inside_function(model, access.function_id, handler.id):
            return route, True
    return routes[0], False


def _route_name(route: Route) -> str:
    if route.framework == "trpc":
        return f"the tRPC query {route.path}"
    if route.method == "QUERY":
        return f"the GraphQL query {route.path}"
    return f"GET {route.path}"


def _function_name(model: ProjectModel, access: DataAccess) -> str:
    fn = model.functions.get(access.function_id or "")
    if fn is None or not fn.name:
        return "a helper"
    return f"{fn.class_name + '.' if fn.class_name else ''}{fn.name}()"
