"""Walk a repository and decide which files to read, and in which language.

Honours .gitignore files (root and nested), skips vendored and build output, caps file size,
never follows symlinked directories (so link loops are harmless) and lists every file it passes
over with the reason, so the report can say what was not read.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pathspec

from scalescope.model.roles import TEST_DIRS as _TEST_DIRS
from scalescope.model.roles import is_test_path

__all__ = ["TEST_DIRS", "Candidate", "Skipped", "classify", "decode", "discover", "is_test_path"]

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "bower_components",
        "jspm_packages",
        "dist",
        "build",
        "out",
        ".next",
        ".nuxt",
        ".svelte-kit",
        ".turbo",
        ".vercel",
        ".output",
        "coverage",
        ".cache",
        "venv",
        ".venv",
        "env",
        ".env",
        "virtualenv",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        "site-packages",
        ".eggs",
        "vendor",
        "third_party",
        ".terraform",
        ".idea",
        ".vscode",
        ".gradle",
        "target",
        "tmp",
        ".yarn",
        ".pnpm-store",
        "staticfiles",
        "htmlcov",
    }
)

MAX_FILE_BYTES = 2 * 1024 * 1024

# Test code does not serve traffic: its "N+1 in a loop" is a fixture, not a bottleneck. Excluded
# by default (counted, not listed); ``--include-tests`` scans it. One definition for discovery
# and rules: :func:`scalescope.model.roles.is_test_path`.
TEST_DIRS = _TEST_DIRS


_EXT_LANG = {
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "tsx",
    ".py": "python",
    ".pyi": None,
    ".yml": "yaml",
    ".yaml": "yaml",
    ".prisma": "prisma",
    ".graphql": "graphql",
    ".gql": "graphql",
    ".sql": "sql",
    ".conf": "conf",
    ".service": "systemd",
    ".sh": "shell",
    ".toml": "toml",
    ".cfg": "ini",
    ".ini": "ini",
}
_NAME_LANG = {
    "package.json": "package-json",
    "requirements.txt": "requirements",
    "pipfile": "toml",
    "pyproject.toml": "toml",
    "dockerfile": "dockerfile",
    "procfile": "procfile",
    "redis.conf": "conf",
    "nginx.conf": "conf",
    "ecosystem.config.js": "javascript",
    "gunicorn.conf.py": "python",
    # lock files: only the installed version of a few dependencies is read from them
    "pipfile.lock": "lockfile",
    "poetry.lock": "lockfile",
    "uv.lock": "lockfile",
    # Cloudflare Workers configuration (JSON with comments); ``wrangler.toml`` is read as toml
    "wrangler.json": "wrangler",
    "wrangler.jsonc": "wrangler",
}


# files never scanned whose text may name a function (a template calling a view helper, a
# component); shell scripts are scanned (their commands are entry points) and searched too
_REFERENCE_EXTS = (
    ".html",
    ".htm",
    ".jinja",
    ".jinja2",
    ".j2",
    ".vue",
    ".svelte",
    ".astro",
    ".hbs",
    ".ejs",
    ".pug",
    ".njk",
    ".mdx",
)


# tsconfig.json, tsconfig.base.json, jsconfig.json: how the project names its own modules
_TSCONFIG = re.compile(r"^(tsconfig|jsconfig)([.-][\w.-]*)?\.json$")


def classify(path: str) -> str | None:
    """Language of a file from its name, or ``None`` when scalescope does not read it."""
    name = path.rsplit("/", 1)[-1].lower()
    if name in _NAME_LANG:
        return _NAME_LANG[name]
    if name.startswith("dockerfile") or name.endswith(".dockerfile"):
        return "dockerfile"
    if name == "jenkinsfile" or name.startswith("jenkinsfile."):
        return "jenkinsfile"
    if name.endswith((".txt", ".in")) and (name.startswith("requirements") or "/requirements/" in f"/{path}"):
        return "requirements"
    if name.startswith(".env") and (
        "example" in name
        or "sample" in name
        or "template" in name
        or name in {".env", ".env.local", ".env.development", ".env.production", ".env.test"}
    ):
        return "env"
    if name.endswith((".min.js", ".bundle.js", ".chunk.js", ".d.ts", "-lock.json", ".lock")):
        return None
    if _TSCONFIG.match(name):
        return "tsconfig"
    dot = name.rfind(".")
    if dot < 0:
        return None
    return _EXT_LANG.get(name[dot:])


# extensionless files that are never scripts (not opened to read a ``#!`` line)
_NOT_SCRIPTS = frozenset(
    {"license", "licence", "makefile", "readme", "authors", "changelog", "notice", "copying"}
)
# ``#!/bin/sh``, ``#!/usr/bin/env bash``, ``#!/command/with-contenv sh`` (s6-overlay)
_SHELL_SHEBANG = re.compile(rb"^#!\s*\S*/(?:env\s+(?:-\S+\s+)*|with-contenv\s+)?(?:ba|da|z|a)?sh\b")


def _shebang_language(path: str) -> str | None:
    """``"shell"`` for a file without an extension whose first line runs a POSIX shell (a
    start script such as ``docker-entrypoint``, ``bin/start-web`` or an s6 ``run`` script),
    else ``None``."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
    except OSError:
        return None
    return "shell" if _SHELL_SHEBANG.match(head) else None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file to read: absolute path, path relative to the root, language, size in bytes."""

    abspath: str
    path: str
    language: str
    size: int


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file (or directory) that was not read, and why."""

    file: str
    reason: str


