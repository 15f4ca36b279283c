"""Python data access: :class:`DataAccess` and :class:`Transaction` facts.

Covers SQLAlchemy 1.x ``Query`` (including Flask-SQLAlchemy ``Model.query``), SQLAlchemy 2.0 /
SQLModel statements run through ``session.execute/scalars/scalar/exec``, the Django ORM
(managers, lazy QuerySets, slicing, ``Paginator``, related managers, ``get_object_or_404``)
and literal SQL sent through asyncpg, psycopg, ``databases`` or DB-API cursors.

Query expressions are evaluated by :mod:`data_query`; this module decides where a query
actually runs (a terminal call, an executed statement, a lazy QuerySet that is iterated,
returned from a view or passed to a template) and emits one fact there, with its loop,
function and transaction context.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import replace

import tree_sitter as ts

from scalescope.model.facts import DataAccess, PatternSearch
from scalescope.scan.extract.base import FileContext, captures, extractor
from scalescope.scan.extract.py.ast import (
    call_chain,
    callee_parts,
    enclosing_function,
    enclosing_function_id,
    iter_calls,
    kwargs,
    outermost_chain_call,
    unwrap,
)
from scalescope.scan.extract.py.check_then_insert import find_check_then_inserts
from scalescope.scan.extract.py.count_use import count_guard, count_use
from scalescope.scan.extract.py.data_common import (
    assignment_before,
    emit_transactions,
    escapes_transaction,
    in_transaction,
    is_conditional,
    loop_collection,
    loop_context,
    loop_node,
    name_uses,
)
from scalescope.scan.extract.py.data_flow import in_cache_loader
from scalescope.scan.extract.py.data_query import (
    _SESSIONISH,
    DONE,
    LAZY,
    LAZY_QS,
    RESULT,
    SA_MODULES,
    QState,
    is_django_file,
    prefetched_paths,
    state_of,
)
from scalescope.scan.extract.py.data_tables import BULK_WRITES
from scalescope.scan.extract.py.method_guards import request_methods
from scalescope.scan.extract.py.read_modify_write import find_read_modify_writes
from scalescope.scan.extract.py.request_values import origin

NEEDS = (
    "query",
    "select(",
    "objects",
    "execute(",
    "fetch",
    "scalar",
    "exec(",
    "Paginator",
    "_or_404",
    "django",
    "atomic",
    "begin(",
    "transaction(",
    "stream(",
)

# names that can start a query chain (see data_query roots); a chain with none of them and no
# query-valued variable at its root is never evaluated
_ROOT_PARTS = frozenset(
    {
        "query",
        "objects",
        "_default_manager",
        "_base_manager",
        "all_objects",
        "select",
        "insert",
        "update",
        "delete",
        "execute",
        "scalars",
        "scalar",
        "exec",
        "stream",
        "stream_scalars",
        "fetch",
        "fetchrow",
        "fetchval",
        "fetch_all",
        "fetch_one",
        "fetch_val",
        "iterate",
        "executemany",
        "raw",
        "get",
        "aget",
        "get_or_404",
        "paginate",
        "first_or_404",
        "one_or_404",
        "Paginator",
        "get_object_or_404",
        "get_list_or_404",
        "aget_object_or_404",
    }
)
_RHS_MARKERS = re.compile(
    r"\.objects\b|\bquery\b|\bselect\(|\b(?:insert|update|delete)\(|execute\(|scalars?\(|\bexec\(|Paginator\(|"
    r"_or_404\(|\bfetch|\.raw\(|stream\(|_related\(|_manager\b"
)
_DJ_RELATED_HINT = frozenset(
    {"all", "filter", "exclude", "order_by", "exists", "select_related", "prefetch_related"}
)

# callees that evaluate a QuerySet/Query passed to them
_EVALUATORS = frozenset(
    {"list", "len", "tuple", "sorted", "set", "bool", "sum", "any", "all", "dict", "enumerate"}
)
_RENDERERS = frozenset(
    {
        "render",
        "render_to_response",
        "TemplateResponse",
        "JsonResponse",
        "Response",
        "render_template",
        "jsonify",
    }
)
# callees that keep a QuerySet lazy (subqueries, form fields, prefetch specs)
_DEFERRERS = frozenset(
    {
        "Subquery",
        "Exists",
        "Prefetch",
        "Q",
        "OuterRef",
        "ModelChoiceField",
        "ModelMultipleChoiceField",
        "PrimaryKeyRelatedField",
        "SlugRelatedField",
        "filter_queryset",
        "Count",
        "Sum",
        "Max",
        "Min",
        "Avg",
    }
)
_ROUTE_DECORATOR = re.compile(r"\.(get|post|put|patch|delete|route|api_route|websocket)\(|api_view|action\(")
_RESULT_USE = r"\b{var}\s*\.\s*(?:(?:scalars|unique|mappings|tuples)\(\)\s*\.\s*)*(\w+)"


@extractor(languages=("python",), needs=NEEDS, tests=False)
def data_access(ctx: FileContext) -> None:
    """Emit DataAccess facts for ORM/SQL calls and Transaction facts for transaction blocks."""
    emit_transactions(ctx)
    accesses: list[tuple[ts.Node, DataAccess]] = []
    ctx.cache["py.data.emitted"] = accesses
    seen: set[int] = set()
    emitted: set[int] = set()
    names = _query_names(ctx)
    django = is_django_file(ctx)
    for call, parts in iter_calls(ctx):
        if not parts or not _candidate(parts, names, django):
            continue
        outer = outermost_chain_call(call)
        if outer.id in seen:
            continue
        seen.add(outer.id)
        if _inside_chain(outer):
            continue
        anchor, st = _find_state(ctx, outer)
        if st is None or anchor is None or anchor.id in emitted:
            continue
        if st.stage == DONE:
            if _rooted_in_result(ctx, anchor):
                continue
            emitted.add(anchor.id)
            _emit(ctx, anchor, st)
        elif st.stage == RESULT:
            emitted.add(anchor.id)
            _emit(ctx, anchor, _result_kind(ctx, anchor, st))
        elif st.stage in LAZY:
            _consume(ctx, anchor, st, emitted)
    find_read_modify_writes(ctx, accesses)
    find_check_then_inserts(ctx, accesses)
    _instance_deletes(ctx)


#: ``obj.delete()`` (Django, MongoEngine), ``await obj.adelete()``, peewee ``delete_instance``
_SELF_DELETES = frozenset({"delete", "adelete", "delete_instance"})
#: ``obj.save()`` on a loaded row writes it back (Django, MongoEngine, peewee)
_SELF_SAVES = frozenset({"save", "asave"})


def _instance_deletes(ctx: FileContext) -> None:
    """Writes of one loaded row, where ``obj`` is a row a recognised query returned (a variable
    assigned from it, or the item of a loop over its rows): deletes (``obj.delete()``,
    SQLAlchemy ``session.delete(obj)``) and updates (``obj.save()``, ``obj.status = ...`` once
    per function and row)."""
    done = {f.loc.line for f in ctx.facts if isinstance(f, DataAccess) and f.kind in {"delete", "write"}}
    for call, parts in iter_calls(ctx):
        if not parts or parts[-1] not in _SELF_DELETES | _SELF_SAVES or len(parts) < 2:
            continue
        args = call.child_by_field_name("arguments")
        positional = [a for a in (args.named_children if args is not None else []) if a.type != "comment"]
        if parts[-1] in _SELF_SAVES:
            if len(parts) != 2:
                continue
            callee = call.child_by_field_name("function")
            target = callee.child_by_field_name("object") if callee is not None else None
        elif len(parts) == 2 and not positional:
            callee = call.child_by_field_name("function")
            target = callee.child_by_field_name("object") if callee is not None else None
        elif parts[-1] == "delete" and parts[-2].lower().endswith(("session", "db")) and len(positional) == 1:
            target = positional[0]
        else:
            continue
        target = unwrap(target)
        if target is None or target.type != "identifier" or call.start_point[0] + 1 in done:
            continue
        st = _row_state(ctx, target)
        if st is None or not st.model or not _holds_row(st):
            continue
        done.add(call.start_point[0] + 1)
        saves = parts[-1] in _SELF_SAVES
        _emit_row_write(ctx, call, st, "update" if saves else parts[-1], "write" if saves else "delete")
    if "sqlalchemy" not in ctx.text and "sqlmodel" not in ctx.text:
        return
    # SQLAlchemy writes a loaded row back on commit: ``row.status = "done"`` is an update
    updated: set[tuple[str | None, str]] = set()
    query = "(assignment left: (attribute object: (identifier) @o))"
    for obj in captures("python", query, ctx.root).get("o", []):
        key = (enclosing_function_id(ctx, obj), ctx.node_text(obj))
        if key in updated or key[0] is None or obj.start_point[0] + 1 in done:
            continue
        st = _row_state(ctx, obj)
        if st is None or not st.model or st.orm not in {"sqlalchemy", "sqlmodel"} or not _holds_row(st):
            continue
        updated.add(key)
        _emit_row_write(ctx, obj.parent or obj, st, "update", "write")


def _emit_row_write(ctx: FileContext, node: ts.Node, st: QState, operation: str, kind: str) -> None:
    ctx.emit(
        DataAccess(
            ctx.loc(node),
            orm=st.orm,
            model=st.model,
            operation=operation,
            kind=kind,
            loop=loop_context(ctx, node, node),
            function_id=enclosing_function_id(ctx, node),
            in_transaction=in_transaction(ctx, node),
            conditional=is_conditional(node),
            methods=request_methods(ctx, node),
            row_write=True,
        )
    )


#: writes whose result is the row they wrote (``obj = Model.objects.create(...)``)
_ROW_RETURNING = frozenset({"create", "acreate"})


def _holds_row(st: QState) -> bool:
    """The query's result is rows of its model: a read, or the row a ``create`` returns."""
    return st.kind not in {"write", "delete"} or st.operation in _ROW_RETURNING


