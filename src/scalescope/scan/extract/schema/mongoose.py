"""Mongoose schemas: ``new Schema({...})`` fields with ``index``/``unique``, ``schema.index()``
compound indexes and the model name from ``mongoose.model('User', schema)``. ``schema.index()``
on a NestJS ``SchemaFactory.createForClass(User)`` schema becomes an :class:`IndexDef` for the
``User`` class (its fields come from :mod:`.typeorm`'s ``@Prop`` reader). A TTL (a field's
``expires``, an index's ``expireAfterSeconds``) or a ``capped`` schema option is a
:class:`Retention` of the model."""

from __future__ import annotations

import tree_sitter as ts

from scalescope.model.facts import Column, Index, IndexDef, Retention, Table
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, captures, extractor
from scalescope.scan.extract.js.ast import arguments, iter_calls, object_pairs, string_value, unwrap
from scalescope.scan.extract.schema._common import assigned_name, js_true, line_of, mark_keys


def pluralize(name: str) -> str:
    """Mongoose's default collection name for a model (``Category`` -> ``categories``)."""
    low = name.lower()
    if low.endswith("y") and low[-2:-1] not in {"a", "e", "i", "o", "u"}:
        return low[:-1] + "ies"
    if low.endswith(("s", "x", "z", "ch", "sh")):
        return low if low.endswith("s") else low + "es"
    return low + "s"


def _fields(ctx: FileContext, obj: ts.Node | None, line: int) -> dict[str, Column]:
    columns: dict[str, Column] = {"_id": Column("_id", line, primary_key=True)}
    for key, value in object_pairs(ctx, obj).items():
        v = unwrap(value)
        if v is None:
            continue
        lineno = line_of(value.parent if value.parent is not None and value.parent.type == "pair" else value)
        many = v.type == "array"  # ``[{ type: ObjectId, ref: "Tag" }]``: a list of refs
        if many and v.named_children:
            v = unwrap(v.named_children[0]) or v
        opts = object_pairs(ctx, v) if v.type == "object" else {}
        if opts and "type" not in opts:
            columns[key] = Column(key, lineno, type="object")  # nested sub-document
            continue
        ref = opts.get("ref")
        declared = ctx.node_text(opts.get("type")) if opts else ctx.node_text(v)
        listed = unwrap(opts.get("enum"))
        if listed is not None and listed.type == "object":  # ``enum: { values: [...], message }``
            listed = unwrap(object_pairs(ctx, listed).get("values"))
        values = len(listed.named_children) if listed is not None and listed.type == "array" else 0
        enum = ""
        if listed is not None and listed.type == "call_expression":  # ``enum: Object.values(Status)``
            inner = arguments(listed)
            enum = ctx.node_text(inner[0]).rsplit(".", 1)[-1] if inner else ""
        columns[key] = Column(
            key,
            lineno,
            # an array of refs is a list relation (``ObjectId[]``), never one parent's key
            type=declared + "[]" if many and ref is not None else declared,
            primary_key=key == "_id",
            unique=js_true(ctx, opts.get("unique")),
            indexed=js_true(ctx, opts.get("index")) or js_true(ctx, opts.get("sparse")),
            references=(string_value(ctx, ref) or ctx.node_text(ref)) if ref is not None else "",
            values=values,
            enum=enum,
        )
    return columns


def _ttl_fields(ctx: FileContext, obj: ts.Node | None) -> list[ts.Node]:
    """Fields declared with ``expires`` (``createdAt: { type: Date, expires: '7d' }``)."""
    found: list[ts.Node] = []
    for value in object_pairs(ctx, obj).values():
        v = unwrap(value)
        if v is not None and v.type == "object" and "expires" in object_pairs(ctx, v):
            found.append(v)
    return found


def _ttl_index(ctx: FileContext, call: ts.Node) -> bool:
    """``schema.index({ createdAt: 1 }, { expireAfterSeconds: 3600 })``."""
    args = arguments(call)
    return len(args) > 1 and "expireAfterSeconds" in object_pairs(ctx, args[1])


def _index_call(ctx: FileContext, call: ts.Node) -> Index | None:
    args = arguments(call)
    if not args:
        return None
    spec = object_pairs(ctx, args[0])
    cols = [k for k, v in spec.items() if string_value(ctx, v) not in {"text", "2dsphere", "2d"}]
    if not cols:
        return None
    opts = object_pairs(ctx, args[1]) if len(args) > 1 else {}
    name = string_value(ctx, opts.get("name")) or ""
    return Index(tuple(cols), line_of(call), unique=js_true(ctx, opts.get("unique")), name=name)


