"""ProjectModel: every fact of a scanned repository, indexed for rules.

Built once per scan from the per-file facts (in any order) and then read-only. Cross-file
knowledge lives here: resolving a route's handler to a function in another file, walking a
light call graph (name-based, receiver-aware) to tell which routes reach a function, and joining
queries to the schema.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections import defaultdict, deque
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from scalescope.model.fanout import ParentSet
    from scalescope.model.growth import Growth
    from scalescope.model.hooks import RequestHook
    from scalescope.model.inputs import RequestInputs
    from scalescope.model.liveness import FunctionLiveness, Unreferenced
    from scalescope.model.migrations import Migrations
    from scalescope.model.text_search import TextIndex

from scalescope.model.facts import (
    HTTP_METHODS,
    AdminGuard,
    Call,
    DataAccess,
    DbClient,
    EnumType,
    Export,
    Fact,
    Function,
    Import,
    IndexDef,
    Loc,
    ModuleAliases,
    Mount,
    NextSegment,
    Route,
    RouterDecl,
    Service,
    SettingsInclude,
    SettingsModule,
    StackItem,
    Table,
    WorkerProcesses,
)
from scalescope.model.index_use import served_columns
from scalescope.model.js_modules import JsModules
from scalescope.model.mounts import MountGraph, build_mount_graph
from scalescope.model.roles import Role, Roles
from scalescope.model.run_scripts import production_facts
from scalescope.model.services import ServiceMap

F = TypeVar("F", bound=Fact)

# Call names too generic to follow across files without a receiver match.
_GENERIC = frozenset(
    {
        "get",
        "set",
        "find",
        "all",
        "then",
        "map",
        "filter",
        "push",
        "use",
        "call",
        "apply",
        "bind",
        "send",
        "json",
        "log",
        "error",
        "run",
        "exec",
        "query",
        "create",
        "update",
        "delete",
        "save",
        "handle",
        "next",
        "resolve",
        "reject",
        "emit",
        "on",
        "init",
        "close",
        "open",
        "read",
        "write",
        "__init__",
        "list",
        "keys",
        "values",
        "items",
        "append",
        "add",
        "remove",
        "pop",
        "len",
        "str",
        "int",
        "dict",
        "print",
        "super",
        "format",
        "join",
        "split",
        "strip",
        "replace",
        "render",
    }
)

MAX_CALL_DEPTH = 5

# files that make their folder a package of its own (a service of a monorepo)
_MANIFEST = re.compile(r"(^|/)(package\.json|pyproject\.toml|setup\.py|Pipfile|requirements[^/]*\.txt)$")
_SOURCE_EXT = re.compile(r"(\.d)?\.(ts|tsx|js|jsx|mjs|cjs|mts|cts|py)$")
_HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
# DRF viewset action -> the hook the inherited action calls (where the queryset lives)
_ACTION_HOOKS: dict[str, tuple[str, ...]] = {
    "list": ("get_queryset",),
    "retrieve": ("get_object", "get_queryset"),
    "create": ("perform_create",),
    "update": ("perform_update", "get_object"),
    "partial_update": ("perform_update", "get_object"),
    "destroy": ("perform_destroy", "get_object"),
}


_PROBE_SEGMENT = re.compile(
    r"^(?:health|healthz|healthcheck|health-check|ready|readyz|readiness|live|livez|liveness|"
    r"metrics|info|status|version|ping|alive|pprof|[\w-]*heap[\w-]*|threaddump)$",
    re.IGNORECASE,
)


# a first segment under which everything is a probe (``/health/db``, ``/metrics/queues``)
_HEALTH_PREFIX = re.compile(r"^(?:health|healthz|healthcheck|health-check|readiness|liveness|metrics)$", re.I)


def _probe_kind(path: str) -> str:
    """``root`` for ``/``, ``probe`` for an operational endpoint (``/health``,
    ``/health/ready``, ``/metrics``, ``/api/status``, a diagnostic heap snapshot or
    profile such as ``/heapdump`` or ``/debug/pprof``), else ``user``."""
    segments = [s for s in path.split("/") if s]
    if not segments:
        return "root"
    if _PROBE_SEGMENT.match(segments[-1]) or _HEALTH_PREFIX.match(segments[0]):
        return "probe"
    return "user"


def _nearest(caller_file: str, files: tuple[str, ...]) -> tuple[str, ...]:
    """Of ``files``, those sharing the longest leading folder path with ``caller_file``."""
    here = caller_file.split("/")[:-1]

    def shared(path: str) -> int:
        there = path.split("/")[:-1]
        n = 0
        while n < min(len(here), len(there)) and here[n] == there[n]:
            n += 1
        return n

    best = max(shared(f) for f in files)
    return tuple(f for f in files if shared(f) == best)


_STAR_IMPORT = re.compile(r"\s*from\s+[\w.]+\s+import\s+\*")


def _alternatives(first: str, second: str) -> bool:
    """Two ``if``-branch paths (``"24:24/38:38"``, see :class:`SettingsInclude`) that part at
    one ``if``: different branches of it, so only one of the two runs."""
    ours = dict(p.split(":", 1) for p in first.split("/") if ":" in p)
    for part in second.split("/"):
        if ":" not in part:
            continue
        if_line, branch = part.split(":", 1)
        if if_line in ours and ours[if_line] != branch:
            return True
    return False


def _stem(path: str) -> str:
    """``src/user.controller.ts`` -> ``user.controller``."""
    return _SOURCE_EXT.sub("", path.rsplit("/", 1)[-1])


_INFRA_IMAGE = re.compile(
    r"(^|/)(postgres|postgis|mysql|mariadb|redis|valkey|keydb|mongo|rabbitmq|nats|kafka|zookeeper|"
    r"memcached|elasticsearch|opensearch|minio|localstack|mailhog|mailpit|nginx|traefik|haproxy|"
    r"envoy|caddy|pgbouncer|clickhouse|cassandra|prometheus|grafana|jaeger|otel|adminer|pgadmin)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file that was read and parsed: relative path, language and line count."""

    path: str
    language: str
    lines: int