def _row_state(ctx: FileContext, name: ts.Node) -> QState | None:
    """The query whose row ``name`` holds: its assigned value, or the rows of the ``for`` loop
    binding it."""
    st = state_of(ctx, name)
    if st is not None:
        return st
    text = ctx.node_text(name)
    node = name.parent
    while node is not None and node.type not in {"function_definition", "module"}:
        if node.type == "for_statement":
            left = node.child_by_field_name("left")
            if left is not None and left.type == "identifier" and ctx.node_text(left) == text:
                return state_of(ctx, node.child_by_field_name("right"))
        node = node.parent
    return None


_ASSIGN_HEAD = re.compile(r"[ \t]*([A-Za-z_]\w*)[ \t]*(?::[^=\n]+)?=(?!=)")
# The literal parts of _RHS_MARKERS, without its word boundaries: a pattern whose alternatives all
# start with a literal lets the regex engine skip to candidate positions, about 6x faster on a
# large tree than scanning for _RHS_MARKERS itself; each candidate line is then checked with it.
_RHS_HINTS = re.compile(
    r"objects|query|select\(|insert\(|update\(|delete\(|execute\(|scalar|exec\(|Paginator\(|"
    r"_or_404\(|fetch|\.raw\(|stream\(|_related\(|_manager"
)
# ``name = (await) other...``: an assignment whose value starts with a name (one pattern for every
# file, where an alternation of the file's own names cost a compile per file)
_ALIAS = re.compile(r"^[ \t]*([A-Za-z_]\w*)[ \t]*=[ \t]*\(?\s*(?:await\s+)?([A-Za-z_]\w*)", re.MULTILINE)


