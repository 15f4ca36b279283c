""":class:`ReadModifyWrite` facts for Node ORMs and drivers: a row read by a query, one of its
columns changed in code, the result written back as an absolute value.

Run by :mod:`data_access` on the queries it recognised in a file. For each read whose result
is bound to a name (see :mod:`rmw_values`), the function holding it is searched for
arithmetic on one of its columns (``p.stock - qty``, ``Number(row.balance) + amount``,
``p.stock -= qty``, ``let s = p.stock; s -= qty``) and for a write of that column back to the
same model: an update call whose data carries the computed value (Prisma ``data``,
TypeORM/Sequelize/Knex/Drizzle values, Mongoose ``$set``), an ``UPDATE ... SET col = $1``
whose value is it, or a save of the changed row object (``repo.save(p)``, ``p.save()``). A
read whose column the code compares (``if (p.stock < qty)``) followed by an atomic decrement
with no matching ``WHERE`` is recorded too (``form="check"``). What already prevents the race
(a lock, a strict isolation level, a conditional ``WHERE``, a MongoDB session) is recorded,
not judged.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import tree_sitter as ts

from scalescope.model.facts import DataAccess, Loc, ReadModifyWrite
from scalescope.scan.extract.base import FileContext, captures
from scalescope.scan.extract.js.ast import (
    FUNCTION_TYPES,
    arguments,
    call_receiver,
    enclosing_function,
    string_value,
    unwrap,
)
from scalescope.scan.extract.js.data_common import calls_between, transaction_spans
from scalescope.scan.extract.js.rmw_values import (
    Binding,
    Change,
    Ref,
    bind,
    bind_pattern,
    change_of,
    column_ref,
    derived,
    row_alias,
)
from scalescope.scan.extract.rmw_common import (
    SAVE_METHODS,
    ReadSite,
    first_marker,
    guards_write,
    norm_column,
    norm_name,
    sql_set_items,
    sql_where,
    where_guards,
)

#: operations that change existing rows with values from the call (not inserts, not deletes)
UPDATE_OPERATIONS = frozenset(
    {
        "update",
        "updateOne",
        "updateMany",
        "findByIdAndUpdate",
        "findOneAndUpdate",
        "upsert",
        "set",
        "save",
        "merge",
        "patch",
        "replaceOne",
        "decrement",
        "increment",
    }
)
_COMPARISONS = frozenset({"<", "<=", ">", ">="})
_ATOMIC_KEYS = {"decrement": "-", "increment": "+"}

_SCOPE_QUERY = """
(variable_declarator) @decl
(assignment_expression) @assign
(augmented_assignment_expression) @aug
(update_expression) @upd
(binary_expression) @bin
"""


@dataclass
class _Scope:
    """The nodes of one function a read's result can flow through, collected once."""

    decls: list[ts.Node]
    assigns: list[ts.Node]
    augs: list[ts.Node]
    upds: list[ts.Node]
    bins: list[ts.Node]


def find_read_modify_writes(ctx: FileContext, accesses: Sequence[tuple[ts.Node, DataAccess]]) -> None:
    """Emit a :class:`ReadModifyWrite` per column written back after arithmetic on its read
    value, for the queries ``accesses`` (anchor node, fact) of the file."""
    reads = [(n, a) for n, a in accesses if _is_row_read(a)]
    if not reads:
        return
    writes = [(n, a) for n, a in accesses if _is_update(a)]
    scopes: dict[int, _Scope] = {}
    seen: set[tuple[int, str]] = set()
    for node, read in reads:
        binding = bind(ctx, node)
        if binding is None:
            continue
        fn = enclosing_function(node)
        scope_node = fn if fn is not None else ctx.root
        scope = scopes.get(scope_node.id)
        if scope is None:
            scope = scopes[scope_node.id] = _collect(ctx, scope_node)
        for fact in _analyse(ctx, node, read, binding, scope_node, scope, writes):
            key = (fact.loc.line, fact.field)
            if key not in seen:
                seen.add(key)
                ctx.emit(fact)


