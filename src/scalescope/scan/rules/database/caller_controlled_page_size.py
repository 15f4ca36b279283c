"""SC-DB-012 caller-controlled-page-size."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from scalescope.model.facts import DataAccess, InputLimit, Route
from scalescope.model.inputs import LimitSource, PageSizePolicy
from scalescope.model.project import ProjectModel
from scalescope.scan.rules.base import Hit, Rule, RuleContext, RuleMeta
from scalescope.scan.rules.database._fixes import page_size_fix
from scalescope.scan.rules.database._helpers import describe, inside_function, is_python, routes_text

#: a declared maximum above this many rows does not bound a page: one request still reads a
#: slice of the table no page needs (``Query(lt=2147483647)``, ``max_page_size = 100000``)
PAGE_CEILING = 1000


class CallerControlledPageSize(Rule):
    """A query's page size comes from the request, and nothing caps it.

    ## What it finds
    A list query whose page size is a value the client sends, with no maximum on the way.
    The page size is a `take` / `limit` / `.limit()` / slice (`[:n]`), a Django
    `Paginator(qs, per_page)`, or a raw SQL `LIMIT $n` (`?`, `%s`, `:name`, a tagged
    template's `${n}`); the client's value is the query string, body, path, or GraphQL/tRPC
    arguments (`req.query.limit`, `searchParams.get("limit")`, a Nest `@Query("take")`
    parameter or DTO field, a FastAPI query parameter, `request.GET.get("page_size")`), read in
    the query's function or handed to it by a route handler's call
    (`this.service.list(query.limit)`, `crud.get_items(db, limit=limit)`). A maximum is a
    clamp (`Math.min`, `min()`, `clamp`), a comparison against a bound (`if (limit > 100)
    throw`), or a schema maximum for that field anywhere in the project, validation schemas in
    other files included: zod / yup / Joi `.max(100)`, class-validator `@Max(100)`, a
    JSON-schema or OpenAPI `maximum`, pydantic `le=100` / `conint(le=100)`, FastAPI
    `Query(le=100)`, DRF `IntegerField(max_value=100)`, marshmallow `Range(max=100)`, the
    `express-paginate` middleware's cap. Also a DRF pagination class in use
    (`pagination_class`, `DEFAULT_PAGINATION_CLASS`) that lets the request choose the page size
    (`page_size_query_param`, `LimitOffsetPagination`'s `limit`) with no `max_page_size` /
    `max_limit`. A declared maximum above 1000 is reported at low confidence, saying so. The
    queries one request read sizes are one finding.

    The raw-SQL forms read are `pool.query`/`client.query`, `` sql`...` `` tags (postgres.js,
    Drizzle `` db.execute(sql`...`) ``, slonik `` sql.type(Row)`...` ``/`sql.unsafe`), Prisma
    `$queryRaw`/`Prisma.sql`/`$queryRawUnsafe`, `knex.raw`, `sequelize.query`,
    `cursor.execute`, SQLAlchemy `execute(text(...))`, asyncpg `fetch`/`fetchrow`,
    `databases` `fetch_all`, Django `Model.objects.raw` and `connection.cursor().execute`;
    the statement may be a constant or a concatenation of the same file.

    ## Why it matters at scale
    The page size is the client's to choose: `?limit=1000000` turns a paged endpoint into a
    full-table read. One such request (a script, a scraper, a front-end bug, an attacker) holds
    a pooled connection for the whole scan, loads every row into the server's memory and
    serialises it, and a few at once exhaust the pool and the heap, for every user.

    ## Example
    ```ts
    app.get("/orders", async (req, res) => {
      const take = Number(req.query.limit) || 20;
      res.json(await prisma.order.findMany({ take, orderBy: { id: "desc" } }));
    });
    ```

    ## Use instead
    ```ts
    const take = Math.min(Math.max(Number(req.query.limit) || 20, 1), 100);
    ```
    Or declare the maximum where the input is validated: zod `z.coerce.number().int().min(1)
    .max(100)`, class-validator `@Max(100)`, FastAPI `limit: int = Query(20, ge=1, le=100)`,
    pydantic `Field(20, ge=1, le=100)`, DRF `max_page_size = 100`.

    ## Known problems
    The value is followed through one call (a route handler to the function running the
    query), not through a service that hands it on again, nor through a dependency that
    returns it in a dict (FastAPI `Depends(common_parameters)`). A cap applied where the scan
    does not look (a middleware that rewrites `req.query`, an API gateway) is not seen; a
    shared pagination middleware that stores the capped value elsewhere (`ctx.state`) is not
    request input and does not fire. A maximum declared on any field of the same name counts,
    whichever schema validates the request. tRPC procedures are not routes in the model yet, so
    their queries do not fire. Flask-SQLAlchemy `paginate()` caps `per_page` itself
    (`max_per_page`, 100 by default since 3.0) and Supabase caps rows per response (Max Rows),
    so neither is reported.
    """

    meta = RuleMeta(
        id="SC-DB-012",
        name="caller-controlled-page-size",
        category="database",
        severity="medium",
        title="Page size taken from the request with no maximum",
        effort="hours",
        scope="line",
        confidence="medium",
        impact="One request with ?limit=1000000 reads a whole table into memory and holds a connection.",
        ecosystems=("node", "python"),
        references=(
            "https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/",
            "https://www.django-rest-framework.org/api-guide/pagination/",
        ),
    )

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterator[Hit]:
        inputs = model.request_inputs
        for access in model.all(DataAccess):
            if access.limit_input is None or not model.role(access.loc.file).reportable:
                continue
            source = inputs.limit_source(access)
            if source is None:
                continue
            routes = _direct_first(model, model.routes_reaching(access.function_id), source, access)
            if not routes:
                continue
            declared = inputs.declared_max(source.field, source.schema)
            if declared is not None and declared.maximum <= PAGE_CEILING:
                continue
            yield self._query_hit(model, access, source, routes, declared)
        for policy in inputs.page_size_policies():
            if not any(model.role(use.loc.file).reportable for use in policy.users):
                continue
            if policy.maximum is not None and policy.maximum.maximum <= PAGE_CEILING:
                continue
            yield self._policy_hit(policy)

    def _query_hit(
        self,
        model: ProjectModel,
        access: DataAccess,
        source: LimitSource,
        routes: Sequence[Route],
        declared: InputLimit | None,
    ) -> Hit:
        fix = page_size_fix(source.via, is_python(access), source.field)
        if source.through is not None:
            arg = source.through
            where = (
                f"from the request field `{source.field}`, passed in by the call at "
                f"{arg.loc.file}:{arg.loc.line} (`{arg.text}`)"
            )
        else:
            where = f"from the request field `{source.field}` (`{source.text}`)"
        checked = f", validated by {source.schema}" if source.schema else ""
        cap, confidence = _cap_text(declared)
        return self.hit(
            access.loc,
            message=(
                f"{describe(access)} takes its page size {where}{checked}, {cap}; it serves "
                f"{routes_text(routes)}. A client can send `{source.field}=1000000` and read the "
                "table in one response."
            ),
            recommendation=fix.advice,
            fix_snippet=fix.snippet,
            fix_language=fix.language,
            confidence=confidence,
            # every query one request read sizes is fixed by capping that read
            cause=source.read,
            heat=len(routes),
        )

    def _policy_hit(self, policy: PageSizePolicy) -> Hit:
        fix = page_size_fix("drf", True, policy.param)
        users = ", ".join(
            dict.fromkeys(
                ("the DEFAULT_PAGINATION_CLASS setting" if u.used == "settings" else u.used)
                for u in policy.users
            )
        )
        cap, confidence = _cap_text(policy.maximum)
        return self.hit(
            policy.loc,
            message=(
                f"Pagination class {policy.name} lets the client choose the page size with "
                f"`?{policy.param}=`, {cap}; it pages the lists of {users}. A client can send "
                f"`{policy.param}=1000000` and read a whole table in one response."
            ),
            recommendation=fix.advice,
            fix_snippet=fix.snippet,
            fix_language=fix.language,
            confidence=confidence,
        )


def _direct_first(
    model: ProjectModel, routes: Sequence[Route], source: LimitSource, access: DataAccess
) -> list[Route]:
    """The routes whose own handler reads the request (or runs the query) first: a
    name-based call graph may also reach the query from unrelated handlers of the same name."""
    reader = source.through.function_id if source.through is not None else access.function_id

    def direct(route: Route) -> bool:
        handler = model.resolve_handler(route)
        return handler is not None and reader is not None and inside_function(model, reader, handler.id)

    return sorted(routes, key=lambda r: not direct(r))


def _cap_text(declared: InputLimit | None) -> tuple[str, str | None]:
    """The words for the field's maximum and the confidence it leaves: none (the rule's own),
    or one above :data:`PAGE_CEILING` (low: the authors chose it)."""
    if declared is None:
        return "and nothing caps it (no clamp, no schema maximum)", None
    return (
        f"and its declared maximum, {declared.maximum} ({declared.library} at {declared.loc.file}:"
        f"{declared.loc.line}), is above {PAGE_CEILING} rows",
        "low",
    )