def _marker_lines(text: str) -> Iterator[int]:
    """Start offsets of the lines holding a _RHS_MARKERS match, in order."""
    pos = 0
    while (m := _RHS_HINTS.search(text, pos)) is not None:
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.start())
        if line_end < 0:
            line_end = len(text)
        if _RHS_MARKERS.search(text, line_start, line_end) is not None:
            yield line_start
        pos = line_end + 1


def _query_names(ctx: FileContext) -> frozenset[str]:
    """Variables of the file that may hold a query: assigned from something query-like (the
    marker on the assignment's line or a bracketed continuation up to 6 lines below) or from
    another such variable."""
    found: set[str] = set()
    text = ctx.text
    for line_start in _marker_lines(text):
        pos = line_start
        for _ in range(7):
            head = _ASSIGN_HEAD.match(text, pos)
            if head is not None:
                found.add(head.group(1))
                break
            if pos == 0:
                break
            prev = text.rfind("\n", 0, pos - 1) + 1
            pos = prev
    if found:
        aliases = [(m.group(1), m.group(2)) for m in _ALIAS.finditer(text)]
        for _ in range(2):
            more = {name for name, source in aliases if source in found} - found
            if not more:
                break
            found |= more
    return frozenset(found)


_WEAK_ROOTS = frozenset({"get", "aget", "select", "insert", "update", "delete"})
_STRONG_ROOTS = _ROOT_PARTS - _WEAK_ROOTS


