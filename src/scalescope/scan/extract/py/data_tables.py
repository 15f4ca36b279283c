"""Per-library knowledge of the Python query extractors, as data (see ``js/data_tables`` for
the Node side): aggregate functions, range lookups, eager-loading strategies, clamps and
cache helpers. ``data_query`` and ``data_flow`` read these tables.
"""

from __future__ import annotations

#: SQLAlchemy ``func.x`` / Django ``X(...)`` aggregates -> DataAccess.aggregate
AGGREGATE_FUNCTIONS: dict[str, str] = {
    "count": "count",
    "sum": "sum",
    "avg": "avg",
    "min": "min",
    "max": "max",
    "Count": "count",
    "Sum": "sum",
    "Avg": "avg",
    "Min": "min",
    "Max": "max",
}
#: Django lookups that compare by range (an index serves them after the equality columns)
RANGE_LOOKUPS = frozenset({"gt", "gte", "lt", "lte", "range", "date", "year", "month", "day"})
#: Django lookups that keep the column itself (anything else after ``__`` is a relation hop)
COLUMN_LOOKUPS = frozenset(
    {
        "exact", "iexact", "in", "gt", "gte", "lt", "lte", "startswith", "istartswith", "endswith",
        "iendswith", "contains", "icontains", "range", "isnull", "date", "year", "month", "day",
        "week", "week_day", "quarter", "time", "hour", "minute", "second", "regex", "iregex",
        "search", "trigram_similar", "unaccent", "overlap", "contained_by", "has_key", "len",
    }
)  # fmt: skip
#: Django lookups a b-tree index on the column cannot narrow (substring/suffix/pattern matches)
UNSELECTIVE_LOOKUPS = frozenset(
    {"contains", "icontains", "endswith", "iendswith", "regex", "iregex", "search", "trigram_similar"}
)
#: SQLAlchemy column methods a b-tree index on the column cannot narrow (negations,
#: substring/suffix matches); ``like``/``ilike`` only with a leading wildcard
SQLA_UNSELECTIVE_METHODS = frozenset(
    {
        "notin_", "not_in", "isnot", "is_not", "isnot_distinct_from", "notlike", "not_like",
        "notilike", "not_ilike", "contains", "icontains", "endswith", "iendswith",
        "regexp_match", "match",
    }
)  # fmt: skip
SQLA_PATTERN_METHODS = frozenset({"like", "ilike"})
#: SQLAlchemy comparison operators that are negations
SQLA_NEGATED_OPERATORS = frozenset({"!=", "<>", "is not", "not in"})
#: SQLAlchemy loader options -> how the relation is fetched
LOADER_STRATEGY: dict[str, str] = {
    "joinedload": "join",
    "contains_eager": "join",
    "selectinload": "separate",
    "subqueryload": "separate",
    "immediateload": "separate",
    "defaultload": "",
}
#: functions that clamp a number between bounds: name -> has a lower bound too
CLAMPS: dict[str, bool] = {"min": False, "clamp": True}
#: functions that keep a number's bound (``int(x)``)
NUMBER_WRAPPERS = frozenset({"int", "abs", "round", "math.floor", "math.ceil"})
#: cache helpers that take a loader callback run on a miss
CACHE_LOADER_METHODS = frozenset({"get_or_set", "get", "remember", "fetch", "wrap", "memoize"})
#: decorators that memoise a function's result (Flask-Caching, functools, cachetools)
CACHE_DECORATORS = frozenset({"memoize", "cached", "lru_cache", "cache", "cached_property"})
#: operations that write many rows in one statement (in a loop: one statement per chunk)
BULK_WRITES = frozenset(
    {"bulk_create", "abulk_create", "bulk_update", "abulk_update", "executemany", "insert_many", "bulk_write",
     "bulk_save_objects", "bulk_insert_mappings", "bulk_update_mappings"}
)  # fmt: skip
