"""Session store facts in Python: Django ``SESSION_ENGINE``, Flask-Session ``SESSION_TYPE`` and
the in-memory backend of fastapi-sessions.

Django cache-backed sessions (``cache``, ``cached_db``) are emitted with the cache alias they
use; whether that cache lives in process memory is decided from the cache facts
(``InProcessCache`` of kind ``django-locmem``) by the rule, since settings are often split over
files. The session backends themselves are data (:data:`DJANGO_ENGINES`,
:data:`FLASK_SESSION_TYPES`).
"""

from __future__ import annotations

import re

from scalescope.model.facts import SessionStore
from scalescope.scan.extract.base import FileContext, extractor
from scalescope.scan.extract.py.ast import iter_calls

# SESSION_ENGINE tail -> scope (``cache``: decided by the cache alias)
DJANGO_ENGINES: dict[str, str] = {
    "cache": "cache",
    "cached_db": "cache",
    "file": "machine",
}
# Flask-Session SESSION_TYPE -> scope; the others (redis, memcached, mongodb, sqlalchemy...)
# are shared
FLASK_SESSION_TYPES: dict[str, str] = {"filesystem": "machine"}
# constructors of in-memory server-side session backends
MEMORY_BACKENDS: dict[str, str] = {"InMemoryBackend": "fastapi-sessions"}

_ENGINE = re.compile(
    r"""^[ \t]*SESSION_ENGINE\s*=\s*['"]django\.contrib\.sessions\.backends\.(\w+)['"]""", re.M
)
_ALIAS = re.compile(r"""^[ \t]*SESSION_CACHE_ALIAS\s*=\s*['"]([\w-]+)['"]""", re.M)
# ``SESSION_TYPE = "x"``, ``app.config["SESSION_TYPE"] = "x"``, ``{"SESSION_TYPE": "x"}``,
# ``config.update(SESSION_TYPE="x")``
_FLASK_TYPE = re.compile(r"""\bSESSION_TYPE['"]?\s*(?:\]\s*)?[:=]\s*['"](\w+)['"]""")


def _line(ctx: FileContext, offset: int) -> int:
    return ctx.text.count("\n", 0, offset) + 1


_BRANCH = re.compile(r"(?:if|elif|else)\b\s*(.*?):?\s*$")


def _condition(ctx: FileContext, line: int) -> str:
    """The ``if``/``elif``/``else`` test a setting at ``line`` is assigned under (nearest less
    indented branch line), ``""`` at module level or inside a class/function body."""
    lines = ctx.lines
    text = lines[line - 1]
    indent = len(text) - len(text.lstrip())
    if indent == 0:
        return ""
    for prev in reversed(lines[: line - 1]):
        stripped = prev.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        if len(prev) - len(stripped) < indent:
            m = _BRANCH.match(stripped)
            return (m.group(1) or "else")[:80] if m else ""
    return ""


@extractor(languages=("python",), needs=("SESSION_", "InMemoryBackend"))
def sessions(ctx: FileContext) -> None:
    """Emit a SessionStore for each server-side session backend configured in the file."""
    alias = _ALIAS.search(ctx.text)
    for m in _ENGINE.finditer(ctx.text):
        engine = m.group(1)
        scope = DJANGO_ENGINES.get(engine)
        if scope is None:
            continue
        line = _line(ctx, m.start(1))
        ctx.emit(
            SessionStore(
                ctx.line_loc(line),
                library="django",
                backend=engine,
                scope=scope,
                cache_alias=(alias.group(1) if alias else "default") if scope == "cache" else "",
                condition=_condition(ctx, line),
            )
        )
    for m in _FLASK_TYPE.finditer(ctx.text):
        scope = FLASK_SESSION_TYPES.get(m.group(1))
        if scope is not None:
            line = _line(ctx, m.start())
            ctx.emit(
                SessionStore(
                    ctx.line_loc(line),
                    library="flask-session",
                    backend=m.group(1),
                    scope=scope,
                    condition=_condition(ctx, line),
                )
            )
    if "InMemoryBackend" in ctx.text:
        for call, parts in iter_calls(ctx):
            name = parts[-1] if parts else ""
            if name not in MEMORY_BACKENDS:
                # ``InMemoryBackend[UUID, SessionData]()``: the callee is a subscript
                head = ctx.node_text(call.child_by_field_name("function")).split("[", 1)[0]
                name = head.rsplit(".", 1)[-1]
            library = MEMORY_BACKENDS.get(name)
            if library is not None:
                ctx.emit(SessionStore(ctx.loc(call), library=library, backend=name))
