"""Shared tree-sitter helpers for Python extractors (the twin of ``js/ast.py``).

Function ids, callee chains, keyword arguments, literals and loop context are computed here so
that every Python extractor agrees on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import tree_sitter as ts

from scalescope.model.facts import Loop
from scalescope.scan.extract.base import FileContext, captures

FUNCTION_TYPES = frozenset({"function_definition", "lambda"})
LOOP_TYPES = {"for_statement": "for", "while_statement": "while"}
COMPREHENSIONS = frozenset(
    {"list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"}
)
_WRAPPERS = frozenset({"await", "parenthesized_expression"})


def unwrap(node: ts.Node | None) -> ts.Node | None:
    while node is not None and node.type in _WRAPPERS:
        inner = node.named_children[0] if node.named_children else None
        if inner is None:
            return node
        node = inner
    return node


def dotted(ctx: FileContext, node: ts.Node | None) -> tuple[str, ...]:
    """``a.b.c`` -> ("a", "b", "c"); calls inside show as ``()``, subscripts as ``[]``."""
    parts: list[str] = []
    cur = unwrap(node)
    while cur is not None:
        cur = unwrap(cur)
        if cur is None:
            break
        if cur.type == "attribute":
            parts.append(ctx.node_text(cur.child_by_field_name("attribute")))
            cur = cur.child_by_field_name("object")
        elif cur.type == "call":
            parts.append("()")
            cur = cur.child_by_field_name("function")
        elif cur.type == "subscript":
            parts.append("[]")
            cur = cur.child_by_field_name("value")
        elif cur.type == "identifier":
            parts.append(ctx.node_text(cur))
            break
        else:
            parts.append("?")
            break
    return tuple(reversed(parts))


_PLAIN_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


def callee_parts(ctx: FileContext, call: ts.Node) -> tuple[str, ...]:
    """``db.session.query(User).filter(...)`` -> ("db", "session", "query", "()", "filter")."""
    fn = call.child_by_field_name("function")
    if fn is not None and fn.type in {"identifier", "attribute"}:
        # fast path: a plain ``a.b.c`` callee (most calls) needs no node walk
        raw = ctx.node_text(fn)
        if _PLAIN_DOTTED.fullmatch(raw):
            return tuple(raw.split("."))
    return dotted(ctx, fn)


def call_chain(ctx: FileContext, call: ts.Node) -> list[tuple[str, ts.Node]]:
    """Method calls of a chain, innermost first: ``User.query.filter(x).limit(5).all()`` ->
    [("filter", c1), ("limit", c2), ("all", c3)] (the root ``User.query`` is not a call)."""
    out: list[tuple[str, ts.Node]] = []
    node: ts.Node | None = call
    while node is not None:
        node = unwrap(node)
        if node is None:
            break
        if node.type == "call":
            fn = unwrap(node.child_by_field_name("function"))
            if fn is None:
                break
            if fn.type == "attribute":
                out.append((ctx.node_text(fn.child_by_field_name("attribute")), node))
                node = fn.child_by_field_name("object")
            else:
                out.append((ctx.node_text(fn), node))
                break
        elif node.type == "attribute":
            node = node.child_by_field_name("object")
        elif node.type == "subscript":
            out.append(("[]", node))
            node = node.child_by_field_name("value")
        else:
            break
    out.reverse()
    return out


def chain_root(ctx: FileContext, call: ts.Node) -> tuple[str, ...]:
    """Dotted name the chain starts from: ``User.objects.filter().first()`` ->
    ("User", "objects"); ``session.query(User).all()`` -> ("session",)."""
    node: ts.Node | None = call
    while node is not None:
        node = unwrap(node)
        if node is None:
            break
        if node.type == "call":
            fn = unwrap(node.child_by_field_name("function"))
            if fn is None or fn.type != "attribute":
                return dotted(ctx, fn)[:-1] if fn is not None and fn.type == "attribute" else ()
            node = fn.child_by_field_name("object")
        elif node.type == "attribute":
            obj = node.child_by_field_name("object")
            if obj is not None and unwrap(obj) is not None and unwrap(obj).type == "call":  # type: ignore[union-attr]
                node = obj
                continue
            return dotted(ctx, node)
        elif node.type == "subscript":
            node = node.child_by_field_name("value")
        elif node.type == "identifier":
            return (ctx.node_text(node),)
        else:
            return ()
    return ()


def outermost_chain_call(call: ts.Node) -> ts.Node:
    """From an inner call of ``a.b().c().d()`` walk up to the outermost call (also through
    subscripts like ``[:10]``)."""
    node = call
    while True:
        parent = node.parent
        if parent is None:
            return node
        if parent.type == "attribute" and parent.child_by_field_name("object") == node:
            grand = parent.parent
            if grand is not None and grand.type == "call":
                node = grand
                continue
            return node
        if parent.type == "subscript" and parent.child_by_field_name("value") == node:
            node = parent
            continue
        if parent.type == "await":
            grand = parent.parent
            if grand is not None and grand.type == "attribute":
                node = parent
                continue
        return node


def arguments(call: ts.Node) -> list[ts.Node]:
    """Positional argument nodes of a call."""
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    return [c for c in args.named_children if c.type not in {"keyword_argument", "comment"}]


def kwargs(ctx: FileContext, call: ts.Node) -> dict[str, ts.Node]:
    """Keyword arguments of a call: name -> value node (``**opts`` is keyed ``**``)."""
    args = call.child_by_field_name("arguments")
    out: dict[str, ts.Node] = {}
    if args is None:
        return out
    for c in args.named_children:
        if c.type == "keyword_argument":
            name = c.child_by_field_name("name")
            value = c.child_by_field_name("value")
            if name is not None and value is not None:
                out[ctx.node_text(name)] = value
        elif c.type == "dictionary_splat":
            out["**"] = c
    return out


def kwarg_options(ctx: FileContext, call: ts.Node) -> tuple[tuple[str, str], ...]:
    return tuple((k, ctx.node_text(v)[:200]) for k, v in kwargs(ctx, call).items())


def iter_calls(ctx: FileContext) -> list[tuple[ts.Node, tuple[str, ...]]]:
    """All calls of the file with their callee parts, computed once per file."""
    cached = ctx.cache.get("py.calls")
    if cached is None:
        nodes = captures("python", "(call) @c", ctx.root).get("c", [])
        # captures() lists nodes in document order already
        cached = [(n, callee_parts(ctx, n)) for n in nodes]
        ctx.cache["py.calls"] = cached
    return cached


def string_value(ctx: FileContext, node: ts.Node | None) -> str | None:
    """Value of a plain string literal (no f-string interpolation, no concatenation)."""
    node = unwrap(node)
    if node is None or node.type != "string":
        return None
    if any(c.type == "interpolation" for c in node.named_children):
        return None
    return "".join(ctx.node_text(c) for c in node.named_children if c.type == "string_content")


def int_value(ctx: FileContext, node: ts.Node | None) -> int | None:
    node = unwrap(node)
    if node is None or node.type != "integer":
        return None
    try:
        return int(ctx.node_text(node).replace("_", ""), 0)
    except ValueError:
        return None


def dict_pairs(ctx: FileContext, node: ts.Node | None) -> dict[str, ts.Node]:
    """String-keyed entries of a dict literal or ``dict(k=v)`` call."""
    node = unwrap(node)
    out: dict[str, ts.Node] = {}
    if node is None:
        return out
    if node.type == "dictionary":
        for pair in node.named_children:
            if pair.type != "pair":
                continue
            key = pair.child_by_field_name("key")
            value = pair.child_by_field_name("value")
            k = string_value(ctx, key)
            if k is not None and value is not None:
                out[k] = value
    elif node.type == "call" and ctx.node_text(node.child_by_field_name("function")) == "dict":
        out.update(kwargs(ctx, node))
    return out


# ----------------------------------------------------------------------------- functions


def function_name(ctx: FileContext, fn: ts.Node) -> tuple[str, str]:
    """``(name, class_name)``; lambdas assigned to a name take that name."""
    name = ""
    if fn.type == "function_definition":
        name = ctx.node_text(fn.child_by_field_name("name"))
    elif fn.parent is not None and fn.parent.type == "assignment":
        name = ctx.node_text(fn.parent.child_by_field_name("left")).rsplit(".", 1)[-1]
    class_name = ""
    node = fn.parent
    while node is not None:
        if node.type == "class_definition":
            class_name = ctx.node_text(node.child_by_field_name("name"))
            break
        if node.type in FUNCTION_TYPES:
            break
        node = node.parent
    return name, class_name


def function_id(ctx: FileContext, fn: ts.Node) -> str:
    """Stable id of a function node (``file::Class.name@line``), memoised per file."""
    memo: dict[tuple[int, int], str] = ctx.cache.setdefault("fn.ids", {})
    key = (fn.start_byte, fn.end_byte)
    found = memo.get(key)
    if found is None:
        name, class_name = function_name(ctx, fn)
        found = memo[key] = named_function_id(ctx, fn, name, class_name)
    return found


def named_function_id(ctx: FileContext, fn: ts.Node, name: str, class_name: str) -> str:
    """:func:`function_id` from the :func:`function_name` of ``fn`` already known (memoised
    the same way), for callers that need both."""
    memo: dict[tuple[int, int], str] = ctx.cache.setdefault("fn.ids", {})
    key = (fn.start_byte, fn.end_byte)
    found = memo.get(key)
    if found is None:
        qual = f"{class_name}.{name}" if class_name and name else (name or "<lambda>")
        found = memo[key] = f"{ctx.path}::{qual}@{fn.start_point[0] + 1}"
    return found


def if_branches(node: ts.Node) -> str:
    """The ``if`` branches a statement runs in, outermost first, as ``"<if line>:<branch
    line>"`` joined by ``/`` (``""`` outside any ``if``; an ``elif``/``else`` names its ``if``
    and its own line): two statements under different branches of one ``if`` are
    alternatives, never both run."""
    out: list[str] = []
    cur = node.parent
    while cur is not None:
        parent = cur.parent
        if cur.type == "block" and parent is not None:
            if parent.type == "if_statement":
                out.append(f"{parent.start_point[0] + 1}:{parent.start_point[0] + 1}")
            elif parent.type in {"elif_clause", "else_clause"} and parent.parent is not None:
                out.append(f"{parent.parent.start_point[0] + 1}:{parent.start_point[0] + 1}")
        cur = parent
    return "/".join(reversed(out))


def class_methods(ctx: FileContext, cls: ts.Node) -> dict[str, ts.Node]:
    """Every method a class body defines (decorated ones too), by name."""
    body = cls.child_by_field_name("body")
    out: dict[str, ts.Node] = {}
    for stmt in body.named_children if body is not None else []:
        fn = stmt.child_by_field_name("definition") if stmt.type == "decorated_definition" else stmt
        if fn is not None and fn.type == "function_definition":
            out[ctx.node_text(fn.child_by_field_name("name"))] = fn
    return out


def enclosing_function(node: ts.Node) -> ts.Node | None:
    parent = node.parent
    while parent is not None:
        if parent.type in FUNCTION_TYPES:
            return parent
        parent = parent.parent
    return None


def enclosing_function_id(ctx: FileContext, node: ts.Node) -> str | None:
    fn = enclosing_function(node)
    return function_id(ctx, fn) if fn is not None else None


def decorators(ctx: FileContext, fn: ts.Node) -> list[ts.Node]:
    """Decorator expression nodes of a function/class definition."""
    parent = fn.parent
    if parent is None or parent.type != "decorated_definition":
        return []
    return [d.named_children[0] for d in parent.named_children if d.type == "decorator" and d.named_children]


def enclosing_loop(ctx: FileContext, node: ts.Node) -> Loop | None:
    """Innermost loop or comprehension around ``node`` within its function."""
    child = node
    parent = node.parent
    while parent is not None:
        kind = LOOP_TYPES.get(parent.type)
        if kind is not None:
            body = parent.child_by_field_name("body")
            if body is not None and body.start_byte <= node.start_byte < body.end_byte:
                return Loop(kind, parent.start_point[0] + 1, parent.end_point[0] + 1)
        if parent.type in COMPREHENSIONS:
            # the element expression (first named child) is evaluated per item
            first = parent.named_children[0] if parent.named_children else None
            if first is not None and first == child:
                return Loop("comprehension", parent.start_point[0] + 1, parent.end_point[0] + 1)
        if parent.type in FUNCTION_TYPES:
            return None
        child = parent
        parent = parent.parent
    return None


def line_start_matches(pattern: re.Pattern[str], keyword: str, text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a MULTILINE ``pattern`` of the form ``^\\s*keyword…``,
    trying only the line starts before occurrences of ``keyword`` (the regex engine would try
    every position of the file: it has no literal prefix to skip to)."""
    end = 0
    pos = text.find(keyword)
    while pos != -1:
        w = pos  # start of the whitespace run before the keyword
        while w > 0 and text[w - 1].isspace():
            w -= 1
        if w == 0 and end == 0:
            start = 0
        else:  # the first line start (just after a newline) in the run, at or after ``end``
            nl = text.find("\n", max(w, end - 1), pos)
            start = nl + 1 if nl != -1 else -1
        m = pattern.match(text, start) if start >= end else None
        if m is not None:
            yield m
            end = m.end()
            pos = text.find(keyword, end)
        else:
            pos = text.find(keyword, pos + 1)
