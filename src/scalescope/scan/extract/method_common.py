"""What the request-method guard readers of both languages share (``js/method_guards.py``,
``py/method_guards.py``): the HTTP verbs, a method test's outcome as two sets, and the regions
of a file that run only for some request methods.

One handler often serves several methods (Flask ``methods=["GET", "POST"]``, FastAPI
``api_route``, Express ``route().get(h).post(h)``) and branches on the method: ``if
request.method == "POST":`` does the action, the rest renders a form or a confirmation. A
region is a byte range with the methods code in it runs for; a node's methods are the
intersection over the regions around it (an ``else`` nested in an ``if`` narrows both).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import tree_sitter as ts

from scalescope.model.facts import HTTP_METHODS
from scalescope.scan.extract.base import FileContext, captures

#: the request methods a method test can name
HTTP_VERBS = HTTP_METHODS
#: methods that submit a form (WTForms ``validate_on_submit()`` is true only for these)
SUBMIT_VERBS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True, slots=True)
class Test:
    """A condition's outcome over the request methods: the methods for which it may be true,
    and those for which it may be false (a condition that does not test the method is
    :data:`UNKNOWN`: any method either way)."""

    true: frozenset[str]
    false: frozenset[str]

    def negate(self) -> Test:
        return Test(self.false, self.true)

    def both(self, other: Test) -> Test:
        """``self and other``."""
        return Test(self.true & other.true, self.false | other.false)

    def either(self, other: Test) -> Test:
        """``self or other``."""
        return Test(self.true | other.true, self.false & other.false)

    @property
    def tests_method(self) -> bool:
        return self != UNKNOWN


UNKNOWN = Test(HTTP_VERBS, HTTP_VERBS)


def equals(verbs: Iterable[str]) -> Test:
    """``method == "POST"`` / ``method in ("POST", "PUT")``."""
    named = frozenset(verbs) & HTTP_VERBS
    return Test(named, HTTP_VERBS - named)


def verb_of(literal: str | None) -> str | None:
    """``"post"`` -> ``POST``; ``None`` for a string that is no HTTP verb."""
    if literal is None:
        return None
    verb = literal.strip().upper()
    return verb if verb in HTTP_VERBS else None


@dataclass(frozen=True, slots=True)
class Region:
    start: int
    end: int
    methods: frozenset[str]


class Regions:
    """The method-restricted regions of one file, looked up by byte offset."""

    def __init__(self, regions: Iterable[Region]) -> None:
        kept = sorted((r for r in regions if r.methods != HTTP_VERBS), key=lambda r: (r.start, r.end))
        self._regions = kept
        self._starts = [r.start for r in kept]

    def __bool__(self) -> bool:
        return bool(self._regions)

    def methods_at(self, pos: int) -> tuple[str, ...]:
        """The methods code at ``pos`` runs for, sorted; ``()`` when it runs for any method (or
        the tests contradict each other: a reading error, not dead code worth trusting)."""
        if not self._regions:
            return ()
        allowed = HTTP_VERBS
        for region in self._regions[: bisect.bisect_right(self._starts, pos)]:
            if region.start <= pos < region.end:
                allowed = allowed & region.methods
        if allowed == HTTP_VERBS or not allowed:
            return ()
        return tuple(sorted(allowed))


NO_REGIONS = Regions(())


def file_regions(
    ctx: FileContext,
    key: str,
    needles: tuple[bytes, ...],
    query: str,
    node_regions: Callable[[FileContext, ts.Node], list[Region]],
) -> Regions:
    """The method regions of one file, computed once (cached under ``key``): the nodes ``query``
    captures as ``@n`` whose text holds one of ``needles``, read by the language's
    ``node_regions``; :data:`NO_REGIONS` when the file mentions no needle."""
    cached = ctx.cache.get(key)
    if cached is None:
        source = ctx.source
        if not any(n in source for n in needles):
            cached = NO_REGIONS
        else:
            found: list[Region] = []
            for node in captures(ctx.language, query, ctx.root).get("n", []):
                text = source[node.start_byte : node.end_byte]
                if any(n in text for n in needles):
                    found.extend(node_regions(ctx, node))
            cached = Regions(found)
        ctx.cache[key] = cached
    return cached
