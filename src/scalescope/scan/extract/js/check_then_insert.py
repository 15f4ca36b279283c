""":class:`CheckThenInsert` facts for Node ORMs and drivers: a read that checks whether a row
with some values exists, a branch on its result, then an insert of a row with those values.

Run by :mod:`data_access` on the queries it recognised in a file. A check read (see
:func:`check_insert_common.is_check_read`) decides an ``if`` when it stands in the condition
(``if (await prisma.user.findFirst(...))``) or when the name it is bound to does (``const
existing = ...; if (existing)``, ``const { rows } = ...; if (rows.length > 0)``, ``if (count
=== 0)``). The insert races with it when it runs only where no row was found: after an ``if``
whose "found" branch ends in ``return``/``throw``, in the "not found" branch, or in the
``else`` of a "found" branch. The insert is a recognised insert of the same model (``create``,
``insert``, ``insertOne``, ``save`` of a new object, ``new Model({...}).save()``, a literal
``INSERT``) that sets every checked column (a key of its data, or a spread of the object the
check took its value from). Upserts and ``ON CONFLICT`` inserts are never recorded; a lock or
a strict isolation level around the read is recorded, not judged.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import tree_sitter as ts

from scalescope.model.facts import CheckThenInsert, DataAccess
from scalescope.scan.extract.base import FileContext, captures
from scalescope.scan.extract.check_insert_common import (
    UPSERT_MARKERS,
    checked_columns,
    covers,
    is_check_read,
    is_insert,
    keep_nearest,
    repeated,
    sql_insert_columns,
)
from scalescope.scan.extract.js.ast import (
    FUNCTION_TYPES,
    arguments,
    callee_parts,
    enclosing_function,
    string_value,
    unwrap,
)
from scalescope.scan.extract.js.count_use import bound_names
from scalescope.scan.extract.js.data_common import calls_between, sql_of
from scalescope.scan.extract.js.loop_scope import value_of
from scalescope.scan.extract.js.read_modify_write import protection
from scalescope.scan.extract.rmw_common import callee_text, norm_name

_PASS = frozenset(
    {
        "await_expression",
        "parenthesized_expression",
        "as_expression",
        "non_null_expression",
        "satisfies_expression",
    }
)
#: properties of a query result that still say whether rows were found
_SIZE_PROPS = frozenset({"length", "rowCount", "rows", "count", "affectedRows", "total", "data"})
_EXITS = frozenset({"return_statement", "throw_statement"})
#: ``x === 0`` / ``x < 1``: no row; ``x > 0`` / ``x !== 0`` / ``x >= 1``: a row
_NONE_WHEN = {("===", "0"), ("==", "0"), ("<", "1"), ("<=", "0")}
_FOUND_WHEN = {("!==", "0"), ("!=", "0"), (">", "0"), (">=", "1")}
_MIRROR = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}


def find_check_then_inserts(ctx: FileContext, accesses: Sequence[tuple[ts.Node, DataAccess]]) -> None:
    """Emit a :class:`CheckThenInsert` per insert that runs only when the check read before
    it found no row, for the queries ``accesses`` (anchor node, fact) of the file."""
    reads = [(n, a) for n, a in accesses if is_check_read(a)]
    if not reads:
        return
    inserts = [(n, a) for n, a in accesses if is_insert(a, {"save"})]
    found: dict[int, CheckThenInsert] = {}
    for node, read in reads:
        fn = enclosing_function(node)
        if fn is None:
            continue
        decided = _decision(ctx, node, fn)
        if decided is None:
            continue
        branch, when_found = decided
        for wnode, write, keys, spreads in _candidates(ctx, node, read, fn, inserts):
            if not _runs_when_none(wnode, branch, when_found):
                continue
            columns = checked_columns(read)
            if not covers(columns, keys, spreads, _value_texts(ctx, node)):
                continue
            keep_nearest(
                found,
                read,
                write,
                columns=columns,
                branch=ctx.loc(branch),
                lock=protection(ctx, node, fn),
                read_call=callee_text(ctx.node_text(node)),
                write_call=callee_text(ctx.node_text(wnode)),
            )
    for fact in sorted(found.values(), key=lambda f: f.loc.line):
        ctx.emit(fact)




# ----------------------------------------------------------------------------- the decision


def _decision(ctx: FileContext, anchor: ts.Node, fn: ts.Node) -> tuple[ts.Node, bool] | None:
    """The ``if`` the read's result decides and whether its consequence runs when a row was
    found: the read in the condition, else the first ``if`` after it testing a name it is
    bound to."""
    direct = _polarity(ctx, anchor)
    if direct is not None:
        return direct
    names = _bound_names(ctx, anchor)
    if not names:
        return None
    for stmt in captures(ctx.language, "(if_statement) @if", fn).get("if", []):
        if stmt.start_byte < anchor.end_byte:
            continue
        cond = stmt.child_by_field_name("condition")
        if cond is None:
            continue
        for ident in _identifiers(cond):
            if ctx.node_text(ident) in names:
                found = _polarity(ctx, ident)
                if found is not None and found[0] == stmt:
                    return found
    return None


def _polarity(ctx: FileContext, node: ts.Node) -> tuple[ts.Node, bool] | None:
    """Climb from an expression holding the read's result to the ``if`` whose condition it
    is: ``(if, found)``, ``found`` when the consequence runs if a row exists. Only shapes that
    say "a row exists" or "none does" are followed (``!x``, ``x == null``, ``x.length > 0``,
    ``n === 0``, ``rows[0]``); anything else (``x && x.verified``, ``x.role``) is ``None``."""
    found = True
    cur = node
    while True:
        parent = cur.parent
        if parent is None:
            return None
        kind = parent.type
        if kind in _PASS:
            pass
        elif kind == "member_expression" and parent.child_by_field_name("object") == cur:
            if ctx.node_text(parent.child_by_field_name("property")) not in _SIZE_PROPS:
                return None
        elif kind == "subscript_expression" and parent.child_by_field_name("object") == cur:
            if ctx.node_text(parent.child_by_field_name("index")) != "0":
                return None
        elif kind == "unary_expression" and ctx.node_text(parent.child_by_field_name("operator")) == "!":
            found = not found
        elif kind == "binary_expression":
            flip = _comparison(ctx, parent, cur)
            if flip is None:
                return None
            found = found != flip
        elif kind == "arguments" and parent.parent is not None and _is_boolean(ctx, parent.parent):
            cur = parent.parent
            continue
        elif kind == "if_statement" and parent.child_by_field_name("condition") == cur:
            return parent, found
        else:
            return None
        cur = parent


def _comparison(ctx: FileContext, node: ts.Node, side: ts.Node) -> bool | None:
    """Whether ``side OP other`` says "no row" (True: flip), "a row" (False), or neither."""
    op = ctx.node_text(node.child_by_field_name("operator"))
    left = node.child_by_field_name("left") == side
    other = node.child_by_field_name("right" if left else "left")
    value = ctx.node_text(other).strip()
    if value in {"null", "undefined"}:
        if op in {"===", "=="}:
            return True
        return False if op in {"!==", "!="} else None
    if not left:
        op = _MIRROR.get(op, op)
    if (op, value) in _NONE_WHEN:
        return True
    if (op, value) in _FOUND_WHEN:
        return False
    return None


def _bound_names(ctx: FileContext, anchor: ts.Node) -> set[str]:
    """``const existing = await ...``, ``const [row] = ...``, ``const { rows } = ...``,
    ``existing = await ...``: the names holding the read's result."""
    node = anchor
    while node.parent is not None and node.parent.type in _PASS:
        node = node.parent
    return bound_names(ctx, node)


