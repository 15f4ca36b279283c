"""What an index's access method lets the database do with the columns it covers.

An index is not always a b-tree, and only a b-tree serves every comparison and the sort of
its leading column. The others, as PostgreSQL documents them:

- **hash**: equality (``=``, ``IN``) on its one column; no range, no sort;
- **GiST**, **SP-GiST**: on a scalar column only through ``btree_gist`` (GiST has no built-in
  operator class for text or numbers, so such an index exists only with it), which gives
  ``=``, ``<``, ``>``...; no ``ORDER BY`` of the column (GiST orders by distance only);
- **GIN**: on a scalar column only through ``btree_gin`` (the same reason), which gives
  equality and ranges; on arrays, ``jsonb`` and ``tsvector`` it serves their containment and
  match operators; no sort;
- **BRIN**: block ranges of a column that follows the physical order (a timestamp appended
  to): range scans; an equality on it reads whole block ranges, so it is not counted;
- **trigram** operator classes (``gin_trgm_ops``, ``gist_trgm_ops``): ``LIKE``/``ILIKE``
  patterns, and ``=`` since PostgreSQL 14 (with a recheck, slower than a b-tree but no scan);
  no range, no sort;
- a b-tree with a ``*_pattern_ops`` class: equality and prefix ``LIKE``; no ``<``/``>`` and no
  ``ORDER BY`` under a non-C collation;
- MySQL ``FULLTEXT``: ``MATCH ... AGAINST`` only.

A multicolumn GIN, GiST, BRIN or bloom index serves conditions on any of its columns, not
only the first (PostgreSQL "Multicolumn Indexes"); the others serve their leading column.
"""

from __future__ import annotations

#: what a query asks of an index on a column
EQUALITY = "equality"
RANGE = "range"
SORT = "sort"

#: methods whose multicolumn indexes serve a condition on any of their columns
ANY_COLUMN_METHODS = frozenset({"gin", "gist", "brin", "bloom"})
_TRIGRAM = frozenset({"gin_trgm_ops", "gist_trgm_ops"})
_BTREE = frozenset({"", "btree"})
_USES: dict[str, frozenset[str]] = {
    "hash": frozenset({EQUALITY}),
    "gist": frozenset({EQUALITY, RANGE}),
    "spgist": frozenset({EQUALITY, RANGE}),
    "gin": frozenset({EQUALITY, RANGE}),
    "brin": frozenset({RANGE}),
    "bloom": frozenset({EQUALITY}),
    "fulltext": frozenset(),
}


def serves(method: str, opclass: str, use: str) -> bool:
    """Whether an index of access method ``method`` (``""`` = b-tree) whose operator class on
    the column is ``opclass`` (``""`` = the default) serves ``use`` (:data:`EQUALITY`,
    :data:`RANGE`, :data:`SORT`) of that column."""
    method = method.lower()
    opclass = opclass.lower()
    if opclass in _TRIGRAM:
        return use == EQUALITY
    if method in _BTREE:
        return use == EQUALITY if opclass.endswith("_pattern_ops") else True
    # an access method not listed (a vendor's, a typo) is taken at its word for equality only
    return use in _USES.get(method, frozenset({EQUALITY}))


def served_columns(columns: tuple[str, ...], method: str, opclasses: tuple[str, ...], use: str) -> list[str]:
    """The columns of one index that serve ``use`` on their own: the leading column, or any
    column of a multicolumn GIN/GiST/BRIN/bloom index."""
    method = method.lower()
    reach = columns if method in ANY_COLUMN_METHODS else columns[:1]
    return [
        col for i, col in enumerate(reach) if serves(method, opclasses[i] if i < len(opclasses) else "", use)
    ]
