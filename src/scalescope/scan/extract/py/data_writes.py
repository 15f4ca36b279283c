"""Python writes that are not query expressions: SQLAlchemy ``session.add(Model(...))`` /
``add_all([...])`` (an insert at the next flush), a repository handed a new model instance
(``repository.create(Model(...))``, ``self.user_repo.save(User(...))``) and PyMongo/Motor
collection writes
(``db.events.insert_one(doc)``, ``db["events"].delete_many(...)``), as :class:`DataAccess`.

``session.add`` in a loop is not one statement per item: the unit of work batches the
inserts of one flush (``batched``). A PyMongo write names the collection it writes.
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import DataAccess
from scalescope.scan.extract.base import FileContext, extractor
from scalescope.scan.extract.py.ast import (
    arguments,
    callee_parts,
    enclosing_function_id,
    iter_calls,
    string_value,
    unwrap,
)
from scalescope.scan.extract.py.data_common import (
    assignment_before,
    in_transaction,
    is_conditional,
    loop_context,
)
from scalescope.scan.extract.py.method_guards import request_methods

_SESSION_ADDS = frozenset({"add", "add_all"})
#: PyMongo/Motor collection methods -> DataAccess kind
_MONGO_WRITES = {
    "insert_one": "write",
    "insert_many": "write",
    "update_one": "write",
    "update_many": "write",
    "replace_one": "write",
    "find_one_and_update": "write",
    "find_one_and_replace": "write",
    "delete_one": "delete",
    "delete_many": "delete",
    "find_one_and_delete": "delete",
}
_BULK = frozenset({"insert_many", "update_many", "delete_many", "add_all"})
_MODEL = re.compile(r"[A-Z]\w*")


#: methods of a repository object that insert the model instance they are given
_REPOSITORY_ADDS = frozenset({"create", "add", "insert", "save"})
_REPOSITORY = re.compile(r"(?:^|_)(?:repo|repository|dao|crud)s?$", re.I)


def repository_receiver(parts: tuple[str, ...]) -> bool:
    """``repository.create(Model(...))``, ``self.user_repo.add(User(...))``: a data-access
    object (the repository pattern) handed a new model instance inserts it, whatever the
    session or client behind it."""
    return len(parts) >= 2 and bool(_REPOSITORY.search(parts[-2].lstrip("_")))


def session_receiver(parts: tuple[str, ...]) -> bool:
    """``session.add``, ``db.session.add``, ``self.db.add``: a SQLAlchemy session, not a set."""
    return len(parts) >= 2 and parts[-2].lower().lstrip("_").endswith(("session", "db"))


def _constructed_model(ctx: FileContext, node: ts.Node | None, depth: int = 0) -> str:
    """``Model(...)`` (directly, through a variable assigned once before, or as the items of a
    list/comprehension) -> ``Model``."""
    node = unwrap(node)
    if node is None or depth > 3:
        return ""
    if node.type == "call":
        parts = callee_parts(ctx, node)
        return parts[-1] if parts and _MODEL.fullmatch(parts[-1]) else ""
    if node.type == "identifier":
        assign = assignment_before(ctx, node)
        return _constructed_model(ctx, assign.child_by_field_name("right"), depth + 1) if assign else ""
    if node.type in {"list", "tuple"} and node.named_children:
        return _constructed_model(ctx, node.named_children[0], depth + 1)
    if node.type in {"list_comprehension", "generator_expression"}:
        return _constructed_model(ctx, node.child_by_field_name("body"), depth + 1)
    return ""


def _collection(ctx: FileContext, call: ts.Node, parts: tuple[str, ...]) -> str:
    """``db.events.insert_one`` -> ``events``; ``db["events"]`` / ``get_collection("events")``."""
    callee = call.child_by_field_name("function")
    obj = unwrap(callee.child_by_field_name("object")) if callee is not None else None
    if obj is None:
        return ""
    if obj.type == "subscript":
        key = string_value(ctx, obj.child_by_field_name("subscript"))
        return key or ""
    if obj.type == "call":
        inner = callee_parts(ctx, obj)
        args = arguments(obj)
        if inner and inner[-1] == "get_collection" and args:
            return string_value(ctx, args[0]) or ""
        return ""
    if obj.type == "attribute" and len(parts) >= 3:
        name = parts[-2]
        return "" if name in {"collection", "coll", "self"} else name
    return ""


@extractor(
    languages=("python",),
    needs=(
        ".add(",
        ".add_all(",
        ".create(",
        ".save(",
        ".insert(",
        "insert_one",
        "insert_many",
        "delete_one",
        "delete_many",
        "update_one",
        "update_many",
        "replace_one",
        "find_one_and_",
    ),
    tests=False,
)
def python_row_writes(ctx: FileContext) -> None:
    """Emit one :class:`DataAccess` per ``session.add(Model(...))`` and per PyMongo write."""
    mongo = "mongo" in ctx.text or "motor" in ctx.text
    for call, parts in iter_calls(ctx):
        if not parts:
            continue
        method = parts[-1]
        if (method in _SESSION_ADDS and session_receiver(parts)) or (
            method in _REPOSITORY_ADDS and repository_receiver(parts)
        ):
            args = arguments(call)
            model = _constructed_model(ctx, args[0]) if args else ""
            if not model or (len(args) > 1 and method in _SESSION_ADDS):
                continue
            _emit(ctx, call, "sqlalchemy", model, method, "write", batched=True)
        elif mongo and method in _MONGO_WRITES:
            coll = _collection(ctx, call, parts)
            if coll:
                _emit(ctx, call, "pymongo", coll, method, _MONGO_WRITES[method])


def _emit(
    ctx: FileContext, call: ts.Node, orm: str, model: str, op: str, kind: str, batched: bool = False
) -> None:
    ctx.emit(
        DataAccess(
            ctx.loc(call),
            orm=orm,
            model=model,
            operation=op,
            kind=kind,
            loop=loop_context(ctx, call, call),
            function_id=enclosing_function_id(ctx, call),
            in_transaction=in_transaction(ctx, call),
            batched=batched,
            bulk=op in _BULK,
            conditional=is_conditional(call),
            methods=request_methods(ctx, call),
        )
    )
