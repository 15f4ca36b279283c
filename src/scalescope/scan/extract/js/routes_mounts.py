"""What JavaScript/TypeScript code mounts: the pieces of the route graph one file shows.

- the names a file exports (ESM ``export``, CommonJS ``module.exports`` / ``exports.x``), so a
  router or plugin function can be found from the file that imports it;
- re-exports (``export { default as users } from './users'``, ``export * from``,
  ``module.exports = require('./x')``) as :class:`Export` facts;
- receiver scoping: a router declared, or an app/instance received as a parameter, inside a
  function is keyed by that function (``createRouter@3:router``) so two factories of one file
  stay apart;
- mount children as written (``usersRouter``, ``routes.users``, ``router.routes()``,
  ``require('./users')``, ``import('./plugin')``, ``createRouter()``).

The registrations themselves are found by the route extractor (``routes.py``), which owns the
receivers of the file; the graph is joined across files by :mod:`scalescope.model.mounts`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import tree_sitter as ts

from scalescope.model.facts import Export
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, extractor
from scalescope.scan.extract.js.ast import (
    FUNCTION_TYPES,
    arguments,
    callee_parts,
    enclosing_function,
    function_id,
    function_name,
    string_value,
    unwrap,
)

#: method calls that hand a router's middleware to its parent (``router.routes()``)
_ROUTER_HANDOFF = frozenset({"routes", "middleware"})
_NOT_A_CHILD = frozenset({"allowedMethods", "json", "urlencoded", "static", "text", "raw"})


@dataclass
class ExportTable:
    """Module-level export names of one file: local binding -> exported names, and exported
    function nodes (``export default async function (fastify) {}``) by start byte."""

    names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    functions: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))


def _is_module_exports(ctx: FileContext, node: ts.Node | None) -> bool:
    return ctx.node_text(node) == "module.exports"


def _export_value(ctx: FileContext, table: ExportTable, value: ts.Node | None, name: str) -> None:
    """Record that ``value`` is exported as ``name``."""
    value = unwrap(value)
    if value is None:
        return
    if value.type == "identifier":
        table.names[ctx.node_text(value)].append(name)
    elif value.type in FUNCTION_TYPES or value.type == "class":
        table.functions[value.start_byte].append(name)
    elif value.type == "call_expression":
        parts = callee_parts(ctx, value)
        fn = unwrap(value.child_by_field_name("function"))
        if parts and parts[-1] in _ROUTER_HANDOFF and fn is not None and fn.type == "member_expression":
            _export_value(ctx, table, fn.child_by_field_name("object"), name)  # router.routes()
            return
        for arg in arguments(value):  # fp(async (fastify) => ...), withPrefix(router)
            inner = unwrap(arg)
            if inner is not None and (inner.type in FUNCTION_TYPES or inner.type == "identifier"):
                _export_value(ctx, table, inner, name)
                break


def export_table(ctx: FileContext) -> ExportTable:
    """The file's export table (computed once per file)."""
    found: ExportTable | None = ctx.cache.get("js.export_table")
    if found is not None:
        return found
    table = ExportTable()
    for stmt in ctx.root.named_children:
        if stmt.type == "export_statement":
            _esm_export(ctx, table, stmt)
        elif stmt.type == "expression_statement":
            expr = unwrap(stmt.named_children[0]) if stmt.named_children else None
            if expr is not None and expr.type == "assignment_expression":
                _cjs_export(ctx, table, expr)
    ctx.cache["js.export_table"] = table
    return table