def _is_row_read(access: DataAccess) -> bool:
    if access.aggregate:
        return False
    return access.kind in {"read-one", "read-many"} or (access.kind == "raw" and access.operation == "select")


def _is_update(access: DataAccess) -> bool:
    if access.kind == "raw":
        return access.operation == "update"
    return access.kind == "write" and access.operation in UPDATE_OPERATIONS and not access.bulk


def _collect(ctx: FileContext, scope_node: ts.Node) -> _Scope:
    got = captures(ctx.language, _SCOPE_QUERY, scope_node)
    return _Scope(
        got.get("decl", []), got.get("assign", []), got.get("aug", []), got.get("upd", []), got.get("bin", [])
    )


def _analyse(
    ctx: FileContext,
    anchor: ts.Node,
    read: DataAccess,
    binding: Binding,
    scope_node: ts.Node,
    scope: _Scope,
    writes: Sequence[tuple[ts.Node, DataAccess]],
) -> Iterator[ReadModifyWrite]:
    after = anchor.end_byte
    # aliases and computed values, in document order
    for decl in scope.decls:
        if decl.start_byte < after:
            continue
        name_node = decl.child_by_field_name("name")
        value = decl.child_by_field_name("value")
        if name_node is None or value is None:
            continue
        if name_node.type == "identifier":
            name = ctx.node_text(name_node)
            if row_alias(ctx, value, binding):
                binding.rows.add(name)
                continue
            ref = column_ref(ctx, value, binding)
            if ref is not None and not ref.path:
                binding.columns[name] = ref.field
                continue
            found = derived(ctx, value, binding)
            if found is not None and not found[0].path:
                binding.derived[name] = (found[0].field, found[1], decl)
        elif name_node.type == "object_pattern" and row_alias(ctx, value, binding):
            bind_pattern(ctx, name_node, binding, 1)
    changes: list[Change] = []
    for node in (*scope.augs, *scope.assigns, *scope.upds):
        if node.start_byte < after:
            continue
        change = change_of(ctx, node, binding)
        if change is None:
            continue
        if change.ref.root in binding.rows:
            if not change.ref.path:  # saving ``order`` does not save ``order.product``
                changes.append(change)
        else:
            binding.derived[change.ref.root] = (change.ref.field, change.op, node)
    checks = _checks(ctx, scope, binding, after)
    place = ReadSite(read, ctx.node_text(anchor), checks, lambda: _protection_text(ctx, anchor, scope_node))
    mongo = read.orm in {"mongoose", "mongodb"}

    def session(wnode: ts.Node) -> str:
        """A MongoDB transaction aborts the second of two conflicting writes."""
        if mongo and (read.in_transaction or any("session" in ctx.node_text(n) for n in (anchor, wnode))):
            return "session"
        return ""

    for wnode, write in writes:
        if wnode.start_byte < after or not (scope_node.start_byte <= wnode.start_byte < scope_node.end_byte):
            continue
        for ref, op, value, form in _written(ctx, wnode, write, binding):
            model_ok = norm_name(ref.path[-1] if ref.path else read.model) == norm_name(write.model)
            if not model_ok and not (write.model is None and write.orm == read.orm):
                continue
            if form == "check" and place.check_before(ref.field, write.loc.line) is None:
                continue
            yield place.fact(
                write,
                ctx.node_text(wnode),
                ref.field,
                ref.text,
                op,
                form,
                value_text=ctx.node_text(value),
                modify=_modify_loc(ctx, value, binding),
                same_row=_same_row(ctx, anchor, wnode, value, binding),
                guard=_guard(write, wnode, ctx, ref.field) or session(wnode),
            )
    # an update called on the row object itself (Sequelize ``p.update({ stock: p.stock - 1 })``)
    known = {w.id for w, _ in writes}
    for call, parts in calls_between(ctx, after, scope_node.end_byte):
        if len(parts) != 2 or parts[0] not in binding.rows or parts[1] not in {"update", "updateOne", "set"}:
            continue
        if call.id in known:
            continue
        instance = replace(read, loc=ctx.loc(call), operation=parts[1], kind="write", filter_fields=())
        for ref, op, value, form in _written(ctx, call, instance, binding):
            if form == "absolute":
                yield place.fact(
                    instance,
                    ctx.node_text(call),
                    ref.field,
                    ref.text,
                    op,
                    form,
                    value_text=ctx.node_text(value),
                    modify=_modify_loc(ctx, value, binding),
                    guard=session(call),
                )
    for change in changes:
        save = _save_after(ctx, change, scope_node)
        if save is not None:
            saved = replace(read, loc=ctx.loc(save), operation="save", kind="write", filter_fields=())
            yield place.fact(
                saved,
                ctx.node_text(save),
                change.ref.field,
                change.ref.text,
                change.op,
                "save",
                value_text=ctx.node_text(change.node),
                modify=ctx.loc(change.node),
                guard=session(save),
            )


