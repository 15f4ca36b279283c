"""Continuous-integration configuration: the commands a CI pipeline runs are entry points too.

A script a pipeline runs (``node .scripts/compare-database.js`` in a GitHub Actions step, a
``python tools/check_schema.py`` line of a GitLab job) runs on a build machine, not in
production: it is tooling, like a package.json ``seed`` script. Read from GitHub Actions
workflows (``run:``), GitLab CI (``script:``, ``before_script:``, ``after_script:``), CircleCI
(``run:``, ``command:``), Azure Pipelines (``script:``, ``bash:``, ``pwsh:``), Bitbucket
Pipelines, Travis CI, Drone/Woodpecker (``commands:``) and Jenkinsfile ``sh``/``bat`` steps.

Commands run from the repository root (the folder holding ``.github/``, ``.circleci/``,
``.gitlab-ci.yml``...), moved by a step's working directory (``working-directory``,
``defaults.run.working-directory``, ``working_directory``, ``workingDirectory``) and by ``cd``.
Emits one :class:`EntryPoint` (``source="ci"``, role ``tooling``, or ``test`` for a test
runner) per command that names a file or module.
"""

from __future__ import annotations

import posixpath
import re

import yaml

from scalescope.model.facts import EntryPoint
from scalescope.scan.extract.base import FileContext, extractor
from scalescope.scan.extract.entrypoints import command_role, script_targets
from scalescope.scan.extract.infra import yamlnodes as Y

# (pattern over the path, group that is the repository root)
_CI_FILES = (
    re.compile(r"^(?:(.*)/)?\.github/workflows/[^/]+\.ya?ml$"),
    re.compile(r"^(?:(.*)/)?\.circleci/[^/]+\.ya?ml$"),
    re.compile(r"^(?:(.*)/)?\.gitlab/ci/(?:[^/]+/)*[^/]+\.ya?ml$"),
    re.compile(r"^(?:(.*)/)?\.(?:azure-pipelines|azuredevops|pipelines)/(?:[^/]+/)*[^/]+\.ya?ml$"),
    re.compile(r"^(?:(.*)/)?\.woodpecker/[^/]+\.ya?ml$"),
    re.compile(
        r"^(?:(.*)/)?(?:[^/]*\.gitlab-ci|\.gitlab-ci|azure-pipelines[^/]*|bitbucket-pipelines|\.travis|"
        r"\.drone|\.woodpecker)\.ya?ml$"
    ),
)
_GITHUB = re.compile(r"(^|/)\.github/workflows/")
# keys whose value is a shell command or a list of them
_COMMAND_KEYS = frozenset(
    {
        "run",
        "script",
        "before_script",
        "after_script",
        "command",
        "commands",
        "bash",
        "sh",
        "pwsh",
        "powershell",
        "install",
        "before_install",
        "after_success",
    }
)
_WORKDIR_KEYS = ("working-directory", "working_directory", "workingDirectory")


def ci_root(path: str) -> str | None:
    """The repository root of a CI configuration file (``None``: not a CI file)."""
    for pattern in _CI_FILES:
        m = pattern.match(path)
        if m:
            return m.group(1) or ""
    return None


def _join(folder: str, rel: str) -> str | None:
    rel = rel.strip().strip("'\"")
    if not rel or "${" in rel or "$(" in rel or rel.startswith(("/", "~", "$")):
        return None
    path = posixpath.normpath(posixpath.join(folder, rel)) if folder else posixpath.normpath(rel)
    if path.startswith(".."):
        return None
    return "" if path == "." else path


def _emit(ctx: FileContext, name: str, script: str, cwd: str, line: int) -> None:
    targets = script_targets(script, cwd)
    if not targets:
        return
    role = "test" if command_role(script) == "test" else "tooling"
    ctx.emit(EntryPoint(ctx.line_loc(line), "ci", name, script[:500], role, targets))


def _checkouts(job: yaml.Node, root: str) -> tuple[str, ...]:
    """Folders a GitHub Actions job checks the repository out into (``actions/checkout`` with
    ``path: fresh``): there, a working directory ``./fresh`` is the repository root."""
    out: list[str] = []
    for step in Y.seq(Y.get(job, "steps")):
        uses = Y.scalar(Y.get(step, "uses")) or ""
        path = Y.scalar(Y.get(step, "with", "path"))
        if uses.startswith("actions/checkout") and path:
            folder = _join(root, path)
            if folder:
                out.append(folder)
    return tuple(out)


