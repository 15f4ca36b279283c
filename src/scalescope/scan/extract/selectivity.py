"""Which columns of a query's conditions an index can narrow (shared by the JS and Python
query readers): a column compared only by a negation (``<>``, ``NOT IN``, ``IS NOT NULL``, a
``NOT``) or a substring/pattern match is *unselective*; a column compared only inside an
``OR`` whose branches compare different columns is *or-only*. Both end up on
:class:`~scalescope.model.facts.DataAccess` (``unselective_fields``, ``or_fields``).

A column matched by a pattern that starts with a wildcard (a substring or suffix search) is
also recorded as a :class:`Searched`, with the expression holding the searched text, which the
extractor traces to the request (``DataAccess.searches``).

A column compared only by ``IS NULL`` whose name marks soft deletion or archival
(``deletedAt: null``, ``deleted_at__isnull=True``, ``isNull(t.deletedAt)``) is unselective
too, and more: it keeps the live rows, which are most of the table, so it is never the column
an index should lead nor a reason to report a query (``DataAccess.soft_delete_fields``). An
``IS NULL`` on any other column (``parentId: null``: the root rows) is an equality like any
other."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any, NamedTuple


class Searched(NamedTuple):
    """A column searched by a leading-wildcard pattern: the operator as written and the
    syntax node of the searched text (``q`` of ``contains: q`` or of `` `%${q}%` ``), ``None``
    for a literal pattern."""

    column: str
    operator: str
    value: Any = None


#: column names that mark a row as soft-deleted or archived when set (``deletedAt``,
#: ``deleted_at``, ``deletedTime``, ``archivedAt``, ``removed_on``, ``deletedById``,
#: ``date_deleted``, ``deletion_date``); ``IS NULL`` on one of them selects the live rows
_SOFT_DELETE = re.compile(
    r"(?:deleted|archived|removed|trashed|discarded)(?:_?(?:at|on|time|date|timestamp|datetime|ts|by(?:_?id)?))?"
    r"|(?:delete|deletion|archive|archival|removal)_?(?:at|on|time|date|timestamp|datetime|ts)"
    r"|(?:date|time)_?(?:deleted|archived|removed|trashed)",
    re.IGNORECASE,
)


def is_soft_delete_column(name: str) -> bool:
    """``deletedAt`` / ``deleted_at`` / ``archived_on`` / ``t.deletedTime``: a column whose
    ``NULL`` means the row is live (not soft-deleted, not archived)."""
    return _SOFT_DELETE.fullmatch(name.rsplit(".", 1)[-1].strip('"`[]')) is not None


class Selectivity:
    """Which compared columns an index can narrow: ``unselective`` columns are compared only
    by negations or substring/pattern matches (or under a ``NOT``), ``or_only`` columns only
    inside an ``OR`` whose branches compare different columns, ``soft_deleted`` columns only
    by ``IS NULL`` on a soft-delete column (the live rows)."""

    def __init__(self) -> None:
        self._weak: set[str] = set()  # compared by an unselective predicate somewhere
        self._strong: set[str] = set()  # compared by a selective predicate somewhere
        self._or: set[str] = set()  # compared inside an OR across columns
        self._plain: set[str] = set()  # compared outside any such OR
        self.searches: list[Searched] = []  # leading-wildcard pattern matches
        self._live: set[str] = set()  # compared by IS NULL on a soft-delete column
        self._other: set[str] = set()  # compared by any other predicate

    def _columns(self) -> list[str]:
        raise NotImplementedError

    @property
    def unselective(self) -> list[str]:
        return [f for f in dict.fromkeys(self._columns()) if f in self._weak and f not in self._strong]

    @property
    def or_only(self) -> list[str]:
        return [f for f in dict.fromkeys(self._columns()) if f in self._or and f not in self._plain]

    @property
    def soft_deleted(self) -> list[str]:
        return [f for f in dict.fromkeys(self._columns()) if f in self._live and f not in self._other]

    def compared_as(self, column: str, *, weak: bool, null: bool = False) -> None:
        """``column`` compared by a negation/pattern (``weak``) or not; ``null``: the
        comparison is ``IS NULL`` (``col: null``, ``__isnull=True``, ``.is_(None)``)."""
        self._plain.add(column)
        if null and not weak and is_soft_delete_column(column):
            self._live.add(column)
            self._weak.add(column)
            return
        self._other.add(column)
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
            self._other |= columns  # ``NOT (deletedAt IS NULL)``: the rare deleted rows
        elif disjunction:
            # ``a <> 1 OR a IS NULL``: one unselective branch and the OR reads most rows
            self._weak |= sub._weak
            self._strong |= sub._strong - sub._weak
        else:
            self._weak |= sub._weak
            self._strong |= sub._strong
        if not negated:
            self._live |= sub._live
            self._other |= sub._other
        spread = disjunction and len(columns) > 1
        self._or |= (columns - set(common)) if spread else sub._or
        self._plain |= set(common) if spread else sub._plain
