""":class:`CheckThenInsert` facts for Python ORMs and drivers (the twin of
``js/check_then_insert.py``): a read that checks whether a row with some values exists, a
branch on its result, then an insert of a row with those values.

Run by :mod:`data_access` on the queries it recognised in a file. A check read decides an
``if`` when it stands in the condition (``if User.objects.filter(email=e).exists():``) or when
the name it is bound to does (``existing = db.query(User).filter(...).first()``, ``row =
cur.fetchone()`` after the read's ``execute``; ``if existing:``, ``if existing is None:``,
``if not rows:``, ``if count == 0:``), or an ``except Model.DoesNotExist``/``NoResultFound``
clause of the ``try`` around it handles "no row". The insert races with it when it runs only
where no row was found (after an ``if`` whose "found" branch ends in ``return``/``raise``, in
the "not found" branch or its ``else``, in that ``except``), inserts into the same model
(Django ``objects.create``, ``Model(...).save()``, SQLAlchemy ``session.add(Model(...))``,
``insert(Model).values(...)``, a literal ``INSERT``) and sets every checked column. Upserts,
``get_or_create``/``update_or_create`` and ``ON CONFLICT`` inserts are never recorded.
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
from scalescope.scan.extract.py.ast import arguments, callee_parts, enclosing_function, string_value, unwrap
from scalescope.scan.extract.py.data_common import assignment_before, sql_text
from scalescope.scan.extract.py.data_flow import calls_between
from scalescope.scan.extract.py.data_writes import session_receiver
from scalescope.scan.extract.py.read_modify_write import protection
from scalescope.scan.extract.rmw_common import callee_text, norm_name

_PASS = frozenset({"await", "parenthesized_expression"})
_SIZE_ATTRS = frozenset({"rowcount", "count"})
_EXITS = frozenset({"return_statement", "raise_statement"})
_SIZE_CALLS = frozenset({("len",), ("bool",)})
_NONE_WHEN = {("==", "0"), ("<", "1"), ("<=", "0")}
_FOUND_WHEN = {("!=", "0"), (">", "0"), (">=", "1")}
_MIRROR = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}
#: exceptions a single-row read raises when no row exists
_NOT_FOUND = ("DoesNotExist", "NoResultFound", "ObjectDoesNotExist")
#: cursor methods that return the rows of the statement the cursor executed
_FETCHES = frozenset(
    {"fetchone", "fetchall", "fetchmany", "first", "scalar", "one_or_none", "scalar_one_or_none"}
)


class _Decision:
    """Where the check's outcome is decided: ``none`` the regions that run only when no row
    was found, ``after`` the byte after which code runs only then (an ``if`` whose "found"
    branch always leaves), or -1."""

    def __init__(self, node: ts.Node, none: list[ts.Node], after: int) -> None:
        self.node = node
        self.none = none
        self.after = after

    def runs_when_none(self, insert: ts.Node) -> bool:
        if any(r.start_byte <= insert.start_byte < r.end_byte for r in self.none):
            return True
        return 0 <= self.after <= insert.start_byte


def find_check_then_inserts(ctx: FileContext, accesses: Sequence[tuple[ts.Node, DataAccess]]) -> None:
    """Emit a :class:`CheckThenInsert` per insert that runs only when the check read before
    it found no row, for the queries ``accesses`` (anchor node, fact) of the file."""
    reads = [(n, a) for n, a in accesses if is_check_read(a)]
    if not reads:
        return
    inserts = [(n, a) for n, a in accesses if is_insert(a)]
    found: dict[int, CheckThenInsert] = {}
    for node, read in reads:
        fn = enclosing_function(node)
        if fn is None:
            continue
        decision = _decision(ctx, node, read, fn)
        if decision is None:
            continue
        columns = checked_columns(read)
        values = _value_texts(ctx, node)
        for wnode, write, keys, spreads in _candidates(ctx, node, read, fn, inserts):
            if not decision.runs_when_none(wnode) or not covers(columns, keys, spreads, values):
                continue
            keep_nearest(
                found,
                read,
                write,
                columns=columns,
                branch=ctx.loc(decision.node),
                lock=protection(ctx, node, fn),
                read_call=callee_text(ctx.node_text(node)),
                write_call=callee_text(ctx.node_text(wnode)),
            )
    for fact in sorted(found.values(), key=lambda f: f.loc.line):
        ctx.emit(fact)




# ----------------------------------------------------------------------------- the decision


def _decision(ctx: FileContext, anchor: ts.Node, read: DataAccess, fn: ts.Node) -> _Decision | None:
    direct = _polarity(ctx, anchor)
    if direct is not None:
        return _branches(*direct)
    handler = _except_not_found(ctx, anchor, fn)
    if handler is not None:
        return handler
    names = _bound_names(ctx, anchor, read, fn)
    if not names:
        return None
    for stmt in captures("python", "(if_statement) @if", fn).get("if", []):
        if stmt.start_byte < anchor.end_byte:
            continue
        cond = stmt.child_by_field_name("condition")
        if cond is None:
            continue
        for ident in _identifiers(cond):
            if ctx.node_text(ident) in names:
                found = _polarity(ctx, ident)
                if found is not None and found[0] == stmt:
                    return _branches(*found)
    return None


def _branches(stmt: ts.Node, when_found: bool) -> _Decision:
    consequence = stmt.child_by_field_name("consequence")
    alternatives = [c for c in stmt.children if c.type in {"else_clause", "elif_clause"}]
    plain_else = [c for c in alternatives if c.type == "else_clause"]
    if not when_found:
        return _Decision(stmt, [consequence] if consequence is not None else [], -1)
    none = [c for c in plain_else if not any(a.type == "elif_clause" for a in alternatives)]
    after = stmt.end_byte if consequence is not None and _exits(consequence) and not alternatives else -1
    return _Decision(stmt, none, after)


def _exits(block: ts.Node) -> bool:
    statements = [c for c in block.named_children if c.type != "comment"]
    return bool(statements) and statements[-1].type in _EXITS


def _polarity(ctx: FileContext, node: ts.Node) -> tuple[ts.Node, bool] | None:
    """Climb from an expression holding the read's result to the ``if`` whose condition it
    is: ``(if, found)``, ``found`` when the consequence runs if a row exists."""
    found = True
    cur = node
    while True:
        parent = cur.parent
        if parent is None:
            return None
        kind = parent.type
        if kind in _PASS:
            pass
        elif kind == "attribute" and parent.child_by_field_name("object") == cur:
            if ctx.node_text(parent.child_by_field_name("attribute")) not in _SIZE_ATTRS:
                return None
        elif kind == "subscript" and parent.child_by_field_name("value") == cur:
            if ctx.node_text(parent.child_by_field_name("subscript")) != "0":
                return None
        elif kind == "not_operator":
            found = not found
        elif kind == "comparison_operator":
            flip = _comparison(ctx, parent, cur)
            if flip is None:
                return None
            found = found != flip
        elif kind == "argument_list" and parent.parent is not None and parent.parent.type == "call":
            if callee_parts(ctx, parent.parent) not in _SIZE_CALLS or len(parent.named_children) != 1:
                return None
            cur = parent.parent
            continue
        elif kind == "if_statement" and parent.child_by_field_name("condition") == cur:
            return parent, found
        else:
            return None
        cur = parent


def _comparison(ctx: FileContext, node: ts.Node, side: ts.Node) -> bool | None:
    parts = node.named_children
    if len(parts) != 2:
        return None
    ops = [c for c in node.children if not c.is_named]
    op = " ".join(ctx.node_text(o) for o in ops)
    left = parts[0] == side
    other = parts[1] if left else parts[0]
    value = ctx.node_text(other).strip()
    if value == "None":
        if op in {"is", "=="}:
            return True
        return False if op in {"is not", "!="} else None
    if not left:
        op = _MIRROR.get(op, op)
    if (op, value) in _NONE_WHEN:
        return True
    if (op, value) in _FOUND_WHEN:
        return False
    return None


def _except_not_found(ctx: FileContext, anchor: ts.Node, fn: ts.Node) -> _Decision | None:
    """``try: X.objects.get(...) except X.DoesNotExist: ...``: the handler runs on no row."""
    cur = anchor.parent
    while cur is not None and cur.id != fn.id:
        if cur.type == "block" and cur.parent is not None and cur.parent.type == "try_statement":
            handlers = [
                c for c in cur.parent.children if c.type == "except_clause" and _handles_not_found(ctx, c)
            ]
            return _Decision(cur.parent, handlers, -1) if handlers else None
        cur = cur.parent
    return None


def _bound_names(ctx: FileContext, anchor: ts.Node, read: DataAccess, fn: ts.Node) -> set[str]:
    """The names holding the read's result: ``x = <read>``, ``a, b = <read>``, or for a
    statement executed on a cursor, ``row = cur.fetchone()`` after it."""
    node = anchor
    while node.parent is not None and node.parent.type in _PASS:
        node = node.parent
    parent = node.parent
    if parent is not None and parent.type == "assignment" and parent.child_by_field_name("right") == node:
        target = parent.child_by_field_name("left")
        if target is not None:
            return {ctx.node_text(i) for i in _identifiers(target)}
        return set()
    if read.kind != "raw" or parent is None or parent.type != "expression_statement":
        return set()
    receiver = callee_parts(ctx, anchor)[:-1]
    for call, parts in calls_between(ctx, anchor.end_byte, fn.end_byte):
        if parts[:-1] == receiver and parts and parts[-1] in _FETCHES:
            holder = call.parent
            while holder is not None and holder.type in _PASS:
                holder = holder.parent
            if holder is not None and holder.type == "assignment":
                left = holder.child_by_field_name("left")
                return {ctx.node_text(i) for i in _identifiers(left)} if left is not None else set()
            return set()
    return set()


def _identifiers(node: ts.Node) -> Iterator[ts.Node]:
    stack = [node]
    while stack:
        cur = stack.pop()
        if cur.type == "identifier":
            yield cur
        elif cur.type not in {"lambda", "function_definition"}:
            stack.extend(cur.named_children)


# ----------------------------------------------------------------------------- the insert


def _candidates(
    ctx: FileContext,
    anchor: ts.Node,
    read: DataAccess,
    fn: ts.Node,
    inserts: Sequence[tuple[ts.Node, DataAccess]],
) -> Iterator[tuple[ts.Node, DataAccess, set[str], set[str]]]:
    target = norm_name(read.model)
    if not target:
        return
    for wnode, write in inserts:
        if wnode.start_byte < anchor.end_byte or not fn.start_byte <= wnode.start_byte < fn.end_byte:
            continue
        if norm_name(write.model) != target or repeated(read, write):
            continue
        if UPSERT_MARKERS.search(ctx.node_text(wnode)):
            continue
        data = _inserted(ctx, wnode, write)
        if data is not None:
            yield wnode, write, data[0], data[1]
    # ``user = User(email=e); user.save()`` / ``User(email=e).save()`` (Django) and
    # ``session.add(User(email=e))`` (SQLAlchemy; its DataAccess comes from another extractor)
    for call, parts in calls_between(ctx, anchor.end_byte, fn.end_byte):
        if not parts:
            continue
        if parts[-1] == "add" and session_receiver(parts) and len(arguments(call)) == 1:
            obj = unwrap(arguments(call)[0])
        elif parts[-1] in {"save", "asave"} and not arguments(call):
            fnode = call.child_by_field_name("function")
            obj = unwrap(fnode.child_by_field_name("object")) if fnode is not None else None
        else:
            continue
        name = ""
        if obj is not None and obj.type == "identifier":
            name = ctx.node_text(obj)
            assign = assignment_before(ctx, obj)
            obj = unwrap(assign.child_by_field_name("right")) if assign is not None else None
        if obj is None or obj.type != "call" or norm_name(".".join(callee_parts(ctx, obj))) != target:
            continue
        keys, spreads = _kwargs(ctx, obj)
        if name:
            keys |= _assigned(ctx, name, obj, call)
        write = DataAccess(ctx.loc(call), orm=read.orm, model=read.model, operation=parts[-1], kind="write")
        yield call, write, keys, spreads


def _inserted(ctx: FileContext, wnode: ts.Node, write: DataAccess) -> tuple[set[str], set[str]] | None:
    """Columns an insert sets and the names it spreads (``**data``); ``None`` when unknown."""
    if write.kind == "raw":
        args = arguments(wnode)
        sql = sql_text(ctx, args[0]) if args else None
        if sql is None or UPSERT_MARKERS.search(sql):
            return None
        return set(sql_insert_columns(sql)), set()
    keys: set[str] = set()
    spreads: set[str] = set()
    stack = [wnode]
    while stack:  # the call and the calls of its chain (``insert(User).values(email=e)``)
        cur = stack.pop()
        if cur.type == "call":
            k, s = _kwargs(ctx, cur)
            keys |= k
            spreads |= s
            fnode = cur.child_by_field_name("function")
            if fnode is not None:
                stack.append(fnode)
            stack.extend(a for a in arguments(cur) if a.type == "call")
        elif cur.type == "attribute":
            obj = cur.child_by_field_name("object")
            if obj is not None:
                stack.append(obj)
    return keys, spreads


def _kwargs(ctx: FileContext, call: ts.Node) -> tuple[set[str], set[str]]:
    """Keyword names of a call and the keys of dicts handed to it; names spread in with
    ``**``."""
    keys: set[str] = set()
    spreads: set[str] = set()
    args = call.child_by_field_name("arguments")
    if args is None:
        return keys, spreads
    for child in args.named_children:
        if child.type == "keyword_argument":
            name = child.child_by_field_name("name")
            if name is not None:
                keys.add(ctx.node_text(name))
        elif child.type == "dictionary_splat":
            inner = child.named_children[0] if child.named_children else None
            if inner is not None:
                spreads.add(ctx.node_text(inner).split(".", 1)[0].split("[", 1)[0])
        elif child.type == "dictionary":
            for pair in child.named_children:
                if pair.type == "pair":
                    key = string_value(ctx, pair.child_by_field_name("key"))
                    if key:
                        keys.add(key)
                elif pair.type == "dictionary_splat":
                    inner = pair.named_children[0] if pair.named_children else None
                    if inner is not None:
                        spreads.add(ctx.node_text(inner).split(".", 1)[0])
    return keys, spreads


def _assigned(ctx: FileContext, name: str, start: ts.Node, end: ts.Node) -> set[str]:
    """``user.email = e`` between a new object and its save or ``add``."""
    out: set[str] = set()
    fn = enclosing_function(end)
    if fn is None:
        return out
    for node in captures("python", "(assignment left: (attribute) @a)", fn).get("a", []):
        if not start.end_byte <= node.start_byte < end.start_byte:
            continue
        obj = node.child_by_field_name("object")
        attr = node.child_by_field_name("attribute")
        if obj is not None and attr is not None and ctx.node_text(obj) == name:
            out.add(ctx.node_text(attr))
    return out


def _value_texts(ctx: FileContext, anchor: ts.Node) -> set[str]:
    """Names, attributes and subscripts used as values in the read's arguments."""
    out: set[str] = set()
    stack = [anchor]
    while stack:
        cur = stack.pop()
        if cur.type in {"identifier", "attribute", "subscript"}:
            out.add(ctx.node_text(cur))
            if cur.type == "identifier":
                continue
        if cur.type == "keyword_argument":
            value = cur.child_by_field_name("value")
            if value is not None:
                stack.append(value)
            continue
        stack.extend(cur.named_children)
    return out


def _handles_not_found(ctx: FileContext, clause: ts.Node) -> bool:
    """``except User.DoesNotExist:`` / ``except NoResultFound:``: the clause's head names it."""
    head = ctx.node_text(clause).split(":", 1)[0]
    return any(name in head for name in _NOT_FOUND)