@extractor(languages=JS_LANGUAGES, needs=("Schema",))
def mongoose_schemas(ctx: FileContext) -> None:
    """Emit a :class:`Table` per ``new Schema(...)`` and :class:`IndexDef` for NestJS schemas."""
    schemas: dict[str, tuple[ts.Node, ts.Node | None, str]] = {}  # var -> (new expr, fields, model)
    anonymous: list[tuple[ts.Node, ts.Node | None]] = []
    for new in captures(ctx.language, "(new_expression) @n", ctx.root).get("n", []):
        ctor = ctx.node_text(new.child_by_field_name("constructor"))
        if ctor.rsplit(".", 1)[-1] != "Schema":
            continue
        args_node = new.child_by_field_name("arguments")
        args = [c for c in args_node.named_children if c.type != "comment"] if args_node else []
        first = args[0] if args else None
        var = assigned_name(ctx, new)
        if var:
            schemas[var] = (new, first, "")
        else:
            anonymous.append((new, first))
    factory: dict[str, str] = {}
    models: dict[str, tuple[str, str]] = {}  # var -> (model, collection)
    index_calls: list[tuple[str, ts.Node]] = []
    for call, parts in iter_calls(ctx):
        if not parts:
            continue
        if parts[-1] == "createForClass":
            args = arguments(call)
            var = assigned_name(ctx, call)
            if var and args:
                factory[var] = ctx.node_text(args[0])
        elif parts[-1] == "model" and len(parts) <= 2:
            args = arguments(call)
            if len(args) < 2:
                continue
            model = string_value(ctx, args[0]) or ""
            target = unwrap(args[1])
            coll = string_value(ctx, args[2]) if len(args) > 2 else None
            if target is not None and target.type == "identifier" and model:
                models[ctx.node_text(target)] = (model, coll or "")
            elif target is not None and target.type == "new_expression" and model:
                models[f"@{target.start_byte}"] = (model, coll or "")
        elif len(parts) == 2 and parts[1] == "index":
            index_calls.append((parts[0], call))
    for var, (new, fields, _) in schemas.items():
        model, coll = models.get(var, ("", ""))
        if not model:
            base = var[:-6] if var.lower().endswith("schema") and len(var) > 6 else var
            model = base[:1].upper() + base[1:]
        _emit(ctx, new, fields, model, coll, [c for v, c in index_calls if v == var])
    for new, fields in anonymous:
        model, coll = models.get(f"@{new.start_byte}", ("", ""))
        if model:
            _emit(ctx, new, fields, model, coll, [])
    for var, call in index_calls:
        if var in factory and var not in schemas and _ttl_index(ctx, call):
            ctx.emit(Retention(ctx.loc(call), table=factory[var], mechanism="ttl", detail=_short(ctx, call)))
        if var in factory and var not in schemas:
            idx = _index_call(ctx, call)
            if idx is not None:
                ctx.emit(
                    IndexDef(
                        ctx.loc(call),
                        table=factory[var],
                        columns=idx.columns,
                        unique=idx.unique,
                        name=idx.name,
                        source="mongoose",
                    )
                )


def _emit(
    ctx: FileContext, new: ts.Node, fields: ts.Node | None, model: str, coll: str, calls: list[ts.Node]
) -> None:
    args_node = new.child_by_field_name("arguments")
    args = [c for c in args_node.named_children if c.type != "comment"] if args_node else []
    opts = object_pairs(ctx, args[1]) if len(args) > 1 else {}
    coll = coll or string_value(ctx, opts.get("collection")) or pluralize(model)
    columns = _fields(ctx, fields, line_of(new))
    if js_true(ctx, opts.get("timestamps")) or ctx.node_text(opts.get("timestamps")) == "true":
        for ts_col in ("createdAt", "updatedAt"):
            columns.setdefault(ts_col, Column(ts_col, line_of(new), type="Date"))
    indexes = [i for i in (_index_call(ctx, c) for c in calls) if i is not None]
    mark_keys(columns, indexes)
    ttl = [*_ttl_fields(ctx, fields), *(c for c in calls if _ttl_index(ctx, c))]
    if "capped" in opts and ctx.node_text(opts["capped"]).strip() not in {"false", "0", "null", "undefined"}:
        ctx.emit(Retention(ctx.loc(new), table=model, mechanism="capped", detail=_short(ctx, opts["capped"])))
    for node in ttl[:1]:
        ctx.emit(Retention(ctx.loc(node), table=model, mechanism="ttl", detail=_short(ctx, node)))
    ctx.emit(
        Table(
            loc=ctx.loc(new),
            name=coll,
            source="mongoose",
            model=model,
            columns=tuple(columns.values()),
            indexes=tuple(indexes),
        )
    )


def _short(ctx: FileContext, node: ts.Node, limit: int = 80) -> str:
    text = " ".join(ctx.node_text(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
