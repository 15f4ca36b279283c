"""Which process runs a file: package roots and the deployable units that run them.

A repository may hold several services (a Node API, a Python worker, a Next.js app). Each file
belongs to the nearest **package root** above it (a folder with ``package.json``,
``pyproject.toml``, ``requirements*.txt``, ``Pipfile``, ``setup.py`` or ``manage.py``), and is
run by the **units** whose code folder contains it: a compose service that builds that folder
(its ``build`` context, or its Dockerfile's folder), a Dockerfile, a Procfile, a process-manager
config (``gunicorn.conf.py``, ``ecosystem.config.js``, a ``cluster.fork()`` file: the package
root around it). A unit's worker count (gunicorn ``-w``, uvicorn ``--workers``, PM2
``instances``, Node cluster) and replicas apply only to the files of its folder, and only when
the server runs that file's language (gunicorn never runs a ``.ts`` file). Units that name no
folder (a Kubernetes Deployment, an image-only compose service) are matched by name to a
package root folder (``api`` -> ``services/api``); otherwise they apply to files no attributed
unit covers. Units from development-only compose files never count: named or placed so, running
a watcher over mounted source, or started only by package.json scripts not named for a
deployment (``"deps-compose": "docker compose -f docker/dependencies/compose.yaml"``); the code
such a file builds from its own folder is that development stack's (dev-only).
"""

from __future__ import annotations

import json
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from scalescope.model.facts import EntryPoint, EnvVar, Import, Route, Service, WorkerProcesses

if TYPE_CHECKING:
    from scalescope.model.project import ProjectModel

ROOT_MARKERS = frozenset(
    {"package.json", "pyproject.toml", "requirements.txt", "pipfile", "setup.py", "manage.py", "setup.cfg"}
)
_DEV_FOLDERS = frozenset(
    {
        "dev",
        "devel",
        "development",
        "local",
        "test",
        "tests",
        "testing",
        "e2e",
        "ci",
        ".devcontainer",
        "kind",
        "minikube",
    }
)
# a package.json script named for a deployment (``deploy``, ``compose:prod``): the compose file
# it starts is not (only) the developer's local stack
_DEPLOY_SCRIPT = re.compile(
    r"(^|[:_-])(prod|production|deploy|deployment|release|staging|publish)($|[:_-])", re.IGNORECASE
)
_COMPOSE_CALL = re.compile(r"\bdocker[- ]compose\b|\bpodman[- ]compose\b")
_COMPOSE_FILE_FLAG = re.compile(r"(?:^|\s)(?:-f|--file)(?:=|\s+)['\"]?([^\s'\"]+)")
_PY_SERVERS = frozenset({"gunicorn", "uvicorn", "hypercorn", "granian", "fastapi", "daphne", "uwsgi"})
_NODE_SERVERS = frozenset({"pm2", "node-cluster"})