def _checks(ctx: FileContext, scope: _Scope, binding: Binding, after: int) -> dict[str, tuple[Loc, str]]:
    """Columns the code compares after reading them (``if (p.stock < qty)``), with where."""
    out: dict[str, tuple[Loc, str]] = {}
    for node in scope.bins:
        if node.start_byte < after:
            continue
        if ctx.node_text(node.child_by_field_name("operator")) not in _COMPARISONS:
            continue
        for side in ("left", "right"):
            part = node.child_by_field_name(side)
            ref = column_ref(ctx, part, binding)
            if ref is None:
                found = derived(ctx, part, binding)
                ref = found[0] if found is not None else None
            if ref is not None and norm_column(ref.field) not in out:
                out[norm_column(ref.field)] = (ctx.loc(node), ref.text)
    return out


# ----------------------------------------------------------------------------- writes


def _written(
    ctx: FileContext, wnode: ts.Node, write: DataAccess, binding: Binding
) -> Iterator[tuple[Ref, str, ts.Node, str]]:
    """(column, op, value node, form) for each column the write sets from a computed value
    (``absolute``) or changes atomically (``check``, kept when the code compared it)."""
    if write.kind == "raw":
        yield from _written_sql(ctx, wnode, binding)
        return
    got = captures(ctx.language, "(pair) @p (shorthand_property_identifier) @s", wnode)
    for pair in got.get("p", []):
        key_node = pair.child_by_field_name("key")
        value = pair.child_by_field_name("value")
        if key_node is None or value is None:
            continue
        key = string_value(ctx, key_node) if key_node.type == "string" else ctx.node_text(key_node)
        if not key:
            continue
        found = derived(ctx, value, binding)
        if found is not None and norm_column(found[0].field) == norm_column(key):
            yield found[0], found[1], value, "absolute"
            continue
        atomic = _atomic_value(ctx, value, key)
        if atomic:
            yield Ref("", key), atomic, value, "check"
    for short in got.get("s", []):
        name = ctx.node_text(short)
        computed = binding.derived.get(name)
        if computed is not None and norm_column(computed[0]) == norm_column(name):
            yield Ref(name, computed[0], (), name), computed[1], short, "absolute"
    # ``.decrement('stock', n)`` (Knex, Sequelize, TypeORM)
    for call, parts in calls_between(ctx, wnode.start_byte, wnode.end_byte):
        if parts and parts[-1] == "decrement":
            for arg in arguments(call):
                column = string_value(ctx, arg)
                if column:
                    yield Ref("", column), "-", arg, "check"
                    break


