"""What the read-modify-write readers of both languages share (``js/read_modify_write.py``,
``py/read_modify_write.py``): the signs that a function already serialises its writes (a lock,
a strict isolation level), version column names, and a reader for a literal ``UPDATE ... SET``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scalescope.model.facts import DataAccess, Loc, ReadModifyWrite

#: text in the function around a read-modify-write (or in the transaction call holding it) that
#: shows the row is locked or the transaction serialised: row locks in SQL and every ORM's
#: spelling, advisory and table locks, application locks (redlock, mutexes, ``withLock``)
LOCK_MARKERS = re.compile(
    r"FOR\s+(?:NO\s+KEY\s+)?UPDATE|FOR\s+SHARE|LOCK\s+IN\s+SHARE\s+MODE|\bLOCK\s+TABLE"
    r"|for_?update|for_?share|for_?no_?key_?update|with_for_update|select_for_update"
    r"|pessimistic|setLock|\block\s*[:=]\s*(?:true|\{|[\w.]*LOCK)|LOCK\.UPDATE|LOCK\.SHARE"
    r"|advisory|GET_LOCK|\.for\(\s*['\"](?:update|share|no key update)"
    r"|redlock|mutex|semaphore|runExclusive|with_?lock|acquire_?lock|(?<![bBcC])lock\w*\s*\(|lock\w*\.acquire\("
    r"|lock_?key",
    re.IGNORECASE,
)
#: a transaction that serialises conflicting writes (serializable; PostgreSQL repeatable read
#: also aborts the second of two concurrent updates of a row)
ISOLATION_MARKERS = re.compile(r"serializ|repeatable[\s_-]?read", re.IGNORECASE)

#: columns a write's ``WHERE`` repeats to make it an optimistic (compare-and-set) update
VERSION_COLUMNS = frozenset(
    {
        "version",
        "__v",
        "_version",
        "lockversion",
        "lock_version",
        "rev",
        "revision",
        "etag",
        "updatedat",
        "updated_at",
    }
)

#: method names whose call saves a row object (``repo.save(row)``, ``row.save()``,
#: ``em.persistAndFlush(row)``)
SAVE_METHODS = frozenset({"save", "asave", "persist", "persistAndFlush", "saveAll", "upsert"})


def callee_text(text: str) -> str:
    """A call as messages name it: its callee without arguments, one line, shortened
    (``prisma.product.findUnique``, ``Product.objects.filter().update``)."""
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch in "([{":
            if depth == 0:
                out.append("()" if ch == "(" else "")
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and not ch.isspace():
            out.append(ch)
    flat = "".join(out).removeprefix("await")
    return flat[:80]


def norm_name(name: str | None) -> str:
    """A model/table name compared across spellings: ``Product``, ``products``,
    ``this.productRepository`` -> ``product``."""
    if not name:
        return ""
    base = name.rsplit(".", 1)[-1]
    base = re.sub(r"(?i)(repository|repo|model|table|collection)$", "", base) or base
    low = re.sub(r"[^a-z0-9]", "", base.lower())
    if low.endswith("ies"):
        return low[:-3] + "y"
    if low.endswith("ses") or low.endswith("xes"):
        return low[:-2]
    return low[:-1] if low.endswith("s") and not low.endswith("ss") else low


def norm_column(name: str) -> str:
    """``stock_count``, ``stockCount``, ``"stock"`` -> ``stockcount``: a column as written in
    SQL matched to a field as code names it."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def is_version_column(name: str) -> bool:
    return name.lower() in VERSION_COLUMNS


#: a write filtered on such a column besides the row's key is a compare-and-set: a status or
#: state it expects (``where: { id, status: "PENDING" }``), a version, a lock or claim stamp
_STATE_WORDS = re.compile(
    r"status|state|version|lock|claim|processing|updated|modified|revision|etag|stage|phase"
)


def guards_write(filter_fields: Sequence[str], column: str) -> bool:
    """The write's filter repeats the column it sets, a version column or a state it expects:
    concurrent writers cannot both succeed on the same old value."""
    target = norm_column(column)
    for name in filter_fields:
        base = name.split("__", 1)[0].rsplit(".", 1)[-1]
        if norm_column(base) == target or is_version_column(base) or _STATE_WORDS.search(base.lower()):
            return True
    return False


@dataclass(frozen=True, slots=True)
class SetItem:
    """One ``col = expr`` of a literal ``UPDATE ... SET``: ``param`` is the placeholder's
    index among the statement's values (``$2`` -> 1, the third ``?``/``%s`` -> 2), ``name``
    a named placeholder (``:stock``, ``%(stock)s``); ``atomic`` is ``-``/``+`` when the
    expression changes the column itself (``stock = stock - $1``)."""

    column: str
    expr: str
    param: int = -1
    name: str = ""
    atomic: str = ""


