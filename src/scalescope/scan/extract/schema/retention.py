"""What removes a table's old rows outside application ``DELETE`` calls, as :class:`Retention`
facts, and the ``DELETE``/``TRUNCATE`` statements of SQL files as delete :class:`DataAccess`.

- **partition**: ``CREATE TABLE events (...) PARTITION BY RANGE (created_at)`` (in SQL files and
  in SQL strings of migrations), ``ALTER TABLE events DROP|DETACH PARTITION ...``, pg_partman
  ``create_parent('public.events', ...)``,
  django-postgres-extra ``PostgresPartitionedModel`` classes: old partitions are dropped whole.
- **timescale**: ``add_retention_policy('events', ...)``, ``drop_chunks(...)``.
- **ttl** / **capped**: MongoDB TTL indexes created by code (``db.collection('logs')
  .createIndex({ at: 1 }, { expireAfterSeconds: 3600 })``, PyMongo ``create_index(...,
  expireAfterSeconds=...)``, a MongoEngine/Beanie class declaring one in its indexes) and capped
  collections (``createCollection('logs', { capped: true, size })``). Mongoose schemas and NestJS
  ``@Prop({ expires })`` are read by :mod:`.mongoose` and :mod:`.typeorm`.

A ``DELETE FROM``/``TRUNCATE`` in a SQL file (a pg_cron job, a purge function, a migration) is
one :class:`DataAccess` of kind ``delete`` per table per file, like :mod:`.sql_inserts`.
"""

from __future__ import annotations

import re

from scalescope.model.facts import DataAccess, Retention
from scalescope.scan.extract.base import FileContext, captures, extractor

_NAME = r"((?:[\w\"`\[\]]+\.)?[\w\"`\[\]]+)"
_CREATE_TABLE = re.compile(
    rf"CREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?{_NAME}", re.IGNORECASE
)
_PARTITION_BY = re.compile(r"\)\s*PARTITION\s+BY\s+(?:RANGE|LIST|HASH)\b", re.IGNORECASE)
_DROP_PARTITION = re.compile(
    rf"ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?{_NAME}\s+(?:DROP|DETACH|TRUNCATE)\s+PARTITION\b",
    re.IGNORECASE,
)
_PARTMAN = re.compile(r"create_parent\s*\(\s*(?:p_parent_table\s*:?=>?\s*)?'([\w.\"]+)'", re.IGNORECASE)
_TIMESCALE = re.compile(
    r"(?:add_retention_policy|drop_chunks)\s*\(\s*(?:[a-z_]+\s*=>\s*)?'([\w.\"]+)'", re.IGNORECASE
)
_DELETE = re.compile(
    rf"\b(?:DELETE\s+FROM\s+(?:ONLY\s+)?|TRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?){_NAME}", re.IGNORECASE
)
_SQL_NEEDS = (
    "PARTITION",
    "partition",
    "create_parent",
    "retention_policy",
    "drop_chunks",
    "DELETE",
    "delete",
    "TRUNCATE",
    "truncate",
)

# MongoDB: calls that create a TTL index or a capped collection
_INDEX_CALLS = frozenset(
    {"createIndex", "createIndexes", "ensureIndex", "create_index", "create_indexes", "ensure_index"}
)
_COLLECTION_CALLS = frozenset({"createCollection", "create_collection"})
_COLLECTION_IN_CALLEE = re.compile(r"""(?:collection\(\s*|\[\s*)['"]([\w.-]+)['"]""")
_RECEIVER_NOISE = frozenset(
    {"collection", "db", "database", "this", "self", "client", "conn", "mongo", "connection"}
)
_PARTITIONED_MODEL = re.compile(r"^class\s+(\w+)\s*\([^)]*\bPostgresPartitionedModel\b", re.MULTILINE)


