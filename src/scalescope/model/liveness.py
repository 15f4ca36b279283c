"""Function-level liveness: is the named function around a place used by production code?

A file's role (:mod:`scalescope.model.roles`) says whether the file runs in production; this
says whether the function around a place can run at all. A function is **unreferenced** when its
name appears, as a whole word, in no production file other than at a definition of that name:
not in a call, an import, a callback passed by name, a string (Celery beat's
``"app.tasks.cleanup"``, ``getattr(x, "name")``, an event name, a Django ``urls.py`` view
path), a template or a shell script. References from test files do not count as production
callers: then only tests call it. Neither do a JavaScript module's own export list
(``module.exports = { flushAll }``, ``export { flushAll }``: what other modules may use; their
use makes it run; a function so exported that nothing else names is left live, since what takes
the module whole may call it) nor a page an API documentation generator wrote (JSDoc, TypeDoc),
which lists every function and runs none. Precision first, so everything a framework may call without
naming it is live:

- anything decorated (``@app.get``, ``@shared_task``, ``@Get()``, ``@Cron()``, ``@OnEvent``);
- route handlers, middleware and request hooks the model records, and every function a route
  reaches;
- framework convention names (Next.js ``GET``/``POST``/``getServerSideProps``/
  ``generateMetadata``, Remix ``loader``/``action``, ``main``, ``handler``, ``create_app``,
  gunicorn hooks, Nest and Angular lifecycle methods), dunder methods, JavaScript default
  exports and named function expressions passed as values (:attr:`Function.by_name`);
- methods of a decorated class (``@strawberry.type``, ``@Controller``; not ``@Injectable``
  or ``@dataclass``, which call no method), and methods of a class with any ancestor outside
  the repository (Django ``save``/``get_queryset``, DRF ``perform_create``, a Nest
  ``WorkerHost``): the framework calls them. A class whose every ancestor is declared in the
  repository (``RedisCache extends LoggerBase implements ICache``) is judged by name: a base
  that declares or calls the method names it;
- a name built from a prefix at run time (``getattr(self, f"handle_{event}")``,
  ``this[`on${name}`]``) keeps every function with that prefix live;
- only where the application's entry is known (:attr:`Roles.anchored`): in a lone file or a
  folder of examples nothing proves a function unused.

Cost: the facts answer most names (a call or import of the name anywhere in production
code); only the few names of functions around findings that no fact names are searched in the
bytes of the files, each file read once on first use, file by file from the function's own
file, stopping at the first that names it.

Limitation: a function exported by a package the repository publishes as a library (a
``packages/`` workspace package with ``main``/``exports``) and used by no code of the
repository is reported as unreferenced, although users of the library may call it. For an
application repository that is what we want; a library repository should be read with that
in mind.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain, pairwise
from operator import attrgetter
from typing import TYPE_CHECKING

from scalescope.model.facts import ClassDecl, Export, Function, Import, Loc, Middleware, Route
from scalescope.model.roles import is_test_path

if TYPE_CHECKING:
    from scalescope.model.project import ProjectModel

#: names a framework or runtime calls without the project naming them
CONVENTION_NAMES = frozenset(
    {
        # Next.js, Remix, SvelteKit, Astro
        "GET",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
        "HEAD",
        "OPTIONS",
        "ALL",
        "default",
        "exports",  # ``module.exports = (sequelize) => {...}``: what ``require`` returns
        "getServerSideProps",
        "getStaticProps",
        "getStaticPaths",
        "getInitialProps",
        "generateMetadata",
        "generateStaticParams",
        "generateViewport",
        "generateSitemaps",
        "generateImageMetadata",
        "loader",
        "action",
        "clientLoader",
        "clientAction",
        "meta",
        "links",
        "headers",
        "load",
        "middleware",
        "register",
        "onRequest",
        "fetch",
        "scheduled",
        "queue",
        # entry points and process-manager hooks
        "main",
        "handler",
        "lambda_handler",
        "bootstrap",
        "application",
        "app",
        "create_app",
        "make_app",
        "setup",
        "teardown",
        "ready",
        "on_starting",
        "on_reload",
        "when_ready",
        "pre_fork",
        "post_fork",
        "post_worker_init",
        "worker_int",
        "worker_abort",
        "pre_exec",
        "pre_request",
        "post_request",
        "child_exit",
        "worker_exit",
        "nworkers_changed",
        "on_exit",
        "upgrade",
        "downgrade",
        # class lifecycles (Nest, Angular, React, JS protocols)
        "constructor",
        "render",
        "onModuleInit",
        "onModuleDestroy",
        "onApplicationBootstrap",
        "onApplicationShutdown",
        "beforeApplicationShutdown",
        "configure",
        "ngOnInit",
        "ngOnDestroy",
        "ngOnChanges",
        "ngAfterViewInit",
        "componentDidMount",
        "componentWillUnmount",
        "componentDidUpdate",
        "toJSON",
        "toString",
        "valueOf",
        "then",
    }
)
#: class decorators that register a class without calling its methods
_INERT_CLASS_DECORATORS = frozenset(
    {"Injectable", "injectable", "Service", "singleton", "dataclass", "total_ordering", "final"}
)
#: bases that call no method of their subclasses by name
_INERT_BASES = frozenset(
    {"object", "ABC", "Generic", "Protocol", "metaclass=ABCMeta", "metaclass=abc.ABCMeta"}
)
# bytes that continue an identifier (a byte of a non-ASCII character does not: a name beside
# one is counted as named, the conservative side)
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$")
_QUOTES = frozenset(b"\"'`")
_SUBSCRIPT = re.compile(r"[\[<].*$", re.DOTALL)
_CAMEL_PART = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# what follows a prefix when a name is built at run time: f"handle_{x}", "handle_%s",
# `handle${x}`, "handle_" + x
_BUILT = rb"(?:\{|%|\$\{|[\"'`]\s*\+)"
MAX_BASE_DEPTH = 6
_CALL_NAME = attrgetter("name")


@dataclass(frozen=True, slots=True)
class Unreferenced:
    """A function nothing in production names: ``test_file`` is a test file that does
    (``""`` when nothing in the repository does). With ``offside_file`` set, only code that
    serves no requests names it: that file (a manage.py command, a script, a seed, a file
    nothing imports), with ``offside_reason``, its role's reason."""

    function: Function
    test_file: str = ""
    offside_file: str = ""
    offside_reason: str = ""

    @property
    def lead(self) -> str:
        """How a finding's message introduces :attr:`reason`."""
        return "Not on a request path" if self.offside_file else "Possibly unused code"

    @property
    def reason(self) -> str:
        name = self.function.name
        if self.offside_file:
            why = f": {self.offside_reason}" if self.offside_reason else ""
            return f"`{name}` is called only by code that serves no requests ({self.offside_file}{why})"
        if self.test_file:
            return f"`{name}` is called by no production code: only tests call it ({self.test_file})"
        return f"`{name}` is called by no production code: nothing in the repository calls it"


