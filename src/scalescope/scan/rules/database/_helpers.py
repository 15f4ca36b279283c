"""Shared wording and predicates of the query-shape database rules (N+1, unbounded lists,
per-page counts, deep includes, slow work in transactions). Reads neutral facts only."""

from __future__ import annotations

from collections.abc import Sequence

from scalescope.model.facts import Column, DataAccess, InputLimit, Loop, Route, Table
from scalescope.model.project import ProjectModel

READ_KINDS = frozenset({"read-many", "read-one", "count", "aggregate"})
COMBINED_COUNT_OPS = frozenset(
    {"findandcount", "findandcountby", "findandcountall", "getmanyandcount", "select.count", "paginate"}
)
PYTHON_ORMS = frozenset(
    {
        "sqlalchemy",
        "django",
        "asyncpg",
        "psycopg",
        "psycopg2",
        "tortoise",
        "peewee",
        "sqlmodel",
        "pymongo",
        "motor",
        "beanie",
        "mongoengine",
        "databases",
    }
)

ORM_LABEL = {
    "prisma": "Prisma",
    "typeorm": "TypeORM",
    "sequelize": "Sequelize",
    "knex": "Knex",
    "mongoose": "Mongoose",
    "mongodb": "MongoDB driver",
    "drizzle": "Drizzle",
    "pg": "node-postgres",
    "mysql2": "mysql2",
    "supabase": "Supabase",
    "postgres": "postgres.js",
    "sqlalchemy": "SQLAlchemy",
    "django": "Django ORM",
    "asyncpg": "asyncpg",
    "psycopg": "psycopg",
    "pymongo": "PyMongo",
}

#: route methods that change state: a read reached only from these is a write's working set
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE", "MUTATION", "SUBSCRIPTION"})


def access_text(model: ProjectModel, access: DataAccess) -> str:
    """Source text of the query call (its whole span)."""
    return "\n".join(model.source_lines(access.loc.file)[access.loc.line - 1 : access.loc.end_line])


def orm_label(orm: str) -> str:
    return ORM_LABEL.get(orm, orm)


def is_python(access: DataAccess) -> bool:
    return access.orm in PYTHON_ORMS or access.loc.file.endswith(".py")


def is_read(access: DataAccess) -> bool:
    return access.kind in READ_KINDS or (access.kind == "raw" and access.operation == "select")


def read_kind(access: DataAccess) -> str:
    """What a read returns, for ORM calls and raw SQL alike: ``read-many`` | ``read-one`` |
    ``count`` | ``aggregate``, ``""`` for no read. A raw ``SELECT`` is a ``count`` for
    ``COUNT(...)``, an ``aggregate`` for another aggregate, a ``GROUP BY`` or a constant
    (``SELECT 1``), else a ``read-many`` (its limit, if any, is in ``has_limit``)."""
    if access.kind != "raw":
        return access.kind if access.kind in READ_KINDS else ""
    if access.operation.lower() != "select":
        return ""
    if access.aggregate == "count":
        return "count"
    return "aggregate" if access.aggregate else "read-many"


#: raw SQL statements that change rows
WRITE_STATEMENTS = frozenset({"insert", "update", "delete", "upsert", "merge", "replace"})


def is_write(access: DataAccess) -> bool:
    """An INSERT, UPDATE, DELETE or upsert (ORM call or raw SQL)."""
    if access.kind == "raw":
        return access.operation.lower() in WRITE_STATEMENTS
    return access.kind in {"write", "delete"}


def describe(access: DataAccess) -> str:
    """``prisma user.findMany()`` style label of a query for messages."""
    model = access.model or "?"
    if access.kind == "raw":
        return f"raw {access.operation.upper()} on {model} ({orm_label(access.orm)})"
    return f"{model}.{access.operation}() ({orm_label(access.orm)})"


def route_label(route: Route) -> str:
    return f"{route.display} ({route.loc.file}:{route.loc.line})"


def routes_text(routes: Sequence[Route], limit: int = 2) -> str:
    """``GET /a (f:1), POST /b (f:9) and 3 more`` (deduplicated, in order)."""
    seen: dict[tuple[str, str, str, int], Route] = {}
    for route in routes:
        seen.setdefault((route.method, route.path, route.loc.file, route.loc.line), route)
    unique = list(seen.values())
    text = ", ".join(route_label(r) for r in unique[:limit])
    if len(unique) > limit:
        text += f" and {len(unique) - limit} more"
    return text


def serving_routes(model: ProjectModel, access_function: str | None) -> tuple[Route, ...]:
    return model.routes_reaching(access_function)


def unique_filter(model: ProjectModel, access: DataAccess) -> bool:
    """True when the query filters on a primary key/unique column (or an ``id`` list), so its
    result is bounded by the input rather than by the table."""
    fields = {f.lower() for f in access.filter_fields}
    if fields & {"id", "_id", "pk", "uuid"}:
        return True
    for table in model.find_tables(access.model, near=access):
        for col in table.columns:
            if (col.primary_key or col.unique) and (
                col.name.lower() in fields or (col.db_name and col.db_name.lower() in fields)
            ):
                return True
        # every column of a composite unique key is filtered: ``@@unique([domain, key])``
        for index in table.indexes:
            if (
                (index.unique or index.primary)
                and index.columns
                and {c.lower() for c in index.columns} <= fields
            ):
                return True
    return False


# --------------------------------------------------------------------------- loop size