def _table(raw: str) -> str:
    return raw.rsplit(".", 1)[-1].strip('"`[]')


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _short(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _sql_retention(ctx: FileContext) -> None:
    """Partitioned tables, pg_partman parents and TimescaleDB retention in SQL text (a SQL file
    or the SQL strings of a migration)."""
    text = ctx.text
    if "partition" in text.lower():
        for m in _PARTITION_BY.finditer(text):
            creates = list(_CREATE_TABLE.finditer(text, max(0, m.start() - 20_000), m.start()))
            if not creates:
                continue
            create = creates[-1]
            if ";" in text[create.end() : m.start()]:
                continue  # the PARTITION BY belongs to a statement without CREATE TABLE
            ctx.emit(
                Retention(
                    ctx.line_loc(_line(text, create.start())),
                    table=_table(create.group(1)),
                    mechanism="partition",
                    detail=_short(text[m.start() + 1 : m.end()]),
                )
            )
    for pattern, mechanism in (
        (_DROP_PARTITION, "partition"),
        (_PARTMAN, "partition"),
        (_TIMESCALE, "timescale"),
    ):
        for m in pattern.finditer(text):
            ctx.emit(
                Retention(
                    ctx.line_loc(_line(text, m.start())),
                    table=_table(m.group(1)),
                    mechanism=mechanism,
                    detail=_short(m.group(0)),
                )
            )


@extractor(languages=("sql",), needs=_SQL_NEEDS, migrations=True)
def sql_retention(ctx: FileContext) -> None:
    """Emit :class:`Retention` facts and one delete :class:`DataAccess` per table a SQL file
    deletes from."""
    _sql_retention(ctx)
    seen: set[str] = set()
    for m in _DELETE.finditer(ctx.text):
        table = _table(m.group(1))
        if not table or table.lower() in seen:
            continue
        seen.add(table.lower())
        op = "truncate" if m.group(0)[:1] in "Tt" else "delete"
        ctx.emit(
            DataAccess(
                ctx.line_loc(_line(ctx.text, m.start())), orm="sql", model=table, operation=op, kind="delete"
            )
        )


@extractor(
    languages=("javascript", "typescript", "tsx", "python"),
    needs=(
        "PARTITION",
        "partition",
        "create_parent",
        "retention_policy",
        "drop_chunks",
        "expireAfterSeconds",
        "capped",
        "PostgresPartitionedModel",
    ),
    migrations=True,
)
def code_retention(ctx: FileContext) -> None:
    """Emit :class:`Retention` facts for partitioning DDL in SQL strings, MongoDB TTL indexes
    and capped collections created by code, and partitioned Django models."""
    text = ctx.text
    if "PARTITION" in text or "partition" in text or "create_parent" in text or "retention_policy" in text:
        _sql_retention(ctx)
    if ctx.language == "python" and "PostgresPartitionedModel" in text:
        for m in _PARTITIONED_MODEL.finditer(text):
            ctx.emit(
                Retention(
                    ctx.line_loc(_line(text, m.start())),
                    table=m.group(1),
                    mechanism="partition",
                    detail="PostgresPartitionedModel",
                )
            )
    if "expireAfterSeconds" in text or "capped" in text:
        _mongo_retention(ctx)


def _mongo_retention(ctx: FileContext) -> None:
    if ctx.language == "python":
        from scalescope.scan.extract.py import ast as py

        calls, args_of, string_of = py.iter_calls(ctx), py.arguments, py.string_value
    else:
        from scalescope.scan.extract.js import ast as js

        calls, args_of, string_of = js.iter_calls(ctx), js.arguments, js.string_value
    claimed: set[int] = set()  # lines of TTL calls already emitted
    for call, parts in calls:
        if not parts or parts[-1] not in _INDEX_CALLS | _COLLECTION_CALLS:
            continue
        body = ctx.node_text(call)
        if parts[-1] in _INDEX_CALLS:
            if "expireAfterSeconds" not in body:
                continue
            mechanism = "ttl"
            callee = ctx.node_text(call.child_by_field_name("function"))
            named = _COLLECTION_IN_CALLEE.search(callee)
            receivers = [p for p in parts[:-1] if p not in _RECEIVER_NOISE and not p.startswith("get")]
            table = named.group(1) if named else receivers[-1] if receivers else ""
        else:
            if not re.search(r"\bcapped\b\s*[:=]\s*(?:true|True)", body):
                continue
            mechanism = "capped"
            args = args_of(call)
            table = (string_of(ctx, args[0]) or "") if args else ""
        claimed.update(range(call.start_point[0] + 1, call.end_point[0] + 2))
        ctx.emit(Retention(ctx.loc(call), table=table, mechanism=mechanism, detail=_short(body)))
    if ctx.language != "python" or "expireAfterSeconds" not in ctx.text:
        return
    # MongoEngine ``meta = {"indexes": [{"fields": ["at"], "expireAfterSeconds": 3600}]}``,
    # Beanie ``class Settings: indexes = [IndexModel(..., expireAfterSeconds=3600)]``: the TTL
    # of the outermost class declaring it
    for cls in captures("python", "(class_definition) @c", ctx.root).get("c", []):
        if cls.parent is None or cls.parent.type not in {"module", "decorated_definition"}:
            continue
        source = ctx.node_text(cls)
        at = source.find("expireAfterSeconds")
        if at < 0:
            continue
        line = cls.start_point[0] + 1 + source.count("\n", 0, at)
        if line in claimed:
            continue
        name = cls.child_by_field_name("name")
        ctx.emit(
            Retention(
                ctx.line_loc(line),
                table=ctx.node_text(name) if name is not None else "",
                mechanism="ttl",
                detail="expireAfterSeconds",
            )
        )