def _load_ignore(dirpath: Path, rel_dir: str) -> pathspec.GitIgnoreSpec | None:
    gi = dirpath / ".gitignore"
    try:
        text = gi.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    lines = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        neg = line.startswith("!")
        body = line[1:] if neg else line
        if rel_dir and body.startswith("/"):
            body = rel_dir + body
        elif rel_dir and "/" not in body.rstrip("/"):
            body = rel_dir + "/**/" + body
        elif rel_dir:
            body = rel_dir + "/" + body.lstrip("/")
        lines.append(("!" if neg else "") + body)
    return pathspec.GitIgnoreSpec.from_lines(lines) if lines else None


_GLOB_CHARS = frozenset("*?[]\\!")


def discover(
    root: Path,
    exclude: Iterable[str] = (),
    max_bytes: int = MAX_FILE_BYTES,
    include_tests: bool = False,
    stats: dict[str, int] | None = None,
    references: list[str] | None = None,
) -> tuple[list[Candidate], list[Skipped]]:
    """Find the files to scan under ``root`` and the ones deliberately passed over.

    ``exclude`` holds gitignore-style patterns from configuration. Only files whose language
    scalescope reads are listed in either result; other files are ignored silently. Test files
    are left out unless ``include_tests``; their number goes to ``stats["tests_excluded"]``.
    ``references`` (when given) receives the files not scanned whose text may still name the
    project's functions: the test files left out and templates (``.html``, ``.vue``,
    ``.jinja``...), up to ``max_bytes`` (read only if function liveness needs them,
    :mod:`scalescope.model.liveness`; shell scripts are scanned, and searched as scanned files).
    """
    root = root.resolve()
    user_spec = pathspec.GitIgnoreSpec.from_lines(list(exclude)) if exclude else None
    found: list[Candidate] = []
    skipped: list[Skipped] = []
    specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []  # (folder prefix or "", its .gitignore)

    def ignored(rel: str, is_dir: bool) -> bool:
        probe = rel + "/" if is_dir else rel
        if user_spec is not None and user_spec.match_file(probe):
            return True
        # a .gitignore's patterns are anchored under its folder, so only those of the folders
        # above the path can match it (a medusa-like tree has ~50 .gitignore files)
        return any(spec.match_file(probe) for prefix, spec in specs if probe.startswith(prefix))

    for dirpath, dirnames, filenames in _walk(root, skipped):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        spec = _load_ignore(Path(dirpath), rel_dir)
        if spec is not None:
            # a folder name with glob characters is a pattern that may match other folders
            literal = bool(rel_dir) and not any(ch in rel_dir for ch in _GLOB_CHARS)
            specs.append((rel_dir + "/" if literal else "", spec))
        keep = []
        for d in sorted(dirnames):
            rel = f"{rel_dir}/{d}" if rel_dir else d
            if d in SKIP_DIRS or d.endswith(".egg-info") or ignored(rel, True):
                continue
            keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            lang = classify(rel)
            if lang is None and "." not in name and name.lower() not in _NOT_SCRIPTS:
                lang = _shebang_language(os.path.join(dirpath, name))
            if lang is None:
                wanted = references is not None and name.lower().endswith(_REFERENCE_EXTS)
                if wanted and references is not None and not ignored(rel, False):
                    references.append(rel)
                continue
            if ignored(rel, False):
                continue
            if not include_tests and is_test_path(rel):
                if stats is not None:
                    stats["tests_excluded"] = stats.get("tests_excluded", 0) + 1
                if references is not None:
                    references.append(rel)
                continue
            full = os.path.join(dirpath, name)
            try:
                st = os.stat(full)
            except OSError as exc:
                skipped.append(Skipped(rel, f"unreadable: {exc.strerror or exc}"))
                continue
            if not stat.S_ISREG(st.st_mode):
                skipped.append(Skipped(rel, "not a regular file"))
                continue
            if st.st_size > max_bytes:
                skipped.append(Skipped(rel, f"larger than {max_bytes // 1024} KiB"))
                continue
            found.append(Candidate(full, rel, lang, st.st_size))
    return found, skipped


