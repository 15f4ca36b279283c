"""Fact types: what the extractors learn about a project, in one shape for every stack.

Each fact is a frozen dataclass carrying the location that proves it. Extractors for Express,
NestJS, FastAPI, Django... all emit these same types, so one rule serves every stack. Add a new
fact type here (or in a sibling module) when a rule family needs knowledge no type carries yet;
keep fields neutral (``library="prisma"`` rather than a Prisma-only class).

Conventions:
- ``library`` / ``orm`` / ``framework`` are lower-case package-ish names: ``prisma``, ``typeorm``,
  ``sequelize``, ``knex``, ``mongoose``, ``drizzle``, ``pg``, ``supabase``, ``sqlalchemy``,
  ``django``, ``asyncpg``, ``psycopg``, ``ioredis``, ``node-redis``, ``redis-py``, ``express``,
  ``nestjs``, ``fastify``, ``nextjs``, ``fastapi``, ``flask``.
- ``function_id`` is the :class:`Function` id of the innermost enclosing function (``None`` at
  module level).
- Options are kept as ``(name, source text)`` pairs exactly as written (values may be code such
  as ``process.env.X``); rules interpret them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, order=True)
class Loc:
    """A span of a file: path relative to the scanned root (POSIX separators), 1-based lines."""

    file: str
    line: int
    end_line: int = 0

    def __post_init__(self) -> None:
        if self.end_line < self.line:
            object.__setattr__(self, "end_line", self.line)


@dataclass(frozen=True, slots=True)
class Fact:
    """Base class of every fact: something true about the project, with where it is shown."""

    loc: Loc


Options = tuple[tuple[str, str], ...]


def option(options: Options, *names: str) -> str | None:
    """Return the source text of the first option present among ``names`` (case-sensitive)."""
    for key, value in options:
        if key in names:
            return value
    return None


# --------------------------------------------------------------------------- stack & code shape


@dataclass(frozen=True, slots=True)
class StackItem(Fact):
    """A framework, ORM, driver, cache, queue or runtime the project uses.

    ``kind``: framework | orm | db-driver | cache | queue | http-client | runtime | server.
    ``source``: manifest (package.json, requirements, pyproject) or import.
    """

    kind: str
    name: str
    ecosystem: str  # node | python | infra
    source: str = "manifest"
    version: str = ""
    # production | dev | test: devDependencies, requirements-dev/test files, ``[dev]``/test
    # extras and dependency groups are not part of what the production process runs
    scope: str = "production"


@dataclass(frozen=True, slots=True)
class Import(Fact):
    """``local`` is bound in this file to ``name`` exported by ``module`` (``*`` / ``default``)."""

    local: str
    module: str
    name: str


@dataclass(frozen=True, slots=True)
class Call:
    """A call made inside a function: callee name plus a receiver hint (``usersService``).

    ``methods``: the request methods the call runs for when a test of the request method
    around it decides that (``if request.method == "POST": service.cancel()`` -> ``("POST",)``;
    see ``scan/extract/*/method_guards.py``), sorted; ``()`` when no such test restricts it.
    """

    name: str
    receiver: str = ""
    methods: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Function(Fact):
    """A function, method or arrow/lambda; ``id`` is ``file::qualname@line``.

    ``calls`` lists the calls made directly in its body (not in nested functions).
    ``by_name``: callers reach it by ``name`` (a declaration, a method, a function bound to a
    variable, field or key); ``False`` when its name is not how anything calls it: a named
    function expression used as a value (``app.register(async function routes(app) {...})``,
    ``const x = function y() {}``), a JavaScript default export, a method of an anonymous class.
    """

    id: str
    name: str
    class_name: str = ""
    is_async: bool = False
    exported: bool = False
    calls: tuple[Call, ...] = ()
    decorators: tuple[str, ...] = ()
    params: tuple[str, ...] = ()
    by_name: bool = True


@dataclass(frozen=True, slots=True)
class ClassDecl(Fact):
    """A class (or TypeScript interface) declaration: its name, what it extends or implements
    as written (``LoggerBase``, ``models.Model``, ``Generic[T]``, ``metaclass=ABCMeta``;
    TypeScript type arguments dropped) and its decorators as written (``Injectable``,
    ``dataclass``, ``strawberry.type``). ``kind``: ``class`` | ``interface``."""

    name: str
    bases: tuple[str, ...] = ()
    decorators: tuple[str, ...] = ()
    kind: str = "class"


@dataclass(frozen=True, slots=True)
class Route(Fact):
    """An HTTP endpoint: method (upper case, ``ANY`` when unknown), path and its handler.

    ``handler_id`` is set when the handler was resolved in the same file; otherwise
    ``handler_name`` names it (an identifier or ``obj.method``) for cross-file resolution.
    ``middleware`` lists the names of per-route middleware/dependencies/guards as written.
    """

    framework: str
    method: str
    path: str
    handler_id: str | None = None
    handler_name: str | None = None
    middleware: tuple[str, ...] = ()
    # the app/router/plugin/module the route is registered on, as a :class:`RouterDecl` key of
    # this file (``router``, ``app``, ``<plugin scope>:fastify``, a Nest controller class,
    # ``urlpatterns``), or a name imported into this file; ``path`` already carries the prefixes
    # of same-file mounts up to that receiver. Empty: no receiver (file-system routes).
    receiver: str = ""

    @property
    def display(self) -> str:
        """``GET /orders/:id``, ``GraphQL Query.products`` for a resolver, ``tRPC mutation
        user.create`` for a tRPC procedure."""
        if self.framework == "trpc":
            return f"tRPC {self.method.lower()} {self.path}"
        if self.method in GRAPHQL_METHODS:
            return f"GraphQL {self.path}"
        return f"{self.method} {self.path}"


#: ``Route.method`` values of GraphQL resolvers (``FIELD`` = a non-root type's field, run per object).
GRAPHQL_METHODS = frozenset({"QUERY", "MUTATION", "SUBSCRIPTION", "FIELD"})
#: ``Route.method`` values of one HTTP method (``ANY``: a route for every method)
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@dataclass(frozen=True, slots=True)
class Middleware(Fact):
    """App-level middleware registration (``app.use(x)``, ``app.add_middleware(X)``).

    ``name`` is the callee or class as written (``rateLimit``, ``helmet``, ``CORSMiddleware``);
    ``options`` its literal options when visible. A function written inline
    (``app.use(async (req, res, next) => ...)``) is named ``(inline)`` and ``handler_id`` is
    its :class:`Function` id.
    """

    framework: str
    name: str
    options: Options = ()
    function_id: str | None = None
    handler_id: str | None = None


#: :attr:`Middleware.name` of a middleware function written inline where it is registered
INLINE_MIDDLEWARE = "(inline)"


@dataclass(frozen=True, slots=True)
class Loop:
    """Iteration context: ``for``, ``while``, ``map``, ``forEach``, ``comprehension``,
    ``Promise.all``, ``gather``... with the line where it starts."""

    kind: str
    line: int
    end_line: int = 0
    # number of items when the loop iterates a literal collection (``for x of ["a", "b"]``,
    # ``for i in range(3)``, ``for (i = 0; i < 3; i++)``); ``None`` = data-dependent/unknown
    literal_size: int | None = None
    # the iterated item (or a value declared in the loop body) flows into the guarded call's
    # arguments; ``None`` = not determined. ``False`` also when the item is a batch of keys
    # handed whole to one ``IN`` query (``for (const batch of chunk(ids, 500))``).
    uses_item: bool | None = None
    # what the loop iterates, decided by the extractor (values in ``LOOP_SOURCES``): rows a
    # query returned, a list from the request, a collection bounded by construction (parsed
    # from one input, a constant list or enum, a slice), or ``""`` when unknown
    iterates: str = ""
    # the iterated expression as written, shortened (``req.body.items``, ``mentions``)
    iterates_text: str = ""
    # why the collection is bounded, in words, for ``iterates == "bounded"`` (``the @mentions
    # matched in one string``) or where the rows come from for ``"query"``
    iterates_why: str = ""
    # the most items it can hold when the code shows it (``.slice(0, 20)``, ``range(5)``, a
    # declared ``.max(50)`` in the same file); ``None`` = not shown
    max_items: int | None = None
    # for ``iterates == "request"``: the request field holding the list (``items``), so rules
    # can look its declared maximum up in :class:`InputLimit` facts of other files
    request_field: str = ""
    # for ``iterates == "query"``: the model/table whose rows it iterates (``""`` = unnamed),
    # and the line of that query in the loop's file (0 = not known; ``ProjectModel.loop_source``
    # finds its :class:`DataAccess`); ``max_items`` then holds the query's declared limit
    # (``take: 5``, ``.limit(PAGE)`` with ``PAGE = 10``) when it has one
    iterates_model: str = ""
    source_line: int = 0


#: ``Loop.iterates`` values: rows of a query, a request array, bounded by construction.
LOOP_SOURCES = frozenset({"query", "request", "bounded"})


@dataclass(frozen=True, slots=True)
class InputLimit(Fact):
    """A declared maximum of a request field in a validation schema, for rules to join by field
    name across files.

    ``measure`` says what is bounded: ``items``, a list's length (zod/yup/Joi
    ``array().max(50)``, class-validator ``@ArrayMaxSize(50)``, pydantic
    ``Field(max_length=50)`` / ``conlist(Item, max_length=50)``, DRF ``ListField(max_length=50)``)
    or ``value``, a number's maximum (zod ``z.number().max(100)`` / ``.lte(100)``, Joi/yup
    ``number().max(100)``, class-validator ``@Max(100)``, a JSON-schema/TypeBox ``maximum: 100``,
    pydantic ``Field(le=100)`` / ``conint(le=100)``, FastAPI ``Query(le=100)``, DRF
    ``IntegerField(max_value=100)``, marshmallow ``Range(max=100)``, a DRF pagination class's
    ``max_page_size`` / ``max_limit`` for its page-size parameter). ``lt=101`` is recorded as
    ``100``. ``name``: the field as the request spells it (an ``alias=`` when given);
    ``schema``: the class, variable or route function that declares it (``""`` when anonymous);
    ``library``: zod | yup | joi | class-validator | json-schema | pydantic | fastapi | drf |
    marshmallow."""

    name: str
    maximum: int
    schema: str = ""
    library: str = ""
    measure: str = "items"


@dataclass(frozen=True, slots=True)
class LimitInput:
    """Where a query's ``param`` limit comes from (:attr:`DataAccess.limit_input`), traced
    through the local data flow of its function; the same shape says where a searched text
    comes from (:attr:`PatternSearch.value`).

    ``source``: ``request`` (the query string, body, path or GraphQL/tRPC arguments of the
    request, read in the query's function or a function around it: ``req.query.limit``,
    ``searchParams.get("limit")``, a Nest ``@Query("limit")`` parameter, a FastAPI query
    parameter, ``request.GET.get("limit")``) | ``parameter`` (a parameter of ``function_id``,
    whose callers' :class:`RequestArg` facts say whether they pass request input).
    ``field``: the request field (``limit``, ``pageSize``), or the parameter's name;
    ``position`` / ``key``: for a parameter, its index in :attr:`Function.params` and the key
    read from it (``options.limit``, ``{ limit }``; ``""`` for the parameter itself);
    ``schema``: the class or variable validating that input when visible (``ListQuery``),
    ``via``: how it is validated (zod | joi | yup | class-validator | fastapi | pydantic |
    ``""`` for raw input), for the fix; ``text``: the expression that reads the request (or the
    parameter), shortened, and ``line`` its line in the query's file: the queries one read
    sizes share it."""

    source: str
    field: str = ""
    position: int = -1
    key: str = ""
    schema: str = ""
    via: str = ""
    function_id: str | None = None
    text: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class PatternSearch:
    """A column a query searches by a pattern whose start is a wildcard
    (:attr:`DataAccess.searches`): Prisma ``contains`` / ``endsWith``, Sequelize
    ``[Op.iLike]: `%${q}%``` / ``[Op.substring]``, TypeORM ``ILike('%...%')``, Drizzle and Knex
    ``ilike``/``like`` with ``%${q}%``, Supabase ``.ilike()``, Django ``__icontains`` /
    ``__endswith``, SQLAlchemy ``.ilike(f"%{q}%")`` / ``.contains(q)``, raw SQL ``LIKE '%' || $1
    || '%'`` or ``ILIKE $1`` bound to ``%q%``. No b-tree index serves such a pattern.

    ``operator``: the operator as written (``contains``, ``icontains``, ``ILIKE``, ``like``,
    ``endsWith``), with `` insensitive`` appended for Prisma's ``mode: 'insensitive'``;
    ``value``: where the searched text comes from when the extractor traced it (the request, or
    a parameter of the query's function; the same shape as a limit's origin), ``None`` for a
    literal pattern or one not traced."""

    column: str
    operator: str
    value: LimitInput | None = None


@dataclass(frozen=True, slots=True)
class RequestArg(Fact):
    """A call that hands request input to another function: ``this.items.list(query.limit)``,
    ``service.page({ take })``, ``crud.get_items(db, limit=limit)`` in a handler whose
    ``limit`` is a query parameter. One fact per argument (or object-literal property) that
    traces to the request; a value clamped or compared against a maximum first is not request
    input any more.

    ``call``: the callee as :attr:`Function.calls` names it; ``function_id``: the caller;
    ``position``: the argument index (``-1`` for a keyword argument); ``key``: the keyword or
    object-literal key it is passed under (``""`` for the argument itself); ``field`` /
    ``schema`` / ``via`` / ``text``: as in :class:`LimitInput` (``field`` is ``""`` when the
    whole request body, query or DTO is passed)."""

    call: Call
    function_id: str | None
    position: int
    key: str = ""
    field: str = ""
    schema: str = ""
    via: str = ""
    text: str = ""


@dataclass(frozen=True, slots=True)
class PageSizeParam(Fact):
    """A pagination policy that lets the request choose the page size: a DRF pagination class
    with ``page_size_query_param`` (PageNumberPagination, CursorPagination) or a
    ``LimitOffsetPagination`` (``?limit=`` is on by default). Its maximum, when declared, is an
    :class:`InputLimit` (``max_page_size`` / ``max_limit``) with this ``name`` as schema.

    ``name``: the class (or the library class named in settings); ``param``: the request
    parameter (``page_size``, ``limit``); ``bases``: base classes as written, so a maximum
    declared on a base class counts; ``library``: drf; ``used``: where it applies when this
    fact records a use rather than a definition (``pagination_class = X`` on a view, or the
    ``DEFAULT_PAGINATION_CLASS`` setting): the view class or ``settings``, else ``""``."""

    name: str
    param: str = ""
    bases: tuple[str, ...] = ()
    library: str = "drf"
    used: str = ""


# --------------------------------------------------------------------------- data access


@dataclass(frozen=True, slots=True)
class DataAccess(Fact):
    """One database operation as written in code.

    ``kind``: read-many | read-one | count | aggregate | write | delete | raw.
    ``has_limit``: a take/limit/first/slice/pagination bound is applied (``None`` = unknown).
    ``include_depth``: nesting depth of eager-loaded relations (include/populate/joinedload...);
    ``include_paths`` the dotted relation paths. ``selects_all``: no projection restricts columns.
    ``in_transaction``: inside a transaction callback/block; ``loop``: innermost iteration
    around it within the same function (``None`` when not iterated).
    ``batched``: the ORM batches this per-item access (Prisma fluent ``findUnique`` in a loop is
    batched by the dataloader, for instance), so a loop around it is not an N+1.
    """

    orm: str
    model: str | None
    operation: str
    kind: str
    filter_fields: tuple[str, ...] = ()
    sort_fields: tuple[str, ...] = ()
    has_limit: bool | None = None
    include_depth: int = 0
    include_paths: tuple[str, ...] = ()
    selects_all: bool = True
    loop: Loop | None = None
    function_id: str | None = None
    in_transaction: bool = False
    batched: bool = False
    # an offset/page/cursor bound is applied (skip, offset, cursor, range, page), i.e. the
    # query serves one page of a paginated listing
    paginated: bool = False
    # reached through a parent's relation (Django ``payment.transactions.filter(...)``): the
    # query also filters on the relation's foreign key, which is not in ``filter_fields``
    via_relation: bool = False
    # --- query shape (what the code already does; rules read these, never the source text)
    # ``aggregate``: what a non-list read computes: count | sum | avg | min | max | exists |
    # group (GROUP BY / ``groupBy`` / ``values().annotate()``: one row per group) | constant
    # (``SELECT 1``, a health check); "" for a plain row read
    aggregate: str = ""
    # how the limit is bounded: literal (``limit(50)``) | clamped (``Math.min(n, 100)``,
    # ``min(n, 100)``, ``clamp``) | param (an expression whose bound is not visible) | "" (no
    # limit, or not a list); ``limit_floor``: False when a clamped limit has no lower bound
    # (``Math.min(n, 100)`` lets ``-1`` through, which SQLite reads as "no limit")
    limit_bound: str = ""
    limit_floor: bool | None = None
    # the most rows the query returns when the code shows it: a literal or constant limit
    # (``take: 5``, ``.limit(PAGE)`` with ``PAGE = 20``), a clamp's upper bound
    # (``Math.min(n, 100)``), a slice (``[:20]``); ``None`` = not shown
    limit_max: int | None = None
    # for a ``param`` limit, where its value comes from when the extractor traced it (the
    # request, or a parameter of the function whose callers may pass request input)
    limit_input: LimitInput | None = None
    # the page query fetches one row more than it returns (``take: limit + 1``): it knows
    # whether a next page exists without counting
    peeks_next: bool = False
    # an ``IN`` list filter whose values come from a bounded source (ids of a ``.limit(10)``
    # query, a ``.slice(0, n)``, a literal list): the result is bounded by that list
    in_list_bounded: bool = False
    # columns of ``filter_fields`` compared with an ``IN`` list (many values, not one parent)
    in_fields: tuple[str, ...] = ()
    # a filter is applied that the extractor could not resolve to column names (a variable
    # filter object, a spread, conditions built from a list, a builder refined elsewhere)
    opaque_filter: bool = False
    # columns of ``filter_fields`` compared by a range (gt/lt/between/``__gte``), not equality
    range_fields: tuple[str, ...] = ()
    # join conditions as (local column, joined column) pairs as written, ``("posts.authorId",
    # "users.id")``: never filter columns
    join_keys: tuple[tuple[str, str], ...] = ()
    # filters carried by a required include / inner join / relation filter, as
    # ``relation.column`` (``author.id``, ``tags.name``): the query is filtered through the join
    related_filters: tuple[str, ...] = ()
    # how eager-loaded relations are fetched: join (one query, rows multiply) | separate (one
    # query per level: Django prefetch_related, selectinload, Sequelize ``separate: true``) | ""
    include_strategy: str = ""
    # the query runs inside a loader callback handed to a cache (``cache.wrap(key, () => ...)``,
    # ``cache.get_or_set(key, lambda: ...)``): on a miss, not on every request
    in_cache_loader: bool = False
    # --- write shape (scan depth: writes per item, write on read, pool deadlock)
    # one call writes many rows (``createMany``, ``bulkCreate``, ``insertMany``, ``bulk_create``,
    # ``bulk_update``, ``executemany``): in a loop it is one statement per chunk, not per item
    bulk: bool = False
    # the call sits under a condition within its function (an ``if``/``else`` branch, a
    # ternary, ``&&``/``||``/``??``, a ``catch``/``except`` clause, a ``switch``/``match`` case),
    # so it need not run on every call of the function
    conditional: bool = False
    # the request methods the call runs for when a test of the request method around it (in
    # its function or a function it is written in) decides that: ``("POST",)`` under ``if
    # request.method == "POST":`` or after ``if (req.method === "GET") return ...``; ``()``
    # when no such test restricts it. A handler registered for GET and POST runs it on POST only
    methods: tuple[str, ...] = ()
    # inside a transaction callback that hands the query a transaction handle (``tx``,
    # ``trx``, ``manager``, ``t``), the call uses neither the handle nor a value derived from
    # it (``tx.user``, ``manager.getRepository(...)``, ``{ transaction: t }``,
    # ``.transacting(trx)``): it runs on another pooled connection while the transaction
    # holds one
    escapes_transaction: bool = False
    # columns of ``filter_fields`` compared only by a predicate a b-tree index on the column
    # cannot narrow to a few rows: a negation (``<>``/``!=``, ``NOT IN``, ``IS NOT NULL``, Prisma
    # ``not``, ``$ne``, ``Not()``, Django ``exclude``) or a substring/suffix/pattern match
    # (``LIKE '%x%'``, ``contains``, ``endsWith``, ``$regex``), or ``IS NULL`` on a soft-delete
    # column (see ``soft_delete_fields``)
    unselective_fields: tuple[str, ...] = ()
    # columns of ``unselective_fields`` compared only by ``IS NULL`` whose name marks soft
    # deletion or archival (``deletedAt: null``, ``deleted_at__isnull=True``,
    # ``isNull(t.deletedAt)``, ``IsNull()``, ``.is_(None)``): the filter keeps the live rows,
    # most of the table, so no index should lead with it and it is no reason for a finding
    soft_delete_fields: tuple[str, ...] = ()
    # columns of ``filter_fields`` compared only inside an OR whose branches compare different
    # columns (``OR: [{ a }, { b }]``, ``or_(T.a == x, T.b == y)``): an index on one of them
    # alone does not serve the query
    or_fields: tuple[str, ...] = ()
    # columns searched by a pattern that starts with a wildcard (a substring or suffix
    # search: ``contains``, ``LIKE '%x%'``, ``__icontains``), with where the searched text
    # comes from; also listed in ``filter_fields`` and, unless compared selectively too, in
    # ``unselective_fields``
    searches: tuple[PatternSearch, ...] = ()
    # a write of one row the code loaded first, through the row itself or a session
    # (``row.save()``, ``row.destroy()``, Django ``obj.delete()``, SQLAlchemy
    # ``session.delete(obj)`` or ``obj.status = ...``), recognised through the query that
    # loaded it: the rows a table loses or rewrites (SC-DB-015). The per-item and read-path
    # write rules (SC-DB-009, SC-DB-011) were measured without these and skip them
    row_write: bool = False
    # for a count (``kind == "count"`` or ``aggregate == "count"``), what its result feeds in
    # the same function: identifier (the count plus a number, ``n + 1``: the next number of a
    # sequence), limit (compared with a bound other than 0 or 1: a quota or availability
    # check), returned (the function's result or the response body: a badge, a total) or ""
    count_use: str = ""
    # for a count that feeds an identifier or a limit, what already serialises it against a
    # concurrent request: lock (a locking read, an advisory or application lock in its
    # function or transaction) | isolation (a serializable transaction) | ""
    count_guard: str = ""


@dataclass(frozen=True, slots=True)
class Transaction(Fact):
    """A transaction block/callback (``prisma.$transaction(async tx => ...)``,
    ``with session.begin():``, ``transaction.atomic``). ``body`` spans the block.
    ``handle``: the callback's transaction parameter as written (``tx``, ``trx``, ``manager``;
    ``""`` when the callback takes none or the block is not a callback); ``client``: the
    receiver the transaction was opened on (``prisma``, ``this.dataSource``)."""

    orm: str
    body: Loc
    function_id: str | None = None
    handle: str = ""
    client: str = ""


@dataclass(frozen=True, slots=True)
class ReadModifyWrite(Fact):
    """A column value read from the database, changed in application code and written back
    (``loc``: the write): ``p = findUnique(...)`` then ``update({ data: { stock: p.stock -
    qty } })``, ``p.stock -= qty; p.save()``, ``acct.balance = acct.balance - x;
    session.commit()``, ``UPDATE t SET stock = $1`` with ``row.stock - qty`` as the value.

    ``form``: ``absolute`` (an update call writes the value computed in code), ``save`` (the row
    object's attribute is changed, then the object is saved or its session committed) or
    ``check`` (the code compares the value it read, then runs an atomic decrement, or an
    increment past a checked limit, of that column whose ``WHERE`` does not repeat the
    comparison: the check does not hold under concurrency). ``field``: the column as code names
    it; ``op``: the change, ``-`` or ``+``; ``read``: the read; ``modify``: the arithmetic or
    attribute assignment when it is not inside the write itself; ``check``: a comparison of the
    read value before the write (``if (p.stock < qty)``), else ``None``; ``same_row``: the
    write's target is shown to be the row read (an instance save, a filter on the read row's key
    or on the read's own filter values). ``protection`` is what already prevents the race,
    ``""`` when nothing visible does: ``lock`` (a locking read or lock in the function: ``FOR
    UPDATE``, ``select_for_update``, ``with_for_update``, ``lock:``/``setLock``/``forUpdate``,
    an advisory or application lock), ``isolation`` (a serializable or repeatable-read
    transaction), ``conditional`` (the write's ``WHERE`` repeats the column or a version
    column), ``session`` (a MongoDB transaction or session, whose writes conflict);
    ``protection_line`` where it shows, 0 when none."""

    orm: str
    model: str | None
    field: str
    op: str
    read: Loc
    form: str = "absolute"
    modify: Loc | None = None
    check: Loc | None = None
    same_row: bool = True
    protection: str = ""
    protection_line: int = 0
    function_id: str | None = None
    in_transaction: bool = False
    # for messages, as code writes them: the column read (``product.stock``,
    # ``rows[0].balance``), the written value or change (``product.stock - qty``, ``p.stock
    # -= qty``), and the read and write calls (``prisma.product.findUnique()``,
    # ``db.commit()``)
    column_text: str = ""
    value: str = ""
    read_call: str = ""
    write_call: str = ""
    # the read picks the first row of an ordering (``findFirst({ orderBy: { position: "desc" } })``,
    # ``order_by("-position").first()``): the highest or latest row, not one row by its key
    read_ordered: bool = False


#: :attr:`ReadModifyWrite.form` values
RMW_FORMS = frozenset({"absolute", "save", "check"})


@dataclass(frozen=True, slots=True)
class CheckThenInsert(Fact):
    """A read that checks whether a row with some values exists, a branch on its result, and
    an insert of a row with those values into the same table (``loc``: the insert):
    ``if (await prisma.user.findUnique({ where: { email } })) throw ...; await
    prisma.user.create({ data: { email } })``, ``if User.objects.filter(email=e).exists():
    return ...; User.objects.create(email=e)``, or the insert inside the "not found" branch
    (``if not existing: session.add(User(email=e))``, ``except User.DoesNotExist:``).

    ``columns``: the columns the read compares by equality, as the read names them, every one
    of them set by the insert (a soft-delete ``IS NULL`` filter is left out); ``read``: the
    read; ``branch``: the ``if`` (or ``except``) that decides on its result; ``read_kind``:
    ``row`` | ``count`` | ``exists``. Upserts, ``ON CONFLICT``/``INSERT IGNORE`` inserts and
    get-or-create helpers are never recorded. ``protection`` is what already serialises the
    check and the insert, ``""`` when nothing visible does: ``lock`` (a locking read, an
    advisory or application lock around them, as :class:`ReadModifyWrite` reads it) or
    ``isolation`` (a serializable transaction); ``protection_line`` where it shows."""

    orm: str
    model: str | None
    read: Loc
    columns: tuple[str, ...]
    branch: Loc
    read_kind: str = "row"
    protection: str = ""
    protection_line: int = 0
    function_id: str | None = None
    in_transaction: bool = False
    # the read and insert calls as written, for messages (``prisma.user.findUnique()``)
    read_call: str = ""
    write_call: str = ""


@dataclass(frozen=True, slots=True)
class SlowCall(Fact):
    """Work that is slow or unbounded when done inside a request or a transaction.

    ``kind``: http | email | sleep | subprocess | file-io | image | pdf | crypto | export.
    ``target``: the callee as written (``axios.post``, ``requests.get``, ``sendMail``).
    ``has_timeout``: for http calls, whether a timeout option is passed (``None`` = unknown).
    """

    kind: str
    target: str
    function_id: str | None = None
    in_transaction: bool = False
    loop: Loop | None = None
    has_timeout: bool | None = None


@dataclass(frozen=True, slots=True)
class DbClient(Fact):
    """A database client/pool/engine construction (or settings block) and how it is tuned.

    ``pool_max``: configured maximum pool size when a literal is visible; ``pool_options`` /
    ``timeout_options``: names of pool- and timeout-related options that are set (including
    URL parameters such as ``connection_limit`` found for the URL it uses).
    ``url_env``: environment variable that carries the URL, when visible.
    ``serverless``: a pooler/HTTP driver that needs no app-side pool (Neon HTTP, PlanetScale,
    Supabase REST, Prisma Accelerate/Data Proxy, pgbouncer URL).
    """

    library: str
    options: Options = ()
    pool_max: int | None = None
    pool_options: tuple[str, ...] = ()
    timeout_options: tuple[str, ...] = ()
    url_env: str | None = None
    serverless: bool = False
    function_id: str | None = None
    # ``kind``: pool | client (one connection, e.g. pg ``new Client``) | settings (Django
    # DATABASES) | datasource (Prisma ``datasource`` block: the URL, not a client).
    kind: str = "pool"
    # iteration around the construction in its function (a client created per item)
    loop: Loop | None = None
    # the construction is memoised (assigned to a global/module/``this`` slot, ``??=``, guarded
    # by ``if (!x)``, ``@lru_cache``): calling its function does not create a client every time.
    cached: bool = False
    # the pool is only handed to a library as an option (``run({ pgPool: pool })`` of a job
    # queue, ``new PgSession({ pool })`` of a session store): the option's key as written; the
    # application runs no query of its own on it. ``""`` when the code uses it (or says nothing)
    handed_to: str = ""
    # the connection target as written (``env.HYPERDRIVE.connectionString``, ``url``,
    # ``process.env.DATABASE_URL``): the URL argument or option; ``""`` when none is visible
    target: str = ""


# --------------------------------------------------------------------------- schema


@dataclass(frozen=True, slots=True)
class Column:
    """A column/field of a table or model; ``db_name`` is the column name in the database."""

    name: str
    line: int
    db_name: str = ""
    type: str = ""
    primary_key: bool = False
    unique: bool = False
    indexed: bool = False
    references: str = ""  # "Table.column" / model name for relations and foreign keys
    is_relation: bool = False  # a relation field (no column of its own), e.g. Prisma `posts Post[]`
    # how many values the schema lets the column hold, when it declares them (an enum's or a
    # choices list's members; 0 when open or unknown); ``enum``: the name of the enum type
    # declared elsewhere that lists them (a TS ``enum``, a Python ``Enum``, a Prisma ``enum``,
    # a ``pgEnum``, ``CREATE TYPE ... AS ENUM``), resolved by :class:`EnumType` facts
    values: int = 0
    enum: str = ""
    # the referential action when the referenced row is deleted, lower-case as declared
    # (``cascade``, ``set null``, ``restrict``, ``no action``; Prisma ``onDelete: Cascade``,
    # TypeORM/Sequelize/Drizzle ``onDelete``, Django ``on_delete=models.CASCADE``, SQLAlchemy
    # ``ForeignKey(..., ondelete=)``, SQL ``ON DELETE CASCADE``); ``""`` when not declared
    on_delete: str = ""


@dataclass(frozen=True, slots=True)
class Index:
    """An index (or unique/PK constraint) over ordered columns.

    ``method``: the index's access method, lower-case, when it is not a plain b-tree
    (``gin``, ``gist``, ``hash``, ``brin``, ``spgist``; ``fulltext`` for a MySQL ``FULLTEXT``
    index); ``""`` = the default (b-tree). ``opclasses``: per column, the operator class
    written after it (``gin_trgm_ops``, ``text_pattern_ops``), ``""`` where none; empty when
    no column has one. An expression column (``to_tsvector('english', title)``) is kept as
    written."""

    columns: tuple[str, ...]
    line: int
    unique: bool = False
    name: str = ""
    primary: bool = False
    method: str = ""
    opclasses: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Table(Fact):
    """A table, model, entity or collection definition.

    ``name``: table/collection name in the database; ``model``: the class/model name code uses
    (Prisma model, TypeORM entity, SQLAlchemy/Django model, Mongoose model); ``source``: prisma |
    sql | typeorm | sequelize | sqlalchemy | django | mongoose | drizzle.
    """

    name: str
    source: str
    model: str = ""
    columns: tuple[Column, ...] = ()
    indexes: tuple[Index, ...] = ()
    # default sort order every query of the model gets (Django ``Meta.ordering``), as written:
    # ``("-created_at", "id")``
    ordering: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IndexDef(Fact):
    """An index created outside its table definition (``CREATE INDEX``, migration ops)."""

    table: str
    columns: tuple[str, ...]
    unique: bool = False
    name: str = ""
    source: str = "sql"
    # a partial index's predicate, one condition per ``AND`` term: ``"deletedAt IS NULL"``,
    # ``"col IS NOT NULL"``, or ``"?"`` for any other condition; empty for a full index
    where: tuple[str, ...] = ()
    # access method and operator classes, as on :class:`Index`
    method: str = ""
    opclasses: tuple[str, ...] = ()


#: :attr:`SchemaChange.op` values
SCHEMA_CHANGE_OPS = frozenset(
    {
        "create-table",  # ``columns``: the columns it creates (inline keys are IndexDef facts)
        "add-column",  # ``name``
        "alter-column",  # ``name``: a Django ``AlterField``, which resets the field's own indexes
        "drop-column",  # ``name``
        "drop-table",
        "drop-index",  # ``name`` (``table`` when the statement names it)
        "drop-constraint",  # ``name``
        "rename-table",  # ``table`` -> ``new_name``
        "rename-column",  # ``name`` -> ``new_name`` on ``table``
        "rename-index",  # ``name`` -> ``new_name``
    }
)


@dataclass(frozen=True, slots=True)
class SchemaChange(Fact):
    """A schema step of a migration other than creating an index (those are
    :class:`IndexDef`): a table created (with its columns), a column added, or something
    dropped or renamed. ``op`` is one of :data:`SCHEMA_CHANGE_OPS`; ``table`` as the step
    names it (a Django migration's lower-case model name); ``source`` as for
    :class:`IndexDef`. Steps of a migration's ``down``/``downgrade`` (and SQL ``-- migrate:down``
    sections) are not recorded. Replayed in order by :mod:`scalescope.model.migrations`."""

    op: str
    table: str = ""
    name: str = ""
    new_name: str = ""
    columns: tuple[str, ...] = ()
    source: str = "sql"


@dataclass(frozen=True, slots=True)
class MigrationRevision(Fact):
    """An Alembic revision module: its ``revision`` id and the ids it follows
    (``down_revision``; several for a merge), so migrations can be replayed in order."""

    revision: str
    parents: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Retention(Fact):
    """Something that removes a table's old rows without a ``DELETE`` in application code: a
    MongoDB TTL index (``expireAfterSeconds``, a Mongoose field's ``expires``), a capped
    collection, declarative partitioning (``PARTITION BY`` in DDL, pg_partman
    ``create_parent``), or a TimescaleDB retention policy (``add_retention_policy``,
    ``drop_chunks``).

    ``table``: the table, collection or model as written (``""`` when the code does not name
    it); ``mechanism``: ttl | capped | partition | timescale; ``detail``: the declaration as
    written, shortened."""

    table: str
    mechanism: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class EnumType(Fact):
    """An enumerated type declared in code or schema (a TS ``enum``, a Python ``Enum`` /
    Django ``TextChoices`` class, a Prisma ``enum`` block, a Drizzle ``pgEnum``, ``CREATE TYPE
    ... AS ENUM``): ``name`` as code refers to it, ``members`` how many values it has."""

    name: str
    members: int


# --------------------------------------------------------------------------- caching


@dataclass(frozen=True, slots=True)
class CacheClient(Fact):
    """A Redis/Memcached client or a framework cache backend (Django CACHES, Nest CacheModule)."""

    library: str
    options: Options = ()
    url_env: str | None = None
    function_id: str | None = None


#: :attr:`InProcessCache.evidence` when the only sign of application data is that request data
#: is written into it (a per-IP or per-user map), not I/O results
REQUEST_DATA_EVIDENCE = "stores request data"


@dataclass(frozen=True, slots=True)
class InProcessCache(Fact):
    """A cache living in process memory: module-level Map/dict used as cache, lru-cache,
    node-cache, cachetools, functools.lru_cache, Django LocMemCache...

    ``name``: variable or function name; ``bounded``: a max size is set; ``has_ttl``: entries
    expire; ``module_scope``: shared by all requests of the process.
    """

    kind: str
    name: str
    bounded: bool = False
    has_ttl: bool = False
    module_scope: bool = True
    function_id: str | None = None
    # functions that read or write the cache (for a decorated function: the function itself)
    used_in: tuple[str, ...] = ()
    # what shows it holds I/O results or request data, as seen in the file (``awaits db call``)
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class CacheOp(Fact):
    """An operation on a shared cache (Redis, cache-manager, Django cache...).

    ``op``: get | set | del | keys | scan | del-pattern | flush | expire | incr | mget | other.
    ``command``: method as written (``setex``, ``delPattern``, ``cache_page``). ``key``: key
    expression source text. ``has_ttl``: whether the write sets an expiry (``None`` for reads).
    ``client``: receiver as written (``redis``, ``this.cache``).
    """

    library: str
    op: str
    command: str
    key: str = ""
    has_ttl: bool | None = None
    client: str = ""
    function_id: str | None = None
    loop: Loop | None = None
    # a write with no explicit expiry that gets the backend's default (Django TIMEOUT,
    # CacheModule ttl, Flask CACHE_DEFAULT_TIMEOUT): rules look the default up
    uses_default_ttl: bool = False
    value: str = ""  # source text of the written value (writes only)


@dataclass(frozen=True, slots=True)
class CachedRoute(Fact):
    """A response cache applied to a route (``@cache_page``, ``CacheInterceptor``,
    ``@cache.cached``, apicache middleware...). ``key`` is the key expression when one is
    given; ``varies_on_user``: the key or decorator varies by user/auth/cookie."""

    mechanism: str
    route_loc: Loc | None = None
    key: str = ""
    varies_on_user: bool | None = None
    function_id: str | None = None


# --------------------------------------------------------------------------- deployment & config


@dataclass(frozen=True, slots=True)
class Service(Fact):
    """A deployable service from docker-compose or Kubernetes (or a Procfile/fly/render file).

    ``replicas``: explicit replica count (``None`` when unset); ``autoscale_max``: HPA max.
    """

    name: str
    source: str  # compose | k8s | procfile | other
    image: str = ""
    command: str = ""
    replicas: int | None = None
    autoscale_max: int | None = None
    environment: Options = ()
    has_healthcheck: bool = False
    resources: Options = ()
    # folder (relative to the scanned root) holding the code the service builds or runs:
    # a compose ``build`` context (or its Dockerfile's folder), "." for the root, "" = not known
    code_dir: str = ""
    # why this service only runs in development ("" = production): a dev compose file name,
    # a bind mount of the source with a dev command, a devcontainer
    dev_reason: str = ""


@dataclass(frozen=True, slots=True)
class PlatformBinding(Fact):
    """A resource a serverless platform's configuration hands the code by name in its ``env``:
    a Cloudflare ``wrangler.toml``/``wrangler.json(c)`` ``hyperdrive`` entry (``kind=
    "hyperdrive"``, a managed PostgreSQL connection pooler; ``name``: its ``binding``, such as
    ``HYPERDRIVE``, read as ``env.HYPERDRIVE.connectionString``)."""

    kind: str
    name: str


@dataclass(frozen=True, slots=True)
class RedisConfig(Fact):
    """Settings of a Redis server the project runs: from redis.conf, a compose ``command``, a
    k8s manifest or Helm values. ``maxmemory`` / ``policy`` are ``None`` when not set."""

    source: str
    service: str = ""
    maxmemory: str | None = None
    policy: str | None = None


@dataclass(frozen=True, slots=True)
class EnvVar(Fact):
    """A variable in an .env example/compose environment. ``value`` is kept for analysis
    (URL parameters) and must never be rendered: use :func:`scalescope.redact.redact`."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class ConditionalStarImport(Fact):
    """A Python ``from module import *`` under an ``if``/``else`` or a ``try`` (``if TARGET_ENV
    == "local": from .base_local import * else: from .base_ec2 import *``): which module it binds
    depends on the branch that runs, so it is no import edge; the roles read it with the
    environment guard around it. ``module`` as written."""

    module: str


@dataclass(frozen=True, slots=True)
class LockedVersion(Fact):
    """The version a lock file (``Pipfile.lock``, ``poetry.lock``, ``uv.lock``) installs for a
    dependency whose version changes advice (Django's own pool needs 5.1+), where the manifest
    may only say ``django = ">=4.2"``. ``scope``: production | dev, as for :class:`StackItem`."""

    name: str
    version: str
    scope: str = "production"


@dataclass(frozen=True, slots=True)
class WorkerProcesses(Fact):
    """How many app processes one instance runs (gunicorn -w, uvicorn --workers, PM2
    instances, node cluster). ``count`` is ``None`` when set dynamically (``max``, cpu count).
    ``concurrency``: the requests one process serves at once, where the command or config
    module says it (gunicorn's sync worker: 1; ``--threads 4``: 4); ``None`` when unknown or
    unbounded (gevent, an async worker, a config module the command loads)."""

    server: str
    count: int | None = None
    concurrency: int | None = None


@dataclass(frozen=True, slots=True)
class Suppression(Fact):
    """An inline ``scalescope: ignore[RULE, ...] reason`` comment. Empty ``rules`` = bare."""

    rules: tuple[str, ...] = ()
    reason: str = ""
    applies_to: tuple[int, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class DbSetting(Fact):
    """A database server/role/session setting the project applies outside a client's options:
    ``ALTER ROLE app SET statement_timeout = '5s'`` in a SQL migration (``scope="role"``),
    ``ALTER DATABASE`` (``database``), ``postgres -c statement_timeout=...`` in a compose or k8s
    command (``server``), ``SET statement_timeout`` run by code (``session``; ``function_id``
    names where), ``SET LOCAL statement_timeout`` (``transaction``: until the transaction
    ends). ``name`` is the lower-cased setting name; ``value`` as written."""

    scope: str
    name: str
    value: str = ""
    function_id: str | None = None
    # the client library whose connections run it (``pg`` for a ``pool.on('connect')`` hook,
    # ``prisma`` for ``$executeRaw``, ``sqlalchemy`` for a ``connect`` event); ``""`` = unknown
    library: str = ""


@dataclass(frozen=True, slots=True)
class GraphQLListType(Fact):
    """A GraphQL object type some field returns as a list or connection (``[Product!]!``,
    ``graphene.List(ProductType)``, ``@Field(() => [Product])``, ``list[Product]``, a
    connection whose ``node`` is the type). Field resolvers of such a type run once per element
    of every list it appears in. ``name`` is the type as written there: the GraphQL name or
    the class that defines it."""

    name: str


# --------------------------------------------------------------------------- what is mounted


@dataclass(frozen=True, slots=True)
class RouterDecl(Fact):
    """Something routes are registered on: an app, a router, a plugin function's instance
    parameter, a Nest module or controller, a Django URLconf.

    ``key`` names it in its file (what :attr:`Route.receiver` and :attr:`Mount.parent` say);
    ``names`` are the names other code reaches it by: its variable, the names it is exported
    under (``default`` for ``export default`` / ``module.exports =``), the function that creates
    it or takes it as a parameter. ``kind``: app | router | plugin | module | controller |
    urlconf. ``entry``: an application root (``express()``, ``Fastify()``, ``new Koa()``,
    ``FastAPI()``, ``Flask()``, the app ``NestFactory.create`` makes, ``ROOT_URLCONF``).
    ``prefix``: its own path prefix (``APIRouter(prefix=)``, ``Blueprint(url_prefix=)``, Koa
    ``new Router({ prefix })``), already part of the paths of routes registered on it in its
    own file.
    """

    framework: str
    key: str
    kind: str
    names: tuple[str, ...] = ()
    entry: bool = False
    prefix: str = ""
    function_id: str | None = None


@dataclass(frozen=True, slots=True)
class Mount(Fact):
    """``parent`` (a :class:`RouterDecl` key of this file, or ``""`` for the file as a whole)
    mounts ``child`` under ``prefix``: ``app.use('/api', router)``, ``fastify.register(plugin,
    { prefix })``, ``app.use(router.routes())``, ``registerRoutes(app)``, Nest ``imports`` /
    ``controllers``, ``include_router``, ``register_blueprint``, Django ``include()``.

    ``child`` is the reference as written, reduced to a name (``usersRouter``,
    ``users.router``, ``createRouter`` for ``createRouter()``); when the child is a module
    specifier (``require('./users')``, ``include('api.urls')``), ``module`` holds it and
    ``child`` the name taken from it (``default``, ``router``, or ``""`` for the module itself).
    ``dynamic``: the child is computed at run time (a folder autoloaded or required in a loop);
    ``module`` is then the folder. ``loc`` is the registration call itself, so a mount under an
    environment guard can be told apart.
    """

    framework: str
    parent: str
    child: str
    module: str = ""
    prefix: str = ""
    dynamic: bool = False
    function_id: str | None = None


@dataclass(frozen=True, slots=True)
class Export(Fact):
    """A re-export: this file exports ``name`` (``*`` for ``export *``), bound to ``local`` of
    ``module`` (``export { default as users } from './users'``, ``module.exports =
    require('./x')``, ``module.exports = { users: require('./users') }``)."""

    name: str
    local: str
    module: str


# --------------------------------------------------------------------------- what runs


@dataclass(frozen=True, slots=True)
class EntryPoint(Fact):
    """A way the project's own configuration starts code: a package.json ``main`` or script,
    a Dockerfile/compose/Procfile command, a pyproject console script, alembic's
    ``script_location``.

    ``source``: package.json | dockerfile | compose | procfile | pyproject | alembic.
    ``name``: the script/service name (``start``, ``seed``, ``main``, ``web``).
    ``command``: as written (redacted by renderers if ever shown). ``role``: what running it
    means: production | dev-only | test | tooling | migration. ``targets``: the files or
    modules it names, relative to the folder of the file that declares it (``dist/main.js``,
    ``src/seed.ts``, ``app.main``, ``npm:migrate`` for another script of the same file).
    """

    source: str
    name: str
    command: str
    role: str
    targets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ModuleAliases(Fact):
    """How a tsconfig.json/jsconfig.json maps module specifiers to the project's files.

    ``base_url``: ``compilerOptions.baseUrl`` as a folder relative to the scanned root (``.``
    for the root; ``""`` when unset). ``paths``: ``compilerOptions.paths`` as ``(pattern,
    (target, ...))`` with targets relative to the scanned root (``("@/*", ("src/*",))``).
    ``extends``: the configurations it extends, as written (``../../tsconfig.base.json``,
    ``@acme/tsconfig/base.json``).
    """

    base_url: str = ""
    paths: tuple[tuple[str, tuple[str, ...]], ...] = ()
    extends: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SettingsModule(Fact):
    """A Python settings module: module-level Django/Flask settings (``DATABASES``,
    ``INSTALLED_APPS``, ``SECRET_KEY``, ``SQLALCHEMY_DATABASE_URI``...) or ``from base import *``
    followed by its own ``DEBUG``.

    ``debug``: its own module-level ``DEBUG``: ``true`` when every assignment is the literal
    ``True`` at module level and nothing after it can override it (no later ``from x import
    *``), ``false`` for the literal ``False``, ``dynamic`` otherwise (read from the environment,
    computed, under an ``if``, overridable), ``""`` when it sets none. ``loc``: the first
    ``DEBUG`` assignment (the first setting when there is none). ``star_imports``: the modules
    it star-imports unconditionally at module level, as written (``from .dev import *`` ->
    ``.dev``); one imported under an ``if`` or a ``try`` is left out (an optional override).
    ``assigns``: the settings it assigns at module level, under an ``if`` or ``try`` too
    (``DATABASES``, ``CACHES``, ``SESSION_ENGINE``...), sorted: what a settings file included
    after it replaces. ``star_lines``: the lines of every module-level ``from x import *``,
    under an ``if`` or ``try`` too (``try: from settings_local import *``): one after a setting
    may replace it.
    """

    debug: str
    star_imports: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    star_lines: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class SettingsInclude(Fact):
    """django-split-settings composing one settings module from files: ``include('base.py',
    'environments/%s.py' % ENV, optional('local.py'))`` runs each file in the including module's
    namespace in order, so a setting a later file assigns replaces an earlier file's.
    ``components``: the file names the module lists for it, in the order they appear (string
    arguments, ``optional(...)`` arguments and the strings of a list passed as ``*name``,
    appended to or not), as written, relative to the including module's folder; a glob
    (``components/*.py``) is kept as such. A name built at run time is left out.
    ``branches``: for each component, the ``if`` branches it is added under, outermost first
    (``"<if line>:<branch line>"`` joined by ``/``, ``""`` when unconditional): two components
    added in different branches of one ``if`` are alternatives, not one after the other."""

    components: tuple[str, ...]
    branches: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EnvGuard(Fact):
    """A block that runs only in one environment: ``if (process.env.NODE_ENV ===
    'development') {...}``, ``if settings.DEBUG:``, the ``else`` of such a test (inverted).
    ``loc`` spans the guarded block; ``runs_in``: development | production | test;
    ``condition``: the test as written (shortened)."""

    runs_in: str
    condition: str


@dataclass(frozen=True, slots=True)
class AdminGuard(Fact):
    """A function that ends the request as forbidden unless the caller is an admin, staff or
    moderator, at the top of its body (``if (!user.isAdmin) return res.status(403)...``,
    ``if not current_user.is_admin: abort(403)``): a route it handles is an admin route."""

    function_id: str
    condition: str


@dataclass(frozen=True, slots=True)
class SessionStore(Fact):
    """Where a server-side session middleware keeps its sessions.

    ``library``: express-session | @fastify/session | koa-generic-session | flask-session |
    django | fastapi-sessions. ``backend``: the store as written or the library's default
    (``MemoryStore``, ``filesystem``, ``cache``). ``scope``: process (sessions live in one
    process's memory) | machine (files on one machine's disk) | shared (a database, Redis...).
    ``prunes``: the store drops expired sessions by itself (``memorystore``, LocMemCache's
    ``MAX_ENTRIES``); ``default``: the backend was not written, it is the library's default.
    ``cache_alias``: for Django cache-backed sessions, the ``CACHES`` alias they use (the rule
    decides from the cache facts whether that cache is in process memory). ``condition``: the
    ``if`` a setting is assigned under (an option of the deployment, not what always runs).
    """

    library: str
    backend: str
    scope: str = "process"
    prunes: bool = False
    default: bool = False
    cache_alias: str = ""
    condition: str = ""


@dataclass(frozen=True, slots=True)
class CollectionWrite(Fact):
    """A write that grows a module-level collection (``Map``/``Set``/array/``{}``, ``dict``/
    ``list``/``set``) from inside a function, with a key or value from that function's input
    (its parameters or the request), where the file never deletes from, clears, prunes or
    size-checks that collection.

    ``loc``: the write; ``decl``: the declaration; ``kind``: map | set | array | object | dict |
    list; ``op``: the write as written (``set``, ``push``, ``[key] =``, ``append``);
    ``key``: the key or value expression (shortened); ``function_id``: the writing function;
    ``exported``: the collection is exported, so code in other files may prune it;
    ``timer``: the writing function starts one timer per write (``setTimeout``/``setInterval``,
    ``threading.Timer``), as written, else ``""``.
    """

    name: str
    kind: str
    decl: Loc
    op: str
    key: str = ""
    function_id: str | None = None
    exported: bool = False
    timer: str = ""


@dataclass(frozen=True, slots=True)
class NextSegment(Fact):
    """A Next.js App Router file the framework renders or runs per request: ``page``, ``layout``
    (``app/**/page.tsx``, ``layout.tsx``) or ``route`` (``app/**/route.ts``, its ``GET`` only).

    ``path``: the URL path (route groups and slots dropped); ``handler_ids``: the default export
    (page, layout) or the ``GET`` handler; ``opt_out``: the segment config that turns the
    file's caching off, as written (``dynamic = 'force-dynamic'``, ``revalidate = 0``,
    ``fetchCache = 'force-no-store'``), on line ``opt_out_line``; ``revalidate``: a positive
    ``export const revalidate`` (seconds), else ``None``; ``client``: a ``'use client'`` file;
    ``request_reads``: per-request input the file reads (``searchParams`` props, the route
    handler's request object).
    """

    kind: str
    path: str
    handler_ids: tuple[str, ...] = ()
    opt_out: str = ""
    opt_out_line: int = 0
    revalidate: int | None = None
    client: bool = False
    request_reads: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NextCacheCall(Fact):
    """A call that decides Next.js caching inside a function.

    ``kind``: ``no-store-fetch`` (``fetch(url, { cache: 'no-store' })`` or
    ``{ next: { revalidate: 0 } }``), ``no-store`` (``unstable_noStore()``/``noStore()``,
    ``connection()`` from ``next/server``), ``cached-loader`` (``function_id`` is the callback
    ``unstable_cache(fn, ...)`` caches across requests). ``detail``: the call as written (short).
    """

    kind: str
    function_id: str | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class NextImageConfig(Fact):
    """The built-in image optimizer settings of one ``next.config.{js,mjs,cjs,ts}``: the object
    the file exports (``module.exports =``, ``export default``, through a const of the file,
    plugin wrappers such as ``withBundleAnalyzer(config)`` and a function whose every return
    is that object).

    ``loc``: the ``images`` key (the exported object when it has none). ``min_ttl``:
    ``images.minimumCacheTTL`` in seconds when the file shows its value (a number, arithmetic
    on numbers, a const of the same file), else ``None``; ``ttl_line``: the key's line (0 when
    absent); ``ttl_text``: its value as written. ``optimizer_off``: why the built-in optimizer
    never runs, as written (``unoptimized: true``, ``loader: "cloudinary"``, ``loaderFile``,
    ``output: "export"``), ``"?"`` when one of these settings is an expression the file does
    not settle, else ``""``. ``remote``: the remote-image allow lists written with at least
    one entry (``remotePatterns``, ``domains``). ``complete``: nothing could add settings the
    scan does not see (no spread in the config or its ``images`` object, no later
    ``config.images...`` assignment).
    """

    min_ttl: int | None = None
    ttl_line: int = 0
    ttl_text: str = ""
    optimizer_off: str = ""
    remote: tuple[str, ...] = ()
    complete: bool = True
