"""How a read row's values flow through a Node function, for :mod:`read_modify_write`: the
names a query result is bound to (``const p = await ...``, ``const [row] = ...``, ``const {
rows: [row] } = ...``, ``const { stock } = ...``), reads of its columns (``p.stock``,
``rows[0].balance``, ``row["stock"]``, ``Number(p.stock)``), values computed from them
(``p.stock - qty``, ``p.balance.minus(x)``, ``Math.max(0, p.stock - qty)``) and changes of
the row object's attributes (``p.stock -= qty``, ``p.stock = p.stock - qty``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import tree_sitter as ts

from scalescope.scan.extract.base import FileContext
from scalescope.scan.extract.js.ast import arguments, string_value, unwrap
from scalescope.scan.extract.rmw_common import norm_column

#: accessors that keep a query result's first row (``rows[0]``, ``.rows``, ``.dataValues``)
ROW_STEPS = frozenset({"rows", "0", "dataValues", "data", "Item", "value", "result"})
#: calls that keep the number they wrap (``Number(p.stock)``, ``new Decimal(p.balance)``)
_NUMERIC_WRAPPERS = frozenset(
    {
        "Number",
        "parseInt",
        "parseFloat",
        "BigInt",
        "Decimal",
        "Big",
        "BigNumber",
        "Math.max",
        "Math.min",
        "Math.round",
        "Math.floor",
        "Math.ceil",
        "Math.trunc",
        "Math.abs",
        "Prisma.Decimal",
    }
)
#: decimal-library methods that add or subtract (decimal.js, big.js, bignumber.js, Prisma.Decimal)
_DECIMAL_OPS = {"minus": "-", "sub": "-", "subtract": "-", "plus": "+", "add": "+"}


@dataclass(frozen=True, slots=True)
class Ref:
    """A column of a read row as code reaches it: ``p.stock`` (root ``p``), ``order.product.stock``
    (``path`` = ``("product",)``), or a name bound to the column (``stock``)."""

    root: str
    field: str
    path: tuple[str, ...] = ()
    text: str = ""


@dataclass
class Binding:
    """The names a read's result is bound to."""

    rows: set[str] = field(default_factory=set)  # a row (or a list whose first row is meant)
    columns: dict[str, str] = field(default_factory=dict)  # name -> column
    derived: dict[str, tuple[str, str, ts.Node]] = field(default_factory=dict)  # name -> (column, op, node)


def bind(ctx: FileContext, anchor: ts.Node) -> Binding | None:
    """The names the read's result is assigned to, through ``await``, ``(...)``, ``.rows[0]``."""
    node = anchor
    parent = node.parent
    while parent is not None:
        if parent.type in {
            "await_expression",
            "parenthesized_expression",
            "non_null_expression",
            "as_expression",
        }:
            pass
        elif parent.type == "member_expression" and parent.child_by_field_name("object") == node:
            prop = ctx.node_text(parent.child_by_field_name("property"))
            grand = parent.parent
            if prop in {"catch", "finally"} and grand is not None and grand.type == "call_expression":
                node, parent = grand, grand.parent  # ``.catch(...)`` resolves to the same row
                continue
            if prop not in ROW_STEPS:
                return None
        elif parent.type == "subscript_expression" and parent.child_by_field_name("object") == node:
            if ctx.node_text(parent.child_by_field_name("index")) != "0":
                return None
        else:
            break
        node = parent
        parent = node.parent
    if parent is None:
        return None
    target: ts.Node | None = None
    if parent.type == "variable_declarator" and parent.child_by_field_name("value") == node:
        target = parent.child_by_field_name("name")
    elif parent.type == "assignment_expression" and parent.child_by_field_name("right") == node:
        target = parent.child_by_field_name("left")
    if target is None:
        return None
    binding = Binding()
    bind_pattern(ctx, target, binding, 0)
    if not binding.rows and not binding.columns:
        return None
    return binding


def bind_pattern(ctx: FileContext, target: ts.Node, binding: Binding, depth: int) -> None:
    if depth > 3:
        return
    if target.type == "identifier":
        binding.rows.add(ctx.node_text(target))
    elif target.type == "array_pattern":
        first = target.named_children[0] if target.named_children else None
        if first is not None and first.type == "identifier":
            binding.rows.add(ctx.node_text(first))
    elif target.type == "object_pattern":
        for child in target.named_children:
            if child.type == "shorthand_property_identifier_pattern":
                name = ctx.node_text(child)
                if name in {"rows", "data"}:
                    binding.rows.add(name)
                else:
                    binding.columns[name] = name
            elif child.type == "pair_pattern":
                key = ctx.node_text(child.child_by_field_name("key")).strip("'\"")
                value = child.child_by_field_name("value")
                if value is None:
                    continue
                if key in {"rows", "data"}:
                    bind_pattern(ctx, value, binding, depth + 1)
                elif value.type == "identifier":
                    binding.columns[ctx.node_text(value)] = key
            elif child.type == "object_assignment_pattern":
                left = child.child_by_field_name("left")
                if left is not None and left.type == "shorthand_property_identifier_pattern":
                    binding.columns[ctx.node_text(left)] = ctx.node_text(left)


