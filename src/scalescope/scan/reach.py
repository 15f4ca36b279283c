"""Who runs a finding's code: its reach, which the report ranks findings by.

A finding on a hot public route matters more than the same finding in an admin script. For
each place of a finding (the primary place and the other places of its cause) this reads what
the model knows:

- a place outside production (tooling, dev-only, unimported: ``ProjectModel.role_at``) is
  ``offline``;
- a place inside a route declaration, or in a function a route's handler reaches
  (``ProjectModel.routes_reaching``), is ``public``, or ``admin`` when every such route is an
  admin route (an ``admin`` path segment, or an admin/staff guard: the growth model's test);
- a production place in no function (module-level set-up such as a pool or a client, or a
  deployment/config file), in a function its own module calls at load time and no function
  calls (``export const db = createPrismaClient()``, a class instantiated at module level), or
  in a function a middleware or request hook reaches (``ProjectModel.hook_reaching``), is
  ``app``: every request goes through it;
- a production function no route reaches (background work, start-up) is ``job``.

The finding's reach is the most exposed of its places' (:data:`REACHES` order) and its
``routes`` list every route that reaches a place, public routes first.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from scalescope.model.facts import Function, Loc, Route
from scalescope.model.project import ProjectModel
from scalescope.report.model import REACHES, Finding

MAX_ROUTES = 20


class Reach:
    """Reach of places of one model (indexes built once per scan)."""

    def __init__(self, model: ProjectModel) -> None:
        self.model = model
        functions: dict[str, list[Function]] = defaultdict(list)
        for fn in model.functions.values():
            functions[fn.loc.file].append(fn)
        self._functions = functions
        routes: dict[str, list[Route]] = defaultdict(list)
        for route in model.routes:
            routes[route.loc.file].append(route)
        self._routes = routes
        self._setup: dict[str, bool] = {}
        self._callees: set[str] | None = None

    def _innermost(self, file: str, line: int) -> Function | None:
        best: Function | None = None
        for fn in self._functions.get(file, ()):
            if fn.loc.line <= line <= fn.loc.end_line and (best is None or fn.loc.line >= best.loc.line):
                best = fn
        return best

    def is_admin(self, route: Route) -> bool:
        return self.model.is_admin_route(route)

    def place(self, file: str, line: int) -> tuple[str, tuple[Route, ...]]:
        """The reach of one place and the routes that reach it."""
        if not self.model.role_at(Loc(file, line)).production:
            return "offline", ()
        declared = tuple(r for r in self._routes.get(file, ()) if r.loc.line <= line <= r.loc.end_line)
        fn = self._innermost(file, line)
        routes = declared + (self.model.routes_reaching(fn.id) if fn is not None else ())
        if routes:
            return ("admin" if all(self.is_admin(r) for r in routes) else "public"), routes
        if fn is None or self.model.hook_reaching(fn.id) is not None or self._set_up(fn):
            return "app", ()
        return "job", ()

    def _set_up(self, fn: Function) -> bool:
        """``fn`` runs when its module loads, for every process that imports it: no function
        calls it, and its own module calls it outside any function (``export const db =
        createPrismaClient()``; a class built at module level runs its ``__init__``)."""
        if fn.id in self._setup:
            return self._setup[fn.id]
        if fn.class_name and fn.name not in {"__init__", "constructor"}:
            self._setup[fn.id] = False  # another method: instantiating the class does not run it
            return False
        name = fn.class_name or fn.name
        found = False
        if name and not name.startswith("<") and not self._called_by_function(name):
            spans = [(f.loc.line, f.loc.end_line) for f in self._functions.get(fn.loc.file, ())]
            call = re.compile(rf"(?<![\w$.]){re.escape(name)}\s*\(")
            for number, text in enumerate(self.model.source_lines(fn.loc.file), 1):
                if call.search(text) and not any(a <= number <= b for a, b in spans):
                    found = not text.lstrip().startswith(("def ", "class ", "function ", "async ", "//", "#"))
                    if found:
                        break
        self._setup[fn.id] = found
        return found

    def _called_by_function(self, name: str) -> bool:
        if self._callees is None:
            self._callees = {c.name for f in self.model.functions.values() for c in f.calls}
        return name in self._callees

    def of(self, finding: Finding) -> Finding:
        """``finding`` with its reach and routes set."""
        kinds: set[str] = set()
        found: dict[Route, None] = {}
        for file, line in [(finding.file, finding.line), *((r.file, r.line) for r in finding.other_places)]:
            kind, routes = self.place(file, line)
            kinds.add(kind)
            found.update(dict.fromkeys(routes))
        reach = next((k for k in REACHES if k in kinds), "")
        ordered = sorted(found, key=lambda r: (self.is_admin(r), r.path, r.method, r.loc.file, r.loc.line))
        displays = tuple(dict.fromkeys(r.display for r in ordered))[:MAX_ROUTES]
        return replace(finding, reach=reach, routes=displays)


def with_reach(model: ProjectModel, findings: list[Finding]) -> list[Finding]:
    """Every finding with its reach (see the module docstring)."""
    reach = Reach(model)
    return [reach.of(f) for f in findings]
