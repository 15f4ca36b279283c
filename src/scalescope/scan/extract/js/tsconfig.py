"""Module specifier mappings of ``tsconfig.json`` / ``jsconfig.json``.

``compilerOptions.baseUrl`` and ``compilerOptions.paths`` are how a TypeScript or JavaScript
project names its own files without a relative path (``@/lib/db``, ``~/models/user``,
``src/users/users.service``), and ``extends`` is where it inherits them from. Emitted as one
:class:`ModuleAliases` per configuration file, targets already relative to the scanned root, so
the model resolves a specifier the way the compiler does and never takes a package name
(``pg``, ``@nestjs/common``) for a project file.

The files are JSON with comments and trailing commas (JSONC); :func:`loads_jsonc` reads them.
"""

from __future__ import annotations

import json
import posixpath
from typing import Any

from scalescope.model.facts import ModuleAliases
from scalescope.scan.extract.base import FileContext, extractor


def loads_jsonc(text: str) -> Any:
    """Parse JSON with ``//`` and ``/* */`` comments and trailing commas (``None`` when the
    text is not that). Strings are copied as they are: ``"@/*"`` holds no comment."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif ch in "}]":
            # drop a trailing comma before the closing bracket
            k = len(out) - 1
            while k >= 0 and out[k].isspace():
                k -= 1
            if k >= 0 and out[k] == ",":
                del out[k]
            out.append(ch)
            i += 1
        else:
            out.append(ch)
            i += 1
    try:
        return json.loads("".join(out))
    except ValueError:
        return None


def _join(folder: str, rel: str) -> str | None:
    """``rel`` seen from ``folder``, relative to the scanned root (``.`` for the root itself;
    ``None`` when it leaves the scanned tree)."""
    path = posixpath.normpath(posixpath.join(folder, rel)) if folder else posixpath.normpath(rel)
    if path == ".." or path.startswith("../") or path.startswith("/"):
        return None
    return path


@extractor(languages=("tsconfig",))
def tsconfig_aliases(ctx: FileContext) -> None:
    """Emit the :class:`ModuleAliases` of a tsconfig/jsconfig file."""
    data = loads_jsonc(ctx.text)
    if not isinstance(data, dict):
        return
    folder = posixpath.dirname(ctx.path)
    options = data.get("compilerOptions")
    options = options if isinstance(options, dict) else {}
    base_url = ""
    raw_base = options.get("baseUrl")
    if isinstance(raw_base, str):
        base_url = _join(folder, raw_base) or ""
    # ``paths`` targets are relative to ``baseUrl`` when the same file sets it, else to the
    # file's own folder
    anchor = ("" if base_url == "." else base_url) if base_url else folder
    paths: list[tuple[str, tuple[str, ...]]] = []
    raw_paths = options.get("paths")
    if isinstance(raw_paths, dict):
        for pattern, targets in raw_paths.items():
            if not isinstance(pattern, str) or not isinstance(targets, list):
                continue
            resolved = tuple(
                t for t in (_join(anchor, x) for x in targets if isinstance(x, str)) if t is not None
            )
            if resolved:
                paths.append((pattern, resolved))
    raw_extends = data.get("extends")
    extends = (raw_extends,) if isinstance(raw_extends, str) else raw_extends
    extends = tuple(e for e in extends if isinstance(e, str)) if isinstance(extends, (list, tuple)) else ()
    if base_url or paths or extends:
        ctx.emit(ModuleAliases(ctx.line_loc(1), base_url=base_url, paths=tuple(paths), extends=extends))