class _Texts:
    """The bytes of a set of files, each read on first use and kept: a name is searched file
    by file, stopping at the first that names it (bytes: no decoding, and a search costs the
    same whatever characters a file holds)."""

    def __init__(self, model: ProjectModel, paths: list[str], max_bytes: int = 2 * 1024 * 1024) -> None:
        self.root = str(model.root)
        self.paths = paths
        self.max_bytes = max_bytes
        self._data: dict[str, bytes] = {}

    def data(self, path: str) -> bytes:
        found = self._data.get(path)
        if found is None:
            try:
                with open(os.path.join(self.root, path), "rb") as fh:
                    found = fh.read(self.max_bytes + 1)
            except OSError:
                found = b""
            if len(found) > self.max_bytes or (
                path.endswith((".html", ".htm")) and _GENERATED_DOC.search(found)
            ):
                found = b""  # too big to be read, or a documentation generator's page
            self._data[path] = found
        return found

    def first(self, word: str, skip: set[tuple[str, int]], start: str = "") -> str:
        """The first file naming ``word`` as a whole word other than on a ``skip`` line
        (``(file, line)``: its definitions), trying ``start`` first; ``""`` when none does."""
        needle = word.encode()
        skip_files = {f for f, _ in skip}
        order = [start, *self.paths] if start in self.paths else self.paths
        for path in order:
            data = self.data(path)
            at = data.find(needle)
            while at >= 0:
                end = at + len(needle)
                whole = (at == 0 or data[at - 1] not in _WORD_BYTES) and (
                    end >= len(data) or data[end] not in _WORD_BYTES
                )
                if whole and (path not in skip_files or (path, data.count(b"\n", 0, at) + 1) not in skip):
                    return path
                at = data.find(needle, end)
        return ""

    def builds(self, prefixes: list[str]) -> bool:
        """Some string starts with one of ``prefixes`` and builds a name from it at run time
        (``f"handle_{x}"``, ``"handle_%s"``, ``"handle_" + x``, ``` `on${x}` ```)."""
        if not prefixes:
            return False
        # the prefixes nest (``handle_`` < ``handle_user_``): one pattern with a literal start,
        # ``handle_(?:user_)?`` followed by what builds a name
        tail = b""
        for shorter, longer in reversed(list(pairwise(prefixes))):
            tail = b"(?:" + re.escape(longer[len(shorter) :].encode()) + tail + b")?"
        pattern = re.compile(re.escape(prefixes[0].encode()) + tail + _BUILT)
        for path in self.paths:
            data = self.data(path)
            for m in pattern.finditer(data):
                if m.start() > 0 and data[m.start() - 1] in _QUOTES:
                    return True
        return False


