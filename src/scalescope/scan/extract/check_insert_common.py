"""What the check-then-insert readers of both languages share (``js/check_then_insert.py``,
``py/check_then_insert.py``): which reads check for a row, which writes insert one, the
inserts that already settle a duplicate (upserts, ``ON CONFLICT``), the columns of a literal
``INSERT``, and whether an insert sets every column the read checked.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from scalescope.model.facts import CheckThenInsert, DataAccess, Loc
from scalescope.scan.extract.rmw_common import norm_column

#: operations that add one row (lower-cased); bulk inserts, upserts and get-or-create helpers
#: are not among them
INSERT_OPERATIONS = frozenset({"create", "acreate", "insert", "insertone", "insert_one", "add"})
#: an insert call whose chain or SQL settles a duplicate itself: Drizzle/Knex/TypeORM
#: ``onConflict...``, ``orIgnore``/``orUpdate``, Knex ``.ignore()``/``.merge()``, Sequelize
#: ``ignoreDuplicates``/``updateOnDuplicate``, SQL ``ON CONFLICT``/``ON DUPLICATE KEY``/
#: ``INSERT IGNORE``/``INSERT OR IGNORE``, SQLAlchemy ``on_conflict_do_nothing``, Django
#: ``ignore_conflicts``/``update_conflicts``
UPSERT_MARKERS = re.compile(
    r"on_?conflict|onDuplicateKey|on_duplicate_key|orIgnore|orUpdate|\.ignore\(\s*\)|\.merge\("
    r"|ignoreDuplicates|updateOnDuplicate|ON\s+DUPLICATE\s+KEY|INSERT\s+(?:OR\s+)?IGNORE"
    r"|INSERT\s+OR\s+REPLACE|\bREPLACE\s+INTO|ignore_conflicts|update_conflicts|upsert",
    re.IGNORECASE,
)
_INSERT_COLUMNS = re.compile(
    r"\bINSERT\s+(?:IGNORE\s+)?INTO\s+[\w.\"`\[\]]+\s*\(([^)]*)\)", re.IGNORECASE | re.DOTALL
)


def is_check_read(access: DataAccess) -> bool:
    """A read that can tell whether a row exists: one row, a list, a count or an ``exists``,
    filtered by equality on columns the extractor resolved (an OR across columns, a range, an
    ``IN`` list, a negation or a filter through a relation checks something else)."""
    if access.kind not in {"read-one", "read-many", "count"} and not (
        access.kind == "raw" and access.operation == "select"
    ):
        return False
    if access.aggregate not in {"", "count", "exists"}:
        return False
    if access.opaque_filter or access.or_fields or access.related_filters or access.via_relation:
        return False
    if access.join_keys or access.searches:
        return False
    columns = checked_columns(access)
    if not columns:
        return False
    odd = set(access.range_fields) | set(access.in_fields) | set(access.unselective_fields)
    return not (odd - set(access.soft_delete_fields)) & set(columns)


def checked_columns(access: DataAccess) -> tuple[str, ...]:
    """The columns a check read compares, without its soft-delete filter (``deletedAt:
    null`` keeps the live rows; the insert does not set it)."""
    soft = set(access.soft_delete_fields)
    out: list[str] = []
    for name in access.filter_fields:
        base = name.split("__", 1)[0] if "__" in name else name
        base = base.rsplit(".", 1)[-1]
        if name in soft or base in out:
            continue
        out.append(base)
    return tuple(out)


def read_kind(access: DataAccess) -> str:
    if access.kind == "count" or access.aggregate == "count":
        return "count"
    return "exists" if access.aggregate == "exists" else "row"


def repeated(read: DataAccess, write: DataAccess) -> bool:
    """The insert runs in a loop the check is not in: the code itself inserts several rows
    with the checked values (``for (const t of thresholds) create({ orgId, ... })``), so they
    are no unique key."""
    return write.loop is not None and (read.loop is None or read.loop.line != write.loop.line)


def sql_insert_columns(sql: str) -> tuple[str, ...]:
    """The column list of a literal ``INSERT INTO t (a, b) ...`` (empty when not written)."""
    m = _INSERT_COLUMNS.search(sql)
    if m is None:
        return ()
    return tuple(c.strip().strip('"`[]') for c in m.group(1).split(",") if c.strip())


def covers(
    columns: Collection[str], keys: Collection[str], spreads: Collection[str], read_values: Collection[str]
) -> bool:
    """Every checked column is set by the insert: a key of its data, or carried by a spread of
    the object the read took the value from (``where: { email: dto.email }`` then ``data: {
    ...dto }``)."""
    have = {norm_column(k) for k in keys}
    roots = {v.split(".", 1)[0].split("[", 1)[0] for v in read_values}
    spread_ok = any(s in roots for s in spreads)
    return all(norm_column(c) in have or spread_ok for c in columns)


def is_insert(access: DataAccess, extra: Collection[str] = ()) -> bool:
    """One row inserted (not a bulk write): an ORM insert operation (plus ``extra``, such as
    TypeORM/Mongoose ``save`` of a new object), or a raw ``INSERT``."""
    if access.bulk:
        return False
    if access.kind == "raw":
        return access.operation == "insert"
    op = access.operation.lower()
    return access.kind == "write" and (op in INSERT_OPERATIONS or op in extra)


def keep_nearest(
    found: dict[int, CheckThenInsert],
    read: DataAccess,
    write: DataAccess,
    *,
    columns: tuple[str, ...],
    branch: Loc,
    lock: tuple[int, str],
    read_call: str,
    write_call: str,
) -> None:
    """Record the pair under its insert's line, unless a check nearer the insert is already
    recorded: the check nearest the insert is the one it relies on."""
    closest = found.get(write.loc.line)
    if closest is not None and closest.read.line >= read.loc.line:
        return
    line, protection = lock
    found[write.loc.line] = CheckThenInsert(
        write.loc,
        orm=write.orm or read.orm,
        model=write.model or read.model,
        read=read.loc,
        columns=columns,
        branch=branch,
        read_kind=read_kind(read),
        protection=protection,
        protection_line=line if protection else 0,
        function_id=read.function_id,
        in_transaction=read.in_transaction or write.in_transaction,
        read_call=read_call,
        write_call=write_call,
    )