#: a collection known to hold at most this many items is small enough that one query per item
#: is a latency cost, not a scaling problem (a declared request maximum, a slice, a range)
BOUNDED_MAX = 100
#: a loop over the rows of a query whose declared limit is at most this many rows is over a
#: handful (the rule's small literal list: ``take: 5``, ``.limit(10)``); a listing page (25,
#: 50 rows) stays high: that is the N+1 a list endpoint pays on every request
QUERY_LIMIT_MAX = 10


def input_limits(model: ProjectModel) -> dict[str, list[InputLimit]]:
    """Declared request list maximums by field name."""
    limits: dict[str, list[InputLimit]] = {}
    for limit in model.all(InputLimit):
        if limit.measure != "items":
            continue
        limits.setdefault(limit.name, []).append(limit)
    return limits


def loop_size(
    loop: Loop, limits: dict[str, list[InputLimit]], model: ProjectModel, access: DataAccess
) -> tuple[str, str]:
    """What the loop goes over, for the message, and the confidence its size allows: the rows
    of a query are high (a request list declared with more than 100 items too), unless the
    query reads the children of one parent (``ProjectModel.loop_parent``: equality on a foreign
    key or relation, a relation accessor, not run for each of many parents), whose number is
    that parent's fan-out; a collection
    bounded by construction (or by a declared maximum of the request field), the rows of a
    catalog table (written only by admin routes, seeds or migrations), a request list with no
    declared maximum, and a collection not traced to its source are low, and the text says why.

    The last two were high until measured: judged blind on 14 real backends, loops over request
    lists and over untraced collections were true N+1 problems about one time in three (mentions
    of one comment, labels added in one update, the recipients of one event), against five in
    seven for loops over a query's rows (docs/real-world-trials.md)."""
    text = f"`{loop.iterates_text}`"
    if loop.iterates == "query" and loop.iterates_model:
        growth = model.growth.of(loop.iterates_model, near=access)  # this service's table
        if growth.catalog:
            return (
                f"the rows of `{growth.name}` ({text}), a catalog table (rows are added only by admin "
                "routes, seeds or migrations): N stays small",
                "low",
            )
    if loop.iterates == "bounded" and (loop.max_items is None or loop.max_items <= BOUNDED_MAX):
        return f"{loop.iterates_why} ({text}): bounded by the input, so N stays small", "low"
    if loop.iterates == "request":
        declared = limits.get(loop.request_field, []) if loop.request_field else []
        small = [lim for lim in declared if lim.maximum <= BOUNDED_MAX]
        if small:
            lim = min(small, key=lambda x: (x.maximum, x.loc))
            return (
                f"the request list {text}, declared with at most {lim.maximum} items "
                f"({lim.library} at {lim.loc.file}:{lim.loc.line}): bounded by the input, so N stays small",
                "low",
            )
        if declared:
            lim = max(declared, key=lambda x: (x.maximum, x.loc))
            return (
                f", over the request list {text} (up to {lim.maximum} items, "
                f"{lim.library} at {lim.loc.file}:{lim.loc.line})",
                "high",
            )
        return (
            f"the request list {text}, which declares no maximum: N is what one request sends, "
            "usually a handful (measured: such loops were rarely a problem on real code; "
            "declare a maximum, or batch the lookups if clients send many)",
            "low",
        )
    if loop.iterates == "query" and loop.max_items is not None and loop.max_items <= QUERY_LIMIT_MAX:
        where = f"{access.loc.file}:{loop.source_line}" if loop.source_line else access.loc.file
        return (
            f"at most {loop.max_items} rows ({text}, the query's limit at {where}): "
            "bounded by the query, so N stays small",
            "low",
        )
    if loop.iterates == "query":
        parent = model.loop_parent(access)
        if parent is not None:
            return (
                f"{parent.what} ({text}, {parent.how}): N is that parent's fan-out, usually a "
                "handful to tens, not the table's size",
                "low",
            )
        return f", over {loop.iterates_why or 'the rows of a query'} ({text})", "high"
    # Where the items come from is not traced (a parameter, a set built from a diff, a
    # callback's batch): on real code most such loops went over a handful of items.
    what = text if loop.iterates_text else "a collection"
    return (
        f"{what}, whose size the code here does not show (it is not traced to a query's rows or "
        "to a request list)",
        "low",
    )


def inside_function(model: ProjectModel, function_id: str, outer_id: str) -> bool:
    """``function_id`` is ``outer_id`` or a function nested in it (a callback)."""
    current: str | None = function_id
    while current is not None:
        if current == outer_id:
            return True
        parent = model.enclosing_function(current)
        current = parent.id if parent is not None else None
    return False


# --------------------------------------------------------------------------- schema lookups

#: which definition of a table to point at: the schema tool's model before raw migrations
SCHEMA_ORDER = (
    "prisma",
    "typeorm",
    "drizzle",
    "sequelize",
    "mongoose",
    "sqlalchemy",
    "django",
    "knex",
    "alembic",
    "sql",
)


def table_column(tables: Sequence[Table], name: str) -> Column | None:
    """The column ``name`` (field or database name, any case) of the first table having it."""
    low = name.lower()
    for table in tables:
        for col in table.columns:
            if col.name.lower() == low or (col.db_name and col.db_name.lower() == low):
                return col
    return None


def schema_table(tables: Sequence[Table]) -> Table:
    """The definition to point at: the schema tool's model before raw migrations."""
    return min(tables, key=lambda t: SCHEMA_ORDER.index(t.source) if t.source in SCHEMA_ORDER else 99)