def _esm_export(ctx: FileContext, table: ExportTable, stmt: ts.Node) -> None:
    if stmt.child_by_field_name("source") is not None:
        return  # a re-export: an Export fact
    decl = stmt.child_by_field_name("declaration")
    is_default = any(c.type == "default" for c in stmt.children)
    if decl is not None:
        if decl.type in {"lexical_declaration", "variable_declaration"}:
            for var in decl.named_children:
                if var.type == "variable_declarator":
                    name = ctx.node_text(var.child_by_field_name("name"))
                    table.names[name].append(name)
        else:
            name_node = decl.child_by_field_name("name")
            if name_node is not None:
                table.names[ctx.node_text(name_node)].append(
                    "default" if is_default else ctx.node_text(name_node)
                )
            if is_default:
                table.functions[decl.start_byte].append("default")
        return
    if is_default:
        value = stmt.child_by_field_name("value")
        _export_value(ctx, table, value, "default")
        return
    clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
    for spec in clause.named_children if clause is not None else []:
        local = ctx.node_text(spec.child_by_field_name("name"))
        alias = spec.child_by_field_name("alias")
        table.names[local].append(ctx.node_text(alias) if alias is not None else local)


def _cjs_export(ctx: FileContext, table: ExportTable, assign: ts.Node) -> None:
    left = assign.child_by_field_name("left")
    right = unwrap(assign.child_by_field_name("right"))
    target = ctx.node_text(left)
    if target == "module.exports":
        if right is not None and right.type == "object":
            for child in right.named_children:
                if child.type == "shorthand_property_identifier":
                    name = ctx.node_text(child)
                    table.names[name].append(name)
                elif child.type == "pair":
                    key = ctx.node_text(child.child_by_field_name("key"))
                    _export_value(ctx, table, child.child_by_field_name("value"), key)
            return
        _export_value(ctx, table, right, "default")
    elif target.startswith(("module.exports.", "exports.")):
        _export_value(ctx, table, right, target.rsplit(".", 1)[-1])


def required_module(ctx: FileContext, node: ts.Node | None) -> str | None:
    """``require('./x')`` / ``import('./x')`` -> ``./x``."""
    node = unwrap(node)
    if node is None or node.type != "call_expression":
        return None
    fn = node.child_by_field_name("function")
    if (
        fn is None
        or fn.type not in {"identifier", "import"}
        or ctx.node_text(fn) not in {"require", "import"}
    ):
        return None
    args = arguments(node)
    return string_value(ctx, args[0]) if args else None


def dynamic_require(ctx: FileContext, node: ts.Node | None) -> str | None:
    """For ``require(path.join(__dirname, 'routes', f))`` / ``import(`./routes/${f}`)``: the
    folder it loads from, relative to the file (``./routes``); None when not a dynamic load."""
    node = unwrap(node)
    if node is None or node.type != "call_expression":
        return None
    fn = node.child_by_field_name("function")
    if fn is None or ctx.node_text(fn) not in {"require", "import"}:
        return None
    args = arguments(node)
    if not args or string_value(ctx, args[0]) is not None:
        return None
    folder = ""
    for lit in _string_parts(ctx, args[0]):
        lit = lit.strip()
        if not lit or lit in {"/", "."} or (lit.startswith(".") and not lit.startswith(("./", "../"))):
            continue  # separators and extensions ('.js')
        folder = lit.rstrip("/")
        break
    if folder and not folder.startswith("."):
        folder = "./" + folder.lstrip("/")
    return folder or "."


def _string_parts(ctx: FileContext, node: ts.Node) -> list[str]:
    out: list[str] = []
    stack = [node]
    while stack:
        cur = stack.pop()
        if cur.type == "string":
            out.append(ctx.node_text(cur)[1:-1])
        elif cur.type == "template_string":
            for part in cur.children:
                if part.type == "string_fragment":
                    out.append(ctx.node_text(part))
        else:
            stack.extend(reversed(cur.named_children))
    return out


@dataclass(frozen=True, slots=True)
class ChildRef:
    """A mount child as written: a name (``child``) or a name taken from a module."""

    child: str
    module: str = ""
    dynamic: bool = False


