"""Which indexes serve text search on a table, from the index facts of its schema.

A pattern that starts with a wildcard (``LIKE '%x%'``, Prisma ``contains``, Django
``icontains``) is served by no b-tree index. What does serve a search:

- **trigram**: a GIN or GiST index with the ``pg_trgm`` operator class on the column
  (``USING gin (name gin_trgm_ops)``, Prisma ``name(ops: raw("gin_trgm_ops"))``, Django
  ``GinIndex(opclasses=["gin_trgm_ops"])``, SQLAlchemy ``postgresql_ops``); it serves ``LIKE``
  and ``ILIKE`` with any wildcard, on any column of the index;
- **fulltext**: a GIN/GiST index over a ``to_tsvector(...)`` expression naming the column, a
  MySQL ``FULLTEXT`` index (Prisma ``@@fulltext``, TypeORM ``{ fulltext: true }``), or a
  GIN/GiST index on a tsvector column (a Django ``SearchVectorField``, a generated
  ``tsvector`` column): those serve full-text queries, not ``LIKE``, but show the table's
  search is built on them. An index on a tsvector column covers the columns that feed the
  vector, which the schema does not name: its ``columns`` are empty and ``vector`` is set.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scalescope.model.facts import Index, IndexDef, Loc, Table

#: operator classes of pg_trgm
TRIGRAM_OPCLASSES = frozenset({"gin_trgm_ops", "gist_trgm_ops"})
_INVERTED = frozenset({"gin", "gist"})
_WORD = re.compile(r"'(?:[^']|'')*'|\"([^\"]+)\"|\b([A-Za-z_]\w*)\b(\s*\()?")
#: column types that hold a full-text vector
_VECTOR_TYPES = re.compile(r"tsvector|searchvectorfield", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TextIndex:
    """An index serving text search: ``kind`` ``trigram`` or ``fulltext``, the table columns it
    covers (lower-cased; empty for an index on a tsvector column, ``vector``), its ``name``
    and where it is declared."""

    kind: str
    columns: frozenset[str]
    loc: Loc
    name: str = ""
    vector: bool = False

    def covers(self, column: str, db_name: str = "") -> bool:
        return column.lower() in self.columns or (bool(db_name) and db_name.lower() in self.columns)


def expression_columns(text: str) -> frozenset[str]:
    """Identifiers of an index column or expression, lower-cased, without function names,
    string literals and keywords: ``to_tsvector('english', title || ' ' || body)`` ->
    ``{title, body}``; ``LOWER("name")`` -> ``{name}``."""
    out: set[str] = set()
    for m in _WORD.finditer(text):
        if m.group(1):
            out.add(m.group(1).lower())
        elif m.group(2) and not m.group(3) and m.group(2).lower() not in _SQL_WORDS:
            out.add(m.group(2).lower())
    return frozenset(out)


_SQL_WORDS = frozenset({"coalesce", "and", "or", "not", "null", "is", "as", "text", "varchar", "regconfig"})


def _kind(
    method: str, columns: Sequence[str], opclasses: Sequence[str], vectors: set[str]
) -> tuple[str, frozenset[str], bool] | None:
    if any(op in TRIGRAM_OPCLASSES for op in opclasses):
        trgm = [c for c, op in zip(columns, opclasses, strict=False) if op in TRIGRAM_OPCLASSES]
        return "trigram", frozenset(w for c in trgm for w in expression_columns(c)), False
    if method == "fulltext":
        return "fulltext", frozenset(w for c in columns for w in expression_columns(c)), False
    if method in _INVERTED:
        fts = [c for c in columns if "to_tsvector" in c.lower()]
        if fts:
            words = frozenset(w for c in fts for w in expression_columns(c))
            return "fulltext", words - {"to_tsvector"}, False
        if any(c.lower() in vectors for c in columns):
            return "fulltext", frozenset(), True
    return None


def text_indexes(table: Table, extra: Iterable[IndexDef]) -> list[TextIndex]:
    """The text-search indexes of ``table`` (its own and the ``IndexDef`` facts created for it
    elsewhere)."""
    vectors = {
        n.lower() for c in table.columns if _VECTOR_TYPES.search(c.type) for n in (c.name, c.db_name) if n
    }
    out: list[TextIndex] = []
    own: list[Index | IndexDef] = [*table.indexes, *extra]
    for idx in own:
        found = _kind(idx.method, idx.columns, idx.opclasses, vectors)
        if found is None:
            continue
        kind, columns, vector = found
        loc = idx.loc if isinstance(idx, IndexDef) else Loc(table.loc.file, idx.line)
        out.append(TextIndex(kind, columns, loc, idx.name, vector))
    return out
