"""How a read row's values flow through a Python function, for :mod:`read_modify_write` (the
twin of ``js/rmw_values.py``): the name a query result is assigned to (``p =
Product.objects.get(...)``, ``acct = result.scalar_one()``), reads of its columns
(``p.stock``, ``row["balance"]``, ``int(p.stock)``, ``(p.stock or 0)``), values computed
from them (``p.stock - qty``, ``max(0, p.stock - qty)``) and changes of the row object's
attributes (``p.stock -= qty``, ``p.stock = p.stock - qty``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import tree_sitter as ts

from scalescope.scan.extract.base import FileContext
from scalescope.scan.extract.py.ast import arguments, string_value, unwrap
from scalescope.scan.extract.rmw_common import norm_column

#: calls on a query result that return its row (``result.scalar_one()``, ``cur.fetchone()``)
ROW_CALLS = frozenset(
    {
        "scalar_one",
        "scalar_one_or_none",
        "scalar",
        "first",
        "one",
        "one_or_none",
        "fetchone",
        "scalars",
        "unique",
        "mappings",
        "get",
    }
)
_NUMERIC_WRAPPERS = frozenset({"int", "float", "Decimal", "max", "min", "round", "abs"})


@dataclass(frozen=True, slots=True)
class Ref:
    root: str
    field: str
    path: tuple[str, ...] = ()
    text: str = ""


@dataclass
class Binding:
    rows: set[str] = field(default_factory=set)
    columns: dict[str, str] = field(default_factory=dict)
    derived: dict[str, tuple[str, str, ts.Node]] = field(default_factory=dict)


def _assigned(node: ts.Node) -> ts.Node | None:
    """The left side ``node`` is assigned to (through ``await`` / parentheses)."""
    cur = node
    parent = cur.parent
    while parent is not None and parent.type in {"await", "parenthesized_expression"}:
        cur = parent
        parent = cur.parent
    if parent is None or parent.type != "assignment" or parent.child_by_field_name("right") != cur:
        return None
    return parent.child_by_field_name("left")


def bind(ctx: FileContext, anchor: ts.Node) -> Binding | None:
    left = _assigned(anchor)
    if left is None:
        return None
    binding = Binding()
    if left.type == "identifier":
        binding.rows.add(ctx.node_text(left))
    elif left.type in {"pattern_list", "tuple_pattern"} and left.named_children:
        first = left.named_children[0]
        if first.type == "identifier":
            binding.rows.add(ctx.node_text(first))
    return binding if binding.rows else None


def column_ref(ctx: FileContext, node: ts.Node | None, binding: Binding) -> Ref | None:
    """``p.stock``, ``row["balance"]``, ``order.product.stock``, a name bound to the column,
    ``(p.stock or 0)``, ``int(p.stock)``."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "identifier":
        name = ctx.node_text(node)
        column = binding.columns.get(name)
        return Ref(name, column, (), name) if column is not None else None
    if node.type in {"attribute", "subscript"}:
        return member_ref(ctx, node, binding)
    if node.type == "boolean_operator":
        return column_ref(ctx, node.child_by_field_name("left"), binding)
    if node.type == "call" and ctx.node_text(node.child_by_field_name("function")) in _NUMERIC_WRAPPERS:
        args = arguments(node)
        if len(args) == 1:
            return column_ref(ctx, args[0], binding)
    return None


def member_ref(ctx: FileContext, node: ts.Node, binding: Binding) -> Ref | None:
    steps: list[str] = []
    cur: ts.Node | None = node
    while cur is not None and cur.type in {"attribute", "subscript"}:
        if cur.type == "attribute":
            steps.append(ctx.node_text(cur.child_by_field_name("attribute")))
            cur = unwrap(cur.child_by_field_name("object"))
        else:
            index = cur.child_by_field_name("subscript")
            key = string_value(ctx, index)
            steps.append(key if key is not None else ctx.node_text(index))
            cur = unwrap(cur.child_by_field_name("value"))
    if cur is None or cur.type != "identifier" or ctx.node_text(cur) not in binding.rows or not steps:
        return None
    steps.reverse()
    column = steps[-1]
    path = tuple(s for s in steps[:-1] if s != "0")
    if not column.isidentifier() or len(path) > 2:
        return None
    return Ref(ctx.node_text(cur), column, path, ctx.node_text(node))