def _candidate(parts: tuple[str, ...], names: frozenset[str], django: bool) -> bool:
    """Cheap test: can this call chain be (part of) a query?"""
    if parts[0] in names or parts[0] in _WEAK_ROOTS:
        return True
    for i, part in enumerate(parts):
        if part in _STRONG_ROOTS:
            return True
        if part in _WEAK_ROOTS and i > 0 and (_SESSIONISH.search(parts[i - 1]) or parts[i - 1] in SA_MODULES):
            return True
    return django and len(parts) >= 3 and parts[-1] in _DJ_RELATED_HINT


def _inside_chain(node: ts.Node) -> bool:
    """``(await session.execute(q)).scalars()``: the call is part of a longer chain."""
    cur = node
    parent = cur.parent
    while parent is not None and parent.type in {"await", "parenthesized_expression"}:
        cur = parent
        parent = cur.parent
    if cur is node or parent is None:
        return False
    return parent.type in {"attribute", "subscript"} and parent.named_children[0] == cur


def _find_state(ctx: FileContext, outer: ts.Node) -> tuple[ts.Node | None, QState | None]:
    """The outermost node of a chain that has a query state (``q.first().name()`` -> the
    ``first()`` call)."""
    st = state_of(ctx, outer)
    if st is not None:
        return outer, st
    for _name, node in reversed(call_chain(ctx, outer)[:-1]):
        st = state_of(ctx, node)
        if st is not None:
            return (node, st) if st.stage in {DONE, RESULT} else (None, None)
    return None, None


def _chain_root(node: ts.Node) -> ts.Node | None:
    cur: ts.Node | None = node
    while cur is not None:
        cur = unwrap(cur)
        if cur is None:
            return None
        if cur.type == "call":
            cur = cur.child_by_field_name("function")
        elif cur.type in {"attribute"}:
            cur = cur.child_by_field_name("object")
        elif cur.type == "subscript":
            cur = cur.child_by_field_name("value")
        else:
            return cur
    return None


def _rooted_in_result(ctx: FileContext, node: ts.Node) -> bool:
    """``rows.scalars().all()`` where ``rows = await session.execute(stmt)``: that query was
    already reported at the ``execute`` call."""
    root = _chain_root(node)
    if root is None or root.type != "identifier":
        return False
    st = state_of(ctx, root)
    return st is not None and st.stage == RESULT


def _assigned_name(node: ts.Node) -> tuple[ts.Node, str] | None:
    """``name = <node>`` (through ``await``/parentheses) -> (assignment, name)."""
    cur = node
    parent = cur.parent
    while parent is not None and parent.type in {"await", "parenthesized_expression"}:
        cur = parent
        parent = cur.parent
    if parent is None or parent.type != "assignment" or parent.child_by_field_name("right") != cur:
        return None
    left = parent.child_by_field_name("left")
    if left is None or left.type != "identifier":
        return None
    return parent, left.text.decode("utf-8", "replace") if left.text else ""


def _result_kind(ctx: FileContext, anchor: ts.Node, st: QState) -> QState:
    """Kind of an executed statement whose rows are fetched later through a variable."""
    unknown = replace(st, stage=DONE, has_limit=True if st.has_limit else None)
    bound = _assigned_name(anchor)
    if bound is None:
        return unknown
    assign, name = bound
    for use in name_uses(ctx, assign, name):
        parent = use.parent
        if (
            parent is not None
            and parent.type == "for_statement"
            and parent.child_by_field_name("right") == use
        ):
            return replace(st, stage=DONE)
        if parent is None or parent.type != "attribute":
            continue
        outer = outermost_chain_call(parent.parent if parent.parent is not None else parent)
        _node, done = _find_state(ctx, outer)
        if done is not None and done.stage == DONE:
            return done
    m = re.search(
        _RESULT_USE.format(var=re.escape(name)), ctx.source[assign.end_byte :].decode("utf-8", "replace")
    )
    if m and m.group(1) in {"all", "fetchall"}:
        return replace(st, stage=DONE)
    return unknown


# ----------------------------------------------------------------------------- lazy querysets


