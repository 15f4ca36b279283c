"""SC-CACHE-009 uncached-public-page."""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from scalescope.model.facts import Call, DataAccess, Import, Loc, NextCacheCall, NextSegment, SlowCall
from scalescope.model.project import MAX_CALL_DEPTH, ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.caching._fixes import next_cache_fix
from scalescope.scan.rules.database._helpers import describe

#: calls that read the request or the visitor: a page that makes them must render per request
_REQUEST_CALLS = frozenset(
    {
        "cookies",
        "headers",
        "draftMode",
        "getServerSession",
        "getSession",
        "currentUser",
        "getUser",
        "getCurrentUser",
        "getUserId",
        "requireUser",
        "validateRequest",
        "getToken",
        "getViewer",
        "useSearchParams",
    }
)
#: auth/session helpers by name: ``auth()``, ``getAuth``, ``requireAuth``, ``getServerAuthSession``,
#: ``withSession`` (``author``/``oauth`` are not auth)
_AUTH_NAME = re.compile(r"(?:^|[^a-zA-Z])auth(?!or)|Auth(?!or)|[Ss]ession|CurrentUser|^me$|^whoami$")


def _reads_visitor(call: Call) -> str | None:
    if call.name in _REQUEST_CALLS or _AUTH_NAME.search(call.name):
        return call.name
    if call.receiver.endswith(".auth") or call.receiver == "auth":  # supabase.auth.getUser()
        return f"{call.receiver}.{call.name}"
    return None


_READS = frozenset({"read-many", "read-one", "count", "aggregate", "raw"})


@dataclass
class _Work:
    """What one segment's handler reaches."""

    functions: set[str] = field(default_factory=set)
    visitor: str = ""


