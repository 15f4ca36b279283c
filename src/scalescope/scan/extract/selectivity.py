"""Which columns of a query's conditions an index can narrow (shared by the JS and Python
query readers): a column compared only by a negation (``<>``, ``NOT IN``, ``IS NOT NULL``, a
``NOT``) or a substring/pattern match is *unselective*; a column compared only inside an
``OR`` whose branches compare different columns is *or-only*. Both end up on
:class:`~scalescope.model.facts.DataAccess` (``unselective_fields``, ``or_fields``).

A column matched by a pattern that starts with a wildcard (a substring or suffix search) is
also recorded as a :class:`Searched`, with the expression holding the searched text, which the
extractor traces to the request (``DataAccess.searches``)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NamedTuple


class Searched(NamedTuple):
    """A column searched by a leading-wildcard pattern: the operator as written and the
    syntax node of the searched text (``q`` of ``contains: q`` or of `` `%${q}%` ``), ``None``
    for a literal pattern."""

    column: str
    operator: str
    value: Any = None


class Selectivity:
    """Which compared columns an index can narrow: ``unselective`` columns are compared only
    by negations or substring/pattern matches (or under a ``NOT``), ``or_only`` columns only
    inside an ``OR`` whose branches compare different columns."""

    def __init__(self) -> None:
        self._weak: set[str] = set()  # compared by an unselective predicate somewhere
        self._strong: set[str] = set()  # compared by a selective predicate somewhere
        self._or: set[str] = set()  # compared inside an OR across columns
        self._plain: set[str] = set()  # compared outside any such OR
        self.searches: list[Searched] = []  # leading-wildcard pattern matches

    def _columns(self) -> list[str]:
        raise NotImplementedError

    @property
    def unselective(self) -> list[str]:
        return [f for f in dict.fromkeys(self._columns()) if f in self._weak and f not in self._strong]

    @property
    def or_only(self) -> list[str]:
        return [f for f in dict.fromkeys(self._columns()) if f in self._or and f not in self._plain]

    def compared_as(self, column: str, *, weak: bool) -> None:
        self._plain.add(column)
        (self._weak if weak else self._strong).add(column)

    def searched(self, column: str, operator: str, value: Any = None) -> None:
        """``column`` is matched by a leading-wildcard pattern (call beside a weak
        :meth:`compared_as`)."""
        self.searches.append(Searched(column, operator, value))

    def merge_selectivity(
        self, sub: Selectivity, *, negated: bool, disjunction: bool, common: Collection[str] = ()
    ) -> None:
        """Fold a sub-condition in: under ``NOT`` every column it compares is unselective;
        as the branches of an ``OR`` its columns are ``or_only`` unless every branch compares
        them (``[{ type, a }, { type, b }]``: ``type`` is a factor of each branch)."""
        columns = set(sub._columns())
        self.searches.extend(sub.searches)
        if negated:
            self._weak |= columns
        elif disjunction:
            # ``a <> 1 OR a IS NULL``: one unselective branch and the OR reads most rows
            self._weak |= sub._weak
            self._strong |= sub._strong - sub._weak
        else:
            self._weak |= sub._weak
            self._strong |= sub._strong
        spread = disjunction and len(columns) > 1
        self._or |= (columns - set(common)) if spread else sub._or
        self._plain |= set(common) if spread else sub._plain
