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


@extractor(languages=("python",), needs=("SESSION_", "InMemoryBackend"))
def sessions(ctx: FileContext) -> None:
    """Emit a SessionStore for each server-side session backend configured in the file."""
    alias = _ALIAS.search(ctx.text)
    for m in _ENGINE.finditer(ctx.text):
        engine = m.group(1)
        scope = DJANGO_ENGINES.get(engine)
        if scope is None:
            continue
        ctx.emit(
            SessionStore(
                ctx.line_loc(_line(ctx, m.start(1))),
                library="django",
                backend=engine,
                scope=scope,
                cache_alias=(alias.group(1) if alias else "default") if scope == "cache" else "",
            )
        )
    for m in _FLASK_TYPE.finditer(ctx.text):
        scope = FLASK_SESSION_TYPES.get(m.group(1))
        if scope is not None:
            ctx.emit(
                SessionStore(
                    ctx.line_loc(_line(ctx, m.start())),
                    library="flask-session",
                    backend=m.group(1),
                    scope=scope,
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
