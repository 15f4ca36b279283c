"""Model/repository-style ORMs: TypeORM repositories and entity managers, Sequelize models,
Mongoose models (and the native MongoDB driver's collections) as :class:`QuerySpec`.

A call on a plain array (``users.find(u => ...)``) or a ``Map`` never matches: the receiver
must look like a model/repository (``User``, ``this.userRepository``, ``getRepository(User)``,
``this.userModel``) and the arguments must be ORM-shaped (an options/filter object or nothing).
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.scan.extract.base import FileContext
from scalescope.scan.extract.js.ast import (
    FUNCTION_TYPES,
    arguments,
    call_chain,
    object_pairs,
    string_value,
    unwrap,
)
from scalescope.scan.extract.js.data_common import (
    QuerySpec,
    has_dynamic,
    limit_state,
    sort_keys,
)
from scalescope.scan.extract.js.data_flow import follow_builder, limit_bound
from scalescope.scan.extract.js.data_where import WhereObject, shape_fields

TYPEORM_KIND = {
    "find": "read-many",
    "findBy": "read-many",
    "findAndCount": "read-many",
    "findAndCountBy": "read-many",
    "findByIds": "read-one",
    "findOne": "read-one",
    "findOneBy": "read-one",
    "findOneOrFail": "read-one",
    "findOneByOrFail": "read-one",
    "count": "count",
    "countBy": "count",
    "exist": "count",
    "exists": "count",
    "existsBy": "count",
    "sum": "aggregate",
    "average": "aggregate",
    "minimum": "aggregate",
    "maximum": "aggregate",
    "save": "write",
    "insert": "write",
    "update": "write",
    "upsert": "write",
    "increment": "write",
    "decrement": "write",
    "delete": "delete",
    "remove": "delete",
    "softDelete": "delete",
    "softRemove": "delete",
    "query": "raw",
}
SEQUELIZE_KIND = {
    "findAll": "read-many",
    "findAndCountAll": "read-many",
    "findOne": "read-one",
    "findByPk": "read-one",
    "findOrCreate": "write",
    "count": "count",
    "max": "aggregate",
    "min": "aggregate",
    "sum": "aggregate",
    "create": "write",
    "bulkCreate": "write",
    "update": "write",
    "upsert": "write",
    "increment": "write",
    "decrement": "write",
    "destroy": "delete",
}
MONGOOSE_KIND = {
    "find": "read-many",
    "findOne": "read-one",
    "findById": "read-one",
    "countDocuments": "count",
    "count": "count",
    "estimatedDocumentCount": "count",
    "aggregate": "aggregate",
    "distinct": "aggregate",
    "exists": "read-one",
    "findOneAndUpdate": "write",
    "findByIdAndUpdate": "write",
    "updateOne": "write",
    "updateMany": "write",
    "create": "write",
    "insertMany": "write",
    "insertOne": "write",
    "replaceOne": "write",
    "bulkWrite": "write",
    "findOneAndDelete": "delete",
    "findByIdAndDelete": "delete",
    "findByIdAndRemove": "delete",
    "deleteOne": "delete",
    "deleteMany": "delete",
    "paginate": "read-many",  # mongoose-paginate(-v2) and paginate plugins: find + countDocuments
}
_SEQ_ONLY = frozenset({"findAll", "findByPk", "findAndCountAll", "bulkCreate", "destroy", "findOrCreate"})
_MONGO_ONLY = frozenset(
    {
        "paginate",
        "findById",
        "countDocuments",
        "estimatedDocumentCount",
        "findByIdAndUpdate",
        "findOneAndUpdate",
        "findOneAndDelete",
        "findByIdAndDelete",
        "findByIdAndRemove",
        "insertMany",
        "updateOne",
        "updateMany",
        "deleteOne",
        "deleteMany",
        "aggregate",
        "distinct",
        "bulkWrite",
        "insertOne",
        "replaceOne",
    }
)
_TYPEORM_ONLY = frozenset(
    {
        "findBy",
        "findOneBy",
        "findAndCount",
        "findAndCountBy",
        "countBy",
        "findOneOrFail",
        "findOneByOrFail",
        "existsBy",
        "softDelete",
        "softRemove",
    }
)
_MONGO_CHAIN = frozenset(
    {"populate", "lean", "exec", "sort", "skip", "select", "limit", "cursor", "toArray", "project"}
)
_NOT_MODELS = frozenset(
    {
        "Array",
        "Object",
        "Promise",
        "Math",
        "JSON",
        "Date",
        "Number",
        "String",
        "Reflect",
        "Intl",
        "Buffer",
        "Set",
        "Map",
        "Symbol",
        "Error",
        "URL",
        "Boolean",
        "BigInt",
        "RegExp",
        "Proxy",
        "React",
        "Vue",
        "_",
        "R",
    }
)
_MANAGERS = frozenset(
    {
        "manager",
        "entityManager",
        "em",
        "transactionalEntityManager",
        "m",
        "mgr",
        "tem",
        "txManager",
        "trx",
        "tx",
    }
)
_FIND_OPTIONS = frozenset(
    {
        "where",
        "take",
        "skip",
        "order",
        "relations",
        "select",
        "cache",
        "withDeleted",
        "lock",
        "join",
        "loadRelationIds",
        "loadEagerRelations",
        "transaction",
        "relationLoadStrategy",
        "comment",
        "limit",
        "offset",
    }
)
_REPO_NAME = re.compile(r"(?i)repo(sitory)?s?$")
_INJECT_REPO = re.compile(
    r"@InjectRepository\(\s*(\w+)\s*\)\s*(?:(?:private|public|protected|readonly)\s+)*(\w+)"
)
_TYPED_REPO = re.compile(r"(\w+)\s*[?!]?:\s*Repository<\s*(\w+)\s*>")


def _repo_models(ctx: FileContext) -> dict[str, str]:
    cached = ctx.cache.get("js.data.repos")
    if cached is None:
        cached = {}
        text = ctx.text
        # anchor on the literal tokens, then match in a small window (fast on large files)
        pos = text.find("Repository<")
        while pos != -1:
            window = text[max(0, pos - 80) : pos + 80]
            for m in _TYPED_REPO.finditer(window):
                cached[m.group(1)] = m.group(2)
            pos = text.find("Repository<", pos + 11)
        pos = text.find("@InjectRepository(")
        while pos != -1:
            inject = _INJECT_REPO.match(text, pos, pos + 300)
            if inject:
                cached[inject.group(2)] = inject.group(1)
            pos = text.find("@InjectRepository(", pos + 18)
        ctx.cache["js.data.repos"] = cached
    return cached


def _model_from_name(name: str, *suffixes: str) -> str:
    for suffix in suffixes:
        if name.lower().endswith(suffix.lower()) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    name = name.lstrip("_")
    return name[:1].upper() + name[1:] if name else name


def _ormish_args(ctx: FileContext, args: list[ts.Node]) -> bool:
    """No args, or an options/filter object or variable: not a callback (``arr.find(x => ...)``)."""
    if not args:
        return True
    first = unwrap(args[0])
    return first is not None and first.type not in FUNCTION_TYPES


# ----------------------------------------------------------------------------- TypeORM


def _typeorm_spec(
    ctx: FileContext,
    call: ts.Node,
    method: str,
    model: str | None,
    opts_node: ts.Node | None,
    args: list[ts.Node],
) -> QuerySpec:
    kind = TYPEORM_KIND[method]
    opts = object_pairs(ctx, opts_node)
    bare = unwrap(opts_node)
    where = WhereObject()
    if method.endswith("By") or method in {"findOneByOrFail"}:
        where.read(ctx, opts_node)
        opts = {}
        has_limit: bool | None = kind != "read-many"
        if kind == "read-many" and bare is not None and bare.type != "object":
            has_limit = False
    elif opts and not set(opts) & _FIND_OPTIONS:
        # TypeORM < 0.3 accepts the conditions themselves: find({ followerId: id })
        where.read(ctx, opts_node)
        opts = {}
        has_limit = kind != "read-many"
    else:
        if "where" in opts:
            where.read(ctx, opts["where"])
        elif bare is not None and has_dynamic(ctx, bare) and kind in {"read-many", "count"}:
            where.opaque = True
        has_limit = True if kind != "read-many" else limit_state(ctx, opts_node, "take", "limit")
    relations = opts.get("relations")
    paths = _typeorm_relations(ctx, relations)
    limit_node = opts.get("take") or opts.get("limit")
    bound = limit_bound(ctx, limit_node) if limit_node is not None else None
    strategy = string_value(ctx, opts.get("relationLoadStrategy")) if "relationLoadStrategy" in opts else None
    aggregate = {"count": "count", "countBy": "count", "sum": "sum", "average": "avg", "minimum": "min"}.get(
        method, {"maximum": "max"}.get(method, "exists" if kind == "count" else "")
    )
    return QuerySpec(
        "typeorm",
        model,
        method,
        kind,
        call,
        filter_fields=tuple(dict.fromkeys(where.fields)),
        sort_fields=sort_keys(ctx, opts.get("order")),
        has_limit=has_limit,
        include_paths=paths,
        include_depth=max((p.count(".") + 1 for p in paths), default=0),
        selects_all="select" not in opts,
        paginated="skip" in opts,
        args=args,
        aggregate=aggregate,
        **shape_fields(where, bound),
        limit_node=limit_node,
        related_filters=tuple(dict.fromkeys(where.related)),
        include_strategy=("separate" if strategy == "query" else "join") if paths else "",
    )


def _typeorm_relations(ctx: FileContext, node: ts.Node | None) -> tuple[str, ...]:
    node = unwrap(node)
    if node is None:
        return ()
    if node.type == "array":
        return tuple(v for v in (string_value(ctx, c) for c in node.named_children) if v)
    if node.type == "object":
        out: list[str] = []

        def walk(obj: ts.Node | None, prefix: str, depth: int) -> None:
            for key, value in object_pairs(ctx, obj).items():
                out.append(prefix + key)
                val = unwrap(value)
                if val is not None and val.type == "object" and depth < 6:
                    walk(val, prefix + key + ".", depth + 1)

        walk(node, "", 0)
        return tuple(out)
    return ()


def match_typeorm(ctx: FileContext, call: ts.Node, parts: tuple[str, ...]) -> QuerySpec | None:
    """Repository/EntityManager calls: ``this.userRepository.find({...})``,
    ``getRepository(User).findOne(...)``, ``manager.find(User, {...})``."""
    method = parts[-1] if parts else ""
    if method not in TYPEORM_KIND or len(parts) < 2:
        return None
    args = arguments(call)
    recv = parts[-2]
    if recv == "()":
        chain = call_chain(ctx, call)
        inner = chain[-2] if len(chain) >= 2 else None
        if inner is None or inner[0] not in {
            "getRepository",
            "getCustomRepository",
            "withRepository",
            "getMongoRepository",
            "getTreeRepository",
        }:
            return None
        inner_args = arguments(inner[1])
        # ``getRepository(User)``; wrappers pass a context first: ``getRepository(ctx, User)``
        named = [a for a in inner_args if ctx.node_text(a)[:1].isupper()]
        model = ctx.node_text(named[0] if named else inner_args[-1]) if inner_args else None
        return _typeorm_spec(ctx, call, method, model, args[0] if args else None, args)
    if recv in _MANAGERS or recv.endswith("Manager") or recv == "manager":
        if not ctx.cache.get("js.data.typeorm_file") and recv not in {"manager", "entityManager"}:
            return None
        if method == "query":
            return QuerySpec("typeorm", None, "query", "raw", call, args=args)
        first = unwrap(args[0]) if args else None
        if first is None or first.type not in {"identifier", "member_expression", "string"}:
            return None
        model = string_value(ctx, first) or ctx.node_text(first)
        if not model[:1].isupper() and first.type != "string":
            return None
        return _typeorm_spec(ctx, call, method, model, args[1] if len(args) > 1 else None, args)
    repos = _repo_models(ctx)
    if recv in repos or _REPO_NAME.search(recv):
        if not _ormish_args(ctx, args):
            return None
        if method == "query":
            return QuerySpec("typeorm", repos.get(recv), "query", "raw", call, args=args)
        model = repos.get(recv) or _model_from_name(recv, "Repository", "Repo", "Repos")
        return _typeorm_spec(ctx, call, method, model, args[0] if args else None, args)
    if (
        recv[:1].isupper()
        and recv not in _NOT_MODELS
        and ctx.cache.get("js.data.typeorm_file")
        and (
            method in _TYPEORM_ONLY
            or not (ctx.cache.get("js.data.sequelize_file") or ctx.cache.get("js.data.mongoose_file"))
        )
    ):  # BaseEntity active record
        if not _ormish_args(ctx, args) or method == "query":
            return None
        return _typeorm_spec(ctx, call, method, recv, args[0] if args else None, args)
    return None


# ----------------------------------------------------------------------------- Sequelize


def _sequelize_includes(
    ctx: FileContext, node: ts.Node | None, prefix: str = "", depth: int = 0
) -> list[str]:
    node = unwrap(node)
    if node is None or depth > 6:
        return []
    items = node.named_children if node.type == "array" else [node]
    out: list[str] = []
    for child in items:
        item = unwrap(child)
        if item is None:
            continue
        if item.type == "object":
            pairs = object_pairs(ctx, item)
            if "all" in pairs:
                out.append(prefix + "*")
                if ctx.node_text(pairs.get("nested")) == "true":
                    out.append(prefix + "*.*.*")
                continue
            name = (
                string_value(ctx, pairs.get("as"))
                or ctx.node_text(pairs.get("model"))
                or ctx.node_text(pairs.get("association"))
                or "?"
            )
            out.append(prefix + name)
            if "include" in pairs:
                out.extend(_sequelize_includes(ctx, pairs["include"], prefix + name + ".", depth + 1))
        else:
            out.append(prefix + (string_value(ctx, item) or ctx.node_text(item)))
    return out


def _sequelize_spec(
    ctx: FileContext, call: ts.Node, method: str, model: str, args: list[ts.Node]
) -> QuerySpec:
    kind = SEQUELIZE_KIND[method]
    opts_node = args[1] if method == "findByPk" and len(args) > 1 else (args[0] if args else None)
    opts = object_pairs(ctx, opts_node) if method not in {"create", "bulkCreate"} else {}
    if method == "update" and len(args) > 1:
        opts = object_pairs(ctx, args[1])
    paths = tuple(_sequelize_includes(ctx, opts.get("include")))
    has_limit: bool | None = True
    if kind == "read-many":
        has_limit = limit_state(ctx, opts_node, "limit")
    where = WhereObject(relations=False)
    if "where" in opts:
        where.read(ctx, opts["where"])
    elif kind in {"read-many", "count"} and opts_node is not None and has_dynamic(ctx, opts_node):
        where.opaque = True
    related, separate = _sequelize_include_filters(ctx, opts.get("include"))
    limit_node = opts.get("limit")
    bound = limit_bound(ctx, limit_node) if limit_node is not None else None
    aggregate = {"count": "count", "max": "max", "min": "min", "sum": "sum"}.get(method, "")
    if kind == "read-many" and "group" in opts:
        kind, aggregate = "aggregate", "group"
    return QuerySpec(
        "sequelize",
        model,
        method,
        kind,
        call,
        filter_fields=tuple(dict.fromkeys(where.fields)),
        sort_fields=sort_keys(ctx, opts.get("order")),
        has_limit=has_limit,
        include_paths=paths,
        include_depth=max((p.count(".") + 1 for p in paths), default=0),
        selects_all="attributes" not in opts,
        paginated="offset" in opts,
        args=args,
        aggregate=aggregate,
        **shape_fields(where, bound),
        limit_node=limit_node,
        related_filters=related,
        include_strategy=("separate" if separate else "join") if paths else "",
    )


def _sequelize_include_filters(
    ctx: FileContext, node: ts.Node | None, prefix: str = "", depth: int = 0
) -> tuple[tuple[str, ...], bool]:
    """Filters carried by required includes (``include: [{ model: Tag, where: { name } }]``:
    an include with a ``where`` is an inner join unless ``required: false``) and whether every
    has-many include is loaded by a separate query (``separate: true``)."""
    node = unwrap(node)
    if node is None or depth > 6:
        return (), False
    items = node.named_children if node.type == "array" else [node]
    related: list[str] = []
    separate = True
    seen = False
    for child in items:
        pairs = object_pairs(ctx, child)
        if not pairs:
            continue
        seen = True
        name = (
            string_value(ctx, pairs.get("as"))
            or ctx.node_text(pairs.get("model"))
            or ctx.node_text(pairs.get("association"))
            or "?"
        )
        required = ctx.node_text(pairs.get("required")) if "required" in pairs else ""
        if "where" in pairs and required != "false":
            where = WhereObject(relations=False)
            where.read(ctx, pairs["where"])
            related.extend(f"{prefix}{name}.{f}" for f in where.fields)
        separate = separate and ctx.node_text(pairs.get("separate")) == "true"
        if "include" in pairs:
            sub, _sep = _sequelize_include_filters(ctx, pairs["include"], f"{prefix}{name}.", depth + 1)
            related.extend(sub)
    return tuple(dict.fromkeys(related)), seen and separate


# ----------------------------------------------------------------------------- Mongoose


def _mongoose_spec(
    ctx: FileContext, outer: ts.Node, chain: list[tuple[str, ts.Node]], index: int, model: str, orm: str
) -> QuerySpec:
    method, call = chain[index]
    args = arguments(call)
    kind = MONGOOSE_KIND[method]
    filter_node = (
        args[0]
        if args
        and method
        not in {"findById", "create", "insertMany", "aggregate", "findByIdAndUpdate", "findByIdAndDelete"}
        else None
    )
    where = WhereObject(relations=False)
    where.read(ctx, filter_node)
    filters = tuple(dict.fromkeys(where.fields))
    if method.startswith("findById"):
        filters = ("_id",)
    later, unknown = follow_builder(ctx, outer) if kind == "read-many" else ([], False)
    rest = chain[index + 1 :] + later
    names = [name for name, _ in rest]
    has_limit: bool | None = True
    if kind == "read-many":
        if any(n in {"limit", "cursor", "stream", "eachAsync"} for n in names):
            has_limit = True
        else:
            opts = object_pairs(ctx, args[2]) if len(args) > 2 else {}
            has_limit = True if "limit" in opts else (None if len(args) > 2 and not opts else False)
    if method == "paginate":
        has_limit = True
    if kind == "read-many" and has_limit is False and unknown:
        has_limit = None
    aggregate = "count" if kind == "count" else ""
    if kind == "aggregate" and method == "aggregate" and args:
        pipeline = unwrap(args[0])
        items = pipeline.named_children if pipeline is not None and pipeline.type == "array" else []
        stages = [k for item in items for k in object_pairs(ctx, item)]
        has_limit = any(k in {"$limit", "$group", "$count"} for k in stages)
        aggregate = "group" if "$group" in stages else ("count" if "$count" in stages else "")
        if not stages:
            has_limit = None
    elif method == "distinct":
        aggregate = "group"
    limit_call = next((c for n, c in rest if n == "limit" and arguments(c)), None)
    limit_node = arguments(limit_call)[0] if limit_call is not None else None
    bound = limit_bound(ctx, limit_node) if limit_node is not None else None
    sort: tuple[str, ...] = ()
    paths: list[str] = []
    projection = args[1] if len(args) > 1 and kind in {"read-many", "read-one"} else None
    selects_all = projection is None or ctx.node_text(projection) in {"null", "undefined", "{}"}
    paginated = "skip" in names or method == "paginate"
    for name, node in rest:
        nargs = arguments(node)
        if name == "sort" and nargs:
            sort = sort_keys(ctx, nargs[0])
        elif name in {"select", "project"}:
            selects_all = False
        elif name == "populate" and nargs:
            paths.extend(_populate_paths(ctx, nargs[0]))
    return QuerySpec(
        orm,
        model,
        method,
        kind,
        outer,
        filter_fields=filters,
        sort_fields=sort,
        has_limit=has_limit,
        include_paths=tuple(paths),
        include_depth=max((p.count(".") + 1 for p in paths), default=0),
        selects_all=selects_all,
        paginated=paginated,
        args=args,
        aggregate=aggregate,
        **shape_fields(where, bound),
        limit_node=limit_node,
    )


def _populate_paths(ctx: FileContext, raw: ts.Node, prefix: str = "", depth: int = 0) -> list[str]:
    node = unwrap(raw)
    if node is None or depth > 6:
        return []
    value = string_value(ctx, node)
    if value is not None:
        return [prefix + p for p in value.split()]
    if node.type == "array":
        out: list[str] = []
        for item in node.named_children:
            out.extend(_populate_paths(ctx, item, prefix, depth))
        return out
    pairs = object_pairs(ctx, node)
    path = string_value(ctx, pairs.get("path")) or "?"
    out = [prefix + path]
    if "populate" in pairs:
        out.extend(_populate_paths(ctx, pairs["populate"], prefix + path + ".", depth + 1))
    return out


def _mongo_model(ctx: FileContext, recv: str) -> str | None:
    if recv[:1].isupper() and recv not in _NOT_MODELS:
        return _model_from_name(recv, "Model") if recv.endswith("Model") and len(recv) > 5 else recv
    if recv.lower().endswith("model") and len(recv) > 5:
        return _model_from_name(recv, "Model")
    if recv.lower().endswith("collection") and len(recv) > 10:
        return _model_from_name(recv, "Collection")
    return None


def match_model(ctx: FileContext, call: ts.Node, parts: tuple[str, ...]) -> QuerySpec | None:
    """Sequelize/Mongoose/MongoDB model calls, judged on the outermost call of a chain
    (``User.find({...}).populate('x').limit(10).lean()``)."""
    chain = call_chain(ctx, call)
    if not chain:
        return None
    first_name, first_call = chain[0]
    from scalescope.scan.extract.js.ast import callee_parts

    base_parts = callee_parts(ctx, first_call)
    index = 0
    orm = ""
    model: str | None = None
    if first_name == "collection" and len(chain) >= 2 and chain[1][0] in MONGOOSE_KIND:
        cargs = arguments(first_call)
        model = string_value(ctx, cargs[0]) if cargs else None
        if model is None:
            return None
        orm, index = "mongodb", 1
    else:
        if len(base_parts) < 2:
            return None
        recv = base_parts[-2]
        if recv in {"()", "[]", "?", "this"}:
            return None
        model = _mongo_model(ctx, recv)
        if model is None:
            if (
                len(base_parts) >= 3
                and base_parts[-3] in {"models", "db", "sequelize"}
                and recv[:1].isupper()
            ):
                model = recv
            else:
                return None
        orm = _which_model_orm(ctx, first_name, chain, recv)
    if not orm:
        return None
    method = chain[index][0]
    args = arguments(chain[index][1])
    if not _ormish_args(ctx, args):
        return None
    if orm == "sequelize":
        if method not in SEQUELIZE_KIND:
            return None
        return _sequelize_spec(ctx, chain[index][1], method, model, args)
    if method not in MONGOOSE_KIND:
        return None
    if orm == "mongodb" and MONGOOSE_KIND[method] == "read-many" and "toArray" not in [n for n, _ in chain]:
        # a cursor that is iterated lazily: bounded memory unless collected
        spec = _mongoose_spec(ctx, call, chain, index, model, orm)
        spec.has_limit = spec.has_limit or None
        return spec
    return _mongoose_spec(ctx, call, chain, index, model, orm)


def _which_model_orm(ctx: FileContext, method: str, chain: list[tuple[str, ts.Node]], recv: str) -> str:
    if method in _SEQ_ONLY:
        return "sequelize"
    if method in _MONGO_ONLY or any(name in _MONGO_CHAIN for name, _ in chain[1:]):
        return "mongoose"
    seq = bool(ctx.cache.get("js.data.sequelize_file"))
    mongo = bool(ctx.cache.get("js.data.mongoose_file"))
    if method in TYPEORM_KIND and ctx.cache.get("js.data.typeorm_file") and not (seq or mongo):
        return ""
    if seq and not mongo:
        return "sequelize" if method in SEQUELIZE_KIND else ""
    if mongo and not seq:
        return "mongoose" if method in MONGOOSE_KIND else ""
    args = arguments(chain[0][1])
    pairs = object_pairs(ctx, args[0]) if args else {}
    if method in {"findOne", "count", "update"} and pairs and set(pairs) & {"where", "include", "attributes"}:
        return "sequelize"
    if recv.lower().endswith("model") and method in MONGOOSE_KIND:
        return "mongoose"
    if method in {"find", "findOne"} and (not args or pairs):
        return (
            "mongoose"
            if (recv[:1].isupper() or recv.lower().endswith("model"))
            and bool(ctx.cache.get("js.data.schemaish"))
            else ""
        )
    return ""
