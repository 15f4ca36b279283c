"""What a schema migration imports (Django/alembic revisions, knex/Sequelize/TypeORM migration
files), so the model knows which helpers only migrations load.

Code extractors skip migration folders (their code runs once, at deploy time), and a file no
extractor reads is never parsed. A data migration often calls a helper of the application
(``from util.migrations import merge_duplicates``): without the migration's imports that
helper looks imported by nothing and is taken for production code. This reader emits the
migration's :class:`Import` facts from its import lines, without parsing the file, so
:mod:`scalescope.model.roles` can tell that the helper is only used by migrations.

Python: ``from a.b import c as d`` (parenthesised lists over several lines too) and
``import a.b as c``. JavaScript/TypeScript: ``import ... from "x"``, ``import "x"``,
``export ... from "x"``, ``require("x")`` and ``import("x")``, with an empty ``local`` (the
module is loaded; no call is resolved through it).
"""

from __future__ import annotations

import re

from scalescope.model.facts import Import
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, extractor

_PY_FROM = re.compile(r"from\s+(\.*[\w.]*)\s+import\s+(.*)", re.DOTALL)
_PY_NAME = re.compile(r"([\w.]+)(?:\s+as\s+(\w+))?")
# a module string after ``from``/``import``/``require(``/``import(``
_JS_SPEC = re.compile(r"(?:\bfrom|\bimport|\brequire\s*\(|\bimport\s*\()\s*([\"'])([^\"'\n]+)\1")


@extractor(languages=("python",), needs=("import",), migrations=True)
def python_migration_imports(ctx: FileContext) -> None:
    """Emit an :class:`Import` per name a Python migration imports (only in migrations)."""
    if not ctx.is_migration:
        return
    lines = ctx.lines
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        start = i
        i += 1
        if not stripped.startswith(("from ", "import ")):
            continue
        statement = stripped.split("#", 1)[0]
        if "(" in statement:  # ``from x import (\n a,\n b,\n)``
            while ")" not in statement and i < len(lines):
                statement += " " + lines[i].split("#", 1)[0].strip()
                i += 1
        loc = ctx.line_loc(start + 1, i)
        m = _PY_FROM.match(statement)
        if m is not None:
            module = m.group(1)
            for name, alias in _PY_NAME.findall(m.group(2).strip("() ")):
                if name != "*" and "." not in name:
                    ctx.emit(Import(loc, alias or name, module, name))
            continue
        for name, alias in _PY_NAME.findall(statement.removeprefix("import").strip()):
            ctx.emit(Import(loc, alias or name, name, "*"))


@extractor(languages=JS_LANGUAGES, needs=("import", "require", "export"), migrations=True)
def js_migration_imports(ctx: FileContext) -> None:
    """Emit an :class:`Import` (``local=""``) per module a JS/TS migration loads (only in
    migrations)."""
    if not ctx.is_migration:
        return
    text = ctx.text
    line, pos = 1, 0
    for m in _JS_SPEC.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        ctx.emit(Import(ctx.line_loc(line), "", m.group(2), ""))
