"""Fix knowledge per library, as data: the advice and snippet each rule offers, chosen by the
stack detected for the file or client a finding is about. The tables live per category
(``database/_fixes.py``, ``caching/_fixes.py``); this module holds what they share: the
:class:`Fix` shape, name filling and the stack near a file.

Rules ask for a fix by what they know (the ORM of a query, the library of a client, the
frameworks near a file, whether a queue uses Redis) and get a :class:`Fix`; they hold no
per-library text of their own. Snippets name the project's own model or table (the
``{model}``/``{Model}``/``{table}`` slots are filled from the finding), never an example model
the project does not have. A new ORM, framework or cache is an entry in these tables.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from scalescope.model.facts import Import, StackItem
from scalescope.model.project import ProjectModel


class Fix(NamedTuple):
    """What to do (prose), how (a snippet) and the snippet's language."""

    advice: str
    snippet: str
    language: str


# --------------------------------------------------------------------------- names


def pascal(name: str) -> str:
    return name[:1].upper() + name[1:] if name else "Item"


def camel(name: str) -> str:
    return name[:1].lower() + name[1:] if name else "item"


def fill(template: Fix, model: str | None, key: str = "id") -> Fix:
    """Fill ``{model}`` (as written), ``{Model}``, ``{camel}`` and ``{table}`` from the finding's
    model; with no model, neutral placeholders (``items``) rather than an invented one."""
    name = model or ""
    plain = re.sub(r"\W", "", name.rsplit(".", 1)[-1]) if name else ""
    values = {
        "model": plain or "item",
        "Model": pascal(plain) if plain else "Item",
        "camel": camel(plain) if plain else "item",
        "table": plain or "items",
        "key": key,
    }
    return Fix(template.advice.format(**values), template.snippet.format(**values), template.language)


# --------------------------------------------------------------------------- stack near a file


def stack_near(model: ProjectModel, path: str) -> frozenset[str]:
    """Names of the libraries the code at ``path`` runs with: the stack of the nearest
    manifests above it (its package, then the enclosing ones) plus what the file imports."""
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    names: set[str] = set()
    for item in model.all(StackItem):
        where = item.loc.file.rsplit("/", 1)[0] if "/" in item.loc.file else ""
        if where == "" or folder == where or folder.startswith(where + "/"):
            names.add(item.name)
    for imp in model.all(Import):
        if imp.loc.file == path:
            names.add(imp.module)
    return frozenset(names)