def _view_like(ctx: FileContext, node: ts.Node) -> bool:
    """The enclosing function handles a request (Django view signature or a route decorator)."""
    fn = enclosing_function(node)
    if fn is None or fn.type != "function_definition":
        return False
    params = fn.child_by_field_name("parameters")
    if params is not None and re.search(r"\brequest\b", ctx.node_text(params)):
        return True
    parent = fn.parent
    if parent is not None and parent.type == "decorated_definition":
        for deco in parent.named_children:
            if deco.type == "decorator" and _ROUTE_DECORATOR.search(ctx.node_text(deco)):
                return True
    return False


def _queryset_hook(ctx: FileContext, node: ts.Node) -> bool:
    """``get_queryset``-style hooks: the generic view paginates what they return."""
    fn = enclosing_function(node)
    name = ctx.node_text(fn.child_by_field_name("name")) if fn is not None else ""
    return "queryset" in name or name in {"get_objects", "get_object_list"}


def _owner_call(node: ts.Node) -> tuple[ts.Node | None, str]:
    """(call, keyword) when ``node`` is an argument (or ``kw=`` argument) of a call."""
    parent = node.parent
    keyword = ""
    if parent is not None and parent.type == "keyword_argument":
        name = parent.child_by_field_name("name")
        keyword = name.text.decode("utf-8", "replace") if name is not None and name.text else ""
        parent = parent.parent
    if parent is not None and parent.type == "list_splat":
        parent = parent.parent
    if parent is not None and parent.type == "argument_list" and parent.parent is not None:
        return parent.parent, keyword
    return None, keyword


def _consumption(ctx: FileContext, node: ts.Node, st: QState) -> tuple[str, bool] | None:
    """How a lazy query expression is used where it stands: ``("iterate"|"evaluate"|
    "return"|"context"|"pass", whether all its rows are surely fetched)`` or None when it
    is not run there."""
    cur = node
    parent = cur.parent
    while parent is not None and parent.type in {"parenthesized_expression", "await"}:
        cur = parent
        parent = cur.parent
    if parent is None:
        return None
    django = st.stage == LAZY_QS
    if parent.type == "for_statement" and parent.child_by_field_name("right") == cur:
        return "iterate", True
    if parent.type == "for_in_clause" and parent.child_by_field_name("right") == cur:
        return "iterate", True
    if parent.type in {"return_statement", "yield"} and django:
        return "return", _view_like(ctx, cur) and not _queryset_hook(ctx, cur)
    if parent.type == "pair" and parent.child_by_field_name("value") == cur and django:
        return "context", True
    owner, keyword = _owner_call(cur)
    if owner is None:
        return None
    if keyword in {"queryset", "choices", "limit_choices_to"}:
        return None
    if state_of(ctx, owner) is not None:
        return None  # a subquery of another query (``filter(id__in=qs)``)
    parts = callee_parts(ctx, owner)
    name = parts[-1] if parts else ""
    if name in _DEFERRERS or name == "Paginator" or "paginat" in name.lower():
        return None
    if name in _EVALUATORS:
        return "evaluate", True
    if not django:
        return None
    many = kwargs(ctx, owner).get("many")
    if (
        name in _RENDERERS
        or name.endswith("Serializer")
        or (many is not None and ctx.node_text(many) == "True")
    ):
        return "context", True
    return "pass", False


def _consume(ctx: FileContext, node: ts.Node, st: QState, emitted: set[int]) -> None:
    """Emit a read-many where a lazy query (Django QuerySet / SQLAlchemy Query) is run."""
    bound = _assigned_name(node)
    if bound is None:
        how = _consumption(ctx, node, st)
        if how is not None and node.id not in emitted:
            emitted.add(node.id)
            _emit(ctx, node, _evaluated(ctx, node, st, how))
        return
    assign, name = bound
    for use in name_uses(ctx, assign, name):
        parent = use.parent
        if parent is None:
            continue
        if parent.type == "attribute" and parent.child_by_field_name("object") == use:
            continue  # ``qs.count()`` / ``qs.filter()``: evaluated on its own
        if parent.type == "subscript" and parent.child_by_field_name("value") == use:
            sub = state_of(ctx, parent)
            if sub is not None and sub.stage == DONE and parent.id not in emitted:
                emitted.add(parent.id)
                _emit(ctx, parent, sub)
            continue
        how = _consumption(ctx, use, st)
        if how is not None:
            right = assign.child_by_field_name("right")
            anchor = right if right is not None else assign
            if anchor.id not in emitted:
                emitted.add(anchor.id)
                _emit(ctx, anchor, _evaluated(ctx, anchor, st, how))
            return


