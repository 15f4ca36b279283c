"""Which columns a SQL condition searches with a ``LIKE`` pattern that may start with a
wildcard (both ecosystems, raw SQL and condition strings of query builders).

``name ILIKE '%' || $1 || '%'``, ``CONCAT('%', ?, '%')`` and ``name LIKE '%foo%'`` show the
leading wildcard in the text; ``name ILIKE $1`` / ``:q`` / ``%s`` leave it to the bound value
(`` `%${q}%` ``, ``f"%{q}%"``), which the extractor looks up from the placeholder the way
:mod:`scalescope.scan.extract.sql_params` maps a ``LIMIT``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from scalescope.scan.extract.sql_params import Placeholder

_PH = r"\$\d+|\?|%s|%\(\w+\)s|(?<!:):[A-Za-z_]\w*|@[A-Za-z_]\w*"
_LIKE = re.compile(
    r"(?<![:\w])(?:\w+\.)?[\"`]?(?P<col>[A-Za-z_]\w*)[\"`]?\s*\)?\s+(?P<neg>NOT\s+)?(?P<op>I?LIKE)\s+"
    r"(?:(?:lower|upper)\s*\(\s*)?"
    rf"(?:(?P<lit>'(?:[^']|'')*')(?:\s*\|\|\s*(?P<after>{_PH}))?"
    rf"|CONCAT\s*\(\s*'(?P<clit>(?:[^']|'')*)'\s*,\s*(?P<cph>{_PH})"
    rf"|(?P<ph>{_PH}))",
    re.IGNORECASE,
)
_POSITIONAL = re.compile(r"\?|%s")
_KEYWORDS = frozenset({"and", "or", "not", "where", "on", "when", "then", "else", "select", "having"})


class LikeSpot(NamedTuple):
    """One ``column [NOT] [I]LIKE pattern`` of a statement: ``leading`` is ``True``/``False``
    when the text shows whether the pattern starts with a wildcard, ``None`` when the bound
    value of ``placeholder`` decides; ``placeholder`` is the parameter holding the searched
    text (``None`` for a literal pattern)."""

    column: str
    operator: str
    leading: bool | None
    placeholder: Placeholder | None
    negated: bool = False


def like_spots(sql: str) -> list[LikeSpot]:
    """Every ``LIKE``/``ILIKE`` comparison of ``sql`` with the shape of its pattern."""
    if "like" not in sql.lower():
        return []
    out: list[LikeSpot] = []
    for m in _LIKE.finditer(sql):
        column = m.group("col")
        if column.lower() in _KEYWORDS:
            continue
        op = m.group("op").upper()
        negated = bool(m.group("neg"))
        if m.group("lit") is not None:
            literal = m.group("lit")[1:2]
            token = m.group("after")
            out.append(
                LikeSpot(
                    column,
                    op,
                    literal in {"%", "_"},
                    _placeholder(sql, token, m.start("after")) if token else None,
                    negated,
                )
            )
        elif m.group("clit") is not None:
            out.append(
                LikeSpot(
                    column,
                    op,
                    m.group("clit")[:1] in {"%", "_"},
                    _placeholder(sql, m.group("cph"), m.start("cph")),
                    negated,
                )
            )
        else:
            out.append(LikeSpot(column, op, None, _placeholder(sql, m.group("ph"), m.start("ph")), negated))
    return out


def _placeholder(sql: str, token: str, at: int) -> Placeholder:
    if token.startswith("$"):
        return Placeholder(position=int(token[1:]) - 1)
    if token in {"?", "%s"}:
        return Placeholder(position=len(_POSITIONAL.findall(sql[:at])))
    if token.startswith("%("):
        return Placeholder(name=token[2:-2])
    return Placeholder(name=token[1:])