def _walk(root: Path, skipped: list[Skipped]) -> Iterator[tuple[str, list[str], list[str]]]:
    def onerror(exc: OSError) -> None:
        rel = os.path.relpath(exc.filename or str(root), root) if exc.filename else "."
        skipped.append(Skipped(rel.replace(os.sep, "/"), f"unreadable directory: {exc.strerror}"))

    yield from os.walk(root, topdown=True, onerror=onerror, followlinks=False)


_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _declared_coding(data: bytes) -> str | None:
    """The PEP 263 coding declared on a Python file's first or second line, if any."""
    for line in data.split(b"\n", 2)[:2]:
        match = _CODING.match(line)
        if match:
            try:
                return codecs.lookup(match.group(1).decode("ascii")).name
            except (LookupError, UnicodeDecodeError):
                return None
        if line.strip() and not line.lstrip().startswith(b"#"):
            return None  # PEP 263: only comment lines may precede the declaration
    return None


def decode(data: bytes, language: str = "") -> tuple[str | None, str]:
    """Decode file bytes as text: ``(text, "")`` or ``(None, reason)`` for binary/odd files.

    A byte-order mark decides the encoding (UTF-8, UTF-16, UTF-32); a Python file's PEP 263
    coding declaration (``# -*- coding: latin-1 -*-``) is honoured; everything else is UTF-8.
    """
    encoding = "utf-8-sig"
    for bom, name in _BOMS:  # UTF-32 LE starts with the UTF-16 LE BOM: longest first
        if data.startswith(bom):
            encoding = name
            break
    else:
        if b"\x00" in data[:8192]:
            return None, "binary file"
        if language == "python":
            encoding = _declared_coding(data) or encoding
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None, "not UTF-8 text" if encoding == "utf-8-sig" else f"not valid {encoding} text"
    if encoding != "utf-8-sig":
        text = text.lstrip("\ufeff")
    if "\x00" in text[:8192]:
        return None, "binary file"
    if text and max(map(len, _first_lines(text, 200)), default=0) > 20000:
        return None, "minified or generated (very long lines)"
    return text, ""


def _first_lines(text: str, count: int) -> list[str]:
    """``text.splitlines()[:count]`` without splitting the whole text: lines from a 64 KB
    prefix when it holds more than ``count`` of them (then the first ``count`` end inside it)."""
    if len(text) > 65536:
        lines = text[:65536].splitlines()
        if len(lines) > count:
            return lines[:count]
    return text.splitlines()[:count]
