"""What is mounted: the route graph from the application entry points.

A handler registered on a router is only served when some application mounts that router. The
extractors record, per file, what routes are registered on (:class:`RouterDecl`: apps, routers,
plugin instances, Nest modules and controllers, Django URLconfs), which of those are application
roots (``entry``; also an app no mount reaches, see :func:`_roots`), and every mount
(:class:`Mount`: ``app.use('/api', router)``, ``register(plugin, { prefix })``,
``include_router``, ``register_blueprint``, ``include()``, Nest ``imports``/``controllers``, tRPC
router keys ``{ user: userRouter }`` and adapters ``createNextApiHandler({ router })``).
This module links them across files through the imports and module
resolution of the project model, walks the graph from the roots, and gives each route its full
mounted path(s).

Conservative where the graph cannot be established:
- a route of a framework that has no entry point in the route's package (a library, a
  fragment of an app, an app created where the scanner cannot see it) is kept as written, and
  its framework family is listed in :attr:`MountGraph.unverified`;
- a route whose receiver is not a known app/router (``this.server.get``) is kept as written;
- a router no mount reaches but that a file the walk went through imports (mounted through a
  helper, a container, a call the graph does not model) is kept as written;
- a reached mount whose child resolves to a scanned file but to no router in it mounts every
  router of that file; a dynamic mount (a folder autoloaded or required in a loop) mounts every
  router under that folder;
- frameworks outside the graph (Next.js file routes, GraphQL resolvers, server actions) are
  mounted by convention and kept.

tRPC paths are dotted key paths (``user.byId``): the mount prefixes are router keys, and a
procedure bound to a variable (a ``procedure`` RouterDecl) takes the key path it is mounted under
in place of its variable name.

A mount under an environment guard that keeps it out of production (``guarded``) is not
followed: a router registered only under ``if (process.env.NODE_ENV === 'development')`` is not
served.

The walk visits each reached router once per distinct prefix (at most :data:`MAX_PREFIXES`) and
resolves only the mounts of reached routers: linear in the size of the graph.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from scalescope.model.facts import Export, Import, Loc, Mount, Route, RouterDecl

#: framework -> graph family (frameworks whose apps serve each other's routers share one);
#: routes of frameworks not listed here are mounted by convention (Next.js files, GraphQL).
FAMILIES: Mapping[str, str] = {
    "express": "express",
    "fastify": "fastify",
    "koa": "koa",
    "hono": "hono",
    "nestjs": "nestjs",
    "fastapi": "fastapi",
    "starlette": "fastapi",
    "flask": "flask",
    "django": "django",
    "trpc": "trpc",
}
#: distinct mount prefixes followed per router (a router mounted under many prefixes).
MAX_PREFIXES = 4
_MAX_DEPTH = 8

Node = tuple[str, str]  # (file, RouterDecl key)
ModuleFiles = Callable[[str, str], tuple[str, ...]]


def join_path(*parts: str) -> str:
    """``join_path("/api", "v1/", "/users/:id")`` -> ``/api/v1/users/:id``: one leading slash,
    the last part's trailing slash kept."""
    segs = [p.strip("/") for p in parts if p and p.strip("/")]
    out = "/" + "/".join(segs)
    given = [p for p in parts if p]
    last = given[-1] if given else ""
    # ``/users`` + ``/`` is ``/users`` (Express, Fastify); ``api/`` + ``/`` stays ``/api/`` (Django)
    keep = len(last) > 1 or (last == "/" and len(given) > 1 and given[-2].endswith("/"))
    if last.endswith("/") and keep and out != "/":
        out += "/"
    return out


def _package_of(path: str, packages: frozenset[str]) -> str:
    """Nearest folder holding a manifest (``""`` = the scanned root)."""
    head = posixpath.dirname(path)
    while head:
        if head in packages:
            return head
        head = posixpath.dirname(head)
    return ""


@dataclass
class MountGraph:
    """Routes as the running applications mount them.

    ``routes``: every served route with its full path (a route mounted under two prefixes
    appears twice), plus routes kept as written where the graph cannot decide (see module
    docs). ``unmounted``: routes registered on a receiver no entry point reaches.
    ``unverified``: graph families (:data:`FAMILIES` values) that have routes in some package
    with no entry point of that family there; their routes in those packages are kept as
    written. ``kept``: the routes in ``routes`` the graph could not decide on, kept as written
    (no entry point in their package, a receiver that is no known app/router, or a router
    imported by code the walk went through but mounted in a way it did not follow).
    """

    routes: tuple[Route, ...] = ()
    unmounted: tuple[Route, ...] = ()
    unverified: frozenset[str] = frozenset()
    kept: tuple[Route, ...] = ()
    prefixes: dict[Node, tuple[str, ...]] = field(default_factory=dict)