def _identifiers(node: ts.Node) -> Iterator[ts.Node]:
    stack = [node]
    while stack:
        cur = stack.pop()
        if cur.type in {"identifier", "shorthand_property_identifier"}:
            yield cur
        elif cur.type not in FUNCTION_TYPES:
            stack.extend(cur.named_children)


def _runs_when_none(insert: ts.Node, branch: ts.Node, when_found: bool) -> bool:
    """The insert runs only where the check found no row: in the "none" branch, or after an
    ``if`` whose "found" branch always leaves the function."""
    consequence = branch.child_by_field_name("consequence")
    alternative = branch.child_by_field_name("alternative")
    if consequence is not None and _inside(insert, consequence):
        return not when_found
    if alternative is not None and _inside(insert, alternative):
        return when_found
    if insert.start_byte < branch.end_byte:
        return False
    return when_found and consequence is not None and _exits(consequence)


def _inside(node: ts.Node, outer: ts.Node) -> bool:
    return outer.start_byte <= node.start_byte < outer.end_byte


def _exits(block: ts.Node) -> bool:
    """The branch always leaves: its last statement returns or throws."""
    if block.type in _EXITS:
        return True
    statements = [c for c in block.named_children if c.type != "comment"]
    return bool(statements) and block.type == "statement_block" and statements[-1].type in _EXITS


