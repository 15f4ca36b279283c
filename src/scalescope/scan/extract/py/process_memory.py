"""Process-memory growth facts in Python: module-level ``dict``/``list``/``set`` collections
that functions grow with their input and that the file never prunes.

Emits :class:`CollectionWrite` for each ``X[k] = v`` / ``X.append(v)`` / ``X.add(v)`` /
``X.setdefault(k, ...)`` inside a function whose key or value uses the function's parameters or
the request, when nothing in the file deletes from, pops, clears, measures (``len``),
rebinds (``global X``) or hands the collection to other code. Constant tables (declared
non-empty), bounded deques and registries filled at import time emit nothing.
"""

from __future__ import annotations

import re

import tree_sitter as ts

from scalescope.model.facts import CollectionWrite
from scalescope.scan.extract.base import FileContext, captures, extractor
from scalescope.scan.extract.derived_names import derived_names
from scalescope.scan.extract.py.ast import (
    arguments,
    enclosing_function,
    function_id,
    iter_calls,
    kwargs,
    unwrap,
)

# constructor -> kind, for empty module-level collections
CONSTRUCTORS: dict[str, str] = {
    "dict": "dict",
    "list": "list",
    "set": "set",
    "defaultdict": "dict",
    "OrderedDict": "dict",
    "collections.defaultdict": "dict",
    "collections.OrderedDict": "dict",
    "deque": "list",
    "collections.deque": "list",
}
# write method -> collection kinds it grows
WRITE_METHODS: dict[str, frozenset[str]] = {
    "append": frozenset({"list"}),
    "appendleft": frozenset({"list"}),
    "insert": frozenset({"list"}),
    "extend": frozenset({"list"}),
    "add": frozenset({"set"}),
    "setdefault": frozenset({"dict"}),
    "update": frozenset({"dict", "set"}),
}
# calls that read a collection without keeping or changing it (not an escape)
READERS = frozenset(
    {"len", "list", "sorted", "tuple", "dict", "set", "json.dumps", "print", "repr", "str", "iter"}
)
REQUEST_NAMES = frozenset({"request", "req", "payload", "body", "data"})
_TIMER = re.compile(r"\b((?:threading\.)?Timer)\s*\(")
_WORD = re.compile(r"[A-Za-z_]\w*")


def _kind(ctx: FileContext, value: ts.Node) -> str:
    if value.type == "dictionary" and not value.named_children:
        return "dict"
    if value.type == "list" and not value.named_children:
        return "list"
    if value.type == "call":
        ctor = ctx.node_text(value.child_by_field_name("function"))
        kind = CONSTRUCTORS.get(ctor, "")
        if ctor.endswith("deque") and "maxlen" in kwargs(ctx, value):
            return ""  # bounded by construction
        args = arguments(value)
        if kind and ctor.endswith("defaultdict"):
            return kind if len(args) <= 1 else ""
        return kind if not args else ""
    return ""


def _pruned(ctx: FileContext, name: str, decl_line: int) -> bool:
    n = re.escape(name)
    if re.search(
        rf"\bdel\s+{n}\s*\[|(?<![\w.]){n}\s*\.\s*(?:pop|popitem|popleft|clear|remove|discard)\s*\(|"
        rf"\bglobal\s+[\w\s,]*\b{n}\b|\blen\(\s*{n}\s*\)",
        ctx.text,
    ):
        return True
    for m in re.finditer(rf"^[ \t]*{n}\s*(?::[^=\n]*)?=(?!=)", ctx.text, re.M):
        if ctx.text.count("\n", 0, m.start()) + 1 != decl_line:
            return True
    for m in re.finditer(rf"([\w.]*)\s*\(\s*(?:[^()]*,\s*)?{n}\s*[,)]", ctx.text):
        if m.group(1) not in READERS:
            return True
    return re.search(rf"(?:return|[:=])\s*{n}\s*(?:$|[,}}\]])", ctx.text, re.M) is not None


def _inputs(ctx: FileContext, fn: ts.Node) -> set[str]:
    params = fn.child_by_field_name("parameters")
    names = set(_WORD.findall(ctx.node_text(params))) if params is not None else set()
    return derived_names(ctx.node_text(fn), (names - {"self", "cls"}) | REQUEST_NAMES, _WORD)


@extractor(languages=("python",), needs=("{}", "[]", "dict(", "list(", "set(", "defaultdict", "deque"))
def process_memory(ctx: FileContext) -> None:
    """Emit CollectionWrite facts for one Python file."""
    live: dict[str, tuple[str, ts.Node]] = {}
    for assign in captures(
        "python", "(module (expression_statement (assignment left: (identifier) @n) @a))", ctx.root
    ).get("a", []):
        value = unwrap(assign.child_by_field_name("right"))
        name = ctx.node_text(assign.child_by_field_name("left"))
        kind = _kind(ctx, value) if value is not None else ""
        if kind and not _pruned(ctx, name, ctx.loc(assign).line):
            live[name] = (kind, assign)
    if not live:
        return
    sites: list[tuple[str, ts.Node, str, list[ts.Node]]] = []
    for call, parts in iter_calls(ctx):
        if len(parts) == 2 and parts[0] in live and live[parts[0]][0] in WRITE_METHODS.get(parts[1], ()):
            sites.append((parts[0], call, parts[1], arguments(call)))
    for assign in captures("python", "(assignment left: (subscript) @s) @a", ctx.root).get("a", []):
        sub = assign.child_by_field_name("left")
        value = sub.child_by_field_name("value") if sub is not None else None
        name = ctx.node_text(value)
        if sub is None or name not in live or live[name][0] != "dict":
            continue
        index = sub.child_by_field_name("subscript")
        right = assign.child_by_field_name("right")
        sites.append((name, assign, "[key] =", [n for n in (index, right) if n is not None]))
    for name, node, op, keys in sites:
        fn = enclosing_function(node)
        if fn is None:
            continue
        inputs = _inputs(ctx, fn)
        if not any(w in inputs for k in keys for w in _WORD.findall(ctx.node_text(k))):
            continue
        kind, decl = live[name]
        timer = _TIMER.search(ctx.node_text(fn))
        ctx.emit(
            CollectionWrite(
                ctx.loc(node),
                name=name,
                kind=kind,
                decl=ctx.loc(decl),
                op=op,
                key=ctx.node_text(keys[0])[:80] if keys else "",
                function_id=function_id(ctx, fn),
                exported=False,
                timer=timer.group(1) if timer else "",
            )
        )