class _Resolver:
    """Resolves mount children and route receivers to router nodes across files."""

    def __init__(
        self,
        decls: Sequence[RouterDecl],
        exports: Sequence[Export],
        imports_by_file: Mapping[str, Mapping[str, Import]],
        module_files: ModuleFiles,
    ) -> None:
        self.decls: dict[Node, RouterDecl] = {}
        self.by_name: dict[Node, list[Node]] = defaultdict(list)
        self.by_file: dict[str, list[Node]] = defaultdict(list)
        for decl in decls:
            node = (decl.loc.file, decl.key)
            if node in self.decls:
                continue
            self.decls[node] = decl
            self.by_file[decl.loc.file].append(node)
            for name in dict.fromkeys((decl.key, *decl.names)):
                self.by_name[(decl.loc.file, name)].append(node)
        self.exports: dict[str, list[Export]] = defaultdict(list)
        for ex in exports:
            self.exports[ex.loc.file].append(ex)
        self.imports = imports_by_file
        self.module_files = module_files

    def file_routers(self, files: Iterable[str]) -> list[Node]:
        return [n for f in files for n in self.by_file.get(f, ()) if not self.decls[n].entry]

    def named(self, files: Iterable[str], wanted: Sequence[str], depth: int) -> tuple[list[Node], bool]:
        """Routers exported as the first of ``wanted`` found in ``files`` (following re-exports
        and imports re-exported by name); the flag says whether some file was scanned."""
        out: list[Node] = []
        scanned = False
        for f in files:
            scanned = True
            for name in wanted:
                found = self.by_name.get((f, name))
                if not found and depth < _MAX_DEPTH:
                    found = self._reexported(f, name, wanted, depth + 1)
                if found:
                    out.extend(found)
                    break
        return out, scanned

    def _reexported(self, file: str, name: str, wanted: Sequence[str], depth: int) -> list[Node]:
        out: list[Node] = []
        for ex in self.exports.get(file, ()):
            if ex.name == name == ex.local == "default":
                # ``module.exports = require('./routes')``: the whole module, members included
                out.extend(self.named(self.module_files(file, ex.module), wanted, depth)[0])
            elif ex.name == name:
                out.extend(self.resolve(file, ex.local, ex.module, depth)[0])
            elif ex.name == "*":
                out.extend(self.resolve(file, name, ex.module, depth)[0])
        if not out and name in self.imports.get(file, {}):
            out.extend(self.resolve(file, name, "", depth)[0])
        return out

    def resolve(self, file: str, ref: str, module: str = "", depth: int = 0) -> tuple[list[Node], list[str]]:
        """Router nodes ``ref`` names in ``file`` (or, with ``module``, the name ``ref`` taken
        from that module), and the scanned files it pointed into (for the file fallback)."""
        if depth > _MAX_DEPTH:
            return [], []
        python = file.endswith(".py")
        sub = ""
        if module:
            files = self.module_files(file, module)
            found, _ = self.named(files, (ref or ("urlpatterns" if python else "default"),), depth)
            return found, list(files)
        if not ref:
            return [], []
        local = self.by_name.get((file, ref))
        if local:
            return list(local), []
        head, _, rest = ref.partition(".")
        member = rest.split(".", 1)[0]
        imp = self.imports.get(file, {}).get(head)
        if imp is None:
            local = self.by_name.get((file, head)) if rest else None
            return (list(local), []) if local else ([], [])
        if python and imp.name not in {"*", ""}:
            sub = imp.module + ("" if imp.module.endswith(".") else ".") + imp.name
            files = self.module_files(file, sub)
            if files:  # ``from app.routers import users``: a module
                found, _ = self.named(files, (member or "urlpatterns",), depth)
                return found, list(files)
        files = self.module_files(file, imp.module)
        if imp.name in {"*", ""}:
            wanted: tuple[str, ...] = (member,) if member else ("urlpatterns" if python else "default",)
        else:
            wanted = (imp.name, member) if member else (imp.name,)
        found, _ = self.named(files, wanted, depth)
        if not found and python and member:  # ``include(api.urls)``: a submodule of a package
            base = imp.module if imp.name in {"*", ""} else sub
            subfiles = self.module_files(file, f"{base}.{member}")
            if subfiles:
                found, _ = self.named(subfiles, ("urlpatterns",), depth)
                return found, list(subfiles)
        return found, list(files)


