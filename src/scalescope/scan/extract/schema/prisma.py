"""Prisma schema files: models, their columns, ids, uniques, indexes and relations.

No Prisma parser exists on PyPI, so this is a small line-based parser: comments (``//`` and
``///``) are stripped outside strings, attributes whose parentheses span several lines are
joined, and ``enum`` / ``type`` / ``datasource`` / ``generator`` / ``view`` blocks are skipped.
Prisma does not index foreign keys on PostgreSQL, so a relation scalar (``authorId``) is
``indexed`` only when an ``@@index``/``@@unique``/``@@id`` leads with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from scalescope.model.facts import Column, Index, Loc, Table
from scalescope.scan.extract.base import FileContext, extractor
from scalescope.scan.extract.schema._common import mark_keys

SCALARS = frozenset(
    {"String", "Boolean", "Int", "BigInt", "Float", "Decimal", "DateTime", "Json", "Bytes", "Unsupported"}
)
_BLOCK = re.compile(r"^\s*(model|enum|type|view|datasource|generator)\s+(\w+)\s*\{")
_FIELD = re.compile(r"^\s*(\w+)\s+([\w.]+(?:\([^)]*\))?)(\[\])?(\?)?(.*)$")
_ATTR = re.compile(r"@@?([\w.]+)")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def strip_comment(line: str) -> str:
    """The line without its ``//`` comment (quotes respected)."""
    if "//" not in line:
        return line
    in_str = False
    prev = ""
    for i, ch in enumerate(line):
        if ch == '"' and prev != "\\":
            in_str = not in_str
        elif ch == "/" and prev == "/" and not in_str:
            return line[: i - 1]
        prev = ch
    return line


def _logical_lines(lines: list[str], start: int) -> tuple[list[tuple[int, str]], int]:
    """Lines of a block starting after index ``start`` up to its closing brace, with
    multi-line parentheses/brackets joined; returns them (1-based line, text) and the index of
    the closing line."""
    out: list[tuple[int, str]] = []
    i = start + 1
    buf = ""
    buf_line = 0
    depth = 0
    while i < len(lines):
        text = strip_comment(lines[i])
        if not buf and depth == 0 and text.strip() == "}":
            return out, i
        if not buf:
            buf_line = i + 1
        buf = f"{buf} {text.strip()}" if buf else text.strip()
        depth = _depth(buf)
        if depth <= 0:
            if buf.endswith("}") and buf.count("{") < buf.count("}"):
                # a field and the closing brace on one line (``id Int @id }``)
                out.append((buf_line, buf[:-1]))
                return out, i
            if buf:
                out.append((buf_line, buf))
            buf = ""
            depth = 0
        elif i - buf_line > 40:  # unbalanced: give up joining
            out.append((buf_line, buf))
            buf = ""
            depth = 0
        i += 1
    if buf:
        out.append((buf_line, buf))
    return out, len(lines) - 1


def _depth(text: str) -> int:
    depth = 0
    in_str = False
    prev = ""
    for ch in text:
        if ch == '"' and prev != "\\":
            in_str = not in_str
        elif not in_str:
            if ch in "([":
                depth += 1
            elif ch in ")]":
                depth -= 1
        prev = ch
    return depth


def attr_args(text: str, name: str) -> str | None:
    """Argument text of ``@name(...)`` / ``@@name(...)`` in ``text`` (``""`` when bare,
    ``None`` when absent)."""
    m = re.search(rf"@{re.escape(name)}(?![\w.])", text)
    if m is None:
        return None
    j = m.end()
    if j >= len(text) or text[j] != "(":
        return ""
    depth = 0
    in_str = False
    for k in range(j, len(text)):
        ch = text[k]
        if ch == '"' and text[k - 1] != "\\":
            in_str = not in_str
        elif not in_str:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return text[j + 1 : k]
    return text[j + 1 :]


def _named(args: str, key: str) -> str | None:
    """Value of ``key: value`` in an attribute argument list (a list or a string)."""
    m = re.search(rf"(?<![\w.]){key}\s*:\s*(\[[^\]]*\]|\"(?:[^\"\\]|\\.)*\"|[\w.]+)", args)
    return m.group(1) if m else None