def _atomic_value(ctx: FileContext, value: ts.Node, key: str) -> str:
    """``{ decrement: n }`` (Prisma), a ``$inc`` of a negative amount (Mongoose),
    ``sql`${t.stock} - ${n}``` (Drizzle): the column is changed in the database."""
    node = unwrap(value)
    if node is None:
        return ""
    if node.type == "object":
        for pair in node.named_children:
            if pair.type == "pair":
                name = ctx.node_text(pair.child_by_field_name("key"))
                if name in _ATOMIC_KEYS:
                    return _ATOMIC_KEYS[name]
        return ""
    parent = node.parent.parent if node.parent is not None else None  # pair -> object
    grand = parent.parent if parent is not None else None
    if (
        grand is not None
        and grand.type == "pair"
        and ctx.node_text(grand.child_by_field_name("key")).strip("'\"") == "$inc"
    ):
        return "-" if ctx.node_text(node).lstrip().startswith("-") else ""
    if node.type == "call_expression":
        tmpl = node.child_by_field_name("arguments")
        if tmpl is not None and tmpl.type == "template_string":
            raw = ctx.node_text(tmpl)
            if f".{key}}}" in raw and "} -" in raw:
                return "-"
    return ""


def _written_sql(
    ctx: FileContext, wnode: ts.Node, binding: Binding
) -> Iterator[tuple[Ref, str, ts.Node, str]]:
    """``UPDATE t SET stock = $1 ... [row.stock - qty]`` or ``sql`UPDATE t SET stock =
    ${row.stock - qty}```: the placeholder's value computed from the read."""
    args = arguments(wnode)
    tmpl = wnode.child_by_field_name("arguments")
    values: list[ts.Node] = []
    if tmpl is not None and tmpl.type == "template_string":
        sql_node: ts.Node | None = tmpl
    else:
        sql_node = args[0] if args else None
    if sql_node is None:
        return
    sql_node = unwrap(sql_node)
    if sql_node is None:
        return
    if sql_node.type == "template_string":
        parts: list[str] = []
        last = sql_node.start_byte + 1
        for sub in sql_node.named_children:
            if sub.type != "template_substitution":
                continue
            parts.append(ctx.source[last : sub.start_byte].decode("utf-8", "replace"))
            parts.append(f"${len(values) + 1}")
            values.append(sub.named_children[0] if sub.named_children else sub)
            last = sub.end_byte
        parts.append(ctx.source[last : sql_node.end_byte - 1].decode("utf-8", "replace"))
        sql = "".join(parts)
    else:
        text = string_value(ctx, sql_node)
        if text is None:
            return
        sql = text
        params = unwrap(args[1]) if len(args) > 1 else None
        if params is not None and params.type == "array":
            values = [c for c in params.named_children if c.type != "comment"]
    for item in sql_set_items(sql):
        if item.atomic:
            yield Ref("", item.column), item.atomic, sql_node, "check"
            continue
        if 0 <= item.param < len(values):
            found = derived(ctx, values[item.param], binding)
            if found is not None and norm_column(found[0].field) == norm_column(item.column):
                yield found[0], found[1], values[item.param], "absolute"
    ctx.cache[f"js.rmw.where:{wnode.id}"] = sql_where(sql)


def _save_after(ctx: FileContext, change: Change, scope_node: ts.Node) -> ts.Node | None:
    """The first call after a changed row object that saves it: ``p.save()``,
    ``repo.save(p)``, ``manager.save(Product, p)``, ``em.persistAndFlush(p)``."""
    root = change.ref.root
    for call, parts in calls_between(ctx, change.node.end_byte, scope_node.end_byte):
        if not parts:
            continue
        if len(parts) == 2 and parts[0] == root and parts[1] in {"save", "update", "updateOne"}:
            return call
        if parts[-1] in SAVE_METHODS:
            for raw in arguments(call):
                arg = unwrap(raw)
                if arg is None:
                    continue
                if arg.type == "identifier" and ctx.node_text(arg) == root:
                    return call
                if arg.type == "array" and any(ctx.node_text(c) == root for c in arg.named_children):
                    return call
    return None


def _modify_loc(ctx: FileContext, value: ts.Node, binding: Binding) -> Loc | None:
    """Where the value was computed when not inside the write (``const s = p.stock - qty``)."""
    node = unwrap(value)
    if node is not None and node.type in {"identifier", "shorthand_property_identifier"}:
        found = binding.derived.get(ctx.node_text(node))
        if found is not None:
            return ctx.loc(found[2])
    return None


