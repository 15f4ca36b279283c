""":class:`ReadModifyWrite` facts for Python ORMs and drivers (the twin of
``js/read_modify_write.py``): a row read by a query, one of its columns changed in code, the
result written back as an absolute value.

Run by :mod:`data_access` on the queries it recognised in a file. For each read assigned to a
name (see :mod:`rmw_values`), the function holding it is searched for arithmetic on one of
its columns (``product.stock - qty``, ``row["balance"] + amount``, ``product.stock -= qty``)
and for a write of that column back: an update whose values carry the computed value (Django
``.update(stock=...)``, SQLAlchemy ``.values(...)`` / ``query.update({...})``), an ``UPDATE
... SET col = %s`` whose value is it, or the changed row object saved (Django ``save()``) or
its session committed (SQLAlchemy ``commit()``/``flush()``). A read whose column the code
compares before an atomic decrement with no matching filter (``F("stock") - qty``,
``Product.stock - qty``, ``SET stock = stock - %s``) is recorded as ``form="check"``. What
prevents the race is recorded, not judged.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import tree_sitter as ts

from scalescope.model.facts import DataAccess, Loc, ReadModifyWrite
from scalescope.scan.extract.base import FileContext, captures
from scalescope.scan.extract.py.ast import arguments, enclosing_function, iter_calls, string_value, unwrap
from scalescope.scan.extract.py.data_common import sql_text, transaction_spans
from scalescope.scan.extract.py.rmw_values import (
    Binding,
    Change,
    Ref,
    bind,
    change_of,
    column_ref,
    derived,
    row_alias,
)
from scalescope.scan.extract.rmw_common import (
    ReadSite,
    first_marker,
    guards_write,
    norm_column,
    norm_name,
    sql_set_items,
    sql_where,
    where_guards,
)

UPDATE_OPERATIONS = frozenset(
    {"update", "execute", "values", "update_one", "update_many", "find_one_and_update", "exec", "aupdate"}
)
_COMPARISONS = frozenset({"<", "<=", ">", ">="})
#: SQLAlchemy / SQLModel / Django session and object calls that write a changed row object
_COMMITS = frozenset({"commit", "flush"})
_SAVES = frozenset({"save", "asave"})
_ADDS = frozenset({"add", "merge", "save", "add_all"})

_SCOPE_QUERY = """
(assignment) @assign
(augmented_assignment) @aug
(comparison_operator) @cmp
"""


@dataclass
class _Scope:
    assigns: list[ts.Node]
    augs: list[ts.Node]
    cmps: list[ts.Node]


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
            got = captures("python", _SCOPE_QUERY, scope_node)
            scope = scopes[scope_node.id] = _Scope(
                got.get("assign", []), got.get("aug", []), got.get("cmp", [])
            )
        for fact in _analyse(ctx, node, read, binding, scope_node, scope, writes):
            key = (fact.loc.line, fact.field)
            if key not in seen:
                seen.add(key)
                ctx.emit(fact)


def _is_row_read(access: DataAccess) -> bool:
    if access.aggregate:
        return False
    return access.kind == "read-one" or (access.kind == "raw" and access.operation == "select")


def _is_update(access: DataAccess) -> bool:
    if access.kind == "raw":
        return access.operation == "update"
    return access.kind == "write" and not access.bulk


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
    changes: list[Change] = []
    for node in sorted((*scope.assigns, *scope.augs), key=lambda n: n.start_byte):
        if node.start_byte < after:
            continue
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if left is None or right is None:
            continue
        if node.type == "assignment" and left.type == "identifier":
            name = ctx.node_text(left)
            if row_alias(ctx, right, binding):
                binding.rows.add(name)
                continue
            ref = column_ref(ctx, right, binding)
            if ref is not None and not ref.path:
                binding.columns[name] = ref.field
                continue
            found = derived(ctx, right, binding)
            if found is not None and not found[0].path:
                binding.derived[name] = (found[0].field, found[1], node)
                continue
        change = change_of(ctx, node, left, right, binding)
        if change is None:
            continue
        if change.ref.root in binding.rows:
            if not change.ref.path:  # saving ``order`` does not save ``order.product``
                changes.append(change)
        else:
            binding.derived[change.ref.root] = (change.ref.field, change.op, node)
    checks = _checks(ctx, scope, binding, after)
    place = ReadSite(read, ctx.node_text(anchor), checks, lambda: _protection_text(ctx, anchor, scope_node))
    for wnode, write in writes:
        if wnode.start_byte < after or not (scope_node.start_byte <= wnode.start_byte < scope_node.end_byte):
            continue
        where_text = ""
        for ref, op, value, form, where in _written(ctx, wnode, write, binding):
            where_text = where or where_text
            if norm_name(ref.path[-1] if ref.path else read.model) != norm_name(write.model):
                continue
            if form == "check" and place.check_before(ref.field, write.loc.line) is None:
                continue
            guarded = where_guards(where_text, ref.field) or guards_write(write.filter_fields, ref.field)
            node = unwrap(value) or value
            yield place.fact(
                write,
                ctx.node_text(wnode),
                ref.field,
                ref.text,
                op,
                form,
                value_text=ctx.node_text(value),
                modify=_modify_loc(ctx, node, binding),
                same_row=_same_row(ctx, anchor, wnode, node, binding),
                guard="conditional" if guarded else "",
            )
    for change in changes:
        save = _save_after(ctx, change, read, scope_node)
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
            )


def _checks(ctx: FileContext, scope: _Scope, binding: Binding, after: int) -> dict[str, tuple[Loc, str]]:
    out: dict[str, tuple[Loc, str]] = {}
    for node in scope.cmps:
        if node.start_byte < after:
            continue
        ops = {ctx.node_text(c) for c in node.children if not c.is_named}
        if not ops & _COMPARISONS:
            continue
        for part in node.named_children:
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
) -> Iterator[tuple[Ref, str, ts.Node, str, str]]:
    """(column, op, value node, form, WHERE text of a literal statement) per column set."""
    if write.kind == "raw":
        yield from _written_sql(ctx, wnode, binding)
        return
    got = captures("python", "(keyword_argument) @k (pair) @p", wnode)
    items: list[tuple[str, ts.Node]] = []
    for kw in got.get("k", []):
        name = kw.child_by_field_name("name")
        value = kw.child_by_field_name("value")
        if name is not None and value is not None:
            items.append((ctx.node_text(name), value))
    for pair in got.get("p", []):
        key_node = pair.child_by_field_name("key")
        pair_value = pair.child_by_field_name("value")
        if key_node is None or pair_value is None:
            continue
        text = string_value(ctx, key_node)
        if text is None and key_node.type == "attribute":
            text = ctx.node_text(key_node.child_by_field_name("attribute"))
        if text:
            items.append((text, pair_value))
    for key, value in items:
        found = derived(ctx, value, binding)
        if found is not None and norm_column(found[0].field) == norm_column(key):
            yield found[0], found[1], value, "absolute", ""
            continue
        atomic = _atomic_value(ctx, value, key, binding)
        if atomic:
            yield Ref("", key), atomic, value, "check", ""


def _atomic_value(ctx: FileContext, value: ts.Node, key: str, binding: Binding) -> str:
    """``F("stock") - n`` (Django) or ``Product.stock - n`` (SQLAlchemy): the database
    changes the column."""
    node = unwrap(value)
    if node is None or node.type != "binary_operator":
        return ""
    op = ctx.node_text(node.child_by_field_name("operator"))
    left = unwrap(node.child_by_field_name("left"))
    if op != "-" or left is None:
        return ""
    if left.type == "call" and ctx.node_text(left.child_by_field_name("function")) == "F":
        args = arguments(left)
        return "-" if args and norm_column(string_value(ctx, args[0]) or "") == norm_column(key) else ""
    if left.type == "attribute":
        obj = unwrap(left.child_by_field_name("object"))
        attr = ctx.node_text(left.child_by_field_name("attribute"))
        if obj is not None and obj.type == "identifier" and ctx.node_text(obj) not in binding.rows:
            return "-" if norm_column(attr) == norm_column(key) and ctx.node_text(obj)[:1].isupper() else ""
    return ""


def _written_sql(
    ctx: FileContext, wnode: ts.Node, binding: Binding
) -> Iterator[tuple[Ref, str, ts.Node, str, str]]:
    args = arguments(wnode)
    if not args:
        return
    sql = sql_text(ctx, args[0])
    if sql is None:
        return
    where = sql_where(sql)
    rest = args[1:]
    values: list[ts.Node] = []
    named: dict[str, ts.Node] = {}
    if len(rest) == 1 and (seq := unwrap(rest[0])) is not None and seq.type in {"tuple", "list"}:
        values = [c for c in seq.named_children if c.type != "comment"]
    elif len(rest) == 1 and (mapping := unwrap(rest[0])) is not None and mapping.type == "dictionary":
        for pair in mapping.named_children:
            if pair.type == "pair":
                key = string_value(ctx, pair.child_by_field_name("key"))
                value = pair.child_by_field_name("value")
                if key and value is not None:
                    named[key] = value
    else:
        values = rest
    for item in sql_set_items(sql):
        if item.atomic:
            yield Ref("", item.column), item.atomic, args[0], "check", where
            continue
        value_node = values[item.param] if 0 <= item.param < len(values) else named.get(item.name)
        if value_node is None:
            continue
        found = derived(ctx, value_node, binding)
        if found is not None and norm_column(found[0].field) == norm_column(item.column):
            yield found[0], found[1], value_node, "absolute", where


def _save_after(ctx: FileContext, change: Change, read: DataAccess, scope_node: ts.Node) -> ts.Node | None:
    """The first call after the changed row object that writes it: ``p.save()``,
    ``await p.asave()``, ``session.commit()`` / ``flush()`` (SQLAlchemy), ``session.add(p)``."""
    root = change.ref.root
    sqlalchemy = read.orm in {"sqlalchemy", "sqlmodel"}
    for call, parts in _calls_between(ctx, change.node.end_byte, scope_node.end_byte):
        if not parts:
            continue
        if len(parts) == 2 and parts[0] == root and parts[1] in _SAVES:
            return call
        if sqlalchemy and len(parts) >= 2 and parts[-1] in _COMMITS:
            return call
        if sqlalchemy and parts[-1] in _ADDS and any(ctx.node_text(a) == root for a in arguments(call)):
            return call
    return None


def _calls_between(ctx: FileContext, start: int, end: int) -> list[tuple[ts.Node, tuple[str, ...]]]:
    calls = iter_calls(ctx)
    starts = ctx.cache.get("py.rmw.call_starts")
    if starts is None or len(starts) != len(calls):
        starts = [c.start_byte for c, _ in calls]
        ctx.cache["py.rmw.call_starts"] = starts
    return calls[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]


def _modify_loc(ctx: FileContext, value: ts.Node, binding: Binding) -> Loc | None:
    if value.type == "identifier":
        found = binding.derived.get(ctx.node_text(value))
        if found is not None:
            return ctx.loc(found[2])
    return None


def _same_row(ctx: FileContext, anchor: ts.Node, wnode: ts.Node, value: ts.Node, binding: Binding) -> bool:
    """Outside the written value, the write names the row (``p.id``, ``p.pk``) or a value the
    read filtered on (``pk``, ``account_id``)."""
    read_values = {ctx.node_text(n) for n in _leaves(anchor)} - {"True", "False", "None", "self"}
    data: ts.Node | None = value
    if value.parent is not None and value.parent.type in {"keyword_argument", "pair"}:
        data = value.parent.parent  # ``.update(stock=..., owner=x)``: none of the set values filters
    if data is None:
        data = value
    for node in _leaves(wnode):
        if data.start_byte <= node.start_byte < data.end_byte:
            continue
        text = ctx.node_text(node)
        if text.split(".", 1)[0].split("[", 1)[0] in binding.rows or text in read_values:
            return True
    return False


def _leaves(call: ts.Node) -> Iterator[ts.Node]:
    """Names and attributes used as values in the arguments of ``call`` and the calls of its
    chain (not keywords, not callees, not dict keys)."""
    stack: list[ts.Node] = [unwrap(call) or call]
    while stack:
        node = stack.pop()
        if node.type == "call":
            # a call's arguments and the object of a method chain, never the callee's name
            args = node.child_by_field_name("arguments")
            if args is not None:
                stack.append(args)
            fn = node.child_by_field_name("function")
            obj = (
                unwrap(fn.child_by_field_name("object"))
                if fn is not None and fn.type == "attribute"
                else None
            )
            if obj is not None and obj.type == "call":
                stack.append(obj)
            continue
        if node.type in {"identifier", "attribute"}:
            yield node
            continue
        if node.type in {"lambda", "string"}:
            continue
        for child in node.named_children:
            if node.type == "keyword_argument" and child == node.child_by_field_name("name"):
                continue
            if node.type == "pair" and child == node.child_by_field_name("key"):
                continue
            stack.append(child)


def _protection_text(ctx: FileContext, anchor: ts.Node, scope_node: ts.Node) -> tuple[int, str]:
    """A lock or strict isolation level around the read: in its function and its decorators
    (``@with_lock``), or in the transaction block around it: (line, ``lock``|``isolation``),
    or (0, "")."""
    holder = (
        scope_node.parent
        if scope_node.parent is not None and scope_node.parent.type == "decorated_definition"
        else scope_node
    )
    texts: list[tuple[int, str]] = [(holder.start_point[0] + 1, ctx.node_text(holder))]
    for span in transaction_spans(ctx):
        if span.start <= anchor.start_byte < span.end:
            lines = ctx.lines[span.fact.loc.line - 1 : span.fact.loc.line]
            texts.append((span.fact.loc.line, "\n".join(lines)))
    return first_marker(texts)


def protection(ctx: FileContext, anchor: ts.Node, scope_node: ts.Node) -> tuple[int, str]:
    """A lock or strict isolation level around ``anchor`` (see :func:`_protection_text`)."""
    return _protection_text(ctx, anchor, scope_node)
