"""SQL DDL (migrations, dumps, schema files): tables, keys and indexes.

The text is split into statements by a small tokenizer (quotes, comments and ``$$`` bodies
respected), only DDL that can define a key or an index is handed to sqlglot (PostgreSQL, then
MySQL, then SQLite), one statement at a time, so one odd statement never loses the file. Line
numbers come from the statement's offset in the text. ``CREATE INDEX`` falls back to a regex
when no dialect parses it.

:func:`sql_facts` is reused for SQL held in code (``queryRunner.query("CREATE INDEX ...")``,
``op.execute``, ``migrations.RunSQL``, ``knex.raw``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import replace

import sqlglot
from sqlglot import exp

from scalescope.model.facts import Column, EnumType, Fact, Index, IndexDef, Loc, SchemaChange, Table
from scalescope.scan.extract.base import FileContext, extractor
from scalescope.scan.extract.schema._common import in_down, mark_keys

logging.getLogger("sqlglot").setLevel(logging.CRITICAL)

_TOKEN = re.compile(
    r"--[^\n]*|/\*.*?(?:\*/|\Z)|'(?:[^']|'')*(?:'|\Z)|\"[^\"]*(?:\"|\Z)|`[^`]*(?:`|\Z)"
    r"|\$([A-Za-z_]\w*|)\$.*?(?:\$\1\$|\Z)|;",
    re.DOTALL,
)
_LEADING_NOISE = re.compile(r"\A(?:\s+|--[^\n]*|/\*.*?\*/)*", re.DOTALL)
_DDL = re.compile(
    r"(?:CREATE\s+(?:OR\s+REPLACE\s+)?(?:(?:GLOBAL|LOCAL)\s+)?(?:TEMP(?:ORARY)?\s+|UNLOGGED\s+)?TABLE"
    r"|CREATE\s+(?:UNIQUE\s+|FULLTEXT\s+)?(?:CLUSTERED\s+|NONCLUSTERED\s+)?INDEX"
    r"|ALTER\s+TABLE\b[^;]*?\bADD\b[^;]*?\b(?:PRIMARY|UNIQUE|INDEX|KEY|FOREIGN))\b",
    re.IGNORECASE | re.DOTALL,
)
_CREATE_INDEX = re.compile(
    r"CREATE\s+(UNIQUE\s+|FULLTEXT\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?([\w\"`.\[\]]+)?\s*"
    r"ON\s+(?:ONLY\s+)?([\w\"`.\[\]]+)\s*(?:USING\s+(\w+)\s*)?\((.*)\)",
    re.IGNORECASE | re.DOTALL,
)
# statements that drop, rename or add schema objects (read by regex: they are simple)
_CHANGE = re.compile(r"(?:DROP\s+(?:INDEX|TABLE)|ALTER\s+(?:TABLE|INDEX)|RENAME\s+TABLE)\b", re.IGNORECASE)
_QNAME = r"((?:[\w\"`\[\]]+\.)?[\w\"`\[\]]+|\"[^\"]+\")"
_DROP_INDEX = re.compile(
    r"DROP\s+INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+EXISTS\s+)?(.+?)"
    rf"(?:\s+ON\s+{_QNAME})?(?:\s+(?:CASCADE|RESTRICT))?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_DROP_TABLE = re.compile(
    r"DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(.+?)(?:\s+(?:CASCADE|RESTRICT))?\s*$", re.IGNORECASE | re.DOTALL
)
_ALTER_INDEX = re.compile(
    rf"ALTER\s+INDEX\s+(?:IF\s+EXISTS\s+)?{_QNAME}\s+RENAME\s+TO\s+{_QNAME}", re.IGNORECASE
)
_RENAME_TABLE = re.compile(r"RENAME\s+TABLE\s+(.+)$", re.IGNORECASE | re.DOTALL)
_ALTER_TABLE = re.compile(
    rf"ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?{_QNAME}\s+(.*)$", re.IGNORECASE | re.DOTALL
)
_ACTIONS = (
    ("rename-table", re.compile(rf"RENAME\s+TO\s+{_QNAME}", re.IGNORECASE)),
    ("rename-index", re.compile(rf"RENAME\s+(?:INDEX|KEY)\s+{_QNAME}\s+TO\s+{_QNAME}", re.IGNORECASE)),
    ("rename-column", re.compile(rf"RENAME\s+(?:COLUMN\s+)?{_QNAME}\s+TO\s+{_QNAME}", re.IGNORECASE)),
    ("drop-constraint", re.compile(rf"DROP\s+CONSTRAINT\s+(?:IF\s+EXISTS\s+)?{_QNAME}", re.IGNORECASE)),
    ("drop-index", re.compile(rf"DROP\s+(?:INDEX|KEY)\s+{_QNAME}", re.IGNORECASE)),
    ("", re.compile(r"DROP\s+(?:PRIMARY\s+KEY|FOREIGN\s+KEY|CHECK|DEFAULT)\b", re.IGNORECASE)),
    ("drop-column", re.compile(rf"DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?{_QNAME}", re.IGNORECASE)),
    (
        "add-column",
        re.compile(rf"ADD\s+(?:COLUMN\s+)?(?:IF\s+NOT\s+EXISTS\s+)?{_QNAME}\s+[\w\"`\[]", re.IGNORECASE),
    ),
)
_NOT_COLUMNS = frozenset(
    {"constraint", "primary", "unique", "index", "key", "foreign", "check", "fulltext", "spatial", "exclude"}
)
_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)
_INLINE_UNIQUE = re.compile(r"\b(UNIQUE|PRIMARY\s+KEY)\b", re.IGNORECASE)
# the reverse half of a SQL migration file (dbmate, goose, sql-migrate), and files that are
# only a reverse step (golang-migrate ``*.down.sql``, Prisma ``down.sql``, Flyway undo ``U1__``)
_DOWN_SECTION = re.compile(
    r"^\s*--\s*(?:migrate:down|\+goose\s+down|\+migrate\s+down)\b", re.IGNORECASE | re.MULTILINE
)
_DOWN_FILE = re.compile(r"(?:^|/)(?:[^/]*[._-]down\.sql|down\.sql|U\d+__[^/]*\.sql)$", re.IGNORECASE)
_INDEX_WHERE = re.compile(r"\)\s*WHERE\s+(.*)$", re.IGNORECASE | re.DOTALL)
_NULL_TERM = re.compile(r"[\w\"`.\[\]]*?[\"`\[]?(\w+)[\"`\]]?\s+IS\s+(NOT\s+)?NULL", re.IGNORECASE)
_DIALECTS = ("postgres", "mysql", "sqlite")
MAX_STATEMENT_CHARS = 20_000


def split_statements(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, statement)`` for each ``;``-separated statement (leading comments skipped)."""
    start = 0
    for m in _TOKEN.finditer(text):
        if m.group(0) == ";":
            yield from _statement(text, start, m.start())
            start = m.end()
    yield from _statement(text, start, len(text))