def _evaluated(ctx: FileContext, node: ts.Node, st: QState, how: tuple[str, bool]) -> QState:
    """The read a lazy query turns into when run; the limit is unknown (None) when the rows
    may not all be fetched there (passed to a helper, returned from a non-view) or when a
    related manager's size is bounded by its parent."""
    _kind, certain = how
    chain = call_chain(ctx, unwrap(node) or node)
    op = chain[-1][0] if chain and chain[-1][0] not in {"[]", "query"} else "all"
    has_limit = st.has_limit
    if not st.has_limit and (not certain or st.related_manager):
        has_limit = None
    return replace(st, stage=DONE, operation=op, has_limit=has_limit)


# ----------------------------------------------------------------------------- emission


_WRAPPING = frozenset({("list",), ("sorted",), ("tuple",), ("enumerate",), ("reversed",)})


def _loop_items(ctx: FileContext, lnode: ts.Node) -> set[str]:
    """Names a loop binds to its items (``for org in orgs``, ``for i, org in enumerate(...)``)."""
    names: set[str] = set()
    targets: list[ts.Node | None] = []
    if lnode.type == "for_statement":
        targets.append(lnode.child_by_field_name("left"))
    else:
        targets.extend(
            c.child_by_field_name("left") for c in lnode.named_children if c.type == "for_in_clause"
        )
    for target in targets:
        if target is None:
            continue
        if target.type == "identifier":
            names.add(ctx.node_text(target))
        for ident in captures("python", "(identifier) @i", target).get("i", []):
            names.add(ctx.node_text(ident))
    return names


def _relation_of(ctx: FileContext, node: ts.Node, items: set[str]) -> str | None:
    """``org.projects.all()`` -> ``projects`` when ``org`` is one of ``items`` (a relation path
    from a loop item: ``o.customer.orders.all()`` -> ``customer.orders``)."""
    chain = call_chain(ctx, node)
    if not chain:
        return None
    parts = callee_parts(ctx, chain[0][1])
    if len(parts) < 3 or parts[0] not in items or any(p in {"()", "[]", "?"} for p in parts):
        return None
    return ".".join(parts[1:-1])


def _prefetched(ctx: FileContext, lnode: ts.Node, depth: int = 0) -> tuple[str, ...] | None:
    """Relation paths loaded with the items the loop ``lnode`` iterates (``*``: any), or
    ``None`` when where the items come from is not known. The items of a queryset with
    ``prefetch_related("projects__environments")`` carry ``projects`` and
    ``projects.environments``; the items of a loop over ``org.projects.all()`` inside a loop
    over those carry ``environments`` (the paths below the relation they were reached by). A
    function that calls ``prefetch_related_objects`` counts as prefetching anything."""
    fn = enclosing_function(lnode)
    if fn is not None and b"prefetch_related_objects(" in ctx.source[fn.start_byte : fn.end_byte]:
        return ("*",)
    collection = unwrap(loop_collection(lnode))
    if collection is not None and collection.type == "identifier":
        assign = assignment_before(ctx, collection)
        right = unwrap(assign.child_by_field_name("right")) if assign is not None else None
        if right is not None and right.type == "call" and callee_parts(ctx, right) in _WRAPPING:
            collection = right
    if collection is not None and collection.type == "call" and callee_parts(ctx, collection) in _WRAPPING:
        inner = collection.child_by_field_name("arguments")
        collection = inner.named_children[0] if inner is not None and inner.named_children else None
    if collection is None:
        return None
    st = state_of(ctx, collection)
    own = prefetched_paths(ctx, collection)
    inherited: tuple[str, ...] | None = None
    outer = loop_node(lnode) if depth < 4 else None
    if outer is not None:
        relation = _relation_of(ctx, unwrap(collection) or collection, _loop_items(ctx, outer))
        parent = _prefetched(ctx, outer, depth + 1) if relation else None
        if relation and parent is not None:
            inherited = (
                ("*",)
                if "*" in parent
                else tuple(p[len(relation) + 1 :] for p in parent if p.startswith(relation + "."))
            )
    if st is None and own is None and inherited is None:
        return None
    return tuple(dict.fromkeys((*(st.related if st is not None else ()), *(own or ()), *(inherited or ()))))


