"""Which shell scripts production runs: the start scripts of the deployment.

The shell extractor (:mod:`scalescope.scan.extract.infra.shell`) reads every ``.sh`` file's
commands, but a repository's scripts are mostly a developer's helpers, CI steps and one-off
maintenance. A script's commands are facts about production only when a production command
runs it: a Dockerfile ``CMD``/``ENTRYPOINT``, a compose ``command``, a Procfile line, a systemd
``ExecStart``, a Kubernetes container command or a package.json production script names it
(``./start.sh``, ``/docker-entrypoint.sh``, ``bash docker/run-web.sh``), or a script run that
way does. Everything else a script says is dropped before the model is built.

A command names a script by a path relative to its own file's folder or to the repository,
or by a path inside the image (``/app/start.sh``, ``/usr/local/bin/entrypoint.sh`` after a
``COPY``); an image path is matched by the script's file name when one script of the tree
has that name, or one under the command's own folder does, or (a compose service that builds
its image) one under the service's build context: a build copies files only from its context,
so a same-named script elsewhere (``certs/entrypoint.sh`` beside ``web/entrypoint.sh`` for
``build: ./web``) is not in that image. Commands of files whose names say
development, test or CI (``docker-compose.dev.yml``, ``Dockerfile.test``) and of test folders
run nothing in production.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable

from scalescope.model.facts import EntryPoint, Fact, Service
from scalescope.model.roles import CI_NAMES, is_test_path

#: a deployment file for development, tests or CI, also named for a CI service
#: (``docker-compose.dev.yml``, ``docker-compose.travis.yml``,
#: ``Dockerfile.local``, ``compose.test.yaml``, ``ci.Dockerfile``)
_NOT_PRODUCTION_FILE = re.compile(
    rf"(?:^|[._-])(?:dev|devel|develop|development|local|test|tests|testing|e2e|debug|{CI_NAMES})(?:[._-]|$)",
    re.IGNORECASE,
)
#: the target a Dockerfile ``COPY`` into a process supervisor's service folder gives: every
#: ``<service>/run`` script under the copied folder (``docker/s6-rc.d/*/run``)
SERVICE_GLOB = "/*/run"
# CI pipelines run scripts on build machines, not in production
_NOT_PRODUCTION_SOURCES = frozenset({"ci"})


def _production_entry(entry: EntryPoint) -> bool:
    if entry.role != "production" or entry.source in _NOT_PRODUCTION_SOURCES:
        return False
    if is_test_path(entry.loc.file):
        return False
    return not _NOT_PRODUCTION_FILE.search(entry.loc.file.rsplit("/", 1)[-1])


def _scripts_named(
    declaring: str,
    target: str,
    scripts: frozenset[str],
    by_name: dict[str, list[str]],
    context: str = "",
) -> list[str]:
    """The scripts of the tree a command of ``declaring`` names by ``target``; ``context``:
    the build context of the image the command runs in, when a compose service says it."""
    target = target.strip().strip("'\"")
    name = target.rsplit("/", 1)[-1]
    if not (name.endswith(".sh") or (name and "." not in name)) or "$" in target:
        return []
    base = posixpath.dirname(declaring)
    if target.endswith(SERVICE_GLOB):
        return _service_scripts(base, target.removesuffix(SERVICE_GLOB), scripts)
    if not target.startswith("/"):
        for start in dict.fromkeys((base, "")):
            path = posixpath.normpath(posixpath.join(start, target)) if start else posixpath.normpath(target)
            if path in scripts:
                return [path]
    found = by_name.get(target.rsplit("/", 1)[-1], [])
    if len(found) == 1:
        return found
    if context and context != ".":
        built = [p for p in found if p.startswith(context + "/")]
        if len(built) == 1:
            return built
    near = [p for p in found if not base or p.startswith(base + "/")]
    return near if len(near) == 1 else []


def _service_scripts(base: str, folder: str, scripts: frozenset[str]) -> list[str]:
    """The ``<service>/run`` scripts of a supervision folder a Dockerfile copies into the
    image's service directory, resolved from the Dockerfile's folder, else from the root."""
    for start in dict.fromkeys((base, "")):
        root = (
            posixpath.normpath(posixpath.join(start, folder)) if start else posixpath.normpath(folder or ".")
        )
        prefix = "" if root == "." else root + "/"
        found = [
            p
            for p in sorted(scripts)
            if p.startswith(prefix) and p.count("/") == prefix.count("/") + 1 and p.endswith("/run")
        ]
        if found:
            return found
    return []


def _by_name(tree: frozenset[str]) -> dict[str, list[str]]:
    """The scripts of ``tree`` by file name (an image path is matched by its name)."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for path in sorted(tree):
        by_name[path.rsplit("/", 1)[-1]].append(path)
    return by_name


def build_contexts(facts: Iterable[Fact]) -> dict[tuple[str, str], str]:
    """The build context (a folder of the tree) of each compose service that builds its
    image, by (compose file, service name): where its command's image paths come from."""
    return {
        (f.loc.file, f.name): f.code_dir
        for f in facts
        if isinstance(f, Service) and f.source == "compose" and f.code_dir
    }


def _context(entry: EntryPoint, contexts: dict[tuple[str, str], str]) -> str:
    return contexts.get((entry.loc.file, entry.name), "") if entry.source == "compose" else ""


def scripts_run_by(
    entry: EntryPoint, scripts: Iterable[str], contexts: dict[tuple[str, str], str] | None = None
) -> list[str]:
    """The scripts of the tree (paths of ``scripts``) that ``entry``'s command names;
    ``contexts``: :func:`build_contexts` of the project's facts."""
    tree = frozenset(scripts)
    by_name = _by_name(tree)
    context = _context(entry, contexts or {})
    found: dict[str, None] = {}
    for target in entry.targets:
        found.update(dict.fromkeys(_scripts_named(entry.loc.file, target, tree, by_name, context)))
    return list(found)


def run_scripts(scripts: Iterable[str], facts: Iterable[Fact]) -> frozenset[str]:
    """The shell scripts (paths of ``scripts``) that production commands run, directly or
    through other scripts so run."""
    tree = frozenset(scripts)
    if not tree:
        return frozenset()
    by_name = _by_name(tree)
    facts = list(facts)
    contexts = build_contexts(facts)
    entries = [f for f in facts if isinstance(f, EntryPoint)]
    by_script: dict[str, list[EntryPoint]] = defaultdict(list)
    for entry in entries:
        if entry.loc.file in tree:
            by_script[entry.loc.file].append(entry)
    run: set[str] = set()
    frontier = [e for e in entries if e.loc.file not in tree and _production_entry(e)]
    while frontier:
        entry = frontier.pop()
        for target in entry.targets:
            for path in _scripts_named(entry.loc.file, target, tree, by_name, _context(entry, contexts)):
                if path not in run:
                    run.add(path)
                    frontier.extend(e for e in by_script[path] if e.role == "production")
    return frozenset(run)


def production_facts(scripts: Iterable[str], facts: list[Fact]) -> list[Fact]:
    """``facts`` without what scripts production does not run say (see the module docstring)."""
    tree = frozenset(scripts)
    if not tree:
        return facts
    run = run_scripts(tree, facts)
    return [f for f in facts if f.loc.file not in tree or f.loc.file in run]