def _same_row(ctx: FileContext, anchor: ts.Node, wnode: ts.Node, value: ts.Node, binding: Binding) -> bool:
    """The write is shown to target the row read: outside the values it sets (the object
    holding the written value), it names the row (``p.id``, ``p``) or a value the read
    filtered on (``id``, ``req.params.id``)."""
    read_values = _value_texts(ctx, anchor)
    data = value
    if value.parent is not None and value.parent.type == "pair" and value.parent.parent is not None:
        data = value.parent.parent  # ``data: { stock: ..., parentId: x }``: none of it filters
    elif value.type == "shorthand_property_identifier" and value.parent is not None:
        data = value.parent
    for node in _leaves(wnode):
        if data.start_byte <= node.start_byte < data.end_byte:
            continue
        text = ctx.node_text(node)
        root = text.split(".", 1)[0].split("[", 1)[0]
        if root in binding.rows or text in read_values:
            return True
    return False


def _value_texts(ctx: FileContext, anchor: ts.Node) -> set[str]:
    out: set[str] = set()
    for node in _leaves(anchor):
        text = ctx.node_text(node)
        if text and text not in {"true", "false", "null", "undefined", "this"}:
            out.add(text)
    return out


def _leaves(call: ts.Node) -> Iterator[ts.Node]:
    """Identifiers and member expressions used as values in the arguments of ``call`` and of
    the calls of its chain (object values, array items, arguments), not keys, not callees."""
    stack: list[ts.Node] = [unwrap(call) or call]
    while stack:
        cur = stack.pop()
        if cur.type == "call_expression":
            args = cur.child_by_field_name("arguments")
            if args is not None:
                stack.append(args)
            obj = call_receiver(cur)
            if obj is not None and obj.type == "call_expression":
                stack.append(obj)
            continue
        if cur.type in {"identifier", "member_expression", "shorthand_property_identifier"}:
            yield cur
            continue
        if cur.type in FUNCTION_TYPES or cur.type == "template_string":
            continue
        for child in cur.named_children:
            if cur.type == "pair" and child == cur.child_by_field_name("key"):
                continue
            stack.append(child)


def _protection_text(ctx: FileContext, anchor: ts.Node, scope_node: ts.Node) -> tuple[int, str]:
    """A lock or strict isolation level around the read: in its function, in a call its
    function is a callback of (``withLock(key, async () => ...)``, ``mutex.runExclusive(...)``)
    or in a transaction call around it: (line, ``lock``|``isolation``), or (0, "")."""
    texts: list[tuple[int, str]] = [(scope_node.start_point[0] + 1, ctx.node_text(scope_node))]
    node: ts.Node | None = anchor.parent
    while node is not None:
        if node.type == "call_expression":
            callee = node.child_by_field_name("function")
            if callee is not None:
                texts.append((callee.start_point[0] + 1, ctx.node_text(callee) + "("))
        node = node.parent
    for span in transaction_spans(ctx):
        if (
            span.start <= anchor.start_byte < span.end
            or scope_node.start_byte <= span.start < scope_node.end_byte
        ):
            lines = ctx.lines[span.loc.line - 1 : span.loc.end_line]
            texts.append((span.loc.line, "\n".join(lines)))
    return first_marker(texts)


def _guard(write: DataAccess, wnode: ts.Node, ctx: FileContext, column: str) -> str:
    """``conditional`` when the write's ``WHERE`` repeats the column or a version column."""
    where = ctx.cache.get(f"js.rmw.where:{wnode.id}")
    if isinstance(where, str) and where_guards(where, column):
        return "conditional"
    if guards_write(write.filter_fields, column):
        return "conditional"
    return ""


def protection(ctx: FileContext, anchor: ts.Node, scope_node: ts.Node) -> tuple[int, str]:
    """A lock or strict isolation level around ``anchor`` (see :func:`_protection_text`)."""
    return _protection_text(ctx, anchor, scope_node)