def _is_marker(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    return name in ROOT_MARKERS or (name.startswith("requirements") and name.endswith((".txt", ".in")))


def under(folder: str, path: str) -> bool:
    """``path`` lies in ``folder`` ("" is the scanned root)."""
    return not folder or path == folder or path.startswith(folder + "/")


@dataclass
class Unit:
    """Something that runs the code of one folder: a compose service, a Dockerfile, a
    Procfile, a k8s Deployment. ``code_dir`` is ``None`` when no folder is known."""

    name: str
    source: str
    code_dir: str | None
    replicas: int = 0
    workers: list[WorkerProcesses] = field(default_factory=list)
    dev_reason: str = ""

    def processes(self, python: bool) -> int | None:
        """Processes one instance runs for a file of that language (``None``: not declared)."""
        relevant = [
            w
            for w in self.workers
            if (w.server in _PY_SERVERS) == python or w.server not in (_PY_SERVERS | _NODE_SERVERS)
        ]
        if not relevant:
            return None
        counts = [w.count if w.count is not None else 2 for w in relevant]
        return max(counts)


class ServiceMap:
    """Package roots and deployable units of a project (built once, lazily, by the model)."""

    def __init__(self, model: ProjectModel) -> None:
        self.model = model
        self.roots = sorted({posixpath.dirname(f.path) for f in model.files if _is_marker(f.path)})
        self._root_set = set(self.roots)
        self._root_of_dir: dict[str, str] = {}
        self.units: list[Unit] = []
        self.dev_files: dict[str, str] = {}
        self._script_dev = self._started_by_dev_scripts()
        self._build_units()

    # ------------------------------------------------------------------ roots

    def package_root(self, path: str) -> str:
        """The nearest folder above ``path`` holding a manifest ("" = the scanned root)."""
        start = path.rpartition("/")[0]
        found = self._root_of_dir.get(start)
        if found is not None:
            return found
        folder = start
        while folder and folder not in self._root_set:
            folder = folder.rpartition("/")[0]
        self._root_of_dir[start] = folder
        return folder

    @cached_property
    def service_roots(self) -> frozenset[str]:
        """Package roots that run something of their own: routes, or a production script
        (``start``, a worker) of their package.json."""
        model = self.model
        found = {self.package_root(r.loc.file) for r in model.all(Route)}
        found |= {
            posixpath.dirname(e.loc.file)
            for e in model.all(EntryPoint)
            if e.role == "production" and e.source == "package.json" and e.name != "main"
        }
        return frozenset(found)

    @cached_property
    def manifests(self) -> dict[str, dict[str, Any]]:
        """package.json of each package root that has one, parsed (root -> object)."""
        model = self.model
        out: dict[str, dict[str, Any]] = {}
        paths = {f.path for f in model.files}
        for root in self.roots:
            manifest = posixpath.join(root, "package.json") if root else "package.json"
            if manifest in paths:
                try:
                    data = json.loads("\n".join(model.source_lines(manifest)))
                except ValueError:
                    continue
                if isinstance(data, dict):
                    out[root] = data
        return out

    def manifest(self, root: str) -> dict[str, Any]:
        """package.json of a package root (empty when it has none)."""
        return self.manifests.get(root, {})

    @cached_property
    def package_names(self) -> dict[str, str]:
        """Names of the repository's own npm packages (package.json ``name``) -> their root:
        an import of one of these is local code, not a third-party package."""
        names: dict[str, str] = {}
        for root, data in self.manifests.items():
            name = data.get("name")
            if isinstance(name, str) and name:
                names[name] = root
        return names

    @cached_property
    def _projects(self) -> dict[str, str]:
        """Package root -> its project: roots linked by imports (a workspace package imported
        by name, ``@acme/db``; a relative import into another root; a Python module found in
        exactly one other root) are one project, however many package.json files it has."""
        model = self.model
        parent = {r: r for r in self.roots}

        def find(r: str) -> str:
            while parent[r] != r:
                parent[r] = parent[parent[r]]
                r = parent[r]
            return r

        names = self.package_names
        for imp in model.all(Import):
            a = self.package_root(imp.loc.file)
            spec = imp.module
            b: str | None = None
            if spec.startswith("."):
                files = model.module_files(imp.loc.file, spec)
                b = self.package_root(files[0]) if files else None
            elif imp.loc.file.endswith(".py"):
                files = model.module_files(imp.loc.file, spec)
                b = self.package_root(files[0]) if len(files) == 1 else None
            else:
                segs = spec.split("/")
                b = names.get("/".join(segs[:2]) if spec.startswith("@") else segs[0])
            if b is not None and b != a and a in parent and b in parent:
                parent[find(a)] = find(b)
        return {r: find(r) for r in self.roots}

    def related(self, path: str, other: str) -> bool:
        """Whether facts of ``other`` describe the service ``path`` belongs to: their package
        roots are the same or nested, or belong to one project (linked by imports), or
        ``other`` lies in a package that runs nothing itself (a shared library or config). A
        sibling service's schema, environment or cache is not this one's."""
        a, b = self.package_root(path), self.package_root(other)
        if under(a, b) or under(b, a):
            return True
        projects = self._projects
        if a in projects and projects.get(a) == projects.get(b):
            return True
        return b not in self.service_roots

    # ------------------------------------------------------------------ units

    def _build_units(self) -> None:
        model = self.model
        by_key: dict[tuple[str, str, str], Unit] = {}
        services_by_file: dict[str, list[Service]] = defaultdict(list)
        for svc in model.all(Service):
            services_by_file[svc.loc.file].append(svc)
            if reason := self.service_dev_reason(svc):
                self.dev_files.setdefault(svc.loc.file, reason)
        app = {id(s) for s in model.app_services}
        root_names: dict[str, list[str]] = defaultdict(list)
        for root in self.roots:
            if root:
                root_names[root.rsplit("/", 1)[-1].lower()].append(root)

        def unit_for(svc: Service) -> Unit:
            code_dir: str | None = None
            if svc.code_dir:
                code_dir = "" if svc.code_dir == "." else svc.code_dir
            else:
                image = svc.image.rsplit("/", 1)[-1].split(":", 1)[0].lower()
                for name in (svc.name.lower(), image):
                    found = root_names.get(name, [])
                    if len(found) == 1:
                        code_dir = found[0]
                        break
            key = (svc.loc.file, svc.name, svc.source)
            unit = by_key.get(key)
            if unit is None:
                unit = by_key[key] = Unit(
                    svc.name, svc.source, code_dir, dev_reason=self.service_dev_reason(svc)
                )
                self.units.append(unit)
            if id(svc) in app:
                unit.replicas = max(unit.replicas, svc.replicas or 0, svc.autoscale_max or 0)
            return unit

        for svc in model.all(Service):
            if id(svc) in app:
                unit_for(svc)
        for w in model.all(WorkerProcesses):
            owner = next(
                (
                    s
                    for s in services_by_file.get(w.loc.file, ())
                    if s.loc.line <= w.loc.line <= s.loc.end_line and s.source != "procfile"
                ),
                None,
            )
            if owner is None and services_by_file.get(w.loc.file):
                owner = next((s for s in services_by_file[w.loc.file] if s.loc.line == w.loc.line), None)
            if owner is not None:
                unit_for(owner).workers.append(w)
                continue
            name = w.loc.file.rsplit("/", 1)[-1].lower()
            folder = (
                posixpath.dirname(w.loc.file)
                if name.startswith("dockerfile") or name.endswith(".dockerfile")
                else self.package_root(w.loc.file)
            )
            key = (w.loc.file, "", "config")
            unit = by_key.get(key)
            if unit is None:
                unit = by_key[key] = Unit(w.loc.file, "config", folder)
                self.units.append(unit)
            unit.workers.append(w)
        # a Dockerfile's workers run with the replicas of the services that build its folder
        for unit in self.units:
            if unit.source == "config" and unit.code_dir is not None:
                for other in self.units:
                    if other is not unit and other.code_dir == unit.code_dir and not other.dev_reason:
                        other.workers.extend(unit.workers)

    def _started_by_dev_scripts(self) -> dict[str, str]:
        """Compose files (named by ``-f``/``--file``) that only package.json scripts start, none
        of them named for a deployment (``"deps-compose": "docker compose -f
        docker/dependencies/docker.compose.yaml"`` run by ``"start-deps": "pnpm run deps-compose
        up"``) -> why they are the developer's local stack. A script that runs another
        (``pnpm run deps-compose up``) starts what that one starts."""
        model = self.model
        compose_files = {s.loc.file for s in model.all(Service) if s.source == "compose"}
        if not compose_files:
            return {}
        scripts = [e for e in model.all(EntryPoint) if e.source == "package.json"]
        by_name = {(e.loc.file, e.name): e for e in scripts}
        starts: dict[str, set[tuple[str, str]]] = defaultdict(set)  # compose file -> scripts
        for entry in scripts:
            base = posixpath.dirname(entry.loc.file)
            for segment in re.split(r"&&|\|\||;|\|", entry.command):
                if not _COMPOSE_CALL.search(segment):
                    continue
                for m in _COMPOSE_FILE_FLAG.finditer(segment):
                    path = posixpath.normpath(posixpath.join(base, m.group(1)))
                    if path in compose_files:
                        starts[path].add((entry.loc.file, entry.name))
        out: dict[str, str] = {}
        for path, direct in sorted(starts.items()):
            # the scripts that start it directly or through other scripts of the same file
            found = set(direct)
            changed = True
            while changed:
                changed = False
                for e in scripts:
                    key = (e.loc.file, e.name)
                    if key not in found and any(
                        t.startswith("npm:") and (e.loc.file, t[4:]) in found for t in e.targets
                    ):
                        found.add(key)
                        changed = True
            if any(_DEPLOY_SCRIPT.search(name) for _, name in found):
                continue
            first = by_name[min(direct)]
            out[path] = (
                f"{path} is started only by package.json scripts (`{first.name}` in {first.loc.file}): "
                "the developer's local stack"
            )
        return out

    def service_dev_reason(self, svc: Service) -> str:
        """Why a deployment service only runs in development (its compose file's name, folder
        or command, or only package.json scripts start the file), or ""."""
        return svc.dev_reason or self._script_dev.get(svc.loc.file, "")

    @cached_property
    def dev_code_dirs(self) -> dict[str, str]:
        """Folders of code that development compose files build from inside their own folder
        (``docker/dependencies/wal-info`` built by ``docker/dependencies/docker.compose.yaml``)
        -> why that code is dev-only: a tool of that development environment. A compose file
        at the scanned root builds the application itself, and a folder a production unit
        also builds stays live."""
        by_file: dict[str, list[Service]] = defaultdict(list)
        for svc in self.model.all(Service):
            by_file[svc.loc.file].append(svc)
        # folders production units build ("" is the root: the application, not these tools)
        live = {
            "" if s.code_dir == "." else s.code_dir
            for s in self.model.all(Service)
            if s.code_dir and not self.service_dev_reason(s)
        }
        out: dict[str, str] = {}
        for path, reason in sorted(self.dev_files.items()):
            home = posixpath.dirname(path)
            if not home:
                continue
            for svc in by_file.get(path, ()):
                folder = svc.code_dir
                if not folder or folder == "." or folder == home or not under(home, folder):
                    continue
                if any(under(folder, other) or (other and under(other, folder)) for other in live):
                    continue
                out.setdefault(folder, f"built only by service '{svc.name}' of {reason}")
        return out

    def dev_code_reason(self, path: str) -> tuple[str, str]:
        """``(folder, reason)`` when ``path`` lies in a folder of :attr:`dev_code_dirs`."""
        for folder, reason in self.dev_code_dirs.items():
            if under(folder, path):
                return folder, reason
        return "", ""

    def units_for(self, path: str) -> list[Unit]:
        """The production units that run ``path``: those whose folder holds it most closely,
        else the units that name no folder."""
        live = [u for u in self.units if not u.dev_reason]
        attributed = [u for u in live if u.code_dir is not None and under(u.code_dir, path)]
        if attributed:
            depth = max(len(u.code_dir or "") for u in attributed)
            return [u for u in attributed if len(u.code_dir or "") == depth]
        return [u for u in live if u.code_dir is None]

    def concurrency_for(self, path: str) -> int | None:
        """Requests one process that runs ``path`` serves at once, when every worker declaration
        of its units says so (gunicorn's sync worker: 1; ``--threads 4``: 4; the largest if
        several); ``None`` when any is unknown or unbounded, or ``GUNICORN_CMD_ARGS`` may give
        gunicorn other flags."""
        if any(v.name == "GUNICORN_CMD_ARGS" for v in self.model.all(EnvVar)):
            return None
        python = path.endswith(".py")
        found: list[int | None] = [
            w.concurrency
            for unit in self.units_for(path)
            for w in unit.workers
            if (w.server in _PY_SERVERS) == python
        ]
        if not found or None in found:
            return None
        return max(c for c in found if c is not None)

    def instance_count_for(self, path: str) -> int | None:
        """Processes that run ``path`` across the deployment (replicas x processes of its
        units, the largest if several), or ``None`` when nothing is declared for it."""
        python = path.endswith(".py")
        best: int | None = None
        for unit in self.units_for(path):
            procs = unit.processes(python)
            if unit.replicas == 0 and procs is None:
                continue
            count = max(unit.replicas, 1) * (procs or 1)
            best = count if best is None else max(best, count)
        return best

    def dev_reason(self, path: str) -> str:
        """Why a deployment file (compose) only runs in development, or ""."""
        found = self.dev_files.get(path) or self.dev_code_reason(path)[1]
        if found:
            return found
        name = path.rsplit("/", 1)[-1].lower()
        if (name.startswith("dockerfile") or name.endswith(".dockerfile")) and any(
            tag in name.replace("dockerfile", "") for tag in ("dev", "local", "test")
        ):
            return f"{path.rsplit('/', 1)[-1]} builds a development image (by its name)"
        # deployment files (k8s overlays, Helm values, redis.conf) kept for a dev environment
        folder = next((f for f in path.lower().split("/")[:-1] if f in _DEV_FOLDERS), None)
        if folder is not None and name.endswith((".yml", ".yaml", ".conf", ".toml", ".env")):
            return f"{path} is in a {folder}/ folder (a development environment's configuration)"
        return ""
