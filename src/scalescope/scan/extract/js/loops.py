"""What a JavaScript/TypeScript loop iterates (:attr:`Loop.iterates`): the rows of a query, a
list taken from the request, a collection bounded by construction, or unknown.

The collection expression is followed through local variables of the function (and
module-level constants), through order- and size-preserving steps (``filter``, ``map``,
``new Set``, ``Array.from``, ``[...x]``, ``x ?? []``) to where it comes from:

- **query**: a variable assigned from a data-access read (the same matchers as
  :mod:`data_access` decide what is a read);
- **request**: ``req.body.items``, a destructured ``const { items } = req.body``, a validated
  body (``schema.parse(req.body)``, ``await request.json()``), a Nest ``@Body()``/``@Query()``
  parameter, a tRPC ``input``. The field name is kept so rules can look up a declared maximum
  (:class:`~scalescope.model.facts.InputLimit`, possibly in another file);
- **bounded**: parsed from one value (regex ``match``/``matchAll``, ``split``, a parser named
  for mentions/links/tags...), a constant list, an enum's members, ``.slice(0, n)``.

The knowledge (root expressions, parser names, preserving methods) is in the tables below.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

import tree_sitter as ts

from scalescope.model.facts import Loop
from scalescope.scan.extract.base import FileContext, captures
from scalescope.scan.extract.iteration import parsed_items, pattern_items, splits_lines
from scalescope.scan.extract.js.ast import (
    arguments,
    call_receiver,
    callee_parts,
    enclosing_function,
    int_value,
    string_value,
    unwrap,
)
from scalescope.scan.extract.js.loop_scope import (
    constant_objects,
    decorator_name,
    destructured,
    enum_imports,
    int_constants,
    pattern_names,
    value_of,
)

if TYPE_CHECKING:
    from scalescope.scan.extract.js.data_common import QuerySpec  # data_common imports us

# member chains whose value is the request's data (a prefix of the written chain)
REQUEST_ROOTS = (
    "req.body",
    "req.query",
    "request.body",
    "request.query",
    "ctx.request.body",
    "ctx.request.query",
    "ctx.query",
    "event.body",
)
# ``X.json()`` / ``X.formData()`` read the request body (Next.js/Remix/Hono handlers)
REQUEST_BODY_READERS = frozenset({"req", "request", "c.req", "ctx.req", "context.request"})
# validation steps that return (a typed copy of) their argument
VALIDATORS = frozenset(
    {
        "parse",
        "parseAsync",
        "safeParse",
        "validate",
        "validateSync",
        "validateAsync",
        "plainToInstance",
        "cast",
    }
)
# Nest parameter decorators that bind request data
REQUEST_DECORATORS = frozenset({"Body", "Query", "Args"})
# parameters that carry validated request input by convention (tRPC procedures, GraphQL args)
REQUEST_PARAMS = frozenset({"input", "args"})
# methods that keep the elements (a subset, reordered, mapped one to one) of their receiver
PRESERVING = frozenset(
    {
        "filter",
        "map",
        "flatMap",
        "sort",
        "toSorted",
        "reverse",
        "toReversed",
        "flat",
        "entries",
        "values",
        "keys",
        "concat",
        "uniq",
        "compact",
    }
)
# functions returning their argument's elements: ``Array.from(x)``, ``_.uniq(x)``
PRESERVING_CALLS = frozenset(
    {("Array", "from"), ("uniq",), ("_", "uniq"), ("compact",), ("_", "compact"), ("String",)}
)
# preserving methods that can yield more items than their receiver has
GROWING = frozenset({"flatMap", "flat", "concat"})
_MAX_DEPTH = 6


class Source(NamedTuple):
    """What a loop iterates (see :class:`~scalescope.model.facts.Loop`)."""

    iterates: str
    why: str = ""
    max_items: int | None = None
    request_field: str = ""
    model: str = ""
    line: int = 0  # for a query: its line
    orm: str = ""  # for a query: the ORM that reads it


def short(ctx: FileContext, node: ts.Node | None, limit: int = 60) -> str:
    raw = " ".join(ctx.node_text(node).split())
    return raw if len(raw) <= limit else raw[: limit - 3] + "..."


def collection_of(ctx: FileContext, loop: ts.Node, collection: ts.Node | None) -> ts.Node | None:
    """The iterated collection; for ``for (let i = 0; i < xs.length; i++)`` it is ``xs``."""
    if loop.type != "for_statement":
        return collection
    cond = loop.child_by_field_name("condition")
    cond = unwrap(cond.named_children[0]) if cond is not None and cond.named_children else unwrap(cond)
    if cond is None or cond.type != "binary_expression":
        return None
    right = unwrap(cond.child_by_field_name("right"))
    if right is not None and right.type == "member_expression":
        prop = right.child_by_field_name("property")
        if prop is not None and ctx.node_text(prop) == "length":
            return right.child_by_field_name("object")
    return None


def iteration_source(
    ctx: FileContext, loop: ts.Node, collection: ts.Node | None
) -> tuple[str, Source | None]:
    """``(expression text, Source)`` of what ``loop`` iterates (``None`` when unknown)."""
    node = collection_of(ctx, loop, collection)
    if node is None:
        return "", None
    fn = enclosing_function(loop)
    return short(ctx, node), _classify(ctx, node, fn, 0)


def with_source(ctx: FileContext, loop: Loop, node: ts.Node, collection: ts.Node | None) -> Loop:
    """``loop`` with what it iterates filled in (:attr:`Loop.iterates` and friends)."""
    text, found = iteration_source(ctx, node, collection)
    if found is None and loop.literal_size is not None:
        found = Source("bounded", f"{loop.literal_size} items written in the code", loop.literal_size)
    if found is None:
        return replace(loop, iterates_text=text)
    return replace(
        loop,
        iterates=found.iterates,
        iterates_text=text,
        iterates_why=found.why,
        max_items=found.max_items,
        request_field=found.request_field,
        iterates_model=found.model,
        source_line=found.line,
    )


# ----------------------------------------------------------------------------- classification


def _classify(ctx: FileContext, expr: ts.Node | None, fn: ts.Node | None, depth: int) -> Source | None:
    node = unwrap(expr)
    if node is None or depth > _MAX_DEPTH:
        return None
    kind = node.type
    if kind == "array":
        items = [c for c in node.named_children if c.type != "comment"]
        if len(items) == 1 and items[0].type == "spread_element":
            return _classify(
                ctx, items[0].named_children[0] if items[0].named_children else None, fn, depth + 1
            )
        if any(c.type == "spread_element" for c in items):
            return None
        return Source("bounded", "a constant list", len(items))
    if kind == "identifier":
        return _identifier(ctx, node, fn, depth)
    if kind == "member_expression":
        return _member(ctx, node, fn, depth)
    if kind == "call_expression":
        return _call(ctx, node, fn, depth)
    if kind == "new_expression":
        ctor = ctx.node_text(node.child_by_field_name("constructor"))
        args = arguments(node)
        if ctor in {"Set", "Map"} and args:
            return _classify(ctx, args[0], fn, depth + 1)
        return None
    if kind == "binary_expression":  # ``xs ?? []`` / ``xs || []``
        op = node.child_by_field_name("operator")
        if op is not None and ctx.node_text(op) in {"??", "||"}:
            return _classify(ctx, node.child_by_field_name("left"), fn, depth + 1)
    return None


def _identifier(ctx: FileContext, node: ts.Node, fn: ts.Node | None, depth: int) -> Source | None:
    name = ctx.node_text(node)
    req = request_names(ctx, fn)
    if name in req:
        return Source("request", request_field=req[name])
    value = value_of(ctx, name, node, fn)
    if value is not None:
        return _classify(ctx, value, fn, depth + 1)
    if _CONSTANT_NAME.fullmatch(name) and name in import_names(ctx):
        # ``import { TEAM_INTERNAL_GROUPS } from "./constants"``: a list written in the code
        return Source("bounded", f"the constant list {name} (imported)")
    return None


_CONSTANT_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")


def import_names(ctx: FileContext) -> frozenset[str]:
    """Local names the file imports (``import { A, B as C }`` / ``const { A } = require(...)``)."""
    cached = ctx.cache.get("js.loops.import_names")
    if cached is None:
        names: set[str] = set()
        query = "[(import_specifier) (namespace_import) (import_clause)] @i"
        for node in captures(ctx.language, query, ctx.root).get("i", []):
            alias = node.child_by_field_name("alias") or node.child_by_field_name("name")
            if node.type == "import_clause":
                first = node.named_children[0] if node.named_children else None
                if first is not None and first.type == "identifier":
                    names.add(ctx.node_text(first))
            elif alias is not None:
                names.add(ctx.node_text(alias))
            elif node.named_children:
                names.add(ctx.node_text(node.named_children[-1]))
        cached = frozenset(names)
        ctx.cache["js.loops.import_names"] = cached
    return cached


def _member(ctx: FileContext, node: ts.Node, fn: ts.Node | None, depth: int) -> Source | None:
    raw = ctx.node_text(node).replace("?.", ".").replace(" ", "")
    prop = ctx.node_text(node.child_by_field_name("property"))
    for root in REQUEST_ROOTS:
        if raw == root:
            return Source("request")
        if raw.startswith(root + "."):
            return Source("request", request_field=prop)
    inner = _classify(ctx, node.child_by_field_name("object"), fn, depth + 1)
    if inner is None:
        return None
    if inner.iterates == "request":
        return Source("request", request_field=prop)
    if inner.iterates == "query":  # ``result.rows`` of a raw query
        return inner
    return None


def _call(ctx: FileContext, node: ts.Node, fn: ts.Node | None, depth: int) -> Source | None:
    parts = callee_parts(ctx, node)
    if not parts:
        return None
    method = parts[-1]
    args = arguments(node)
    obj = call_receiver(node)
    if method == "slice" and obj is not None:
        bound = _slice_bound(ctx, args)
        if bound is not None:
            return Source("bounded", f"at most {bound} items (.slice)", bound)
        return _classify(ctx, obj, fn, depth + 1)
    if method in {"match", "matchAll"} and obj is not None and args:
        return Source("bounded", pattern_items(_pattern_text(ctx, args[0], fn)))
    if method == "split" and obj is not None:
        sep = string_value(ctx, args[0]) if args else None
        if args and splits_lines(ctx.node_text(args[0])):
            return None  # the lines of a text: a file or an upload can hold any number
        inner = _classify(ctx, obj, fn, depth + 1)
        if (
            inner is not None
            and inner.iterates == "request"
            and sep is not None
            and sep.strip() in {",", ";", "|"}
        ):
            return inner  # ``?ids=1,2,3``: a list of keys from the request
        return Source("bounded", "the parts of one string (.split)")
    if parts[0] == "Object" and method in {"keys", "values", "entries"} and args:
        return _object_members(ctx, args[0], fn, depth)
    parsed = parsed_items(method) if 1 <= len(args) <= 2 else None
    if parsed is not None:
        return Source("bounded", parsed)
    if (method in PRESERVING and obj is not None) or (method == "uniq" and obj is not None):
        inner = _classify(ctx, obj, fn, depth + 1)
        if inner is not None and inner.max_items is not None and method in GROWING:
            return inner._replace(max_items=None)  # ``rows.flatMap(r => r.tags)``: more items
        return inner
    if parts in PRESERVING_CALLS and args:
        return _classify(ctx, args[0], fn, depth + 1)
    if method in VALIDATORS and args:
        found = [s for s in (_classify(ctx, a, fn, depth + 1) for a in args) if s is not None]
        if any(s.iterates == "request" for s in found):
            return Source("request")
    if method in {"json", "formData"} and not args and ".".join(parts[:-1]) in REQUEST_BODY_READERS:
        return Source("request")
    read = _query_model(ctx, node)
    if read is not None:
        model, most, orm = read
        rows = f"the {model} rows" if model else "the rows"
        line = node.start_point[0] + 1
        # a declared limit bounds the rows (``take: 5``, ``.limit(PAGE)``): the loop too
        return Source("query", f"{rows} read at line {line}", most, model=model, line=line, orm=orm)
    return None


def _pattern_text(ctx: FileContext, node: ts.Node, fn: ts.Node | None) -> str:
    """The source of a regex argument, through a variable holding it."""
    node = unwrap(node) or node
    if node.type == "identifier":
        value = value_of(ctx, ctx.node_text(node), node, fn)
        if value is not None:
            return ctx.node_text(value)
    return ctx.node_text(node)


def _slice_bound(ctx: FileContext, args: list[ts.Node]) -> int | None:
    values = [_int_or_const(ctx, a) for a in args[:2]]
    if len(values) == 2 and values[0] is not None and values[1] is not None and values[1] >= values[0] >= 0:
        return values[1] - values[0]
    if len(values) == 1 and values[0] is not None and values[0] < 0:
        return -values[0]  # ``.slice(-5)``: the last five
    return None


def _int_or_const(ctx: FileContext, node: ts.Node | None) -> int | None:
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "unary_expression" and ctx.node_text(node).startswith("-"):
        inner = int_value(ctx, node.named_children[0] if node.named_children else None)
        return -inner if inner is not None else None
    found = int_value(ctx, node)
    if found is not None:
        return found
    if node.type == "identifier":
        return int_constants(ctx).get(ctx.node_text(node))
    return None


def _object_members(ctx: FileContext, arg: ts.Node, fn: ts.Node | None, depth: int) -> Source | None:
    """``Object.values(X)``: an enum, a constant object, or whatever ``X`` is."""
    node = unwrap(arg)
    if node is None:
        return None
    if node.type == "object":
        return Source("bounded", "the keys of a constant object", len(node.named_children))
    if node.type in {"identifier", "member_expression"}:
        name = ctx.node_text(node)
        consts = constant_objects(ctx)
        if name in consts:
            return Source("bounded", f"the members of {name}, a constant", consts[name])
        if re.fullmatch(r"[A-Z][A-Z0-9_]+", name.rsplit(".", 1)[-1]):
            return Source("bounded", f"the members of the constant {name}")
        module = enum_imports(ctx).get(name.split(".", 1)[0])
        if module is not None:
            return Source("bounded", f"the members of the enum {name} ({module})")
    inner = _classify(ctx, node, fn, depth + 1)
    return inner


# ----------------------------------------------------------------------------- request data


def request_names(ctx: FileContext, fn: ts.Node | None) -> dict[str, str]:
    """Names bound to request data in ``fn`` and the functions around it -> the request field
    they hold (``""`` for the whole body): ``const { items } = req.body`` -> ``{"items": "items"}``."""
    out: dict[str, str] = {}
    scope = fn
    while scope is not None:
        for name, fieldname in _request_names_of(ctx, scope).items():
            out.setdefault(name, fieldname)
        scope = enclosing_function(scope)
    return out


def _request_names_of(ctx: FileContext, fn: ts.Node) -> dict[str, str]:
    memo: dict[tuple[int, ...], Any] = ctx.cache.setdefault("js.loops.request", {})
    key = (
        fn.start_byte,
        fn.end_byte,
    )
    cached = memo.get(key)
    if cached is not None:
        return dict(cached)
    names: dict[str, str] = {}
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    for param in params.named_children if params is not None and params.type == "formal_parameters" else []:
        decorated = any(
            c.type == "decorator" and decorator_name(ctx, c) in REQUEST_DECORATORS for c in param.children
        )
        pattern = param.child_by_field_name("pattern") or param
        if decorated and pattern.type == "identifier":
            names[ctx.node_text(pattern)] = ""
        for ident in pattern_names(ctx, pattern):
            if ident in REQUEST_PARAMS or decorated:
                names.setdefault(ident, "")
    if params is not None and params.type == "identifier" and ctx.node_text(params) in REQUEST_PARAMS:
        names[ctx.node_text(params)] = ""
    cached_names = names
    memo[key] = cached_names  # visible to the recursion below (no cycles through it)
    body = fn.child_by_field_name("body")
    if body is not None:
        for decl in captures(ctx.language, "(variable_declarator) @d", body).get("d", []):
            if enclosing_function(decl) != fn:
                continue
            target = decl.child_by_field_name("name")
            value = decl.child_by_field_name("value")
            if target is None or value is None:
                continue
            found = _classify(ctx, value, fn, 2)
            if found is None or found.iterates != "request":
                continue
            if target.type == "identifier":
                names[ctx.node_text(target)] = found.request_field
            else:
                for ident, source_key in destructured(ctx, target):
                    names[ident] = source_key
    memo[key] = names
    return dict(names)


# ----------------------------------------------------------------------------- query rows


def _query_model(ctx: FileContext, call: ts.Node) -> tuple[str, int | None, str] | None:
    """When ``call`` (or a call of its chain) is a read the data-access matchers recognise,
    the model it reads (``""`` when unnamed), the most rows its limit lets through (``None``
    when not shown) and its ORM; ``None`` otherwise."""
    # imported here: the matchers import data_common, which imports this module
    from scalescope.scan.extract.js.ast import call_chain
    from scalescope.scan.extract.js.data_builders import (
        match_drizzle,
        match_knex,
        match_query_builder,
        match_sql,
        match_supabase,
    )
    from scalescope.scan.extract.js.data_models import match_model, match_typeorm
    from scalescope.scan.extract.js.data_prisma import match_drizzle_relational, match_prisma

    if "js.data.prisma_file" not in ctx.cache:
        return None  # only asked while the data-access extractor runs (its file flags are set)
    chain = call_chain(ctx, call)
    for _, inner in chain:
        parts = callee_parts(ctx, inner)
        spec = (
            match_prisma(ctx, inner, parts)
            or match_drizzle_relational(ctx, inner, parts)
            or match_typeorm(ctx, inner, parts)
        )
        if spec is not None:
            return (spec.model or "", _most(spec), spec.orm) if spec.kind not in {"write", "delete"} else None
    parts = callee_parts(ctx, call)
    spec = (
        match_query_builder(ctx, call, chain)
        or match_drizzle(ctx, call, chain)
        or match_knex(ctx, call, chain)
        or match_supabase(ctx, call, chain)
        or match_model(ctx, call, parts)
        or match_sql(ctx, call, parts)
        or _executed_tag(ctx, call)
    )
    if spec is None or spec.kind in {"write", "delete"}:
        return None
    return spec.model or "", _most(spec), spec.orm


def _executed_tag(ctx: FileContext, call: ts.Node) -> QuerySpec | None:
    """The statement of a SQL tag handed to an executor: slonik ``pool.any(sql.type(Row)`...`)``,
    Drizzle ``db.execute(sql`...`)`` (the tag is the query the data-access extractor records)."""
    from scalescope.scan.extract.js.data_builders import match_sql

    args = arguments(call)
    first = unwrap(args[0]) if len(args) == 1 else None
    if first is None or first.type != "call_expression":
        return None
    template = first.child_by_field_name("arguments")
    if template is None or template.type != "template_string":
        return None
    return match_sql(ctx, first, callee_parts(ctx, first))


def _most(spec: QuerySpec) -> int | None:
    """The declared limit of a list read (``None`` for one row, an aggregate, or no limit)."""
    return spec.limit_max if spec.has_limit and spec.kind in {"read-many", "raw"} else None


def query_rows(ctx: FileContext, node: ts.Node) -> Source | None:
    """What ``node`` (an expression) holds when it is the rows, or one row, of a query the
    data-access matchers recognise, followed through local variables: ``user`` after
    ``const user = await User.findByPk(id)``. Only while the data-access extractor runs."""
    found = _classify(ctx, node, enclosing_function(node), 0)
    return found if found is not None and found.iterates == "query" else None