class FunctionLiveness:
    """Which named functions nothing in production names (built lazily by :class:`ProjectModel`)."""

    def __init__(self, model: ProjectModel) -> None:
        self.model = model
        self._verdicts: dict[str, Unreferenced | None] = {}
        self._at: dict[tuple[str, int], Unreferenced | None] = {}
        self._production: _Texts | None = None
        self._offside: _Texts | None = None
        self._tests: _Texts | None = None
        self._named: set[str] | None = None
        self._framework: set[str] | None = None
        self._classes: dict[str, list[ClassDecl]] | None = None

    # ------------------------------------------------------------------ queries

    def unreferenced_at(self, loc: Loc) -> Unreferenced | None:
        """The unreferenced function around ``loc``: its innermost named enclosing function,
        or any named function around that one (a nested function runs only when the
        function around it does). ``None`` when each is live or ``loc`` is outside functions."""
        key = (loc.file, loc.line)
        if key in self._at:
            return self._at[key]
        found: Unreferenced | None = None
        fn = self._innermost(loc)
        while fn is not None and found is None:
            found = self._verdict(fn)
            fn = self.model.enclosing_function(fn.id)
        self._at[key] = found
        return found

    def _innermost(self, loc: Loc) -> Function | None:
        best: Function | None = None
        for fn in self.model._functions_by_file.get(loc.file, ()):
            if fn.loc.line <= loc.line <= fn.loc.end_line and (
                best is None or (fn.loc.line, -fn.loc.end_line) > (best.loc.line, -best.loc.end_line)
            ):
                best = fn
        return best

    def _verdict(self, fn: Function) -> Unreferenced | None:
        if fn.id in self._verdicts:
            return self._verdicts[fn.id]
        verdict: Unreferenced | None = None
        if self._candidate(fn):
            verdict = self._search(fn)
        self._verdicts[fn.id] = verdict
        return verdict

    # ------------------------------------------------------------------ what is live without a name

    def _candidate(self, fn: Function) -> bool:
        """``fn`` may be unreferenced: nothing but its name can make it run."""
        name = fn.name.lstrip("#")
        model = self.model
        if not name or name.startswith("<") or not fn.by_name or fn.decorators:
            return False
        dunder = name.startswith("__") and name.endswith("__")
        if name in CONVENTION_NAMES or dunder or name.startswith("pytest_"):
            return False
        if fn.id in self.framework_called or fn.id in model.route_reach:
            return False
        if name in self.named_in_facts:
            return False
        return not fn.class_name or self._class_judged_by_name(fn)

    @property
    def framework_called(self) -> set[str]:
        """Ids of route handlers (mounted or not), middleware and request hooks."""
        if self._framework is None:
            model = self.model
            out: set[str] = set()
            for route in model.all(Route):
                out.update(f.id for f in model._handler_functions(route))
            for mw in model.all(Middleware):
                out.update(x for x in (mw.handler_id, mw.function_id) if x)
            out.update(model.request_hooks)
            self._framework = out
        return self._framework

    @property
    def named_in_facts(self) -> set[str]:
        """Names production code calls, imports, exports or registers as handlers."""
        if self._named is None:
            model = self.model
            test_file: dict[str, bool] = {}

            def production(path: str) -> bool:
                # only the served application's files: a name that tooling alone calls (a
                # manage.py command, a script) is searched for in the text (:meth:`_search`)
                found = test_file.get(path)
                if found is None:
                    found = test_file[path] = model.role(path).production
                return found

            names: set[str] = set()
            calls = chain.from_iterable(fn.calls for fn in model.all(Function) if production(fn.loc.file))
            names.update(map(_CALL_NAME, calls))
            for imp in model.all(Import):
                if production(imp.loc.file):
                    names.add(imp.name)
                    names.add(imp.local)
            for exp in model.all(Export):
                names.add(exp.name)
                names.add(exp.local)
            for route in model.all(Route):
                names.update((route.handler_name or "").split("."))
            for mw in model.all(Middleware):
                names.update(mw.name.split("."))
            self._named = names
        return self._named

    def _class_judged_by_name(self, fn: Function) -> bool:
        """The class of method ``fn`` is declared here, undecorated (but for registration
        decorators) and every ancestor is declared in the repository."""
        decls = [d for d in self.classes.get(fn.class_name, ()) if d.loc.file == fn.loc.file]
        if not decls:
            return False
        return all(
            all(_decorator_name(x) in _INERT_CLASS_DECORATORS for x in d.decorators)
            and self._ancestors_known(d, 0, set())
            for d in decls
        )

    @property
    def classes(self) -> dict[str, list[ClassDecl]]:
        if self._classes is None:
            out: dict[str, list[ClassDecl]] = defaultdict(list)
            for decl in self.model.all(ClassDecl):
                out[decl.name].append(decl)
            self._classes = dict(out)
        return self._classes

    def _ancestors_known(self, decl: ClassDecl, depth: int, seen: set[tuple[str, str]]) -> bool:
        if depth > MAX_BASE_DEPTH or (decl.loc.file, decl.name) in seen:
            return depth <= MAX_BASE_DEPTH
        seen.add((decl.loc.file, decl.name))
        for written in decl.bases:
            base = _SUBSCRIPT.sub("", written).strip()
            if base in _INERT_BASES or base.rsplit(".", 1)[-1] in _INERT_BASES:
                continue
            if not base or "(" in base or "=" in base:
                return False  # a mixin call, a metaclass: whatever they do is unknown
            parents = self._base_decls(decl.loc.file, base)
            if not parents or not all(self._ancestors_known(p, depth + 1, seen) for p in parents):
                return False
        return True

    def _base_decls(self, file: str, base: str) -> list[ClassDecl]:
        """Declarations in the repository a base written in ``file`` names (same file, or
        imported from a scanned file); none for a library's class."""
        head, _, last = base.rpartition(".")
        named = self.classes.get(last or base, [])
        if not named:
            return []
        if not head:
            same = [d for d in named if d.loc.file == file]
            if same:
                return same
        files = self.model._import_files(file, head.split(".", 1)[0] if head else base)
        if not files:
            return []
        return [d for d in named if d.loc.file in files] or named

    # ------------------------------------------------------------------ the text

    def _search(self, fn: Function) -> Unreferenced | None:
        name = fn.name.lstrip("#")
        model = self.model
        definitions = {(f.loc.file, f.loc.line) for f in model._functions_by_name.get(fn.name, ())}
        exported = _export_lines(model.source_lines(fn.loc.file), fn.loc.file, name)
        prefixes = _prefixes(name)
        if self.production.first(name, definitions | exported, fn.loc.file) or self.production.builds(
            prefixes
        ):
            return None
        if self.offside.builds(prefixes):
            return None  # a name built at run time in tooling: which function it is, unknown
        if offside := self.offside.first(name, definitions, fn.loc.file):
            return Unreferenced(fn, offside_file=offside, offside_reason=model.role(offside).reason)
        if model.services.package_root(fn.loc.file) not in model.roles.anchored:
            # no caller at all proves nothing where the application's entry is unknown (a lone
            # file, a library's exports); a caller that only tooling is, is seen either way
            return None
        tests = self.tests.first(name, definitions)
        if exported and not tests:
            return None  # exported and named nowhere: what takes the module whole may call it
        return Unreferenced(fn, tests)

    @property
    def production(self) -> _Texts:
        """The served application's files, and the files not scanned as code (templates,
        shell scripts) outside test folders."""
        if self._production is None:
            model = self.model
            scanned = [f.path for f in model.files if model.role(f.path).production]
            self._production = _Texts(
                model, scanned + [p for p in model.reference_files if not is_test_path(p)]
            )
        return self._production

    @property
    def offside(self) -> _Texts:
        """Code that runs outside the served application: tooling (manage.py commands,
        scripts, seeds), development-only code and files nothing imports."""
        if self._offside is None:
            model = self.model
            kinds = {"production", "test"}
            self._offside = _Texts(
                model, [f.path for f in model.files if model.role(f.path).kind not in kinds]
            )
        return self._offside

    @property
    def tests(self) -> _Texts:
        if self._tests is None:
            model = self.model
            scanned = [f.path for f in model.files if model.role(f.path).kind == "test"]
            self._tests = _Texts(model, scanned + [p for p in model.reference_files if is_test_path(p)])
        return self._tests


