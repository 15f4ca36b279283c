"""Which project files a JavaScript/TypeScript module specifier names.

Node and the TypeScript compiler resolve a specifier in this order, and so does the model:

1. a relative path (``./db``, ``../lib/db.js``) from the importing file's folder (resolved by
   the caller, :meth:`ProjectModel._resolve_module`);
2. ``compilerOptions.paths`` of the tsconfig/jsconfig files above the importing file (and the
   configurations they ``extends``): ``@/lib/db`` with ``"@/*": ["./src/*"]``; the pattern with
   the longest prefix wins, an exact pattern first;
3. ``compilerOptions.baseUrl``: ``src/users/users.service`` with ``"baseUrl": "./"``;
4. a workspace package of the repository by its package.json ``name`` (``@acme/db``,
   ``@acme/db/schema``): its ``exports``, ``source``/``types``/``module``/``main`` (a build
   folder read as its ``src/``), else ``src/index`` or ``index``;
5. anything else shaped like an npm package name (``pg``, ``lodash/fp``, ``@nestjs/common``) is
   a package in ``node_modules``, never a project file, even when a project file has that name
   (``src/pg.ts``);
6. a specifier no package can be named (``@/x``, ``~/x``, ``#db``, ``$lib/x``) is an alias a
   bundler or framework config defines (vite, webpack, babel, Nuxt, SvelteKit): matched by its
   path suffix against the project's files, as the best available guess.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from scalescope.model.facts import ModuleAliases

_SOURCE_EXT = re.compile(r"(\.d)?\.(ts|tsx|js|jsx|mjs|cjs|mts|cts|py)$")
# a name npm could publish (legacy upper-case names included): ``pg``, ``lodash/fp``,
# ``@nestjs/common``; not ``@/x`` (no scope), ``~/x``, ``#x`` or ``$lib/x``
_PACKAGE = re.compile(r"^(@[A-Za-z0-9][\w.-]*/)?[A-Za-z0-9][\w.-]*(/|$)")
_PROTOCOL = re.compile(r"^[A-Za-z][\w+.-]*:")  # node:fs, https://, data:
_BUILD_DIRS = ("dist/", "build/", "lib/", "out/", "esm/", "cjs/")
_MANIFEST_FIELDS = ("source", "types", "typings", "module", "main")
_NO_CONFIG = "\0"
_DEFAULT_CONFIGS = frozenset({"tsconfig.json", "jsconfig.json"})

Keys = Mapping[str, tuple[str, ...]]


def is_package_specifier(spec: str) -> bool:
    """``spec`` is shaped like an npm package name (or a subpath of one)."""
    return bool(_PACKAGE.match(spec))


class JsModules:
    """Resolves non-relative JS/TS specifiers (see the module docstring). Built once per model
    from the module keys (``path without extension`` -> files, a folder -> its index), the
    tsconfig facts and the workspace packages (name -> root folder, root -> package.json)."""

    def __init__(
        self,
        keys: Keys,
        keys_by_tail: Keys,
        aliases: Iterable[ModuleAliases],
        packages: Mapping[str, str],
        manifest: Callable[[str], Mapping[str, Any]],
    ) -> None:
        self.keys = keys
        self.keys_by_tail = keys_by_tail
        self.packages = packages
        self.manifest = manifest
        self._configs: dict[str, ModuleAliases] = {}
        self._by_dir: dict[str, list[str]] = defaultdict(list)
        for fact in aliases:
            path = fact.loc.file
            self._configs[path] = fact
            self._by_dir[posixpath.dirname(path)].append(path)
        for paths in self._by_dir.values():
            # the config the compiler reads by default first
            paths.sort(key=lambda p: (p.rsplit("/", 1)[-1] not in _DEFAULT_CONFIGS, p))
        self._scope: dict[str, str] = {}
        self._chains: dict[str, tuple[ModuleAliases, ...]] = {}

    # ------------------------------------------------------------------ configs

    def scope(self, caller_dir: str) -> str:
        """The nearest folder at or above ``caller_dir`` with a tsconfig/jsconfig (a key:
        every file below it resolves non-relative specifiers alike)."""
        found = self._scope.get(caller_dir)
        if found is None:
            folder = caller_dir
            while True:
                if folder in self._by_dir:
                    found = folder
                    break
                if not folder:
                    found = _NO_CONFIG
                    break
                folder = posixpath.dirname(folder)
            self._scope[caller_dir] = found
        return found

    def _chain(self, scope: str) -> tuple[ModuleAliases, ...]:
        """Configurations that apply below ``scope``: the nearest first, each followed by what
        it extends, then those of the folders above."""
        found = self._chains.get(scope)
        if found is not None:
            return found
        out: dict[str, ModuleAliases] = {}
        folder: str | None = None if scope == _NO_CONFIG else scope
        while folder is not None:
            for path in self._by_dir.get(folder, ()):
                self._add_with_parents(path, out, 0)
            folder = posixpath.dirname(folder) if folder else None
        chain = self._chains[scope] = tuple(out.values())
        return chain

    def _add_with_parents(self, path: str, out: dict[str, ModuleAliases], depth: int) -> None:
        fact = self._configs.get(path)
        if fact is None or path in out or depth > 5:
            return
        out[path] = fact
        for parent in fact.extends:
            target = self._extended(posixpath.dirname(path), parent)
            if target is not None:
                self._add_with_parents(target, out, depth + 1)

    def _extended(self, folder: str, spec: str) -> str | None:
        """The scanned config file an ``extends`` entry names (a relative path, or a file of a
        workspace package: ``@acme/tsconfig/base.json``)."""
        if spec.startswith("."):
            path = posixpath.normpath(posixpath.join(folder, spec)) if folder else posixpath.normpath(spec)
        else:
            segs = spec.split("/")
            n = 2 if spec.startswith("@") else 1
            root = self.packages.get("/".join(segs[:n]))
            if root is None:
                return None
            rest = "/".join(segs[n:]) or "tsconfig.json"
            path = posixpath.join(root, rest) if root else rest
        for option in (path, path + ".json", posixpath.join(path, "tsconfig.json")):
            if option in self._configs:
                return option
        return None

    # ------------------------------------------------------------------ resolution

    def resolve(self, scope: str, spec: str) -> tuple[str, ...]:
        """Files a non-relative specifier names for a file under ``scope`` (see the module
        docstring for the order)."""
        if _PROTOCOL.match(spec):
            return ()
        chain = self._chain(scope)
        claimed = False
        for config in chain:
            matched, files = self._paths(config, spec)
            if files:
                return files
            if matched:
                claimed = True  # the project maps it: never guess by name
                break
        for config in chain:
            if config.base_url:
                base = "" if config.base_url == "." else config.base_url
                files = self._file(posixpath.join(base, spec) if base else spec)
                if files:
                    return files
        workspace = self._workspace(spec)
        if workspace is not None:
            return workspace
        if claimed or is_package_specifier(spec) or spec.startswith("/"):
            return ()
        return self._suffix(spec)

    def _paths(self, config: ModuleAliases, spec: str) -> tuple[bool, tuple[str, ...]]:
        best: tuple[int, str, tuple[str, ...]] | None = None
        for pattern, targets in config.paths:
            if "*" not in pattern:
                if pattern == spec:
                    best = (1 << 30, "", targets)
                    break
                continue
            prefix, _, suffix = pattern.partition("*")
            if (
                spec.startswith(prefix)
                and spec.endswith(suffix)
                and len(spec) >= len(prefix) + len(suffix)
                and (best is None or len(prefix) > best[0])
            ):
                best = (len(prefix), spec[len(prefix) : len(spec) - len(suffix)], targets)
        if best is None:
            return False, ()
        _, star, targets = best
        for target in targets:
            files = self._file(target.replace("*", star, 1))
            if files:
                return True, files
        return True, ()

    def _workspace(self, spec: str) -> tuple[str, ...] | None:
        """Files of the repository's own package ``spec`` names (``None``: not one of them)."""
        segs = spec.split("/")
        n = 2 if spec.startswith("@") else 1
        name = "/".join(segs[:n])
        root = self.packages.get(name)
        if root is None:
            return None
        rest = "/".join(segs[n:])
        data = self.manifest(root)
        candidates: list[str] = []
        exports = data.get("exports")
        entry = _export_target(exports, "./" + rest if rest else ".")
        if entry:
            candidates.append(entry)
        if rest:
            candidates += [rest, f"src/{rest}"]
        else:
            candidates += [v for v in (data.get(k) for k in _MANIFEST_FIELDS) if isinstance(v, str)]
            candidates += ["src/index", "index"]
        for cand in candidates:
            cand = posixpath.normpath(cand)
            options = [cand]
            for build in _BUILD_DIRS:
                if cand.startswith(build):
                    options.append("src/" + cand[len(build) :])
            for option in options:
                files = self._file(posixpath.join(root, option) if root else option)
                if files:
                    return files
        return ()

    def _file(self, path: str) -> tuple[str, ...]:
        path = posixpath.normpath(path)
        return self.keys.get(_SOURCE_EXT.sub("", path), ())

    def _suffix(self, spec: str) -> tuple[str, ...]:
        """An alias no configuration explains, matched by path suffix (``@/lib/db`` ->
        ``.../lib/db``)."""
        segs = [s for s in spec.split("/") if s]
        if segs and (segs[0].startswith("@") or segs[0] in {"~", "#"}) and len(segs) > 1:
            segs = segs[1:]
        if not segs:
            return ()
        suffix = "/".join(segs)
        out: list[str] = []
        for key in self.keys_by_tail.get(segs[-1], ()):
            if key == suffix or key.endswith("/" + suffix):
                out.extend(self.keys[key])
        return tuple(out)