def _batched(
    ctx: FileContext, node: ts.Node, lnode: ts.Node, paths: tuple[str, ...] | None, st: QState
) -> bool:
    """A related-manager read inside a loop whose items were loaded with that relation
    (``prefetch_related``/``select_related`` paths, nested ``a__b`` ones too)."""
    if paths is None or not st.related_manager or not st.model:
        return False
    if st.operation not in {"all", "count", "exists"} or st.filters or st.sorts:
        return False
    if "*" in paths:
        return True
    relation = _relation_of(ctx, node, _loop_items(ctx, lnode))
    if relation is not None:
        return any(p == relation or p.startswith(relation + ".") for p in paths)
    # read through a name derived in the loop body: the relation's name anywhere on a path
    return any(st.model in path.split(".") for path in paths)


def _emit(ctx: FileContext, node: ts.Node, st: QState) -> None:
    loop = loop_context(ctx, node, node)
    batched = False
    if loop is not None:
        if st.in_filter and loop.uses_item:
            loop = replace(loop, uses_item=False)  # one query per batch/group of ids, not per item
        elif st.related_manager and loop.uses_item and (lnode := loop_node(node)) is not None:
            paths = _prefetched(ctx, lnode)
            batched = _batched(ctx, node, lnode, paths, st)
            if paths is None and st.operation in {"all", "count", "exists"}:
                loop = replace(loop, uses_item=None)  # the caller may have prefetched it
    depth = max((p.count(".") + 1 for p in st.includes), default=0)
    access = DataAccess(
        ctx.loc(node),
        orm=st.orm,
        model=st.model,
        operation=st.operation or "all",
        kind=st.kind,
        filter_fields=tuple(dict.fromkeys(st.filters)),
        sort_fields=tuple(dict.fromkeys(st.sorts)),
        has_limit=st.has_limit,
        include_depth=depth,
        include_paths=st.includes,
        selects_all=st.selects_all,
        loop=loop,
        function_id=enclosing_function_id(ctx, node),
        in_transaction=in_transaction(ctx, node),
        batched=batched,
        paginated=st.paginated,
        via_relation=st.related_manager,
        aggregate=st.aggregate,
        limit_bound=st.limit_bound if st.has_limit and st.kind in {"read-many", "raw"} else "",
        limit_floor=st.limit_floor,
        limit_max=st.limit_max if st.has_limit and st.kind in {"read-many", "raw"} else None,
        limit_input=(
            origin(ctx, st.limit_node)
            if st.has_limit and st.limit_bound == "param" and st.kind in {"read-many", "raw"}
            else None
        ),
        peeks_next=st.peeks_next,
        in_list_bounded=bool(st.in_lists) and all(st.in_lists),
        in_fields=tuple(dict.fromkeys(st.in_fields)),
        opaque_filter=st.opaque_filter,
        range_fields=tuple(dict.fromkeys(st.ranges)),
        unselective_fields=tuple(
            f for f in dict.fromkeys(st.filters) if f in st.sel_weak and f not in st.sel_strong
        ),
        soft_delete_fields=tuple(
            f for f in dict.fromkeys(st.filters) if f in st.sel_live and f not in st.sel_other
        ),
        or_fields=tuple(f for f in dict.fromkeys(st.filters) if f in st.sel_or and f not in st.sel_plain),
        searches=tuple(
            PatternSearch(found.column, found.operator, origin(ctx, found.value) if found.value else None)
            for found in st.searches
        ),
        join_keys=tuple(dict.fromkeys(st.joins)),
        related_filters=tuple(dict.fromkeys(st.related_filters)),
        include_strategy=st.include_strategy if st.includes else "",
        in_cache_loader=in_cache_loader(ctx, node),
        bulk=st.operation in BULK_WRITES,
        conditional=is_conditional(node),
        methods=request_methods(ctx, node),
        escapes_transaction=st.orm == "sqlalchemy" and escapes_transaction(ctx, node),
        count_use=count_use(ctx, node) if st.kind == "count" or st.aggregate == "count" else "",
    )
    if access.count_use in {"identifier", "limit"}:
        access = dataclasses.replace(access, count_guard=count_guard(ctx, node))
    ctx.emit(access)
    ctx.cache["py.data.emitted"].append((node, access))