def derived(
    ctx: FileContext, node: ts.Node | None, binding: Binding, depth: int = 0
) -> tuple[Ref, str] | None:
    node = unwrap(node)
    if node is None or depth > 4:
        return None
    if node.type == "identifier":
        found = binding.derived.get(ctx.node_text(node))
        return (Ref(ctx.node_text(node), found[0]), found[1]) if found is not None else None
    if node.type == "binary_operator":
        op = ctx.node_text(node.child_by_field_name("operator"))
        if op not in {"+", "-"}:
            return None
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if _is_text(left) or _is_text(right):
            return None
        ref = column_ref(ctx, left, binding)
        if ref is not None:
            return ref, op
        inner = derived(ctx, left, binding, depth + 1)
        if inner is not None:
            return inner
        if op == "+":
            ref = column_ref(ctx, right, binding)
            if ref is not None:
                return ref, op
            return derived(ctx, right, binding, depth + 1)
        return None
    if node.type == "conditional_expression":
        for child in node.named_children[:1] + node.named_children[2:3]:
            found2 = derived(ctx, child, binding, depth + 1)
            if found2 is not None:
                return found2
        return None
    if node.type == "call" and ctx.node_text(node.child_by_field_name("function")) in _NUMERIC_WRAPPERS:
        for arg in arguments(node):
            found3 = derived(ctx, arg, binding, depth + 1)
            if found3 is not None:
                return found3
    return None


def _is_text(node: ts.Node | None) -> bool:
    node = unwrap(node)
    return node is not None and node.type in {"string", "concatenated_string"}


@dataclass
class Change:
    ref: Ref
    op: str
    node: ts.Node


def row_alias(ctx: FileContext, value: ts.Node, binding: Binding) -> bool:
    """``result.scalar_one()``, ``result.scalars().first()``, ``rows[0]``, ``cur.fetchone()``
    on a bound result."""
    node = unwrap(value)
    steps = 0
    while node is not None:
        if node.type == "call":
            fn = node.child_by_field_name("function")
            if fn is None or fn.type != "attribute" or arguments(node):
                return False
            if ctx.node_text(fn.child_by_field_name("attribute")) not in ROW_CALLS:
                return False
            node = unwrap(fn.child_by_field_name("object"))
        elif node.type == "subscript":
            if ctx.node_text(node.child_by_field_name("subscript")) != "0":
                return False
            node = unwrap(node.child_by_field_name("value"))
        else:
            break
        steps += 1
    return (
        steps > 0 and node is not None and node.type == "identifier" and ctx.node_text(node) in binding.rows
    )


def change_of(
    ctx: FileContext, node: ts.Node, left: ts.Node, right: ts.Node, binding: Binding
) -> Change | None:
    ref = target_ref(ctx, left, binding)
    if ref is None:
        return None
    if node.type == "augmented_assignment":
        op = ctx.node_text(node.child_by_field_name("operator"))
        if op not in {"-=", "+="}:
            return None
        return Change(ref, op[0], node)
    found = derived(ctx, right, binding)
    if found is None or norm_column(found[0].field) != norm_column(ref.field):
        return None
    return Change(ref, found[1], node)


def target_ref(ctx: FileContext, node: ts.Node | None, binding: Binding) -> Ref | None:
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "identifier":
        name = ctx.node_text(node)
        column = binding.columns.get(name) or (binding.derived[name][0] if name in binding.derived else None)
        return Ref(name, column) if column is not None else None
    if node.type == "attribute":
        return member_ref(ctx, node, binding)
    return None