def _statement(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    chunk = text[start:end]
    lead = _LEADING_NOISE.match(chunk)
    skip = lead.end() if lead else 0
    body = chunk[skip:].strip()
    if body:
        yield start + skip, body


def _ident(node: exp.Expression | None) -> str:
    if node is None:
        return ""
    if isinstance(node, exp.Identifier):
        return str(node.this)
    if isinstance(node, exp.Column | exp.Table):
        return node.name
    if isinstance(node, exp.Ordered):
        return _ident(node.this) if isinstance(node.this, exp.Column | exp.Identifier) else node.this.sql()
    return node.sql()


def _unquote(name: str) -> str:
    return name.strip().strip('"`[]')


def _table_name(node: exp.Expression | None) -> str:
    if isinstance(node, exp.Schema):
        node = node.this
    if isinstance(node, exp.Table):
        return node.name
    return _ident(node)


def _cols(nodes: list[exp.Expression] | None) -> tuple[str, ...]:
    return tuple(c for c in (_ident(n) for n in nodes or []) if c)


def parse_statement(sql: str) -> exp.Expression | None:
    """The first dialect's parse of one statement that is not a raw ``Command``."""
    order = ("mysql", "postgres", "sqlite") if "`" in sql else _DIALECTS
    for dialect in order:
        try:
            tree = sqlglot.parse_one(sql, read=dialect)
        except Exception:  # sqlglot raises many error types on odd input
            continue
        if isinstance(tree, exp.Expression) and not isinstance(tree, exp.Command):
            return tree
    return None


_CREATE_ENUM = re.compile(
    r"CREATE\s+TYPE\s+([\w\"`.]+)\s+AS\s+ENUM\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL
)


def sql_facts(path: str, text: str, line_offset: int = 0, source: str = "sql") -> Iterator[Fact]:
    """Tables, index definitions and enum types of SQL text; lines are shifted by
    ``line_offset``."""
    for offset, stmt in split_statements(text):
        head = stmt[:400]
        enum = _CREATE_ENUM.match(head) if head[:6].upper() == "CREATE" else None
        if enum is not None:
            line = text.count("\n", 0, offset) + 1 + line_offset
            members = [v for v in _split_top(enum.group(2)) if v.strip()]
            name = _unquote(enum.group(1)).rsplit(".", 1)[-1].strip('"`')
            yield EnumType(Loc(path, line, line + stmt.count("\n")), name=name, members=len(members))
            continue
        if _DO_BLOCK.match(head):
            yield from _block_creations(path, stmt, text.count("\n", 0, offset) + line_offset, source)
            continue
        change = _CHANGE.match(head) is not None
        if not change and not _DDL.match(head) and not _DDL.match(stmt[:4000]):
            continue
        line = text.count("\n", 0, offset) + 1 + line_offset
        end_line = line + stmt.count("\n")
        loc = Loc(path, line, end_line)
        if len(stmt) > MAX_STATEMENT_CHARS:
            continue
        if change:
            yield from change_facts(stmt, loc, source)
            if not _DDL.match(head) and not _DDL.match(stmt[:4000]):
                continue
        tree = parse_statement(stmt)
        if tree is None:
            fallback = _regex_index(stmt, loc, source)
            if fallback is not None:
                yield fallback
            continue
        yield from _facts_of(tree, stmt, loc, source)


def _name(text: str) -> str:
    """A possibly schema-qualified, quoted name without schema and quotes."""
    text = text.strip()
    if text.startswith('"') and text.endswith('"') and '"."' not in text:
        return text.strip('"')
    return _unquote(text.rsplit(".", 1)[-1]).strip('"`[]')


def change_facts(stmt: str, loc: Loc, source: str) -> Iterator[Fact]:
    """:class:`SchemaChange` facts of a ``DROP INDEX`` / ``DROP TABLE`` / ``ALTER INDEX ...
    RENAME`` / ``RENAME TABLE`` / ``ALTER TABLE`` statement (and a unique :class:`IndexDef`
    for a column added as ``UNIQUE``)."""
    head = stmt[:12].upper()
    if head.startswith("DROP"):
        m = _DROP_INDEX.match(stmt)
        if m is not None:
            table = _name(m.group(2)) if m.group(2) else ""
            for name in _split_top(m.group(1)):
                if name.strip():
                    yield SchemaChange(loc, op="drop-index", table=table, name=_name(name), source=source)
            return
        m = _DROP_TABLE.match(stmt)
        if m is not None:
            for name in _split_top(m.group(1)):
                if name.strip():
                    yield SchemaChange(loc, op="drop-table", table=_name(name), source=source)
        return
    if head.startswith("RENAME"):
        m = _RENAME_TABLE.match(stmt)
        for pair in _split_top(m.group(1)) if m is not None else []:
            old, _, new = pair.strip().partition(" ")
            new = new.strip()
            if new[:2].upper() == "TO":
                yield SchemaChange(
                    loc, op="rename-table", table=_name(old), new_name=_name(new[2:]), source=source
                )
        return
    m = _ALTER_INDEX.match(stmt)
    if m is not None:
        yield SchemaChange(
            loc, op="rename-index", name=_name(m.group(1)), new_name=_name(m.group(2)), source=source
        )
        return
    m = _ALTER_TABLE.match(stmt)
    if m is None:
        return
    table = _name(m.group(1))
    for action in _split_top(_COMMENT.sub(" ", m.group(2))):
        action = action.strip()
        for op, pattern in _ACTIONS:
            found = pattern.match(action)
            if found is None:
                continue
            if not op:
                break
            names = [_name(g) for g in found.groups()]
            if op == "add-column":
                if names[0].lower() in _NOT_COLUMNS:
                    break
                yield SchemaChange(loc, op=op, table=table, name=names[0], source=source)
                inline = _INLINE_UNIQUE.search(action, found.end())
                if inline is not None:
                    yield IndexDef(loc, table=table, columns=(names[0],), unique=True, source=source)
            elif op == "rename-table":
                yield SchemaChange(loc, op=op, table=table, new_name=names[0], source=source)
            elif op in {"rename-column", "rename-index"}:
                yield SchemaChange(loc, op=op, table=table, name=names[0], new_name=names[1], source=source)
            else:
                yield SchemaChange(loc, op=op, table=table, name=names[0], source=source)
            break


def up_part(path: str, text: str) -> str:
    """The forward half of a SQL migration file: empty for a file that is only a reverse step,
    the text before a ``-- migrate:down`` / ``-- +goose Down`` / ``-- +migrate Down`` marker."""
    if _DOWN_FILE.search(path):
        return ""
    m = _DOWN_SECTION.search(text)
    return text[: m.start()] if m is not None else text


_DO_BLOCK = re.compile(r"DO\s+(?:LANGUAGE\s+\w+\s+)?\$\w*\$", re.IGNORECASE)
_INNER_DDL = re.compile(r"\b(?:CREATE\s+(?:UNIQUE\s+)?INDEX|CREATE\s+TABLE|ALTER\s+TABLE)\b", re.IGNORECASE)


def _block_creations(path: str, block: str, line_offset: int, source: str) -> Iterator[Fact]:
    """What a PL/pgSQL ``DO $$ ... $$`` block creates (tables, columns, indexes). Its drops
    and renames are left out: a block usually runs them under a condition."""
    for m in _INNER_DDL.finditer(block):
        end = block.find(";", m.start())
        inner = block[m.start() : end if end >= 0 else len(block)]
        shift = line_offset + block.count("\n", 0, m.start())
        for fact in sql_facts(path, inner, line_offset=shift, source=source):
            if not isinstance(fact, SchemaChange) or fact.op in {"create-table", "add-column"}:
                yield fact


def where_terms(predicate: str) -> tuple[str, ...]:
    """A partial index's ``WHERE`` text as :attr:`IndexDef.where` terms: each top-level ``AND``
    term is ``"col IS NULL"``, ``"col IS NOT NULL"`` or ``"?"`` (any other condition)."""
    text = predicate.strip().rstrip(";").strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    if not text:
        return ()
    out: list[str] = []
    for term in _split_and(text):
        term = term.strip()
        while term.startswith("(") and term.endswith(")") and _balanced(term[1:-1]):
            term = term[1:-1].strip()
        m = _NULL_TERM.fullmatch(term)
        out.append(f"{m.group(1)} IS {'NOT ' if m.group(2) else ''}NULL" if m else "?")
    return tuple(out)


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return False
    return depth == 0


def _split_and(text: str) -> list[str]:
    """Top-level ``AND`` terms (an ``OR`` anywhere at the top makes the whole one term)."""
    terms: list[str] = []
    depth = 0
    start = 0
    upper = text.upper()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0 and upper.startswith(" OR ", i):
            return [text]
        elif depth == 0 and upper.startswith(" AND ", i):
            terms.append(text[start:i])
            start = i + 5
            i += 4
        i += 1
    terms.append(text[start:])
    return terms


def _regex_index(stmt: str, loc: Loc, source: str) -> IndexDef | None:
    m = _CREATE_INDEX.match(stmt)
    if m is None:
        return None
    body = m.group(5)
    where: tuple[str, ...] = ()
    tail = _INDEX_WHERE.search(m.group(0))
    if tail is not None:
        # ``(cols) WHERE pred``: the greedy column group swallowed the predicate
        cut = m.group(0).rfind(")", 0, tail.start() + 1)
        body = m.group(0)[m.start(5) - m.start(0) : cut]
        where = where_terms(tail.group(1))
    cols: list[str] = []
    ops: list[str] = []
    for part in _split_top(body):
        if not part.strip():
            continue
        column, opclass = _split_opclass(part)
        cols.append(column)
        ops.append(opclass)
    kind = (m.group(1) or "").strip().upper()
    return IndexDef(
        loc=loc,
        table=_unquote(m.group(3)).rsplit(".", 1)[-1].strip('"`[]'),
        columns=tuple(cols),
        unique=kind == "UNIQUE",
        name=_unquote(m.group(2) or "").rsplit(".", 1)[-1],
        source=source,
        where=where,
        method="fulltext" if kind == "FULLTEXT" else _method(m.group(4)),
        opclasses=tuple(ops) if any(ops) else (),
    )


_OPCLASS = re.compile(
    r"^(.*?[\w\"`\])])\s+([A-Za-z_]\w*_ops)(?:\s+(?:ASC|DESC)\b.*)?$", re.IGNORECASE | re.DOTALL
)


def _split_opclass(part: str) -> tuple[str, str]:
    """``"name" gin_trgm_ops`` -> (``name``, ``gin_trgm_ops``); ``to_tsvector('english', x)``
    is kept whole; ``name DESC`` -> (``name``, "")."""
    text = part.strip()
    m = _OPCLASS.match(text)
    if m is not None:
        column, opclass = m.group(1).strip(), m.group(2).lower()
    else:
        column, opclass = text, ""
    if "(" in column:
        return column, opclass
    return _unquote(column.split()[0]), opclass


def _method(using: str | None) -> str:
    """An index's access method as :attr:`Index.method` records it (``""`` for b-tree)."""
    method = (using or "").strip().lower()
    return "" if method == "btree" else method


def _index_columns(nodes: list[exp.Expression] | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Columns of an index definition with their operator classes (``""`` where none): an
    expression column is kept as its SQL (``TO_TSVECTOR('english', title)``)."""
    cols: list[str] = []
    ops: list[str] = []
    for node in nodes or []:
        inner = node.this if isinstance(node, exp.Ordered) else node
        opclass = ""
        if isinstance(inner, exp.Opclass):
            opclass = _ident(inner.expression).lower()
            inner = inner.this
        if isinstance(inner, exp.Literal) and inner.is_string:  # MySQL reads ``"name"`` as a string
            name = str(inner.this)
        elif isinstance(inner, exp.Column | exp.Identifier):
            name = _ident(inner)
        else:
            name = inner.sql(dialect="postgres")
        if name:
            cols.append(name)
            ops.append(opclass)
    return tuple(cols), tuple(ops) if any(ops) else ()


def _split_top(text: str) -> list[str]:
    out: list[str] = []
    depth = 0
    cur = ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def _facts_of(tree: exp.Expression, stmt: str, loc: Loc, source: str) -> Iterator[Fact]:
    if isinstance(tree, exp.Create):
        kind = str(tree.args.get("kind") or "").upper()
        if kind == "INDEX" and isinstance(tree.this, exp.Index):
            idx = tree.this
            params = idx.args.get("params")
            columns, opclasses = _index_columns(params.args.get("columns") if params is not None else None)
            if not columns:
                columns, opclasses = _index_columns(idx.args.get("columns"))
            where = params.args.get("where") if params is not None else None
            using = params.args.get("using") if params is not None else None
            yield IndexDef(
                loc=loc,
                table=_table_name(idx.args.get("table")),
                columns=columns,
                unique=bool(tree.args.get("unique")),
                name=_ident(idx.this),
                source=source,
                where=where_terms(where.this.sql(dialect="postgres")) if isinstance(where, exp.Where) else (),
                method=_method(using.name if isinstance(using, exp.Expression) else None),
                opclasses=opclasses,
            )
        elif kind == "TABLE" and isinstance(tree.this, exp.Schema):
            table = _create_table(tree.this, stmt, loc, source)
            if table is not None:
                yield table
    elif isinstance(tree, exp.Alter):
        altered = _table_name(tree.this)
        for action in tree.args.get("actions") or []:
            for item in _constraint_items(action):
                found = _index_of(item, loc.line)
                if found is not None:
                    yield IndexDef(
                        loc=loc,
                        table=altered,
                        columns=found.columns,
                        unique=found.unique,
                        name=found.name or _constraint_name(item),
                        source=source,
                        method=found.method,
                    )


def _constraint_items(node: exp.Expression) -> Iterator[exp.Expression]:
    if isinstance(node, exp.AddConstraint):
        for item in node.expressions:
            yield from _constraint_items(item)
    elif isinstance(node, exp.Constraint):
        for item in node.expressions:
            yield item
    else:
        yield node


def _constraint_name(node: exp.Expression) -> str:
    parent = node.parent
    return _ident(parent.this) if isinstance(parent, exp.Constraint) else ""


def _index_of(node: exp.Expression, line: int) -> Index | None:
    """Index described by a table-level constraint (PK, UNIQUE, KEY/INDEX)."""
    if isinstance(node, exp.PrimaryKey):
        return Index(_cols(node.expressions), line, unique=True, primary=True, name=_constraint_name(node))
    if isinstance(node, exp.UniqueColumnConstraint):
        schema = node.this
        if isinstance(schema, exp.Schema):
            name = _ident(schema.this) if schema.this is not None else _constraint_name(node)
            return Index(_cols(schema.expressions), line, unique=True, name=name)
        return None
    if isinstance(node, exp.IndexColumnConstraint):
        kind = str(node.args.get("kind") or "").upper()
        if kind == "SPATIAL":
            return None
        return Index(
            _cols(node.expressions),
            line,
            unique=kind == "UNIQUE",
            name=_ident(node.this),
            method="fulltext" if kind == "FULLTEXT" else "",
        )
    return None


def _create_table(schema: exp.Schema, stmt: str, loc: Loc, source: str) -> Table | None:
    name = _table_name(schema)
    if not name:
        return None
    columns: dict[str, Column] = {}
    indexes: list[Index] = []
    refs: dict[str, tuple[str, str]] = {}
    for item in schema.expressions:
        if isinstance(item, exp.ColumnDef):
            col = _column(item, stmt, loc.line)
            columns[col.name] = col
            continue
        for part in _constraint_items(item):
            if isinstance(part, exp.ForeignKey):
                ref = part.args.get("reference")
                link = (_reference(ref), _on_delete(ref))
                for col_name in _cols(part.expressions):
                    refs[col_name] = link
                continue
            found = _index_of(part, loc.line)
            if found is not None and found.columns:
                indexes.append(found)
    for col_name, (ref_target, action) in refs.items():
        if col_name in columns:
            columns[col_name] = replace(columns[col_name], references=ref_target, on_delete=action)
    mark_keys(columns, indexes)
    return Table(loc=loc, name=name, source=source, columns=tuple(columns.values()), indexes=tuple(indexes))


def _on_delete(ref: exp.Expression | None) -> str:
    """``REFERENCES users (id) ON DELETE CASCADE`` -> ``cascade``."""
    if not isinstance(ref, exp.Reference):
        return ""
    for option in ref.args.get("options") or []:
        text = str(option).upper()
        if text.startswith("ON DELETE "):
            return text.removeprefix("ON DELETE ").strip().lower()
    return ""


def _reference(ref: exp.Expression | None) -> str:
    if not isinstance(ref, exp.Reference):
        return ""
    target = ref.this
    if isinstance(target, exp.Schema):
        cols = _cols(target.expressions)
        return f"{_table_name(target)}.{cols[0]}" if cols else _table_name(target)
    return _table_name(target)


def _column(item: exp.ColumnDef, stmt: str, line: int) -> Column:
    name = _ident(item.this)
    primary = unique = False
    refs = action = ""
    for cons in item.args.get("constraints") or []:
        kind = cons.args.get("kind") if isinstance(cons, exp.ColumnConstraint) else cons
        if isinstance(kind, exp.PrimaryKeyColumnConstraint):
            primary = True
        elif isinstance(kind, exp.UniqueColumnConstraint):
            unique = True
        elif isinstance(kind, exp.Reference):
            refs = _reference(kind)
            action = _on_delete(kind)
    col_line = line
    m = re.search(rf"(^|[\s(,])[\"`\[]?{re.escape(name)}[\"`\]]?\s", stmt)
    if m is not None:
        col_line = line + stmt.count("\n", 0, m.start() + 1)
    kind_node = item.args.get("kind")
    type_text = kind_node.sql().lower() if kind_node is not None else ""
    return Column(
        name=name,
        line=col_line,
        type=type_text,
        # a user-defined type (``"enum_users_role"``): an enum when ``CREATE TYPE`` says so
        enum=kind_node.sql().rsplit(".", 1)[-1].strip('"`')
        if isinstance(kind_node, exp.DataType) and kind_node.this == exp.DataType.Type.USERDEFINED
        else "",
        primary_key=primary,
        unique=unique,
        references=refs,
        on_delete=action,
    )


@extractor(
    languages=("sql",),
    needs=("CREATE", "create", "ALTER", "alter", "DROP", "drop", "RENAME", "rename"),
    migrations=True,
)
def sql_schema(ctx: FileContext) -> None:
    """Emit :class:`Table` for ``CREATE TABLE``, :class:`IndexDef` for indexes and keys and
    :class:`SchemaChange` for drops, renames and added columns (not of a down step)."""
    for fact in sql_facts(ctx.path, up_part(ctx.path, ctx.text)):
        ctx.emit(fact)


_EMBEDDED = re.compile(
    r"CREATE\s+(?:UNIQUE\s+)?INDEX\b|ALTER\s+(?:TABLE|INDEX)\b|CREATE\s+TABLE\b|DROP\s+(?:INDEX|TABLE)\b",
    re.IGNORECASE,
)
_TEMPLATE_SUB = re.compile(r"\$\{[^}]*\}")


@extractor(
    languages=("javascript", "typescript", "tsx", "python"),
    needs=(
        "CREATE INDEX",
        "create index",
        "CREATE UNIQUE INDEX",
        "create unique index",
        "ALTER TABLE",
        "CREATE TABLE",
        "DROP INDEX",
        "DROP TABLE",
        "ALTER INDEX",
    ),
    migrations=True,
)
def embedded_sql_indexes(ctx: FileContext) -> None:
    """Schema steps run by SQL strings in code (``queryRunner.query(...)``, ``op.execute``,
    ``migrations.RunSQL``, ``knex.raw``): :class:`IndexDef` facts for indexes and keys (those
    of a ``CREATE TABLE`` too), :class:`SchemaChange` facts for the tables it creates (with
    their columns), drops, renames and added columns; nothing from a migration's down step."""
    text = ctx.text
    ascii_only = len(text) == len(ctx.source)
    for m in _EMBEDDED.finditer(text):
        quote_pos = max(text.rfind(q, max(0, m.start() - 200), m.start()) for q in ("'", '"', "`"))
        if quote_pos < 0:
            continue
        quote = text[quote_pos]
        if text[quote_pos : quote_pos + 3] == quote * 3:
            quote = quote * 3
        end = text.find(quote, m.start())
        if end < 0 or end - m.start() > MAX_STATEMENT_CHARS:
            continue
        sql = _TEMPLATE_SUB.sub("x", text[m.start() : end]).replace("\\n", " ")
        offset = text.count("\n", 0, m.start())
        facts = list(sql_facts(ctx.path, sql, line_offset=offset, source="migration"))
        if not facts:
            continue
        at = m.start() if ascii_only else len(text[: m.start()].encode())
        node = ctx.root.descendant_for_byte_range(at, at)
        if node is not None and in_down(node):
            continue
        for fact in facts:
            if isinstance(fact, Table):
                ctx.emit(
                    SchemaChange(
                        fact.loc, op="create-table", table=fact.name,
                        columns=tuple(c.name for c in fact.columns), source="migration",
                    )
                )  # fmt: skip
                for key in table_keys(fact, "migration"):
                    ctx.emit(key)
            elif isinstance(fact, IndexDef | SchemaChange):
                ctx.emit(fact)


def table_keys(table: Table, source: str) -> list[IndexDef]:
    """The keys and indexes a ``CREATE TABLE`` creates, as :class:`IndexDef` facts."""
    out = [
        IndexDef(
            table.loc, table=table.name, columns=idx.columns, unique=idx.unique, name=idx.name, source=source
        )
        for idx in table.indexes
        if idx.columns
    ]
    keyed = {idx.columns for idx in table.indexes}
    for col in table.columns:
        if (col.unique or col.primary_key) and (col.name,) not in keyed:
            out.append(IndexDef(table.loc, table=table.name, columns=(col.name,), unique=True, source=source))
    return out