class UncachedPublicPage(Rule):
    """A Next.js page or GET route opts out of caching though it shows the same data to everyone.

    ## What it finds
    App Router pages, layouts and `GET` route handlers that turn caching off
    (`export const dynamic = 'force-dynamic'`, `export const revalidate = 0`,
    `fetchCache = 'force-no-store'`, `fetch(url, { cache: 'no-store' })`, `unstable_noStore()`,
    `connection()`) in the file or in a function it calls, and that do data work on every
    request (a database query the scan recognises, a `fetch`), while nothing they or their
    parent layouts run reads the visitor or the request: no `cookies()`, `headers()`,
    `draftMode()`, `searchParams`, request object, and no auth or session call (`auth()`,
    `getServerSession`, `currentUser`, `getUser`, `supabase.auth.*`). A page that reads the
    session must render per request and is not reported; neither are `'use client'` files,
    segments with a positive `revalidate`, queries wrapped in `unstable_cache` or a
    `'use cache'` function, and `POST`/`PUT`/`DELETE` handlers.

    ## Why it matters at scale
    Opting out makes every page view a full server render: each view runs the page's queries
    and fetches again, though every visitor sees the same result. Traffic on a public page
    (a landing page, a blog post, a pricing table) goes straight to the database and upstream
    APIs, one query set per view, where a cached render refreshed every minute would cost one
    query set per minute whatever the traffic.

    ## Example
    ```tsx
    export const dynamic = "force-dynamic";
    export default async function Blog() {
      const posts = await prisma.post.findMany({ take: 20 });
      return <PostList posts={posts} />;
    }
    ```

    ## Use instead
    ```tsx
    export const revalidate = 60;
    const getPosts = unstable_cache(() => prisma.post.findMany({ take: 20 }), ["posts"],
      { revalidate: 60, tags: ["posts"] });
    // where posts are written: revalidateTag("posts")
    ```

    ## Known problems
    Per-visitor reads the scan cannot see (a helper in a package it does not resolve, auth
    done only in `middleware.ts`) make a private page look public; a page may be dynamic on
    purpose to show data that must be fresh to the second. Calls into unresolved packages are
    not followed, so their queries are not counted.
    """

    meta = RuleMeta(
        id="SC-CACHE-009",
        name="uncached-public-page",
        category="caching",
        severity="medium",
        title="Public Next.js page opts out of caching",
        effort="hours",
        scope="local",
        confidence="medium",
        impact="Every view of a page that looks the same to everyone re-runs its queries and fetches.",
        ecosystems=("node",),
        references=(
            "https://nextjs.org/docs/app/building-your-application/caching",
            "https://nextjs.org/docs/app/api-reference/file-conventions/route-segment-config",
            "https://nextjs.org/docs/app/api-reference/functions/unstable_cache",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        segments = [s for s in model.all(NextSegment) if model.role(s.loc.file).reportable]
        if not segments:
            return
        children: dict[str, list[str]] = defaultdict(list)
        for fid in model.functions:
            parent = model.enclosing_function(fid)
            if parent is not None:
                children[parent.id].append(fid)
        cached = {
            c.function_id for c in model.all(NextCacheCall) if c.kind == "cached-loader" and c.function_id
        }
        opt_calls: dict[str, list[NextCacheCall]] = defaultdict(list)
        for c in model.all(NextCacheCall):
            if c.kind != "cached-loader" and c.function_id:
                opt_calls[c.function_id].append(c)
        queries: dict[str, list[DataAccess]] = defaultdict(list)
        for a in model.all(DataAccess):
            if a.function_id and not a.in_cache_loader:
                queries[a.function_id].append(a)
        http: dict[str, list[SlowCall]] = defaultdict(list)
        for s in model.all(SlowCall):
            if s.kind == "http" and s.function_id:
                http[s.function_id].append(s)
        imports: dict[str, set[str]] = defaultdict(set)
        for imp in model.all(Import):
            imports[imp.loc.file].add(imp.local)
        memo: dict[tuple[str, ...], _Work] = {}

        def work(seg: NextSegment) -> _Work:
            found = memo.get(seg.handler_ids)
            if found is None:
                found = memo[seg.handler_ids] = _reach(model, seg.handler_ids, children, cached, imports)
            return found

        layouts = [s for s in segments if s.kind == "layout"]
        for seg in segments:
            if seg.client or (seg.kind == "route" and not seg.handler_ids) or seg.revalidate:
                continue
            reach = work(seg)
            if reach.visitor or seg.request_reads:
                continue
            folder = posixpath.dirname(seg.loc.file)
            if any(
                (work(lay).visitor or lay.request_reads)
                for lay in layouts
                if lay is not seg and _above(posixpath.dirname(lay.loc.file), folder)
            ):
                continue  # a parent layout reads the visitor: the subtree renders per visitor
            calls = [c for fid in sorted(reach.functions) for c in opt_calls.get(fid, ())]
            if seg.opt_out:
                where = Loc(seg.loc.file, seg.opt_out_line)
                opt_text = f"`export const {seg.opt_out}`"
            elif calls:
                where = calls[0].loc
                opt_text = f"`{calls[0].detail}`"
            else:
                continue
            reads = [a for fid in sorted(reach.functions) for a in queries.get(fid, ()) if a.kind in _READS]
            fetches = [c for c in calls if c.kind == "no-store-fetch"]
            fetches_n = len(fetches) + sum(
                len(http.get(fid, ())) for fid in reach.functions if not opt_calls.get(fid)
            )
            if not reads and not fetches_n:
                continue
            cost: list[str] = []
            if reads:
                cost.append(
                    f"{len(reads)} database quer{'y' if len(reads) == 1 else 'ies'} ({describe(reads[0])}"
                    + (f" and {len(reads) - 1} more" if len(reads) > 1 else "")
                    + ")"
                )
            if fetches_n:
                cost.append(f"{fetches_n} fetch{'es' if fetches_n > 1 else ''}")
            label = "GET route" if seg.kind == "route" else seg.kind
            fix = next_cache_fix(opt_text, bool(reads), reads[0].orm if reads else "")
            each = "request" if seg.kind == "route" else "view"
            yield self.hit(
                where,
                message=(
                    f"The {label} {seg.path} turns Next.js caching off ({opt_text}) but reads nothing "
                    f"per visitor or per request (no cookies, headers, searchParams or session, here "
                    f"or in its layouts): every {each} runs {' and '.join(cost)} that one cached "
                    "render could serve to every visitor."
                ),
                recommendation=fix.advice,
                fix_snippet=fix.snippet,
                fix_language=fix.language,
                place=f"{label} {seg.path}",
            )


def _above(parent: str, folder: str) -> bool:
    return folder == parent or folder.startswith(parent + "/")


def _reach(
    model: ProjectModel,
    roots: tuple[str, ...],
    children: dict[str, list[str]],
    cached: set[str],
    imports: dict[str, set[str]],
) -> _Work:
    """Functions the handlers run (calls up to MAX_CALL_DEPTH deep, and the callbacks written
    inside them, never a callback ``unstable_cache`` caches) and the first visitor read."""
    out = _Work()
    frontier = [r for r in roots if r in model.functions]
    seen = set(frontier)
    for _ in range(MAX_CALL_DEPTH + 1):
        nxt: list[str] = []
        while frontier:
            fid = frontier.pop()
            out.functions.add(fid)
            fn = model.functions[fid]
            for call in fn.calls:
                read = _reads_visitor(call)
                if read and not out.visitor:
                    out.visitor = read
            for child in children.get(fid, ()):
                if child not in seen and child not in cached:
                    seen.add(child)
                    frontier.append(child)  # same depth: a callback runs with its function
            local = imports.get(fn.loc.file, set())
            for call in fn.calls:
                root = (call.receiver or call.name).split(".", 1)[0]
                if call.receiver and root not in local:
                    continue  # ``source.getPage()`` on a local object: not a project function by name
                for target in model.resolve_call(fn.loc.file, call):
                    if root not in local and target.loc.file != fn.loc.file:
                        continue  # a name neither imported nor defined here
                    if target.id not in seen and target.id not in cached:
                        seen.add(target.id)
                        nxt.append(target.id)
        frontier = nxt
    return out