# a page an API documentation generator wrote (JSDoc, TypeDoc, Sphinx, pdoc, Doxygen): it lists
# and renders every function of the code it documents, and runs none of them
_GENERATED_DOC = re.compile(
    rb"generated by <a href=\"https?://[^\"]*(?:jsdoc|typedoc|sphinx|pdoc|doxygen)"
    rb"|<meta name=\"generator\" content=\"(?:JSDoc|TypeDoc|Sphinx|pdoc|Doxygen)",
    re.IGNORECASE,
)
_JS_FILE = re.compile(r"\.(?:[cm]?[jt]s|[jt]sx)$")
# ``module.exports = {`` / ``exports = {`` / ``export {`` / ``export default {``: an export list
_EXPORT_BLOCK = re.compile(r"^\s*(?:(?:module\.)?exports\s*=|export(?:\s+default)?)\s*\{")
# ``exports.flushAll = flushAll;`` / ``module.exports.flushAll = flushAll``
_EXPORT_ONE = re.compile(r"^\s*(?:module\.)?exports\.\w+\s*=\s*(\w+)\s*;?\s*$")


def _export_lines(lines: list[str], path: str, name: str) -> set[tuple[str, int]]:
    """The lines of a JavaScript/TypeScript file that name ``name`` only to export it: the
    entries of a ``module.exports = { ... }`` / ``export { ... }`` list and ``exports.x = name``.
    An export list says what other modules may use; their use, not the list, makes a function
    run, so a function only tests call (``cacheModel.flushAll()`` in a spec) is not live for
    being listed."""
    if not _JS_FILE.search(path):
        return set()
    word = re.compile(rf"(?<![\w$]){re.escape(name)}(?![\w$])")
    out: set[tuple[str, int]] = set()
    depth = 0
    for idx, line in enumerate(lines, start=1):
        if depth == 0:
            one = _EXPORT_ONE.match(line)
            if one is not None and one.group(1) == name:
                out.add((path, idx))
                continue
            if not _EXPORT_BLOCK.match(line):
                continue
        depth += line.count("{") - line.count("}")
        if word.search(line):
            out.add((path, idx))
        depth = max(depth, 0)
    return out


def _decorator_name(written: str) -> str:
    """``dataclass(frozen=True)`` -> ``dataclass``; ``strawberry.type`` -> ``type``."""
    return written.split("(", 1)[0].rsplit(".", 1)[-1].lstrip("@").strip()


def _prefixes(name: str) -> list[str]:
    """Prefixes a name may be built from at run time: ``handle_user_created`` -> ``handle_``,
    ``handle_user_``; ``handleUserCreated`` -> ``handle``, ``handleUser``."""
    out: list[str] = []
    if "_" in name.strip("_"):
        parts = name.split("_")
        out = ["_".join(parts[: i + 1]) + "_" for i in range(len(parts) - 1) if any(parts[: i + 1])]
    else:
        pieces = _CAMEL_PART.split(name)
        out = ["".join(pieces[: i + 1]) for i in range(len(pieces) - 1)]
    return [p for p in out if len(p.strip("_")) >= 2]