def _referential_action(value: str | None) -> str:
    """``Cascade`` -> ``cascade``, ``SetNull`` -> ``set null``, ``NoAction`` -> ``no action``."""
    if not value:
        return ""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", value.strip('"')).lower()


def _list(value: str | None) -> list[str]:
    """Field names of ``[a, b(sort: Desc), c(ops: raw("..."))]`` in order."""
    if not value:
        return []
    inner = value.strip()
    if inner.startswith("["):
        inner = inner[1:]
        inner = inner[: inner.rfind("]")] if "]" in inner else inner
    names: list[str] = []
    depth = 0
    cur = ""
    for ch in inner:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            names.append(cur)
            cur = ""
            continue
        if depth == 0 and ch != ")":
            cur += ch
    names.append(cur)
    return [n.strip() for n in names if n.strip() and re.match(r"^\w+$", n.strip())]


def _first_list(args: str) -> list[str]:
    """The positional (or ``fields:``) list of ``@@index([...], ...)``."""
    named = _named(args, "fields")
    if named:
        return _list(named)
    stripped = args.strip()
    if stripped.startswith("["):
        return _list(stripped[: stripped.find("]") + 1])
    # one field without brackets: ``@@index(projectId)``, ``@@index(lastChecked(sort: Asc))``
    m = re.match(r"(\w+)\s*(?:\([^)]*\))?\s*(?:,|$)", stripped)
    if m is not None and not re.match(r"\w+\s*:", stripped):
        return [m.group(1)]
    return []


_OPS = re.compile(r"\bops\s*:\s*(?:raw\(\s*\"([^\"]+)\"\s*\)|(\w+))")


def _first_ops(args: str) -> tuple[str, ...]:
    """Operator class per field of ``@@index([name(ops: raw("gin_trgm_ops")), email])``
    (``""`` where none): ``raw("...")`` as written, a named class (``JsonbPathOps``) in
    snake case."""
    named = _named(args, "fields")
    stripped = named if named else args.strip()
    if not stripped.startswith("["):
        m = _OPS.search(stripped.split(",", 1)[0] if "ops" not in stripped else stripped)
        return (_op_name(m),) if m else ("",)
    inner = stripped[1 : stripped.find("]")] if "]" in stripped else stripped[1:]
    out: list[str] = []
    depth = 0
    cur = ""
    for ch in inner + ",":
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            if cur.strip():
                m = _OPS.search(cur)
                out.append(_op_name(m) if m else "")
            cur = ""
            continue
        cur += ch
    return tuple(out)


def _op_name(m: re.Match[str]) -> str:
    if m.group(1):
        return m.group(1).lower()
    return re.sub(r"(?<!^)(?=[A-Z])", "_", m.group(2)).lower()


def _string_arg(args: str | None, key: str = "name") -> str:
    """The first positional string (or ``key: "..."``) of an attribute's arguments."""
    if not args:
        return ""
    stripped = args.strip()
    if stripped.startswith('"'):
        m = _QUOTED.match(stripped)
        return m.group(1) if m else ""
    named = _named(args, key)
    if named and named.startswith('"'):
        return named.strip('"')
    return ""


@dataclass
class _Model:
    name: str
    line: int
    end_line: int = 0
    db_name: str = ""
    fields: list[tuple[int, str]] = field(default_factory=list)
    block_attrs: list[tuple[int, str]] = field(default_factory=list)