def column_ref(ctx: FileContext, node: ts.Node | None, binding: Binding) -> Ref | None:
    """``node`` reads a column of the bound row: ``p.stock``, ``rows[0].stock``,
    ``row["stock"]``, ``order.product.stock``, a name bound to the column, or one of these
    wrapped in ``Number()`` / ``?? 0`` / ``|| 0``."""
    node = unwrap(node)
    if node is None:
        return None
    if node.type == "identifier":
        name = ctx.node_text(node)
        column = binding.columns.get(name)
        return Ref(name, column, (), name) if column is not None else None
    if node.type in {"member_expression", "subscript_expression"}:
        return member_ref(ctx, node, binding)
    if node.type == "binary_expression":
        op = ctx.node_text(node.child_by_field_name("operator"))
        if op in {"??", "||"}:
            return column_ref(ctx, node.child_by_field_name("left"), binding)
        return None
    if node.type in {"call_expression", "new_expression"}:
        fn = node.child_by_field_name("function") or node.child_by_field_name("constructor")
        if ctx.node_text(fn) in _NUMERIC_WRAPPERS:
            args = arguments(node)
            if len(args) == 1:
                return column_ref(ctx, args[0], binding)
    return None


def member_ref(ctx: FileContext, node: ts.Node, binding: Binding) -> Ref | None:
    steps: list[str] = []
    cur: ts.Node | None = node
    while cur is not None and cur.type in {"member_expression", "subscript_expression"}:
        if cur.type == "member_expression":
            steps.append(ctx.node_text(cur.child_by_field_name("property")))
            cur = unwrap(cur.child_by_field_name("object"))
        else:
            index = cur.child_by_field_name("index")
            key = string_value(ctx, index)
            steps.append(key if key is not None else ctx.node_text(index))
            cur = unwrap(cur.child_by_field_name("object"))
    if cur is None or cur.type != "identifier" or ctx.node_text(cur) not in binding.rows or not steps:
        return None
    steps.reverse()
    column = steps[-1]
    path = tuple(s for s in steps[:-1] if s not in ROW_STEPS)
    if not column.isidentifier() or column in ROW_STEPS or len(path) > 2:
        return None
    return Ref(ctx.node_text(cur), column, path, ctx.node_text(node))


def derived(
    ctx: FileContext, node: ts.Node | None, binding: Binding, depth: int = 0
) -> tuple[Ref, str] | None:
    """``node`` computes a new value of a column from its read value (``p.stock - qty``,
    ``p.balance.plus(x)``, ``Math.max(0, p.stock - qty)``, a name holding such a value)."""
    node = unwrap(node)
    if node is None or depth > 4:
        return None
    if node.type == "identifier":
        found = binding.derived.get(ctx.node_text(node))
        return (Ref(ctx.node_text(node), found[0]), found[1]) if found is not None else None
    if node.type == "binary_expression":
        op = ctx.node_text(node.child_by_field_name("operator"))
        if op not in {"+", "-"}:
            return None
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        if _is_text(right) or _is_text(left):
            return None  # string concatenation
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
    if node.type == "ternary_expression":
        for part in ("consequence", "alternative"):
            found2 = derived(ctx, node.child_by_field_name(part), binding, depth + 1)
            if found2 is not None:
                return found2
        return None
    if node.type in {"call_expression", "new_expression"}:
        fn = node.child_by_field_name("function") or node.child_by_field_name("constructor")
        fn = unwrap(fn)
        if fn is not None and fn.type == "member_expression":
            method = ctx.node_text(fn.child_by_field_name("property"))
            if method in _DECIMAL_OPS:
                obj = fn.child_by_field_name("object")
                ref = column_ref(ctx, obj, binding)
                if ref is not None:
                    return ref, _DECIMAL_OPS[method]
                return derived(ctx, obj, binding, depth + 1)
            if method in {"toFixed", "toNumber", "toString"}:
                return derived(ctx, fn.child_by_field_name("object"), binding, depth + 1)
        if ctx.node_text(fn) in _NUMERIC_WRAPPERS:
            for arg in arguments(node):
                found3 = derived(ctx, arg, binding, depth + 1)
                if found3 is not None:
                    return found3
    return None


def _is_text(node: ts.Node | None) -> bool:
    node = unwrap(node)
    return node is not None and node.type in {"string", "template_string"}


@dataclass
class Change:
    """A column changed in code: the row object's attribute assigned, or a value computed."""

    ref: Ref
    op: str
    node: ts.Node


def row_alias(ctx: FileContext, value: ts.Node, binding: Binding) -> bool:
    """``value`` is the bound row again: ``rows[0]``, ``result.rows[0]``, ``p.dataValues``."""
    node = unwrap(value)
    steps = 0
    while node is not None and node.type in {"member_expression", "subscript_expression"}:
        if node.type == "member_expression":
            step = ctx.node_text(node.child_by_field_name("property"))
        else:
            step = ctx.node_text(node.child_by_field_name("index"))
        if step not in ROW_STEPS:
            return False
        steps += 1
        node = unwrap(node.child_by_field_name("object"))
    return (
        steps > 0 and node is not None and node.type == "identifier" and ctx.node_text(node) in binding.rows
    )


def change_of(ctx: FileContext, node: ts.Node, binding: Binding) -> Change | None:
    """``p.stock -= qty``, ``p.stock++``, ``p.stock = p.stock - qty``, ``s -= qty`` (``s``
    bound to a column), ``s = s - qty``."""
    if node.type == "update_expression":
        target = node.child_by_field_name("argument")
        op = "-" if "--" in ctx.node_text(node) else "+"
        ref = target_ref(ctx, target, binding)
        return Change(ref, op, node) if ref is not None else None
    left = node.child_by_field_name("left")
    right = node.child_by_field_name("right")
    ref = target_ref(ctx, left, binding)
    if ref is None:
        return None
    if node.type == "augmented_assignment_expression":
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
    return member_ref(ctx, node, binding)
