"""Which function each call of a file is made in, for every grammar: one sweep.

The extractors of both languages list a file's function nodes (by start, outer first) and its
calls (by start); a call belongs to the innermost function whose byte range holds it. The sweep
keeps a stack of the open functions and runs once per call over plain int lists (no node
attributes in the loop), so it stays linear in the calls of the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

import tree_sitter as ts

from scalescope.model.facts import Call

_CALLS: dict[tuple[str, str], Call] = {}


def shared_call(name: str, receiver: str) -> Call:
    """``Call(name, receiver)``, one instance per pair in a process (calls are frozen values).

    A large tree makes ten times as many calls as it has distinct ones (``objects.filter``,
    ``get``...): sharing them spares building each one, and a worker's pickle of its results
    stores each call once per unit instead of once per call site."""
    call = _CALLS.get((name, receiver))
    if call is None:
        call = _CALLS[(name, receiver)] = Call(name, receiver)
    return call


def calls_by_function(
    fns: Sequence[ts.Node],
    calls: Iterable[tuple[ts.Node, tuple[str, ...]]],
    call_of: Callable[[tuple[str, ...]], Call | None],
    methods_at: Callable[[int], tuple[str, ...]] | None,
) -> list[list[Call]]:
    """For each of ``fns`` the calls made directly in it: ``call_of`` names a call from its
    callee chain (``None``: not a call worth recording), ``methods_at`` gives the request
    methods a call at a byte offset runs for (``None``: no method test in the file)."""
    starts = [fn.start_byte for fn in fns]
    ends = [fn.end_byte for fn in fns]
    count = len(fns)
    out: list[list[Call]] = [[] for _ in range(count)]
    stack: list[int] = []
    fi = 0
    for node, parts in calls:
        start = node.start_byte
        while fi < count and starts[fi] <= start:
            while stack and ends[stack[-1]] <= starts[fi]:
                stack.pop()
            stack.append(fi)
            fi += 1
        while stack and ends[stack[-1]] <= start:
            stack.pop()
        if stack:
            call = call_of(parts)
            if call is not None:
                methods = methods_at(start) if methods_at is not None else ()
                out[stack[-1]].append(replace(call, methods=methods) if methods else call)
    return out
