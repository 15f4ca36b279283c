"""TypeORM entities (``@Entity`` classes) and NestJS Mongoose classes (``@Schema`` + ``@Prop``).

Column decorators give columns (``@Column({ name, unique })``, ``@PrimaryGeneratedColumn``,
``@CreateDateColumn``...), property ``@Index()`` / class ``@Index([...])`` / ``@Unique([...])``
give indexes. ``@ManyToOne``/``@OneToOne`` with a join column add the foreign-key column
(``<property>Id`` unless ``@JoinColumn({ name })``); TypeORM does not index it on PostgreSQL.
"""

from __future__ import annotations

import tree_sitter as ts

from scalescope.model.facts import Column, Index, Retention, Table
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.js.ast import (
    decorator_call,
    decorators_of,
    object_pairs,
    string_value,
    unwrap,
)
from scalescope.scan.extract.schema._common import js_strings, js_true, line_of, mark_keys, snake

_PRIMARY = frozenset({"PrimaryGeneratedColumn", "PrimaryColumn", "ObjectIdColumn"})
_COLUMN = frozenset(
    {
        "Column",
        "CreateDateColumn",
        "UpdateDateColumn",
        "DeleteDateColumn",
        "VersionColumn",
        "ViewColumn",
        "Prop",
    }
)
_OWNING = frozenset({"ManyToOne", "OneToOne"})
_RELATION = frozenset({"ManyToOne", "OneToOne", "OneToMany", "ManyToMany"})


def _target(ctx: FileContext, args: list[ts.Node]) -> str:
    """``() => Org`` / ``'Org'`` / ``type => Org`` -> "Org"."""
    if not args:
        return ""
    first = unwrap(args[0])
    if first is None:
        return ""
    if first.type == "arrow_function":
        body = unwrap(first.child_by_field_name("body"))
        return ctx.node_text(body) if body is not None and body.type == "identifier" else ""
    return string_value(ctx, first) or ""


def _index_columns(ctx: FileContext, node: ts.Node | None) -> list[str]:
    """``['a', 'b']`` or ``(e) => [e.a, e.b]``."""
    node = unwrap(node)
    if node is None:
        return []
    if node.type == "arrow_function":
        body = unwrap(node.child_by_field_name("body"))
        if body is None or body.type != "array":
            return []
        out = []
        for item in body.named_children:
            if item.type == "member_expression":
                out.append(ctx.node_text(item.child_by_field_name("property")))
        return out
    return js_strings(ctx, node)


def _class_index(ctx: FileContext, name: str, args: list[ts.Node], line: int) -> Index | None:
    """``@Index(['a'])``, ``@Index('ix', ['a'], { unique })``, ``@Unique('u', ['a'])``."""
    iname = ""
    rest = args
    if rest and string_value(ctx, rest[0]) is not None and len(rest) > 1:
        iname = string_value(ctx, rest[0]) or ""
        rest = rest[1:]
    if not rest:
        return None
    cols = _index_columns(ctx, rest[0])
    if not cols:
        return None
    opts = object_pairs(ctx, rest[1]) if len(rest) > 1 else {}
    unique = name == "Unique" or js_true(ctx, opts.get("unique"))
    method = "fulltext" if js_true(ctx, opts.get("fulltext")) else ""
    return Index(tuple(cols), line, unique=unique, name=iname, method=method)


def entity_table(ctx: FileContext, cls: ts.Node) -> Table | None:
    """The :class:`Table` of one ``@Entity`` / ``@Schema`` class, or ``None``."""
    decos = [(decorator_call(ctx, d), d) for d in decorators_of(ctx, cls)]
    kinds = {name for (name, _), _ in decos}
    source = "typeorm" if "Entity" in kinds else "mongoose" if "Schema" in kinds else ""
    if not source:
        return None
    name_node = cls.child_by_field_name("name")
    model = ctx.node_text(name_node)
    table_name = ""
    indexes: list[Index] = []
    for (dname, args), deco in decos:
        if dname in {"Entity", "Schema"} and args:
            table_name = string_value(ctx, args[0]) or ""
            opts = object_pairs(ctx, args[0])
            for key in ("name", "collection"):
                if not table_name and key in opts:
                    table_name = string_value(ctx, opts[key]) or ""
        elif dname in {"Index", "Unique"}:
            idx = _class_index(ctx, dname, args, line_of(deco))
            if idx is not None:
                indexes.append(idx)
    if not table_name:
        table_name = snake(model) if source == "typeorm" else model.lower() + "s"
    columns: dict[str, Column] = {}
    body = cls.child_by_field_name("body")
    for member in body.named_children if body is not None else []:
        if member.type not in {"public_field_definition", "field_definition"}:
            continue
        _field(ctx, member, columns, indexes)
    if source == "mongoose" and "_id" not in columns:
        columns["_id"] = Column("_id", line_of(cls), primary_key=True)
    mark_keys(columns, indexes)
    return Table(
        loc=ctx.loc(cls),
        name=table_name,
        source=source,
        model=model,
        columns=tuple(columns.values()),
        indexes=tuple(indexes),
    )