_SET = re.compile(r"\bSET\b(.*?)(?:\bWHERE\b|\bRETURNING\b|\bFROM\b|$)", re.IGNORECASE | re.DOTALL)
_WHERE = re.compile(r"\bWHERE\b(.*?)(?:\bRETURNING\b|\bORDER\b|\bLIMIT\b|$)", re.IGNORECASE | re.DOTALL)
_POSITIONAL = re.compile(r"\?|%s")
_DOLLAR = re.compile(r"^\$(\d+)$")
_NAMED = re.compile(r"^(?::(\w+)|%\((\w+)\)s)$")
_COLUMN = re.compile(r'^[`"\[]?(?:\w+[`"\]]?\.[`"\[]?)?(\w+)[`"\]]?$')


def _split_top(text: str) -> list[str]:
    out: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


def sql_set_items(sql: str) -> list[SetItem]:
    """The ``SET`` assignments of an ``UPDATE`` statement, with the placeholder each takes."""
    m = _SET.search(sql)
    if m is None or not re.match(r"\s*(?:WITH\b.*?)?\bUPDATE\b", sql, re.IGNORECASE | re.DOTALL):
        return []
    before = sql[: m.start(1)]
    positional = len(_POSITIONAL.findall(before))
    items: list[SetItem] = []
    offset = m.start(1)
    for part in _split_top(m.group(1)):
        col, eq, expr = part.partition("=")
        cm = _COLUMN.match(col.strip())
        if not eq or cm is None:
            offset += len(part) + 1
            continue
        column = cm.group(1)
        value = expr.strip()
        param = -1
        name = ""
        dm = _DOLLAR.match(value)
        nm = _NAMED.match(value)
        if dm is not None:
            param = int(dm.group(1)) - 1
        elif value in {"?", "%s"}:
            param = positional + len(_POSITIONAL.findall(sql[m.start(1) : offset + len(col) + 1]))
        elif nm is not None:
            name = nm.group(1) or nm.group(2) or ""
        atomic = ""
        am = re.match(r'^[`"\[]?(?:\w+[`"\]]?\.)?[`"\[]?(\w+)[`"\]]?\s*([-+])', value)
        if am is not None and norm_column(am.group(1)) == norm_column(column):
            atomic = am.group(2)
        items.append(SetItem(column, value, param, name, atomic))
        offset += len(part) + 1
    return items


def sql_where(sql: str) -> str:
    """The ``WHERE`` clause of a statement (``""`` when it has none)."""
    m = _WHERE.search(sql)
    return m.group(1) if m is not None else ""


def where_guards(where: str, column: str) -> bool:
    """The ``WHERE`` text of a literal statement compares ``column``, a version column or a
    state (a conditional update)."""
    return guards_write(re.findall(r"[A-Za-z_]\w*", where), column)


def first_marker(texts: Sequence[tuple[int, str]]) -> tuple[int, str]:
    """The first lock among ``(first line, text)`` pieces, else the first strict isolation
    level: ``(line, "lock"|"isolation")``, or ``(0, "")``."""
    for kind, pattern in (("lock", LOCK_MARKERS), ("isolation", ISOLATION_MARKERS)):
        for start, text in texts:
            m = pattern.search(text)
            if m is not None:
                return start + text.count("\n", 0, m.start()), kind
    return 0, ""


class ReadSite:
    """What every :class:`ReadModifyWrite` of one read shares: the read, its call as written,
    the comparisons made on its columns (normalised column -> (where, column as written)),
    and a lock or isolation level around it, looked up on first use (``locate`` returns
    ``(line, "lock"|"isolation")`` or ``(0, "")``)."""

    def __init__(
        self,
        read: DataAccess,
        read_text: str,
        checks: dict[str, tuple[Loc, str]],
        locate: Callable[[], tuple[int, str]],
    ) -> None:
        self.read = read
        self.read_call = callee_text(read_text)
        self.checks = checks
        self._locate = locate
        self._locked: tuple[int, str] | None = None

    def check_before(self, column: str, line: int) -> tuple[Loc, str] | None:
        """The comparison of ``column`` made before ``line`` (a guard the write relies on)."""
        check = self.checks.get(norm_column(column))
        return check if check is not None and check[0].line <= line else None

    def locked(self) -> tuple[int, str]:
        if self._locked is None:
            self._locked = self._locate()
        return self._locked

    def fact(
        self,
        write: DataAccess,
        write_text: str,
        column: str,
        column_text: str,
        op: str,
        form: str,
        *,
        value_text: str,
        modify: Loc | None,
        same_row: bool = True,
        guard: str = "",
    ) -> ReadModifyWrite:
        """The fact for ``column`` of this read written back by ``write``; ``guard`` is what
        the write itself shows (``conditional``, ``session``)."""
        read = self.read
        line, lock = self.locked()
        check = self.check_before(column, write.loc.line)
        return ReadModifyWrite(
            write.loc,
            orm=write.orm,
            model=write.model or read.model,
            field=column,
            op=op,
            read=read.loc,
            form=form,
            modify=modify,
            check=check[0] if check is not None else None,
            same_row=same_row,
            protection=lock or guard,
            protection_line=line if lock else 0,
            function_id=read.function_id,
            in_transaction=read.in_transaction or write.in_transaction,
            column_text=column_text or (check[1] if check is not None else column),
            value=" ".join(value_text.split())[:80],
            read_call=self.read_call,
            write_call=callee_text(write_text),
            read_ordered=bool(read.sort_fields),
        )