def _export_target(exports: Any, subpath: str, depth: int = 0) -> str:
    """The file a package.json ``exports`` map gives for ``subpath`` (``.`` or ``./x``)."""
    if depth > 4 or exports is None:
        return ""
    if isinstance(exports, str):
        return exports if subpath == "." else ""
    if isinstance(exports, list):
        for item in exports:
            found = _export_target(item, subpath, depth + 1)
            if found:
                return found
        return ""
    if not isinstance(exports, dict):
        return ""
    if any(isinstance(k, str) and k.startswith(".") for k in exports):
        value = exports.get(subpath)
        if value is None:
            for key, val in exports.items():
                if isinstance(key, str) and "*" in key:
                    prefix, _, suffix = key.partition("*")
                    if subpath.startswith(prefix) and subpath.endswith(suffix):
                        star = subpath[len(prefix) : len(subpath) - len(suffix)]
                        found = _export_target(val, ".", depth + 1)
                        return found.replace("*", star, 1) if found else ""
            return ""
        return _export_target(value, ".", depth + 1)
    # conditions: the source-like ones first
    for cond in ("source", "types", "import", "module", "require", "node", "default"):
        if cond in exports:
            found = _export_target(exports[cond], ".", depth + 1)
            if found:
                return found
    for value in exports.values():
        found = _export_target(value, ".", depth + 1)
        if found:
            return found
    return ""
