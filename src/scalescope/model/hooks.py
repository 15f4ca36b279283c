"""Code that runs on every request: application-level middleware and request hooks.

A route handler runs when its route is called; a middleware registered on the app (or a
router) runs on every request that passes through it, whatever the route. The hooks are:

- :class:`Middleware` facts the model can resolve to project code: a function registered by name
  (``app.use(trackVisits)``), one written inline (``app.use(async (req, res, next) => ...)``,
  :attr:`Middleware.handler_id`), a class (``app.add_middleware(AuditMiddleware)``, a Django
  ``MIDDLEWARE`` entry, a Nest ``APP_INTERCEPTOR``) through its request methods;
- functions decorated as request hooks: Flask ``before_request``/``after_request`` (app or
  blueprint), FastAPI/Starlette ``@app.middleware("http")``.

:func:`request_hooks` maps each function a hook reaches (within the call depth routes use) to
the hook that runs it, so a rule can say "on every request, through the middleware X". A
middleware registered under a non-production environment guard is not a hook.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from scalescope.model.facts import INLINE_MIDDLEWARE, Call, Function, Loc, Middleware

if TYPE_CHECKING:
    from scalescope.model.project import ProjectModel

#: decorators (last dotted part, before any call) that make a function run on every request
HOOK_DECORATORS = frozenset(
    {"before_request", "after_request", "before_app_request", "after_app_request", "middleware"}
)
#: methods of a middleware class that run per request (Django, Starlette, Nest, Koa classes)
CLASS_HOOK_METHODS = frozenset(
    {"__call__", "process_request", "process_view", "process_response", "dispatch", "use", "intercept"}
)


@dataclass(frozen=True, slots=True)
class RequestHook:
    """A piece of code every request runs: ``name`` as registered or decorated, ``loc`` where it
    is registered (the ``app.use`` call, the decorator's function)."""

    name: str
    loc: Loc
    kind: str  # middleware | hook

    @property
    def where(self) -> str:
        return f"{self.loc.file}:{self.loc.line}"

    def describe(self) -> str:
        if self.kind == "hook":
            return f"the request hook `{self.name}` ({self.where})"
        if self.name == INLINE_MIDDLEWARE:
            return f"the middleware registered at {self.where}"
        return f"the middleware `{self.name}` registered at {self.where}"


def _decorator_names(fn: Function) -> set[str]:
    return {d.split("(", 1)[0].strip().lstrip("@").rsplit(".", 1)[-1] for d in fn.decorators}


#: first parameter names of an error handler (Express ``(err, req, res, next)``): it runs when a
#: request fails, not on every request
_ERROR_PARAMS = frozenset({"err", "error", "e", "ex", "exc", "exception"})


def _error_handler(fn: Function) -> bool:
    params = [p.split(":", 1)[0].split("=", 1)[0].strip().lower() for p in fn.params]
    return len(params) == 4 or (bool(params) and params[0] in _ERROR_PARAMS)


def _roots(model: ProjectModel) -> dict[str, RequestHook]:
    """Function id -> the hook it is (the functions every request enters)."""
    roots: dict[str, RequestHook] = {}
    for mw in model.all(Middleware):
        if not model.runs_in_production(mw.loc):
            continue
        hook = RequestHook(mw.name, mw.loc, "middleware")
        if mw.handler_id is not None:
            inline = model.functions.get(mw.handler_id)
            if inline is not None and not _error_handler(inline):
                roots.setdefault(mw.handler_id, hook)
            continue
        dotted = mw.name.split("(", 1)[0].strip().split(".")
        name, receiver = dotted[-1], (dotted[-2] if len(dotted) > 1 else "")
        if not name.isidentifier():
            continue
        # ``express.json`` is the library's, not a project function named ``json``
        found = model.resolve_call(mw.loc.file, Call(name, receiver))
        if found:
            for fn in found[:1]:
                if not _error_handler(fn):
                    roots.setdefault(fn.id, hook)
            continue
        # a class: its per-request methods
        for fn in model.methods_of(name):
            if fn.name in CLASS_HOOK_METHODS:
                roots.setdefault(fn.id, hook)
    for fn in model.all(Function):
        if fn.decorators and _decorator_names(fn) & HOOK_DECORATORS and model.runs_in_production(fn.loc):
            roots.setdefault(fn.id, RequestHook(fn.name, fn.loc, "hook"))
    return roots


def request_hooks(model: ProjectModel) -> dict[str, RequestHook]:
    """Function id -> the request hook that runs it on every request (the hook's own function
    and what it calls, up to :data:`~scalescope.model.project.MAX_CALL_DEPTH` calls deep)."""
    from scalescope.model.project import MAX_CALL_DEPTH

    reach = dict(_roots(model))
    # callbacks written inside a hook run with it (``res.on("finish", () => save(req))``)
    for fid, hook in list(reach.items()):
        fn = model.functions[fid]
        for inner in model._functions_by_file.get(fn.loc.file, ()):
            if inner.loc.line >= fn.loc.line and inner.loc.end_line <= fn.loc.end_line:
                reach.setdefault(inner.id, hook)
    frontier = list(reach)
    for _ in range(MAX_CALL_DEPTH):
        nxt: list[str] = []
        for fid in frontier:
            for callee in model._callees_of(fid):
                if callee not in reach:
                    reach[callee] = reach[fid]
                    nxt.append(callee)
        frontier = nxt
    return reach