def build_mount_graph(
    routes: Sequence[Route],
    decls: Sequence[RouterDecl],
    mounts: Sequence[Mount],
    exports: Sequence[Export],
    imports_by_file: Mapping[str, Mapping[str, Import]],
    module_files: ModuleFiles,
    packages: Iterable[str] = (),
    guarded: Callable[[Loc], bool] | None = None,
) -> MountGraph:
    """Walk from the entry points and give every reached route its full mounted path(s).

    ``guarded(loc)``: the registration at ``loc`` runs only outside production (under
    ``if (process.env.NODE_ENV === 'development')``, ``if settings.DEBUG:``); such mounts are
    not followed, and a router mounted only there is not kept for being imported."""
    res = _Resolver(decls, exports, imports_by_file, module_files)
    pkgs = frozenset(p for p in packages if p)
    by_parent: dict[Node, list[Mount]] = defaultdict(list)
    dev_only: set[Node] = set()
    for m in mounts:
        if guarded is not None and guarded(m.loc):
            dev_only.update(_children(res, m))
            continue
        by_parent[(m.loc.file, m.parent)].append(m)
    mounts = [m for ms in by_parent.values() for m in ms]
    roots = _roots(res, mounts)
    entry_pkgs: dict[str, set[str]] = defaultdict(set)
    for node in roots:
        family = FAMILIES.get(res.decls[node].framework)
        if family is not None:
            entry_pkgs[family].add(_package_of(node[0], pkgs))
    prefixes, reached_files, replaced = _walk(res, by_parent, roots)
    importers: dict[str, list[tuple[str, str]]] | None = None

    served: list[Route] = []
    kept: list[Route] = []
    unmounted: list[Route] = []
    unverified: set[str] = set()
    for route in routes:
        family = FAMILIES.get(route.framework)
        if family is None or not route.receiver:
            served.append(route)
            continue
        nodes = res.resolve(route.loc.file, route.receiver)[0]
        if not nodes:  # not a known app/router: cannot tell, keep it
            served.append(route)
            kept.append(route)
            continue
        paths: dict[str, None] = {}
        for node in nodes:
            decl_prefix = res.decls[node].prefix
            for pre in prefixes.get(node, ()):
                path, own = route.path, decl_prefix if node[0] != route.loc.file else ""
                if family == "trpc":  # dotted keys; a procedure variable takes the key it is mounted under
                    path = "" if res.decls[node].kind == "procedure" and pre else path
                    paths[".".join(s for s in (*pre.split("/"), path) if s) or path] = None
                    continue
                if (node, pre) in replaced:  # Flask: register_blueprint(url_prefix=) replaces its own
                    own = ""
                    if node[0] == route.loc.file and decl_prefix and path.startswith(decl_prefix.rstrip("/")):
                        path = path[len(decl_prefix.rstrip("/")) :] or "/"
                paths[join_path(pre, own, path) if (pre or own) else path] = None
        if not paths:
            if _package_of(route.loc.file, pkgs) not in entry_pkgs.get(family, ()):
                unverified.add(family)  # no entry point here to decide by: keep it as written
                served.append(route)
                kept.append(route)
                continue
            if importers is None:
                importers = _importers(res, imports_by_file)
            if any(n not in dev_only and _imported_from(res, n, importers, reached_files) for n in nodes):
                # imported by code the apps run, mounted in a way the graph did not follow
                served.append(route)
                kept.append(route)
            else:
                unmounted.append(route)
            continue
        for path in paths:
            served.append(route if path == route.path else replace(route, path=path))
    return MountGraph(
        routes=tuple(served),
        unmounted=tuple(unmounted),
        unverified=frozenset(unverified),
        kept=tuple(kept),
        prefixes=prefixes,
    )