def _field(ctx: FileContext, member: ts.Node, columns: dict[str, Column], indexes: list[Index]) -> None:
    prop = member.child_by_field_name("name") or member.child_by_field_name("property")
    if prop is None:
        return
    fname = ctx.node_text(prop)
    line = line_of(prop)
    primary = unique = indexed = is_column = False
    db_name = refs = join_name = on_delete = ""
    relation = ""
    col_type = enum = ""
    values = 0
    for deco in (c for c in member.children if c.type == "decorator"):
        dname, args = decorator_call(ctx, deco)
        opts = object_pairs(ctx, args[-1]) if args else {}
        if dname in _PRIMARY:
            is_column = primary = True
        elif dname in _COLUMN:
            is_column = True
            unique = unique or js_true(ctx, opts.get("unique"))
            indexed = indexed or js_true(ctx, opts.get("index"))
            primary = primary or js_true(ctx, opts.get("primary"))
            db_name = string_value(ctx, opts.get("name")) or db_name
            col_type = (
                (string_value(ctx, args[0]) if args else None)
                or string_value(ctx, opts.get("type"))
                or col_type
            )
            default = unwrap(opts.get("default"))
            if default is not None and default.type == "member_expression" and not enum:
                owner = ctx.node_text(default.child_by_field_name("object")).rsplit(".", 1)[-1]
                enum = owner if owner[:1].isupper() else ""  # ``default: Status.OPEN``
            enum_node = unwrap(opts.get("enum"))
            if enum_node is not None and enum_node.type == "array":
                values = len(enum_node.named_children)
            elif enum_node is not None and enum_node.type in {"identifier", "member_expression"}:
                enum = ctx.node_text(enum_node)
            if dname == "Prop" and "ref" in opts:
                refs = string_value(ctx, opts["ref"]) or ctx.node_text(opts["ref"])
        elif dname == "Index":
            idx_opts = object_pairs(ctx, args[-1]) if args else {}
            if js_true(ctx, idx_opts.get("fulltext")):  # MySQL FULLTEXT: serves MATCH only
                indexes.append(Index((fname,), line_of(deco), method="fulltext"))
            elif js_true(ctx, idx_opts.get("unique")):
                unique = True
            else:
                indexed = True
        elif dname == "Unique":
            unique = True
        elif dname in _RELATION:
            relation = dname
            refs = _target(ctx, args)
            action = string_value(ctx, opts.get("onDelete")) if len(args) > 1 else None
            on_delete = action.lower() if action else ""
        elif dname == "JoinColumn":
            join_name = string_value(ctx, opts.get("name")) or "+"
        elif dname == "RelationId":
            is_column = True
    if relation:
        columns[fname] = Column(
            fname,
            line,
            type=relation,
            references=refs,
            is_relation=True,
            indexed=indexed,
            unique=unique,
            on_delete=on_delete,
        )
        if relation in _OWNING and (relation == "ManyToOne" or join_name):
            fk = join_name if join_name not in {"", "+"} else f"{fname}Id"
            if fk not in columns:
                columns[fk] = Column(
                    fk,
                    line,
                    references=f"{refs}.id" if refs else "",
                    indexed=indexed,
                    unique=unique or relation == "OneToOne",
                    on_delete=on_delete,
                )
        return
    if is_column:
        hint = _type_hint(ctx, member)
        columns[fname] = Column(
            fname,
            line,
            db_name=db_name,
            type=col_type or hint,
            primary_key=primary,
            unique=unique,
            indexed=indexed,
            references=refs,
            values=values,
            # ``status: IssueStatus``: an enum declared elsewhere lists the values
            enum=enum or (hint if hint.isidentifier() and hint not in _TS_PRIMITIVES else ""),
        )


_TS_PRIMITIVES = frozenset(
    {"string", "number", "boolean", "bigint", "Date", "object", "any", "unknown", "Buffer"}
)


def _type_hint(ctx: FileContext, member: ts.Node) -> str:
    """The TypeScript type of a class property (``status: IssueStatus`` -> ``IssueStatus``),
    without ``| null``."""
    node = member.child_by_field_name("type")
    text = ctx.node_text(node).lstrip(":").strip()
    parts = [p.strip() for p in text.split("|") if p.strip() not in {"null", "undefined"}]
    return parts[0] if len(parts) == 1 else ""


@extractor(languages=JS_LANGUAGES, needs=("@Entity", "@Schema("))
def typeorm_entities(ctx: FileContext) -> None:
    """Emit a :class:`Table` per TypeORM ``@Entity`` / NestJS ``@Schema`` class."""
    for cls in captures(ctx.language, "(class_declaration) @c", ctx.root).get("c", []):
        table = entity_table(ctx, cls)
        if table is not None:
            ctx.emit(table)
            if table.source == "mongoose":
                _mongoose_retention(ctx, cls, table.model)


def _mongoose_retention(ctx: FileContext, cls: ts.Node, model: str) -> None:
    """A NestJS Mongoose class whose documents expire: ``@Prop({ expires: '7d' })`` (a TTL
    index) or ``@Schema({ capped: ... })`` (a capped collection)."""
    for deco in decorators_of(ctx, cls):
        name, args = decorator_call(ctx, deco)
        if name == "Schema" and args and "capped" in object_pairs(ctx, args[0]):
            ctx.emit(
                Retention(ctx.loc(deco), table=model, mechanism="capped", detail=ctx.node_text(deco)[:80])
            )
    body = cls.child_by_field_name("body")
    for member in body.named_children if body is not None else []:
        for deco in (c for c in member.children if c.type == "decorator"):
            name, args = decorator_call(ctx, deco)
            if name == "Prop" and args and "expires" in object_pairs(ctx, args[-1]):
                ctx.emit(
                    Retention(ctx.loc(deco), table=model, mechanism="ttl", detail=ctx.node_text(deco)[:80])
                )
                return