def parse_prisma(path: str, text: str) -> list[Table]:
    """Every model of a Prisma schema as a :class:`Table` (``source="prisma"``)."""
    lines = text.splitlines()
    models: list[_Model] = []
    enums: dict[str, int] = {}  # enum name -> number of values
    composites: set[str] = set()
    i = 0
    while i < len(lines):
        m = _BLOCK.match(strip_comment(lines[i]))
        if m is None:
            i += 1
            continue
        kind, name = m.group(1), m.group(2)
        body, end = _logical_lines(lines, i)
        if kind == "model":
            model = _Model(name, i + 1, end + 1)
            for lineno, entry in body:
                if entry.startswith("@@"):
                    model.block_attrs.append((lineno, entry))
                elif entry:
                    model.fields.append((lineno, entry))
            models.append(model)
        elif kind == "enum":
            enums[name] = sum(1 for _, entry in body if entry and not entry.startswith("@@"))
        elif kind == "type":
            composites.add(name)
        i = end + 1
    names = {mo.name for mo in models}
    return [_table(path, mo, names, enums, composites) for mo in models]


def _table(path: str, model: _Model, models: set[str], enums: dict[str, int], composites: set[str]) -> Table:
    columns: dict[str, Column] = {}
    indexes: list[Index] = []
    fk_refs: dict[str, str] = {}
    fk_actions: dict[str, str] = {}  # foreign key column -> its relation's onDelete
    for lineno, entry in model.fields:
        fm = _FIELD.match(entry)
        if fm is None:
            continue
        fname, ftype, is_list, _opt, rest = fm.groups()
        base = ftype.split("(", 1)[0]
        relation_args = attr_args(rest, "relation")
        # scalars, enums and composite types are columns (``Int[]`` is an array column); a model
        # type, or an unknown type (a model or enum of another schema file), is a relation
        is_relation = base not in SCALARS and base not in enums and base not in composites
        refs = ""
        on_delete = ""
        if is_relation:
            refs = base
            if relation_args:
                on_delete = _referential_action(_named(relation_args, "onDelete"))
                local = _list(_named(relation_args, "fields"))
                remote = _list(_named(relation_args, "references"))
                for pos, col in enumerate(local):
                    target = remote[pos] if pos < len(remote) else "id"
                    fk_refs[col] = f"{base}.{target}"
                    fk_actions[col] = on_delete
        columns[fname] = Column(
            name=fname,
            line=lineno,
            db_name=_string_arg(attr_args(rest, "map")),
            type=base + ("[]" if is_list else ""),
            primary_key=attr_args(rest, "id") is not None,
            unique=attr_args(rest, "unique") is not None,
            references=refs,
            is_relation=is_relation,
            values=enums.get(base, 0) if not is_list else 0,
            enum=base if base in enums else "",
            on_delete=on_delete,
        )
    table_name = model.name
    for lineno, entry in model.block_attrs:
        attr = _ATTR.match(entry)
        if attr is None:
            continue
        kind = attr.group(1)
        args = attr_args(entry, kind) or ""
        if kind == "map":
            table_name = _string_arg(args) or table_name
            continue
        if kind not in {"id", "unique", "index", "fulltext"}:
            continue  # @@schema, @@ignore...
        cols = tuple(_first_list(args))
        if not cols:
            continue
        name = (_named(args, "map") or _named(args, "name") or "").strip('"')
        method = "fulltext" if kind == "fulltext" else (_named(args, "type") or "").lower()
        ops = _first_ops(args)
        indexes.append(
            Index(
                columns=cols,
                line=lineno,
                unique=kind in {"id", "unique"},
                name=name,
                primary=kind == "id",
                method="" if method == "btree" else method,
                opclasses=ops if len(ops) == len(cols) and any(ops) else (),
            )
        )
    for col, ref in fk_refs.items():
        if col in columns and not columns[col].references:
            columns[col] = replace(
                columns[col], references=ref, is_relation=False, on_delete=fk_actions.get(col, "")
            )
    mark_keys(columns, indexes)  # a one-column @@id / @@unique makes that column a key
    return Table(
        loc=Loc(path, model.line, model.end_line),
        name=table_name,
        source="prisma",
        model=model.name,
        columns=tuple(columns.values()),
        indexes=tuple(indexes),
    )


@extractor(languages=("prisma",), needs=("model",))
def prisma_schema(ctx: FileContext) -> None:
    """Emit a :class:`Table` per Prisma ``model``."""
    for table in parse_prisma(ctx.path, ctx.text):
        ctx.emit(table)