def _importers(
    res: _Resolver, imports_by_file: Mapping[str, Mapping[str, Import]]
) -> dict[str, list[tuple[str, str]]]:
    """file -> (importing file, name imported: ``*`` for the whole module) for every import and
    re-export (a Python ``from pkg import mod`` imports the submodule ``mod`` whole)."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for file, imports in imports_by_file.items():
        python = file.endswith(".py")
        for imp in imports.values():
            for target in res.module_files(file, imp.module):
                out[target].append((file, imp.name or "*"))
            if python and imp.name not in {"*", ""}:
                sub = imp.module + ("" if imp.module.endswith(".") else ".") + imp.name
                for target in res.module_files(file, sub):
                    out[target].append((file, "*"))
    for file, exports in res.exports.items():
        for ex in exports:
            for target in res.module_files(file, ex.module):
                out[target].append((file, ex.local))
    return out


def _imported_from(
    res: _Resolver, node: Node, importers: Mapping[str, list[tuple[str, str]]], reached: set[str]
) -> bool:
    """Some file the walk went through imports this router (by one of its names, or the whole
    module, or a default export that is not another router of the file)."""
    decl = res.decls[node]
    names = {decl.key, *decl.names}
    for importer, name in importers.get(node[0], ()):
        if importer not in reached:
            continue
        if name == "*" or name in names:
            return True
        if name == "default" and not res.by_name.get((node[0], "default")):
            return True
    return False


def _roots(res: _Resolver, mounts: Sequence[Mount]) -> list[Node]:
    """Entry points, plus apps no mount reaches: a Hono app is created the same way whether it
    is the served app or a sub-app, so one nobody mounts is taken as served (exported to a
    runtime the scanner cannot see) rather than as dead."""
    apps = {n for n, d in res.decls.items() if d.kind == "app" and not d.entry}
    if apps:
        for m in mounts:
            if not m.dynamic:
                apps.difference_update(_children(res, m))
    return sorted(n for n, d in res.decls.items() if d.entry or n in apps)


def _walk(
    res: _Resolver, by_parent: Mapping[Node, list[Mount]], roots: Sequence[Node]
) -> tuple[dict[Node, tuple[str, ...]], set[str], set[tuple[Node, str]]]:
    """Breadth-first from the roots: node -> distinct prefixes it is mounted under; the files
    the walk went through (reached routers' files and files reached mounts point into); and the
    (node, prefix) pairs whose mount prefix replaces the router's own (a Flask blueprint
    registered with ``url_prefix=``)."""
    found: dict[Node, list[str]] = defaultdict(list)
    files: set[str] = set()
    replaced: set[tuple[Node, str]] = set()
    queue: list[tuple[Node, str]] = []
    for node in roots:
        found[node].append("")
        queue.append((node, ""))
    files_done: set[str] = set()
    i = 0
    while i < len(queue):
        node, prefix = queue[i]
        i += 1
        own = res.decls[node].prefix if node in res.decls and (node, prefix) not in replaced else ""
        base = join_path(prefix, own) if own else prefix
        edges = list(by_parent.get(node, ()))
        if node[0] not in files_done:  # file-level mounts (``require(dir + f)(app)``)
            files_done.add(node[0])
            edges.extend(by_parent.get((node[0], ""), ()))
        files.add(node[0])
        for m in edges:
            children, into = _children_and_files(res, m)
            files.update(into)
            for child in children:
                pre = join_path(base, m.prefix) if (base or m.prefix) else ""
                have = found[child]
                if pre in have or len(have) >= MAX_PREFIXES:
                    continue
                have.append(pre)
                queue.append((child, pre))
                decl = res.decls[child]
                if m.prefix and decl.prefix and decl.framework == "flask":
                    replaced.add((child, pre))
    return {k: tuple(v) for k, v in found.items()}, files, replaced


def _children(res: _Resolver, m: Mount) -> list[Node]:
    return _children_and_files(res, m)[0]


def _children_and_files(res: _Resolver, m: Mount) -> tuple[list[Node], list[str]]:
    file = m.loc.file
    if m.dynamic:
        folder = posixpath.normpath(posixpath.join(posixpath.dirname(file), m.module or "."))
        folder = "" if folder == "." else folder
        under = sorted(f for f in res.by_file if f != file and (not folder or f.startswith(folder + "/")))
        return res.file_routers(under), under
    found, files = res.resolve(file, m.child, m.module)
    if found:
        return found, files
    return res.file_routers(f for f in files if f != file), files
