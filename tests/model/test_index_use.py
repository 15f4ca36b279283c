"""Which uses of a column an index serves, by access method and operator class."""

from __future__ import annotations

import pytest

from scalescope.model.index_use import EQUALITY, RANGE, SORT, served_columns, serves


@pytest.mark.parametrize(
    ("method", "opclass", "uses"),
    [
        ("", "", {EQUALITY, RANGE, SORT}),
        ("btree", "", {EQUALITY, RANGE, SORT}),
        ("", "text_pattern_ops", {EQUALITY}),  # prefix LIKE and =, no < or ORDER BY
        ("hash", "", {EQUALITY}),
        ("gist", "", {EQUALITY, RANGE}),  # btree_gist on a scalar column
        ("spgist", "", {EQUALITY, RANGE}),
        ("gin", "", {EQUALITY, RANGE}),  # btree_gin, or containment on arrays/jsonb
        ("brin", "", {RANGE}),
        ("gin", "gin_trgm_ops", {EQUALITY}),  # patterns, and = since PostgreSQL 14
        ("gist", "gist_trgm_ops", {EQUALITY}),
        ("fulltext", "", set()),
        ("vendor_method", "", {EQUALITY}),
    ],
)
def test_what_each_method_serves(method: str, opclass: str, uses: set[str]) -> None:
    assert {u for u in (EQUALITY, RANGE, SORT) if serves(method, opclass, u)} == uses


def test_multicolumn_inverted_indexes_serve_any_of_their_columns() -> None:
    assert served_columns(("a", "b"), "", (), EQUALITY) == ["a"]
    assert served_columns(("a", "b"), "hash", (), EQUALITY) == ["a"]
    assert served_columns(("a", "b"), "gin", (), EQUALITY) == ["a", "b"]
    assert served_columns(("a", "b"), "brin", (), RANGE) == ["a", "b"]
    assert served_columns(("a", "b"), "brin", (), EQUALITY) == []
    assert served_columns(("a", "b"), "gist", ("gist_trgm_ops", ""), SORT) == []