def _workdir(cwd: str, value: str, root: str, checkouts: tuple[str, ...]) -> str | None:
    folder = _join(cwd, value)
    if folder is None:
        return None
    for checkout in checkouts:
        if folder == checkout or folder.startswith(checkout + "/"):
            rest = folder[len(checkout) :].lstrip("/")
            return posixpath.join(root, rest) if root and rest else (rest or root)
    return folder


def _walk(
    ctx: FileContext,
    node: yaml.Node,
    name: str,
    cwd: str | None,
    keys: frozenset[str],
    depth: int,
    checkouts: tuple[str, ...] = (),
) -> None:
    if depth > 12 or cwd is None:
        return
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _walk(ctx, item, name, cwd, keys, depth + 1, checkouts)
        return
    if not isinstance(node, yaml.MappingNode):
        return
    root = ci_root(ctx.path) or ""
    checkouts = _checkouts(node, root) or checkouts
    for key in _WORKDIR_KEYS:
        workdir = Y.scalar(Y.get(node, key)) or Y.scalar(Y.get(node, "defaults", "run", key))
        if workdir is not None:
            cwd = _workdir(cwd, workdir, root, checkouts)
            if cwd is None:
                return  # a folder only known at run time
    step = Y.scalar(Y.get(node, "name"))
    for key, _, value in Y.items(node):
        label = step or (name if key in keys else key) or name
        if key in keys:
            scripts = [value] if isinstance(value, yaml.ScalarNode) else Y.seq(value)
            for item in scripts:
                text = Y.scalar(item)
                if text:
                    _emit(ctx, label, text, cwd, Y.line(item))
            if isinstance(value, yaml.MappingNode):
                _walk(ctx, value, label, cwd, keys, depth + 1, checkouts)
        elif isinstance(value, (yaml.MappingNode, yaml.SequenceNode)):
            _walk(ctx, value, key if depth < 3 else name, cwd, keys, depth + 1, checkouts)


@extractor(languages=("yaml",))
def ci_commands(ctx: FileContext) -> None:
    """Emit an :class:`EntryPoint` for every command of a CI configuration file that names a
    file or module."""
    root = ci_root(ctx.path)
    if root is None:
        return
    keys = frozenset({"run"}) if _GITHUB.search(ctx.path) else _COMMAND_KEYS
    for doc in Y.documents(ctx.text):
        _walk(ctx, doc, "", root, keys, 0)


# Jenkinsfile: sh 'x', sh "x", sh '''...''', sh(script: "x"), bat "x"
_JENKINS_STEP = re.compile(
    r"\b(?:sh|bat)\s*\(?\s*(?:script\s*:\s*)?('''(.*?)'''|\"\"\"(.*?)\"\"\"|'([^'\n]*)'|\"([^\"\n]*)\")",
    re.DOTALL,
)
_JENKINS_DIR = re.compile(r"\bdir\s*\(\s*['\"]([^'\"]+)['\"]\s*\)\s*\{")


@extractor(languages=("jenkinsfile",), needs=("sh", "bat"))
def jenkinsfile_commands(ctx: FileContext) -> None:
    """Emit an :class:`EntryPoint` per ``sh``/``bat`` step of a Jenkinsfile (inside ``dir('x')
    { ... }`` the step runs in ``x``)."""
    root = posixpath.dirname(ctx.path)
    dirs = [(m.start(), _block_end(ctx.text, m.end()), m.group(1)) for m in _JENKINS_DIR.finditer(ctx.text)]
    for m in _JENKINS_STEP.finditer(ctx.text):
        script = next((g for g in m.groups()[1:] if g is not None), "")
        cwd: str | None = root
        for start, end, folder in dirs:
            if start < m.start() < end and cwd is not None:
                cwd = _join(cwd, folder)
        if cwd is None:
            continue
        line = ctx.text.count("\n", 0, m.start()) + 1
        _emit(ctx, "sh", script, cwd, line)


def _block_end(text: str, start: int) -> int:
    """Offset of the ``}`` closing the block opened just before ``start``."""
    depth = 1
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return len(text)