def child_ref(ctx: FileContext, node: ts.Node | None) -> ChildRef | None:
    """What a mount argument names: ``usersRouter`` / ``routes.users`` / ``router.routes()`` ->
    the router; ``require('./x')`` / ``import('./x')`` -> that module's default export;
    ``require('./x').router`` -> its ``router``; ``createRouter(db)`` -> ``createRouter``."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type in {"identifier", "shorthand_property_identifier"}:
        return ChildRef(ctx.node_text(node))
    if node.type == "member_expression":
        obj = unwrap(node.child_by_field_name("object"))
        prop = ctx.node_text(node.child_by_field_name("property"))
        module = required_module(ctx, obj)
        if module is not None:
            return ChildRef(prop, module)
        if obj is not None and obj.type in {"identifier", "member_expression", "this"}:
            return ChildRef(ctx.node_text(node))
        return None
    if node.type == "await_expression" and node.named_children:
        return child_ref(ctx, node.named_children[0])
    if node.type == "call_expression":
        module = required_module(ctx, node)
        if module is not None:
            return ChildRef("default", module)
        folder = dynamic_require(ctx, node)
        if folder is not None:
            return ChildRef("", folder, dynamic=True)
        fn = unwrap(node.child_by_field_name("function"))
        if fn is None:
            return None
        module = required_module(ctx, fn)
        if module is not None:  # require('./routes')(app)
            return ChildRef("default", module)
        folder = dynamic_require(ctx, fn)
        if folder is not None:  # require(path.join(__dirname, file))(app)
            return ChildRef("", folder, dynamic=True)
        parts = callee_parts(ctx, node)
        if fn.type == "member_expression":
            if parts and parts[-1] in _NOT_A_CHILD:
                return None
            obj = fn.child_by_field_name("object")
            if parts and parts[-1] in _ROUTER_HANDOFF:
                return child_ref(ctx, obj)
            module = required_module(ctx, obj)
            if module is not None:  # require('./routes').init(...)
                return ChildRef(parts[-1], module)
        if fn.type in {"identifier", "member_expression"}:
            return ChildRef(ctx.node_text(fn))
    return None


_ITERATORS = frozenset({"forEach", "map", "flatMap"})
_WRAPPED_COLLECTIONS = frozenset({"values", "entries", "keys", "from"})  # Object.values(x), Array.from(x)


def expand_children(
    ctx: FileContext, node: ts.Node | None, top_value: Callable[[str], ts.Node | None]
) -> list[ts.Node]:
    """The mount arguments ``node`` stands for: the items of an array/object literal, of a
    same-file ``const routers = [a, b]``, or of the collection a loop variable iterates
    (``routers.forEach((r) => app.use(r))``, ``for (const [p, r] of Object.entries(map))``)."""
    out: list[ts.Node] = []
    stack: list[tuple[ts.Node | None, int]] = [(node, 0)]
    while stack:
        cur, depth = stack.pop()
        cur = unwrap(cur)
        if cur is None:
            continue
        if depth > 3:
            out.append(cur)
            continue
        if cur.type == "array":
            stack.extend((c, depth + 1) for c in reversed(cur.named_children))
        elif cur.type == "object":
            for child in reversed(cur.named_children):
                if child.type == "pair":
                    stack.append((child.child_by_field_name("value"), depth + 1))
                elif child.type == "shorthand_property_identifier":
                    out.append(child)
        elif cur.type in {"identifier", "member_expression"}:
            head = cur
            while head.type == "member_expression" and head.child_by_field_name("object") is not None:
                head = head.child_by_field_name("object")  # type: ignore[assignment]
            source = _iterated(ctx, cur, ctx.node_text(head)) if head.type == "identifier" else None
            value = top_value(ctx.node_text(cur)) if cur.type == "identifier" and source is None else None
            if source is not None:
                stack.append((source, depth + 1))
            elif value is not None and value.type in {"array", "object"}:
                stack.append((value, depth + 1))
            else:
                out.append(cur)
        else:
            out.append(cur)
    return out


def keyed_mounts(
    ctx: FileContext, path: ts.Node | None, child: ts.Node | None, top_value: Callable[[str], ts.Node | None]
) -> list[tuple[str | None, ts.Node]]:
    """``routes.forEach((r) => router.use(r.path, r.route))`` over ``[{ path: '/auth', route:
    authRoute }, ...]`` -> ``[('/auth', authRoute), ...]``; ``[]`` when not that shape."""
    path, child = unwrap(path), unwrap(child)
    if path is None or child is None or path.type != "member_expression" or child.type != "member_expression":
        return []
    base = unwrap(path.child_by_field_name("object"))
    if (
        base is None
        or base.type != "identifier"
        or ctx.node_text(base) != ctx.node_text(child.child_by_field_name("object"))
    ):
        return []
    items = _iterated(ctx, path, ctx.node_text(base))
    if items is not None and items.type == "identifier":
        items = top_value(ctx.node_text(items))
    if items is None or items.type != "array":
        return []
    path_key = ctx.node_text(path.child_by_field_name("property"))
    child_key = ctx.node_text(child.child_by_field_name("property"))
    out: list[tuple[str | None, ts.Node]] = []
    for raw in items.named_children:
        item = unwrap(raw)
        if item is None or item.type != "object":
            continue
        pairs = {
            ctx.node_text(p.child_by_field_name("key")): p.child_by_field_name("value")
            for p in item.named_children
            if p.type == "pair"
        }
        value = pairs.get(child_key)
        if value is not None:
            out.append((string_value(ctx, pairs.get(path_key)), value))
    return out


def _iterated(ctx: FileContext, node: ts.Node, name: str) -> ts.Node | None:
    """The collection a loop or iteration callback binds ``name`` from, seen at ``node``."""
    word = re.compile(rf"\b{re.escape(name)}\b")
    cur = node.parent
    while cur is not None:
        if cur.type in FUNCTION_TYPES:
            params = cur.child_by_field_name("parameters") or cur.child_by_field_name("parameter")
            if params is not None and word.search(ctx.node_text(params)):
                holder = cur.parent
                call = holder.parent if holder is not None and holder.type == "arguments" else None
                fn = unwrap(call.child_by_field_name("function")) if call is not None else None
                if fn is None or fn.type != "member_expression":
                    return None
                if ctx.node_text(fn.child_by_field_name("property")) not in _ITERATORS:
                    return None
                return _collection(ctx, fn.child_by_field_name("object"))
        elif cur.type == "for_in_statement":
            left = cur.child_by_field_name("left")
            if left is not None and word.search(ctx.node_text(left)):
                return _collection(ctx, cur.child_by_field_name("right"))
        cur = cur.parent
    return None


def _collection(ctx: FileContext, node: ts.Node | None) -> ts.Node | None:
    node = unwrap(node)
    if node is not None and node.type == "call_expression":  # Object.entries(routers)
        parts = callee_parts(ctx, node)
        args = arguments(node)
        if parts and parts[-1] in _WRAPPED_COLLECTIONS and args:
            return unwrap(args[0])
    return node


# ----------------------------------------------------------------------------- scopes


def params_of(ctx: FileContext, fn: ts.Node) -> list[str]:
    """Parameter names of a function (identifiers only, types stripped)."""
    params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
    if params is None:
        return []
    if params.type == "identifier":  # x => ...
        return [ctx.node_text(params)]
    out: list[str] = []
    for p in params.named_children:
        pattern = p.child_by_field_name("pattern") or p
        if pattern.type == "identifier":
            out.append(ctx.node_text(pattern))
        else:
            out.append("")
    return out


def scope_name(ctx: FileContext, fn: ts.Node) -> str:
    """``createRouter@3``: the function part of its id."""
    return function_id(ctx, fn).split("::", 1)[1]


def scoped_key(ctx: FileContext, node: ts.Node, key: str, local_decls: dict[int, set[str]]) -> str:
    """Key of receiver ``key`` as used at ``node``: scoped to the function that declares it or
    takes it as a parameter, else as written (module level, ``this.app``)."""
    if not key.isidentifier():
        return key
    fn = enclosing_function(node)
    while fn is not None:
        if key in local_decls.get(fn.start_byte, ()) or key in params_of(ctx, fn):
            return f"{scope_name(ctx, fn)}:{key}"
        fn = enclosing_function(fn)
    return key


def param_function(ctx: FileContext, node: ts.Node, key: str) -> ts.Node | None:
    """The function that takes ``key`` as a parameter, seen from ``node``."""
    fn = enclosing_function(node)
    while fn is not None:
        if key in params_of(ctx, fn):
            return fn
        fn = enclosing_function(fn)
    return None


def function_names(ctx: FileContext, fn: ts.Node) -> tuple[str, ...]:
    """Names a function is reached by from elsewhere: its own name and export names, or those
    of the variable a wrapper call around it is bound to (``const plugin = fp(async f => ..)``)."""
    table = export_table(ctx)
    out: list[str] = list(table.functions.get(fn.start_byte, ()))
    name, _ = function_name(ctx, fn)
    cur = fn
    for _ in range(3):  # through wrapper calls: fp(fn), asyncWrap(fn)
        if name:
            break
        parent = cur.parent
        if parent is None or parent.type != "arguments" or parent.parent is None:
            break
        call = parent.parent
        out.extend(table.functions.get(call.start_byte, ()))
        holder = call.parent
        while holder is not None and holder.type in {"await_expression", "parenthesized_expression"}:
            holder = holder.parent
        if holder is not None and holder.type == "variable_declarator":
            name = ctx.node_text(holder.child_by_field_name("name"))
        elif holder is not None and holder.type == "export_statement":
            out.append("default")
        cur = call
    if name:
        out.insert(0, name)
        out.extend(table.names.get(name, ()))
    out.append(f"<fn@{fn.start_byte}>")
    return tuple(dict.fromkeys(out))


# ----------------------------------------------------------------------------- re-exports


@extractor(languages=JS_LANGUAGES, needs=("export", "module.exports"))
def js_reexports(ctx: FileContext) -> None:
    """Emit an :class:`Export` per re-export of the file (the index files routers are mounted
    through)."""
    for stmt in ctx.root.named_children:
        if stmt.type == "export_statement":
            source = string_value(ctx, stmt.child_by_field_name("source"))
            if source is None:
                continue
            clause = next((c for c in stmt.named_children if c.type == "export_clause"), None)
            if clause is None:  # export * from './x'  /  export * as ns from './x'
                ns = next((c for c in stmt.named_children if c.type == "namespace_export"), None)
                if ns is None:
                    ctx.emit(Export(ctx.loc(stmt), name="*", local="*", module=source))
                continue
            for spec in clause.named_children:
                local = ctx.node_text(spec.child_by_field_name("name"))
                alias = spec.child_by_field_name("alias")
                ctx.emit(
                    Export(
                        ctx.loc(stmt),
                        name=ctx.node_text(alias) if alias is not None else local,
                        local=local,
                        module=source,
                    )
                )
        elif stmt.type == "expression_statement" and "require" in ctx.node_text(stmt):
            expr = unwrap(stmt.named_children[0]) if stmt.named_children else None
            if expr is None or expr.type != "assignment_expression":
                continue
            target = ctx.node_text(expr.child_by_field_name("left"))
            right = unwrap(expr.child_by_field_name("right"))
            if target == "module.exports" and right is not None and right.type == "object":
                for pair in right.named_children:
                    if pair.type != "pair":
                        continue
                    ref = child_ref(ctx, pair.child_by_field_name("value"))
                    if ref is not None and ref.module and not ref.dynamic:
                        key = ctx.node_text(pair.child_by_field_name("key"))
                        ctx.emit(Export(ctx.loc(pair), name=key, local=ref.child, module=ref.module))
            elif target == "module.exports" or target.startswith(("module.exports.", "exports.")):
                ref = child_ref(ctx, right)
                if ref is not None and ref.module and not ref.dynamic:
                    name = "default" if target == "module.exports" else target.rsplit(".", 1)[-1]
                    ctx.emit(Export(ctx.loc(stmt), name=name, local=ref.child, module=ref.module))
