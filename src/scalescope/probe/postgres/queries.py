"""What a normalised SQL statement (from pg_stat_statements) reads: tables and filter columns."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=256)
def tables_and_filters(query: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The tables a statement names (lower-case, unqualified) and the columns its WHERE
    clauses compare, in order. Unparseable statements read as no tables."""
    try:
        import sqlglot
        from sqlglot import expressions as exp
    except ImportError:  # pragma: no cover - sqlglot is a core dependency
        return frozenset(), ()
    text = query.replace("?", "NULL")
    try:
        tree = sqlglot.parse_one(text, read="postgres")
    except Exception:  # sqlglot raises several error types on odd SQL
        return frozenset(), ()
    if tree is None:
        return frozenset(), ()
    tables = frozenset(t.name.lower() for t in tree.find_all(exp.Table) if t.name)
    columns: dict[str, None] = {}
    for where in tree.find_all(exp.Where):
        for col in where.find_all(exp.Column):
            if col.name:
                columns.setdefault(col.name, None)
    return tables, tuple(columns)


def statements_on(table: str, statements: tuple[object, ...] | None) -> list[tuple[object, tuple[str, ...]]]:
    """The statements (``Statement`` objects) that read ``table``, with their filter columns."""
    out: list[tuple[object, tuple[str, ...]]] = []
    for st in statements or ():
        query = getattr(st, "query", "")
        if table.lower() not in query.lower():
            continue
        tables, filters = tables_and_filters(query)
        if table.lower() in tables:
            out.append((st, filters))
    return out