# ----------------------------------------------------------------------------- the insert


def _candidates(
    ctx: FileContext,
    anchor: ts.Node,
    read: DataAccess,
    fn: ts.Node,
    inserts: Sequence[tuple[ts.Node, DataAccess]],
) -> Iterator[tuple[ts.Node, DataAccess, set[str], set[str]]]:
    """Inserts into the read's model after it in its function: (node, fact, keys set, spread
    sources)."""
    target = norm_name(read.model)
    if not target:
        return
    for wnode, write in inserts:
        if wnode.start_byte < anchor.end_byte or not _inside(wnode, fn):
            continue
        if norm_name(write.model) != target or repeated(read, write):
            continue
        if UPSERT_MARKERS.search(ctx.node_text(_outermost(wnode))):
            continue
        data = _inserted(ctx, wnode, write, fn)
        if data is not None:
            yield wnode, write, data[0], data[1]
    # ``new User({...}).save()`` / ``const u = new User({...}); await u.save()`` /
    # ``User.build({...}).save()`` (Mongoose, Sequelize): not a recognised query
    for call, parts in calls_between(ctx, anchor.end_byte, fn.end_byte):
        if not parts or parts[-1] != "save" or arguments(call):
            continue
        callee = unwrap(call.child_by_field_name("function"))
        obj = unwrap(callee.child_by_field_name("object")) if callee is not None else None
        if obj is not None and obj.type == "identifier":
            obj = unwrap(value_of(ctx, ctx.node_text(obj), obj, fn))
        built = _built(ctx, obj)
        if built is None or norm_name(built[0]) != target:
            continue
        keys, spreads = _keys(ctx, built[1], fn)
        write = DataAccess(ctx.loc(call), orm=read.orm, model=read.model, operation="save", kind="write")
        yield call, write, keys, spreads


def _outermost(node: ts.Node) -> ts.Node:
    """The whole statement expression holding an insert call (its chain included)."""
    cur = node
    while cur.parent is not None and cur.parent.type in {
        "member_expression",
        "call_expression",
        "await_expression",
        "parenthesized_expression",
    }:
        cur = cur.parent
    return cur


def _built(ctx: FileContext, node: ts.Node | None) -> tuple[str, ts.Node | None] | None:
    """``new User({...})`` / ``User.build({...})`` / ``repo.create({...})``: (model, data)."""
    if node is None:
        return None
    if node.type == "new_expression":
        ctor = node.child_by_field_name("constructor")
        args = node.child_by_field_name("arguments")
        first: ts.Node | None = args.named_children[0] if args is not None and args.named_children else None
        return (ctx.node_text(ctor), first) if ctor is not None else None
    if node.type == "call_expression":
        parts = callee_parts(ctx, node)
        if len(parts) >= 2 and parts[-1] in {"build", "create"}:
            given = arguments(node)
            return ".".join(parts[:-1]), given[0] if given else None
    return None