@dataclass
class ProjectModel:
    """All facts of one project plus derived cross-file indexes."""

    root: Path
    files: tuple[SourceFile, ...] = ()
    facts: tuple[Fact, ...] = ()
    #: files not scanned whose text may still name a function: test files left out, templates,
    #: shell scripts (see :meth:`unreferenced_at`)
    reference_files: tuple[str, ...] = ()
    _by_type: dict[type, list[Fact]] = field(default_factory=dict, repr=False)
    _lines: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_type: dict[type, list[Fact]] = defaultdict(list)
        for fact in self.facts:
            by_type[type(fact)].append(fact)
        self._by_type = dict(by_type)

    # ------------------------------------------------------------------ access

    def all(self, kind: type[F]) -> Sequence[F]:
        """Every fact of exactly this type, in file order."""
        return self._by_type.get(kind, [])  # type: ignore[return-value]

    def has_stack(self, *names: str, production: bool = True) -> bool:
        """True when any of these framework/library names is part of the stack (by default
        only dependencies production installs: not devDependencies, dev/test requirements)."""
        return any(
            item.name in names and (not production or item.scope == "production")
            for item in self.all(StackItem)
        )

    @cached_property
    def stack(self) -> dict[str, list[str]]:
        """``{kind: sorted names}`` summarising the production frameworks, ORMs, caches,
        queues... (dev/test-only dependencies are left out: they are not what runs)."""
        out: dict[str, set[str]] = defaultdict(set)
        for item in self.all(StackItem):
            if item.scope == "production" or item.source != "manifest":
                out[item.kind].add(item.name)
        return {kind: sorted(names) for kind, names in sorted(out.items())}

    # ------------------------------------------------------------------ what runs where

    @cached_property
    def roles(self) -> Roles:
        return Roles(self)

    @cached_property
    def services(self) -> ServiceMap:
        return ServiceMap(self)

    @cached_property
    def route_files(self) -> frozenset[str]:
        """Files that register routes users call: not a worker's probes alone (a file whose
        routes are only ``/health``, ``/ready``, ``/metrics``, ``/info``... and at most ``/``).
        A Next.js App Router page, layout or route handler (``app/**/page.tsx``) registers its
        route by its path: the framework renders it per request (or at build time), so its
        server code runs what it imports; a ``'use client'`` file runs in the browser."""
        by_file: dict[str, list[Route]] = defaultdict(list)
        for route in self.routes:
            by_file[route.loc.file].append(route)
        out = set()
        for file, routes in by_file.items():
            kinds = {_probe_kind(r.path) for r in routes}
            if "user" in kinds or kinds == {"root"}:
                out.add(file)
        out.update(seg.loc.file for seg in self.all(NextSegment) if not seg.client)
        return frozenset(out)

    @cached_property
    def _route_importer_cache(self) -> dict[str, str | None]:
        return {}

    def route_importer(self, path: str, limit: int = 20000) -> str | None:
        """A file that registers mounted routes and runs the code of ``path``: the file
        itself, or one that imports it directly or through other modules (the roles' import
        graph, walked backwards). ``None`` when no route file reaches it: code that only a
        worker, a script or nothing imports. Django settings are loaded by name, not
        imported: a settings module serves the project's routes when the project has
        Python routes."""
        cache = self._route_importer_cache
        if path in cache:
            return cache[path]
        routes = self.route_files
        found: str | None = None
        if path in routes:
            found = path
        else:
            importers = self.roles.importers
            seen = {path}
            queue = deque([path])
            while queue and found is None and len(seen) < limit:
                for nxt in sorted(importers.get(queue.popleft(), ())):
                    if nxt in routes:
                        found = nxt
                        break
                    if nxt not in seen:
                        seen.add(nxt)
                        queue.append(nxt)
        cache[path] = found
        return found

    def role(self, path: str) -> Role:
        """Where a file runs: production | test | tooling | migration | dev-only | unimported,
        with the reason (see :mod:`scalescope.model.roles`)."""
        return self.roles.role(path)

    def settings_in_doubt(self, path: str) -> str:
        """Why production may not run the settings module ``path`` (one of several that nothing
        shows production selecting), or ``""``; see :meth:`Roles.settings_in_doubt`."""
        return self.roles.settings_in_doubt(path)

    def role_at(self, loc: Loc) -> Role:
        """:meth:`role` of a place, also outside production when an environment guard
        (``if (process.env.NODE_ENV === 'development')``) encloses it."""
        return self.roles.role_at(loc)

    @cached_property
    def liveness(self) -> FunctionLiveness:
        from scalescope.model.liveness import FunctionLiveness

        return FunctionLiveness(self)

    def unreferenced_at(self, loc: Loc) -> Unreferenced | None:
        """The named function around ``loc`` when nothing in production names it (see
        :mod:`scalescope.model.liveness`): called by no production code, only by tests
        (``test_file``) or by nothing at all. ``None`` when the functions around ``loc`` may
        run: something names them, a framework calls them (decorators, routes, middleware,
        convention names, overrides of a library's class), or ``loc`` is outside functions.

        Conservative: a name appearing anywhere else in production text (a string, a
        template, a callback passed by name) keeps the function live; a function a library
        package exports and the repository never uses is unreferenced (a limitation for
        library repositories)."""
        return self.liveness.unreferenced_at(loc)

    def runs_in_production(self, loc: Loc) -> bool:
        return self.role_at(loc).production

    def package_root(self, path: str) -> str:
        """The nearest folder holding a manifest (package.json, pyproject.toml...)."""
        return self.services.package_root(path)

    def instance_count_for(self, path: str) -> int | None:
        """Processes that run ``path`` (replicas x workers of the service that runs its
        folder; see :mod:`scalescope.model.services`), ``None`` when nothing is declared."""
        return self.services.instance_count_for(path)

    @cached_property
    def settings_sequences(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Each django-split-settings ``include(...)``: the including module and the files it
        may run, in order, each with the ``if`` branches that add it (globs expanded against
        the scanned files, sorted, as the library does)."""
        paths = sorted(f.path for f in self.files)
        out: list[tuple[str, list[tuple[str, str]]]] = []
        for inc in self.all(SettingsInclude):
            folder = posixpath.dirname(inc.loc.file)
            seq: list[tuple[str, str]] = []
            for i, comp in enumerate(inc.components):
                branch = inc.branches[i] if i < len(inc.branches) else ""
                target = posixpath.normpath(posixpath.join(folder, comp))
                if any(c in comp for c in "*?["):
                    seq.extend((p, branch) for p in paths if fnmatch.fnmatchcase(p, target))
                else:
                    seq.append((target, branch))
            out.append((inc.loc.file, seq))
        return out

    def star_import_assigns(self, caller_file: str, module: str, name: str, depth: int = 0) -> bool | None:
        """Whether ``from <module> import *`` in ``caller_file`` brings a setting ``name``
        (``DATABASES``...): ``True`` when the module, or one it star-imports in turn, assigns
        it; ``False`` when the module is in the repository and does not; ``None`` when the
        module is not in the repository (a ``local_settings.py`` written at deploy time, which
        may)."""
        files = self.module_files(caller_file, module)
        if not files or depth > 4:
            return None
        modules = {m.loc.file: m for m in self.all(SettingsModule)}
        for path in files:
            found = modules.get(path)
            if found is None:
                # assigns none of the settings a SettingsModule is emitted for; a star import of
                # its own (not recorded for such a module) may still bring them
                if any(_STAR_IMPORT.match(line) for line in self.source_lines(path)):
                    return None
                continue
            if name in found.assigns:
                return True
            for inner in found.star_imports:
                if self.star_import_assigns(path, inner, name, depth + 1) is not False:
                    return True
        return False

    def settings_replaced_after(self, loc: Loc, name: str) -> str | None:
        """What may replace the setting ``name`` assigned at ``loc`` before the application
        reads it, as a reader would name it: a module-level ``from x import *`` after it in the
        same settings module (``try: from settings_local import *`` at the end: the
        installation's own file), or a file django-split-settings includes after it that
        assigns ``name`` too (:meth:`settings_replaced_later`); ``None`` when neither."""
        for m in self.all(SettingsModule):
            if m.loc.file == loc.file:
                later = [n for n in m.star_lines if n > loc.line]
                if later:
                    return f"the `import *` at {loc.file}:{later[-1]}"
        other = self.settings_replaced_later(loc.file, name)
        return f"{other}, included after it by django-split-settings," if other else None

    def settings_replaced_later(self, path: str, name: str) -> str | None:
        """The settings file that django-split-settings includes after ``path`` and that
        assigns ``name`` (``DATABASES``, ``CACHES``...) too, so ``path``'s value is a base a
        deployment's file may replace; ``None`` when no include runs such a file after
        ``path``. A file added in another branch of the same ``if`` (``docker.py`` beside
        ``heroku.py``) is an alternative to ``path``, not a file run after it."""
        assigners = {m.loc.file for m in self.all(SettingsModule) if name in m.assigns}
        for _including, seq in self.settings_sequences:
            for i, (comp, branch) in enumerate(seq):
                if comp != path:
                    continue
                for later, theirs in seq[i + 1 :]:
                    if later != path and later in assigners and not _alternatives(branch, theirs):
                        return later
        return None

    @cached_property
    def ecosystems(self) -> frozenset[str]:
        langs = {f.language for f in self.files}
        eco = set()
        if langs & {"javascript", "typescript", "tsx"}:
            eco.add("node")
        if "python" in langs:
            eco.add("python")
        return frozenset(eco)

    # ------------------------------------------------------------------ source text

    def source_lines(self, path: str) -> list[str]:
        """Lines of a scanned file (cached; empty when it cannot be read now)."""
        if path not in self._lines:
            try:
                text = (self.root / path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            self._lines[path] = text.splitlines()
        return self._lines[path]

    def line_text(self, path: str, line: int) -> str:
        lines = self.source_lines(path)
        return lines[line - 1] if 0 < line <= len(lines) else ""

    # ------------------------------------------------------------------ functions & call graph

    @cached_property
    def functions(self) -> dict[str, Function]:
        return {f.id: f for f in self.all(Function)}

    @cached_property
    def _functions_by_name(self) -> dict[str, list[Function]]:
        out: dict[str, list[Function]] = defaultdict(list)
        for fn in self.all(Function):
            if fn.name:
                out[fn.name].append(fn)
        return out

    @cached_property
    def _constructors(self) -> dict[str, list[Function]]:
        """Class name -> its constructors (``__init__``, ``constructor``): what ``Repo()`` /
        ``new Repo()`` runs."""
        out: dict[str, list[Function]] = defaultdict(list)
        for fn in self.all(Function):
            if fn.class_name and fn.name in {"__init__", "constructor"}:
                out[fn.class_name].append(fn)
        return out

    @cached_property
    def _imports_by_file(self) -> dict[str, dict[str, Import]]:
        out: dict[str, dict[str, Import]] = defaultdict(dict)
        for imp in self.all(Import):
            out[imp.loc.file][imp.local] = imp
        return out

    # -- module resolution (imports -> files), used by the call graph

    @cached_property
    def _module_keys(self) -> dict[str, tuple[str, ...]]:
        """``path without extension`` (and package dir for index/__init__) -> files."""
        out: dict[str, list[str]] = defaultdict(list)
        for f in self.files:
            base = _SOURCE_EXT.sub("", f.path)
            if base == f.path:
                continue
            out[base].append(f.path)
            head, _, tail = base.rpartition("/")
            if tail in {"index", "__init__"}:
                out[head].append(f.path)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def _module_keys_by_tail(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = defaultdict(list)
        for key in self._module_keys:
            out[key.rsplit("/", 1)[-1]].append(key)
        return {k: tuple(v) for k, v in out.items()}

    def module_files(self, caller_file: str, module: str) -> tuple[str, ...]:
        """Files a module specifier may name, seen from ``caller_file`` (memoised per pair; an
        absolute Python module names the same files from every file, so it is memoised once,
        not per importer: the roles' import graph asks ~70k pairs of a large Django tree)."""
        if module and not module.startswith(".") and caller_file.endswith(".py"):
            found = self._module_cache.get(("", True, module))
            if found is None:
                found = self._module_cache[("", True, module)] = self._resolve_module("", True, module)
            if len(found) > 1:
                # ``from utils import pg_client`` in a repository of several services, each with
                # its own ``utils/``: the service runs from its own folder, so the nearest wins
                return _nearest(caller_file, found)
            return found
        key = (caller_file, module)
        found = self._module_files_memo.get(key)
        if found is None:
            found = self._module_files_memo[key] = self._module_files(caller_file, module)
        return found

    @cached_property
    def _module_files_memo(self) -> dict[tuple[str, str], tuple[str, ...]]:
        return {}

    def _module_files(self, caller_file: str, module: str) -> tuple[str, ...]:
        """Files a module specifier may name, seen from ``caller_file`` (relative JS paths,
        relative/absolute Python modules, TS path aliases by suffix). Cached: the answer depends
        only on the caller's directory (for relative specifiers) and language."""
        if not module:
            return ()
        python = caller_file.endswith(".py")
        if module.startswith("."):
            scope = posixpath.dirname(caller_file)
        elif python:
            scope = ""  # an absolute Python module names the same files from any folder
        else:
            scope = self._js_modules.scope(posixpath.dirname(caller_file))  # where its tsconfig applies
        key = (scope, python, module)
        found = self._module_cache.get(key)
        if found is None:
            found = self._module_cache[key] = self._resolve_module(scope, python, module)
        return found

    @cached_property
    def _js_modules(self) -> JsModules:
        return JsModules(
            self._module_keys,
            self._module_keys_by_tail,
            self.all(ModuleAliases),
            self.services.package_names,
            self.services.manifest,
        )

    @cached_property
    def _module_cache(self) -> dict[tuple[str, bool, str], tuple[str, ...]]:
        return {}

    def _resolve_module(self, caller_dir: str, python: bool, module: str) -> tuple[str, ...]:
        """``caller_dir``: the importing file's folder for a relative specifier, else the
        scope of its tsconfig (JS, :meth:`JsModules.scope`) or ``""`` (Python)."""
        if module.startswith(("./", "../")) or (not python and module in {".", ".."}):
            key = posixpath.normpath(posixpath.join(caller_dir, module))
            return self._module_keys.get(_SOURCE_EXT.sub("", key), ())
        if python and module.startswith("."):
            dots = len(module) - len(module.lstrip("."))
            base = caller_dir
            for _ in range(dots - 1):
                base = posixpath.dirname(base)
            rest = module[dots:].replace(".", "/")
            key = posixpath.join(base, rest) if rest else base
            return self._module_keys.get(key.lstrip("/") if not base else key, ())
        if not python:
            # a package name is a package, whatever the project's files are called
            return self._js_modules.resolve(caller_dir, module)
        segs = [s for s in module.replace(".", "/").split("/") if s]
        if not segs:
            return ()
        suffix = "/".join(segs)
        out: list[str] = []
        for key in self._module_keys_by_tail.get(segs[-1], ()):
            if key == suffix or key.endswith("/" + suffix):
                out.extend(self._module_keys[key])
        return tuple(out)

    def _import_files(self, caller_file: str, local: str) -> tuple[str, ...]:
        """Files the name ``local`` imported in ``caller_file`` comes from (cached)."""
        cache_key = (caller_file, local)
        found = self._import_cache.get(cache_key)
        if found is not None:
            return found
        imp = self._imports_by_file.get(caller_file, {}).get(local)
        files: tuple[str, ...] = ()
        if imp is not None:
            if caller_file.endswith(".py") and imp.name not in {"*", ""}:
                # ``from app import crud``: crud may be a submodule
                sub = imp.module + ("" if imp.module.endswith(".") else ".") + imp.name
                files = self._module_files(caller_file, sub)
            if not files:
                files = self._module_files(caller_file, imp.module)
        self._import_cache[cache_key] = files
        return files

    @cached_property
    def _import_cache(self) -> dict[tuple[str, str], tuple[str, ...]]:
        return {}

    def imports_from(self, caller_file: str, target_file: str) -> bool:
        """``caller_file`` imports some name from ``target_file`` (a connect hook registered
        on a client defined there, for instance)."""
        return any(
            target_file in self._import_files(caller_file, local)
            for local in self._imports_by_file.get(caller_file, {})
        )

    def shares_importer(self, first: str, second: str, names: frozenset[str] = frozenset()) -> bool:
        """Some file imports names from both ``first`` and ``second`` (a DAO that runs a
        statement defined in one module on a session of a client defined in the other); with
        ``names``, what it imports from ``second`` is one of them."""
        for caller, imports in self._imports_by_file.items():
            if caller in {first, second} or not self.imports_from(caller, first):
                continue
            for local, imp in imports.items():
                if names and imp.name not in names:
                    continue
                if second in self._import_files(caller, local):
                    return True
        return False

    def resolve_call(self, caller_file: str, call: Call) -> list[Function]:
        """Functions a call may reach: through the import of its receiver/name when it points at
        a scanned file, the same file, a receiver matching a class name, else a unique one."""
        candidates = self._functions_by_name.get(call.name, [])
        if not candidates and not call.receiver and call.name[:1].isupper():
            # ``DataWareHouse()`` / ``new Repo()``: the class's constructor runs
            candidates = self._constructors.get(call.name, [])
        imported = call.receiver or call.name
        files = self._import_files(caller_file, imported) if imported else ()
        if not candidates:
            default = self._imports_by_file.get(caller_file, {}).get(call.name)
            if files and not call.receiver and default is not None and default.name == "default":
                # default import bound to another local name: the file's only exported function
                exported = [
                    f
                    for p in files
                    for f in self._functions_by_file.get(p, ())
                    if f.exported and not f.class_name
                ]
                if len(exported) == 1:
                    return exported
            return []
        if files:
            matched = [f for f in candidates if f.loc.file in files]
            # ``DbProject.update(...)`` with ``DbProject`` imported from a module of several
            # classes: that class's method, not every ``update`` of the module
            own = [f for f in matched if call.receiver and f.class_name == call.receiver]
            if own:
                return own
            if matched:
                return matched
        elif imported and self._third_party(caller_file, imported):
            return []  # ``getToken`` imported from next-auth is not the project's ``getToken``
        if call.receiver:
            hint = call.receiver.lower().lstrip("_")
            matched = [f for f in candidates if f.class_name and f.class_name.lower() == hint]
            if matched:
                return matched
            matched = [
                f for f in candidates if f.class_name and hint and f.class_name.lower().startswith(hint)
            ]
            if matched:
                return matched
        if not (call.receiver and files):
            # ``x.find()`` on some object never means another class's method of this file
            same = [
                f for f in candidates if f.loc.file == caller_file and (not call.receiver or not f.class_name)
            ]
            if same:
                return same
        imp = self._imports_by_file.get(caller_file, {}).get(call.receiver or call.name)
        if imp is not None:
            stem = imp.module.rsplit("/", 1)[-1]
            if caller_file.endswith(".py"):
                stem = stem.rsplit(".", 1)[-1]
            matched = [f for f in candidates if _stem(f.loc.file) == stem]
            if matched:
                return matched
        if call.name in _GENERIC:
            return []
        return candidates if len(candidates) == 1 else []

    def _third_party(self, caller_file: str, local: str) -> bool:
        """``local`` is bound in ``caller_file`` by an import of a module outside the
        repository: a package specifier (not relative, not an alias such as ``@/`` or ``~/``,
        not one of the repository's own workspace packages) that names no scanned file."""
        imp = self._imports_by_file.get(caller_file, {}).get(local)
        if imp is None or not imp.module or imp.module.startswith((".", "/", "~", "#", "@/")):
            return False
        if self.module_files(caller_file, imp.module):
            return False
        if caller_file.endswith(".py"):
            return True
        segs = imp.module.split("/")
        package = "/".join(segs[:2]) if imp.module.startswith("@") else segs[0]
        return package not in self.services.package_names

    @cached_property
    def _methods_by_class(self) -> dict[str, list[Function]]:
        out: dict[str, list[Function]] = defaultdict(list)
        for fn in self.all(Function):
            if fn.class_name:
                out[fn.class_name].append(fn)
        return out

    def methods_of(self, class_name: str) -> list[Function]:
        """The methods of every class of that name."""
        return self._methods_by_class.get(class_name, [])

    def _class_handlers(self, route: Route, class_name: str, action: str = "") -> list[Function]:
        """Methods serving a class-based view/viewset/controller route: the named action, else
        the HTTP-verb methods (one route per CBV), else the queryset hook DRF actions use."""
        methods = self._methods_by_class.get(class_name, [])
        if not methods:
            return []
        files = self._import_files(route.loc.file, class_name)
        if files:
            methods = [m for m in methods if m.loc.file in files] or methods
        if action:
            named = [m for m in methods if m.name == action]
            if named:
                return named[:1]
            hooks = _ACTION_HOOKS.get(action, ())
        else:
            verb = route.method.lower()
            named = [m for m in methods if m.name == verb] if verb != "any" else []
            if named:
                return named[:1]
            verbs = [m for m in methods if m.name in _HTTP_VERBS]
            if verbs:
                return verbs
            hooks = ("get_queryset", "get_object", "get_context_data")
        for hook in hooks:
            found = [m for m in methods if m.name == hook]
            if found:
                return found[:1]
        return []

    def _handler_functions(self, route: Route) -> list[Function]:
        if route.handler_id:
            fn = self.functions.get(route.handler_id)
            return [fn] if fn is not None else []
        if not route.handler_name:
            return []
        parts = route.handler_name.split(".")
        call = Call(parts[-1], parts[-2] if len(parts) > 1 else "")
        found = self.resolve_call(route.loc.file, call)
        if found:
            return found[:1]
        if len(parts) == 1 or parts[-1][:1].isupper():
            return self._class_handlers(route, parts[-1])
        if parts[-2][:1].isupper():
            return self._class_handlers(route, parts[-2], parts[-1])
        return []

    def is_admin_route(self, route: Route) -> bool:
        """Only admins, staff or moderators call ``route``: an ``admin`` path segment, an
        admin/staff/moderator guard, middleware or handler decorator, or a handler that
        refuses everyone else at the top of its body (:class:`AdminGuard`)."""
        known = self._admin_routes.get(route)
        if known is None:
            from scalescope.model.growth import is_admin_route

            handler = self.resolve_handler(route)
            known = is_admin_route(route, handler.decorators if handler is not None else ()) or (
                handler is not None and handler.id in self._admin_guarded
            )
            self._admin_routes[route] = known
        return known

    @cached_property
    def _admin_guarded(self) -> frozenset[str]:
        return frozenset(g.function_id for g in self.all(AdminGuard))

    @cached_property
    def _admin_routes(self) -> dict[Route, bool]:
        return {}

    def resolve_handler(self, route: Route) -> Function | None:
        """The function handling a route, in the same file or across files (for a class-based
        view, its method for the route's HTTP method or its first HTTP-verb method)."""
        found = self._handler_functions(route)
        return found[0] if found else None

    @cached_property
    def _resolved_calls(self) -> dict[tuple[str, str, str], tuple[str, ...]]:
        return {}

    def _own_method(self, fn: Function, targets: tuple[str, ...]) -> tuple[str, ...]:
        """``cls.update(...)`` / ``self.update(...)`` in a method of ``DbOrganisation`` (the
        extractor drops ``self``/``cls``, so the call has no receiver): when the caller's class
        defines the method itself, that one runs, not another class's ``update`` of the file
        (module-level functions of the name stay candidates). A class that does not define it
        may inherit it: every candidate stays."""
        functions = self.functions
        own = [t for t in targets if (f := functions.get(t)) is not None and f.class_name == fn.class_name]
        if not own:
            return targets
        return tuple(
            t for t in targets if (f := functions.get(t)) is not None and f.class_name in ("", fn.class_name)
        )

    def _callees_of(self, fid: str) -> tuple[str, ...]:
        """Functions ``fid`` calls, resolved on first use: only functions reachable from a
        route are ever resolved. ``resolve_call`` depends only on (file, call), and a file
        repeats the same calls across its functions (``objects.filter`` ...), so each pair is
        resolved once."""
        cached = self._callee_cache.get(fid)
        if cached is not None:
            return cached
        fn = self.functions.get(fid)
        if fn is None:
            return ()
        resolved = self._resolved_calls
        ids: list[str] = []
        guarded: dict[str, set[str]] = {}
        unguarded: set[str] = set()
        for call in fn.calls:
            key = (fn.loc.file, call.name, call.receiver)  # str keys: no dataclass __hash__
            targets = resolved.get(key)
            if targets is None:
                targets = resolved[key] = tuple(f.id for f in self.resolve_call(fn.loc.file, call))
            if not call.receiver and fn.class_name and len(targets) > 1:
                targets = self._own_method(fn, targets)
            ids.extend(t for t in targets if t != fid)
            for t in targets:
                if call.methods:
                    guarded.setdefault(t, set()).update(call.methods)
                else:
                    unguarded.add(t)
        only = {t: frozenset(m) for t, m in guarded.items() if t not in unguarded}
        if only:
            self._callee_methods[fid] = only
        out = self._callee_cache[fid] = tuple(dict.fromkeys(ids))
        return out

    @cached_property
    def _callee_cache(self) -> dict[str, tuple[str, ...]]:
        return {}

    @cached_property
    def _callee_methods(self) -> dict[str, dict[str, frozenset[str]]]:
        """``caller id -> {callee id: the request methods the calls run for}``, for callees
        the caller calls only under a test of the request method (filled by
        :meth:`_callees_of`)."""
        return {}

    # ------------------------------------------------------------------ what is mounted

    @cached_property
    def mount_graph(self) -> MountGraph:
        """The route graph from the application entry points (see :mod:`scalescope.model.mounts`)."""
        packages = [posixpath.dirname(f.path) for f in self.files if _MANIFEST.search(f.path)]
        return build_mount_graph(
            self.all(Route),
            self.all(RouterDecl),
            self.all(Mount),
            self.all(Export),
            self._imports_by_file,
            self._module_files,
            packages,
            guarded=self._outside_production,
        )

    def _outside_production(self, loc: Loc) -> bool:
        """An environment guard keeps ``loc`` out of production."""
        guard = self.roles.guard_at(loc)
        return guard is not None and guard.runs_in != "production"

    @property
    def routes(self) -> tuple[Route, ...]:
        """Routes the applications serve, each with its full mounted path (once per mount
        prefix). Handlers registered on a router no entry point mounts are left out (they are
        in ``mount_graph.unmounted``); where the project shows no entry point for a framework,
        its routes are kept as written (``mount_graph.unverified``)."""
        return self.mount_graph.routes

    @cached_property
    def route_reach(self) -> dict[str, tuple[Route, ...]]:
        """``function id -> mounted routes whose handler reaches it`` within
        :data:`MAX_CALL_DEPTH` calls (routes registered under a non-production environment
        guard serve no production traffic and reach nothing)."""
        reach: dict[str, list[Route]] = defaultdict(list)
        only_for = self._callee_methods
        for route in self.routes:
            if self._outside_production(route.loc):
                continue  # registered only under a development/test guard: serves no traffic
            handlers = self._handler_functions(route)
            if not handlers:
                continue
            # a call under ``if request.method == "POST":`` is not made on a GET (a handler
            # registered for several methods); a route for any method (``ANY``) makes it
            verb = route.method if route.method in HTTP_METHODS else ""
            seen = {h.id for h in handlers}
            frontier = list(seen)
            for _ in range(MAX_CALL_DEPTH + 1):
                nxt: list[str] = []
                for fid in frontier:
                    reach[fid].append(route)
                    callees = self._callees_of(fid)
                    guards = only_for.get(fid) if verb else None
                    for callee in callees:
                        if callee not in seen:
                            if guards is not None and callee in guards and verb not in guards[callee]:
                                continue
                            seen.add(callee)
                            nxt.append(callee)
                frontier = nxt
        return {k: tuple(v) for k, v in reach.items()}

    @cached_property
    def request_hooks(self) -> dict[str, RequestHook]:
        """``function id -> the middleware or request hook that runs it on every request``
        (see :mod:`scalescope.model.hooks`)."""
        from scalescope.model.hooks import request_hooks

        return request_hooks(self)

    def hook_reaching(self, function_id: str | None) -> RequestHook | None:
        """The middleware or request hook that runs ``function_id`` (or a function around it)
        on every request, else ``None``."""
        current = self.functions.get(function_id) if function_id else None
        while current is not None:
            found = self.request_hooks.get(current.id)
            if found is not None:
                return found
            current = self.enclosing_function(current.id)
        return None

    def routes_reaching(self, function_id: str | None) -> tuple[Route, ...]:
        """Routes whose handler (transitively) calls ``function_id``, including enclosing
        functions of a nested callback (``id`` prefix match on the enclosing function)."""
        if function_id is None:
            return ()
        direct = self.route_reach.get(function_id)
        if direct:
            return direct
        parent = self.enclosing_function(function_id)
        while parent is not None:
            found = self.route_reach.get(parent.id)
            if found:
                return found
            parent = self.enclosing_function(parent.id)
        return ()

    @cached_property
    def _functions_by_file(self) -> dict[str, list[Function]]:
        out: dict[str, list[Function]] = defaultdict(list)
        for fn in self.all(Function):
            out[fn.loc.file].append(fn)
        return out

    @cached_property
    def _enclosing(self) -> dict[str, Function]:
        """``function id -> the innermost other function containing it``, per file, in one sort.

        Functions with the same span (an arrow function and the call wrapping it, both read as
        functions) nest in id order; facts that share an id (several ``<anonymous>@8`` of one
        minified line) are one function, placed where the first of them is: each id points only
        to one placed before it, so the relation has no cycle."""
        out: dict[str, Function] = {}
        for fns in self._functions_by_file.values():
            stack: list[Function] = []
            placed: set[str] = set()
            for fn in sorted(fns, key=lambda f: (f.loc.line, -f.loc.end_line, f.id)):
                if fn.id in placed:
                    continue
                placed.add(fn.id)
                while stack and stack[-1].loc.end_line < fn.loc.end_line:
                    stack.pop()
                if stack:
                    out[fn.id] = stack[-1]
                stack.append(fn)
        return out

    def enclosing_function(self, function_id: str) -> Function | None:
        """The innermost function strictly containing ``function_id``'s function."""
        return self._enclosing.get(function_id)

    # ------------------------------------------------------------------ schema

    @cached_property
    def tables(self) -> dict[str, list[Table]]:
        """Tables keyed by lower-cased table name and model name."""
        out: dict[str, list[Table]] = defaultdict(list)
        for table in self.all(Table):
            for key in {table.name.lower(), table.model.lower()} - {""}:
                out[key].append(table)
        return out

    @cached_property
    def job_reach(self) -> frozenset[str]:
        """Ids of the functions background work runs: task, actor, scheduled and processor
        functions and what they call (see :func:`scalescope.model.growth.job_reach`)."""
        from scalescope.model.growth import job_reach

        return job_reach(self)

    @cached_property
    def growth(self) -> Growth:
        """Which tables grow, from who inserts into them (see :mod:`scalescope.model.growth`)."""
        from scalescope.model.growth import classify_growth

        return classify_growth(self)

    @cached_property
    def migrations(self) -> Migrations:
        """The schema the committed migrations build (see :mod:`scalescope.model.migrations`)."""
        from scalescope.model.migrations import Migrations

        return Migrations(self)

    @cached_property
    def request_inputs(self) -> RequestInputs:
        """Request input that sizes queries (see :mod:`scalescope.model.inputs`)."""
        from scalescope.model.inputs import RequestInputs

        return RequestInputs(self)

    def find_tables(
        self, model_or_table: str | None, near: DataAccess | None = None, closest: bool = True
    ) -> list[Table]:
        """Tables named so (model or table name, singular or plural). With ``near`` (the query
        looking them up), only the schema that query's client talks to: tables of its ORM
        family (a Drizzle query never matches a Prisma model; raw SQL drivers match any), and
        of its own package root when that root defines any (one service's schema is not
        another's); ``closest=False`` keeps every declaration of the family in related
        packages (an ORM schema in a shared package and the migrations beside the app)."""
        if not model_or_table:
            return []
        if (
            near is not None
            and near.loc.file.endswith(".py")
            and self._third_party(near.loc.file, model_or_table)
        ):
            # ``from django.contrib.auth.models import Group``: the library's table, with the
            # library's own keys and indexes, never the project's model of the same name
            return []
        key = model_or_table.lower()
        found = list(
            self.tables.get(key) or self.tables.get(key.rstrip("s")) or self.tables.get(key + "s") or []
        )
        if near is None or not found:
            return found
        services = self.services
        found = [t for t in found if services.related(near.loc.file, t.loc.file)]
        family = ORM_SCHEMA_SOURCES.get(near.orm)
        if family is not None:
            found = [t for t in found if t.source in family]
        if len(found) > 1 and closest:
            root = self.package_root(near.loc.file)
            same = [t for t in found if self.package_root(t.loc.file) == root]
            if same:
                found = same
            else:
                # the closest schema: the longest shared folder prefix with the query
                def shared(t: Table) -> int:
                    a, b = t.loc.file.split("/")[:-1], near.loc.file.split("/")[:-1]
                    n = 0
                    while n < min(len(a), len(b)) and a[n] == b[n]:
                        n += 1
                    return n

                best = max(shared(t) for t in found)
                found = [t for t in found if shared(t) == best]
        return found

    def indexed_prefixes(
        self, table: Table, filters: Collection[str] | None = None, use: str | None = None
    ) -> set[str]:
        """Columns that lead some index of the table (usable by a filter on that column alone),
        by both field and database name, lower-cased. With ``filters`` (the columns a query
        compares), a partial index counts only when the query can use it: each condition of
        its predicate is ``col IS NULL`` (a soft-delete scope such as ``deletedAt IS NULL``,
        which ORMs add to every query of the model) or ``col IS NOT NULL`` on a column of the
        index or of the query's filters (an equality implies it); any other predicate
        (``status = 'open'``, ``deletedAt IS NOT NULL``) serves only queries we cannot match.

        With ``use`` (``equality``, ``range``, ``sort``; :mod:`scalescope.model.index_use`),
        only the columns an index serves for that use count: a hash index serves no sort, a
        BRIN index no equality, and any column of a multicolumn GIN/GiST/BRIN index counts."""
        out: set[str] = set()
        by_db = {c.db_name.lower(): c.name.lower() for c in table.columns if c.db_name}
        for col in table.columns:
            if col.primary_key or col.unique or col.indexed:
                out.add(col.name.lower())
                if col.db_name:
                    out.add(col.db_name.lower())
        for idx in table.indexes:
            for first in _leading(idx.columns, idx.method, idx.opclasses, use):
                out.add(first)
                if first in by_db:
                    out.add(by_db[first])
        wanted = None if filters is None else {f.lower() for f in filters}
        by_table = self._index_defs_by_table
        for extra in (
            x for name in {table.name.lower(), table.model.lower()} for x in by_table.get(name, ())
        ):
            if not extra.columns or extra.method == "fulltext":
                continue
            if wanted is not None and extra.where and not _partial_serves(extra, wanted):
                continue
            if not self.services.related(table.loc.file, extra.loc.file):
                continue
            for first in _leading(extra.columns, extra.method, extra.opclasses, use):
                out.add(first)
                if first in by_db:
                    out.add(by_db[first])
        return out

    def unique_keys(self, table: Table) -> list[tuple[str, ...]]:
        """The column sets the schema keeps unique on ``table``, as written: its primary key,
        unique columns, unique indexes and constraints, and unique indexes created for it
        elsewhere (migrations, ``CREATE UNIQUE INDEX``) in a related package. A partial
        unique index counts (it holds among the rows it covers, usually the live ones)."""
        out: list[tuple[str, ...]] = []
        primary = tuple(c.name for c in table.columns if c.primary_key)
        if primary:
            out.append(primary)
        out.extend((c.name,) for c in table.columns if c.unique)
        out.extend(idx.columns for idx in table.indexes if (idx.unique or idx.primary) and idx.columns)
        for extra in (
            x
            for name in {table.name.lower(), table.model.lower()} - {""}
            for x in self._index_defs_by_table.get(name, ())
        ):
            if extra.unique and extra.columns and self.services.related(table.loc.file, extra.loc.file):
                out.append(extra.columns)
        return out

    def enum_members(self, name: str) -> int:
        """How many values the enum type ``name`` declares (0 when no :class:`EnumType` of
        that name is known; the largest when several are)."""
        return self._enums.get(name.lower(), 0) if name else 0

    @cached_property
    def _enums(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for enum in self.all(EnumType):
            key = enum.name.lower()
            out[key] = max(out.get(key, 0), enum.members)
        return out

    def text_indexes(self, table: Table) -> list[TextIndex]:
        """Indexes that serve text search on ``table``: trigram operator classes, full-text
        expressions, MySQL FULLTEXT, GIN/GiST on a tsvector column (see
        :mod:`scalescope.model.text_search`), on the table or created elsewhere for it."""
        from scalescope.model.text_search import text_indexes

        extra = [
            x
            for name in {table.name.lower(), table.model.lower()}
            for x in self._index_defs_by_table.get(name, ())
            if self.services.related(table.loc.file, x.loc.file)
        ]
        return text_indexes(table, extra)

    @cached_property
    def _index_defs_by_table(self) -> dict[str, tuple[IndexDef, ...]]:
        out: dict[str, list[IndexDef]] = defaultdict(list)
        for extra in self.all(IndexDef):
            out[extra.table.lower()].append(extra)
        return {k: tuple(v) for k, v in out.items()}

    # ------------------------------------------------------------------ queries

    @cached_property
    def _reads_by_file(self) -> dict[str, list[DataAccess]]:
        out: dict[str, list[DataAccess]] = defaultdict(list)
        for access in self.all(DataAccess):
            if access.kind not in {"write", "delete"}:
                out[access.loc.file].append(access)
        return dict(out)

    def loop_source(self, access: DataAccess) -> DataAccess | None:
        """The read whose rows the loop around ``access`` iterates (``Loop.source_line``):
        the read of the same file that starts on that line (of the loop's model when several
        do), else the innermost read spanning it (``rows = (\n Model.objects.filter(...)``)."""
        loop = access.loop
        if loop is None or loop.iterates != "query" or not loop.source_line:
            return None
        line = loop.source_line
        spanning = [
            a
            for a in self._reads_by_file.get(access.loc.file, ())
            if a.loc.line <= line <= max(a.loc.end_line, a.loc.line)
        ]
        if not spanning:
            return None
        wanted = loop.iterates_model.lower()

        def rank(a: DataAccess) -> tuple[bool, bool, int]:
            return a.loc.line != line, (a.model or "").lower() != wanted, a.loc.end_line - a.loc.line

        return min(spanning, key=rank)

    def parent_set(self, access: DataAccess) -> ParentSet | None:
        """The one parent whose children ``access`` reads (see :mod:`scalescope.model.fanout`)."""
        from scalescope.model.fanout import parent_set

        return parent_set(self, access)

    def loop_parent(self, access: DataAccess) -> ParentSet | None:
        """The one parent whose children the loop around ``access`` goes over, counting outer
        loops (see :func:`scalescope.model.fanout.loop_parent`)."""
        from scalescope.model.fanout import loop_parent

        return loop_parent(self, access)

    # ------------------------------------------------------------------ deployment

    @cached_property
    def app_services(self) -> list[Service]:
        """Deployable services that run the application (not its database, cache, broker...)."""
        return [s for s in self.all(Service) if not _INFRA_IMAGE.search(s.image or "")]

    @cached_property
    def instance_count(self) -> int | None:
        """Most app processes the deployment files declare (replicas x processes), if any.

        Replicas come from app services only (a 3-node Redis is not 3 app instances); processes
        per instance from gunicorn/uvicorn/PM2/cluster settings (a dynamic count such as
        ``-i max`` counts as at least 2). Development compose files do not count. This is the
        whole deployment's figure (for the report); rules judging one client or file use
        :meth:`instance_count_for`.
        """
        dev = self.services.dev_files
        replicas = [
            max(s.replicas or 0, s.autoscale_max or 0)
            for s in self.app_services
            if not self.services.service_dev_reason(s)
        ]
        live = [w for w in self.all(WorkerProcesses) if w.loc.file not in dev]
        procs = [w.count or 0 for w in live]
        best = max([*replicas, 0])
        workers = max([*procs, 0])
        dynamic = any(w.count is None for w in live)
        if best == 0 and workers == 0 and not dynamic:
            return None
        return max(best, 1) * max(workers, 2 if dynamic else 1)

    def db_clients(self, *libraries: str) -> list[DbClient]:
        return [c for c in self.all(DbClient) if not libraries or c.library in libraries]


#: which schema definitions describe the tables an ORM's queries read (an ORM not listed, such
#: as a raw SQL driver, may read tables defined anywhere)
ORM_SCHEMA_SOURCES: dict[str, frozenset[str]] = {
    "prisma": frozenset({"prisma", "sql", "migration"}),
    "drizzle": frozenset({"drizzle", "sql", "migration"}),
    "typeorm": frozenset({"typeorm", "sql", "migration"}),
    "sequelize": frozenset({"sequelize", "knex", "sql", "migration"}),
    "knex": frozenset({"knex", "sql", "migration"}),
    "objection": frozenset({"knex", "sql", "migration"}),
    "mongoose": frozenset({"mongoose"}),
    "mongodb": frozenset({"mongoose"}),
    "django": frozenset({"django", "sql", "migration"}),
    "sqlalchemy": frozenset({"sqlalchemy", "alembic", "sql", "migration"}),
    "sqlmodel": frozenset({"sqlalchemy", "alembic", "sql", "migration"}),
}


def build_model(
    root: Path, files: Iterable[SourceFile], facts: Iterable[Fact], reference_files: Iterable[str] = ()
) -> ProjectModel:
    """Assemble a model; facts are sorted by location for deterministic rule output. What shell
    scripts no production command runs say is left out (:mod:`scalescope.model.run_scripts`)."""
    ordered_files = tuple(sorted(files, key=lambda f: f.path))
    kept = production_facts([f.path for f in ordered_files if f.language == "shell"], list(facts))
    ordered = sorted(kept, key=lambda f: (f.loc.file, f.loc.line, f.loc.end_line, type(f).__name__))
    return ProjectModel(
        root=root,
        files=ordered_files,
        facts=tuple(ordered),
        reference_files=tuple(sorted(reference_files)),
    )


def _leading(columns: tuple[str, ...], method: str, opclasses: tuple[str, ...], use: str | None) -> list[str]:
    """The columns of one index that count for ``use`` (lower-cased); without a ``use``, its
    first column, whatever its method but a MySQL ``FULLTEXT`` index (it serves ``MATCH``
    only)."""
    if not columns or method == "fulltext":
        return []
    if use is None:
        return [columns[0].lower()]
    return [c.lower() for c in served_columns(columns, method, opclasses, use)]


def _partial_serves(index: IndexDef, filters: set[str]) -> bool:
    """A partial index's predicate holds for the rows of a query comparing ``filters`` (see
    :meth:`ProjectModel.indexed_prefixes`)."""
    own = {c.lower() for c in index.columns}
    for term in index.where:
        column, _, cond = term.partition(" IS ")
        if cond == "NULL":
            continue
        if cond == "NOT NULL" and (column.lower() in own or column.lower() in filters):
            continue
        return False
    return True
