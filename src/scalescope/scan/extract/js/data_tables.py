"""Per-library knowledge of the Node query extractors, as data: which methods bound a
chain's rows, which end it with one row, which compute an aggregate, which join, and which
cache helpers take a loader callback. A new ORM (or a method an ORM adds) is an entry here
plus a fixture; the matchers in ``data_builders`` / ``data_models`` / ``data_prisma`` and
the flow helpers in ``data_flow`` read these tables, never a list of their own.
"""

from __future__ import annotations

#: chain methods that bound the rows a fluent query returns
LIMIT_METHODS: dict[str, frozenset[str]] = {
    "drizzle": frozenset({"limit"}),
    "knex": frozenset({"limit", "first", "paginate"}),
    "typeorm": frozenset({"take", "limit"}),
    "supabase": frozenset({"limit", "range", "single", "maybeSingle"}),
    "mongoose": frozenset({"limit", "cursor", "stream", "eachAsync"}),
    "mongodb": frozenset({"limit"}),
}
#: option keys that bound the rows of an options-object query
LIMIT_OPTIONS: dict[str, tuple[str, ...]] = {
    "prisma": ("take",),
    "drizzle": ("limit",),
    "typeorm": ("take", "limit"),
    "sequelize": ("limit",),
    "mongoose": ("limit",),
}
#: chain methods that page (an offset or a cursor): the query serves one page of a listing
PAGE_METHODS: dict[str, frozenset[str]] = {
    "drizzle": frozenset({"offset"}),
    "knex": frozenset({"offset", "paginate"}),
    "typeorm": frozenset({"skip", "offset"}),
    "supabase": frozenset({"range"}),
    "mongoose": frozenset({"skip"}),
}
#: terminal methods that return one row (a single-row lookup, never a list)
SINGLE_ROW_METHODS: dict[str, frozenset[str]] = {
    "drizzle": frozenset({"get"}),
    "knex": frozenset({"first"}),
    "supabase": frozenset({"single", "maybeSingle"}),
}
#: aggregate helpers a select list may call (Drizzle ``count()``, ``sum(t.x)``...) -> kind
AGGREGATE_FUNCTIONS: dict[str, str] = {
    "count": "count",
    "countDistinct": "count",
    "sum": "sum",
    "sumDistinct": "sum",
    "avg": "avg",
    "avgDistinct": "avg",
    "min": "min",
    "max": "max",
}
#: chain methods that compute an aggregate over the rows (Knex ``.count()``, ``.sum()``...)
CHAIN_AGGREGATES: dict[str, str] = {
    "count": "count",
    "countDistinct": "count",
    "sum": "sum",
    "avg": "avg",
    "min": "min",
    "max": "max",
}
#: chain methods that group rows: one row per group, not per table row
GROUP_METHODS = frozenset({"groupBy"})
#: chain methods that join another table: ``(method, inner)``; an inner join's conditions on
#: values (not columns) filter the base rows
JOIN_METHODS: dict[str, bool] = {
    "innerJoin": True,
    "join": True,
    "leftJoin": False,
    "rightJoin": False,
    "fullJoin": False,
    "crossJoin": False,
    "leftOuterJoin": False,
    "rightOuterJoin": False,
    "fullOuterJoin": False,
    "innerJoinAndSelect": True,
    "leftJoinAndSelect": False,
    "innerJoinAndMapOne": True,
    "innerJoinAndMapMany": True,
    "leftJoinAndMapOne": False,
    "leftJoinAndMapMany": False,
}
#: comparison helpers of Drizzle's ``where`` (column first) -> range comparison or not
DRIZZLE_COMPARISONS: dict[str, bool] = {
    "eq": False,
    "ne": False,
    "inArray": False,
    "like": False,
    "ilike": False,
    "isNull": False,
    "isNotNull": False,
    "notInArray": False,
    "notLike": False,
    "notIlike": False,
    "gt": True,
    "gte": True,
    "lt": True,
    "lte": True,
    "between": True,
    "notBetween": False,
}
#: Drizzle comparisons a b-tree index on the column cannot narrow (negations), and the pattern
#: matches that it cannot serve when the pattern starts with a wildcard
DRIZZLE_UNSELECTIVE = frozenset({"ne", "isNotNull", "notInArray", "notLike", "notIlike", "notBetween"})
DRIZZLE_PATTERNS = frozenset({"like", "ilike"})
#: ``{ col: { gt: x } }`` operator keys of Prisma, Sequelize ``[Op.gt]`` and Mongo ``$gt``
#: (compared without their ``[Op.]`` / ``$`` decoration)
RANGE_OPERATORS = frozenset({"gt", "gte", "lt", "lte", "between"})
#: functions that clamp a number between bounds: name -> has a lower bound too
CLAMPS: dict[str, bool] = {"Math.min": False, "min": False, "clamp": True, "_.clamp": True}
#: functions that keep a number's bound (``Number(x)``, ``parseInt(x, 10)``)
NUMBER_WRAPPERS = frozenset(
    {"Number", "parseInt", "parseFloat", "Math.floor", "Math.ceil", "Math.trunc", "Math.round"}
)
#: cache helpers that take a loader callback run on a miss: ``cache.wrap(key, () => ...)``
CACHE_LOADER_METHODS = frozenset(
    {"get", "wrap", "remember", "fetch", "getOrSet", "getOrCreate", "memoize", "rememberForever"}
)
#: function directives whose result the framework caches (Next.js ``"use cache"``)
CACHE_DIRECTIVES = frozenset({"use cache", "use cache: remote", "use cache: private"})
#: operations that write many rows in one statement (in a loop: one statement per chunk)
BULK_WRITES = frozenset(
    {"createMany", "createManyAndReturn", "bulkCreate", "insertMany", "bulkWrite", "bulkInsert", "upsertMany"}
)
#: clients whose server caps the rows of every response, whatever limit the query asks for:
#: a page size from the request cannot exceed it (Supabase's PostgREST "Max Rows", 1000 by
#: default), so the limit's source is not traced
SERVER_ROW_CAPS = frozenset({"supabase"})