def _inserted(
    ctx: FileContext, wnode: ts.Node, write: DataAccess, fn: ts.Node
) -> tuple[set[str], set[str]] | None:
    """The columns an insert sets (keys of its data, columns of a literal ``INSERT``) and the
    names it spreads in; ``None`` when it inserts nothing shown (a ``save`` of a row read)."""
    if write.kind == "raw":
        args = arguments(wnode)
        tmpl = wnode.child_by_field_name("arguments")
        sql_node = tmpl if tmpl is not None and tmpl.type == "template_string" else None
        if sql_node is None and args:
            sql_node = args[0]
        sql = sql_of(ctx, sql_node)
        if sql is None or UPSERT_MARKERS.search(sql):
            return None
        return set(sql_insert_columns(sql)), set()
    if write.operation == "save":
        saved = [u for a in arguments(wnode) if (u := unwrap(a)) is not None]
        data = next((a for a in reversed(saved) if a.type in {"object", "identifier"}), None)
        if data is None:
            return None
        if data.type == "identifier":
            name = ctx.node_text(data)
            built = _built(ctx, unwrap(value_of(ctx, name, data, fn)))
            if built is None:
                return None
            found, spread = _keys(ctx, built[1], fn)
            return found | _assigned(ctx, name, wnode, fn), spread
        return _keys(ctx, data, fn)
    keys: set[str] = set()
    spreads: set[str] = set()
    for arg in _chain_arguments(wnode):
        k, s = _keys(ctx, arg, fn)
        keys |= k
        spreads |= s
    return keys, spreads


def _chain_arguments(call: ts.Node) -> Iterator[ts.Node]:
    """Arguments of ``call`` and of the calls around it in its chain (Drizzle
    ``db.insert(t).values({...})``, Knex ``db("t").insert({...}).returning("id")``)."""
    top = _outermost(call)
    stack = [top]
    while stack:
        cur = stack.pop()
        if cur.type == "call_expression":
            yield from arguments(cur)
            fn = cur.child_by_field_name("function")
            if fn is not None:
                stack.append(fn)
        elif cur.type in {"member_expression", "await_expression", "parenthesized_expression"}:
            stack.extend(cur.named_children[:1])


def _keys(ctx: FileContext, node: ts.Node | None, fn: ts.Node, depth: int = 0) -> tuple[set[str], set[str]]:
    """Property names of an object (and of the objects nested in it: Prisma ``data``), and
    the names spread into it; a name bound to an object is followed once."""
    keys: set[str] = set()
    spreads: set[str] = set()
    node = unwrap(node)
    if node is None or depth > 3:
        return keys, spreads
    if node.type == "identifier" and depth == 0:
        return _keys(ctx, value_of(ctx, ctx.node_text(node), node, fn), fn, depth + 1)
    if node.type != "object":
        return keys, spreads
    for child in node.named_children:
        if child.type == "shorthand_property_identifier":
            keys.add(ctx.node_text(child))
        elif child.type == "pair":
            key = child.child_by_field_name("key")
            if key is not None:
                name = string_value(ctx, key) if key.type == "string" else ctx.node_text(key)
                if name:
                    keys.add(name)
            value = unwrap(child.child_by_field_name("value"))
            if value is not None and value.type in {"object", "identifier"}:
                k, s = _keys(ctx, value, fn, depth + 1 if value.type == "object" else 0)
                keys |= k
                spreads |= s
        elif child.type == "spread_element":
            inner = unwrap(child.named_children[0]) if child.named_children else None
            if inner is not None:
                spreads.add(ctx.node_text(inner).split(".", 1)[0])
    return keys, spreads


def _assigned(ctx: FileContext, name: str, before: ts.Node, fn: ts.Node) -> set[str]:
    """``u.email = email`` between a new object and its save: columns it sets."""
    out: set[str] = set()
    for node in captures(ctx.language, "(assignment_expression) @a", fn).get("a", []):
        if node.start_byte >= before.start_byte:
            break
        left = node.child_by_field_name("left")
        if left is not None and left.type == "member_expression":
            obj = left.child_by_field_name("object")
            prop = left.child_by_field_name("property")
            if obj is not None and prop is not None and ctx.node_text(obj) == name:
                out.add(ctx.node_text(prop))
    return out


def _value_texts(ctx: FileContext, anchor: ts.Node) -> set[str]:
    """Identifiers and member expressions used as values in the read's arguments."""
    out: set[str] = set()
    stack = [anchor]
    while stack:
        cur = stack.pop()
        if cur.type in {"identifier", "member_expression", "shorthand_property_identifier"}:
            out.add(ctx.node_text(cur))
            continue
        if cur.type in FUNCTION_TYPES:
            continue
        for child in cur.named_children:
            if cur.type == "pair" and child == cur.child_by_field_name("key"):
                continue
            stack.append(child)
    return out


def _is_boolean(ctx: FileContext, call: ts.Node) -> bool:
    return call.type == "call_expression" and callee_parts(ctx, call) == ("Boolean",)
