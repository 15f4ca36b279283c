"""Shell scripts: the commands a start script runs are entry points too.

A container often starts through a script (``CMD ["./start.sh"]``, ``ENTRYPOINT
["/docker-entrypoint.sh"]``, ``web: bin/start-web``) that migrates, then ``exec``s the server:
``gunicorn proj.asgi:application -k uvicorn.workers.UvicornWorker --workers 4``. What that
line says (ASGI or WSGI, gevent workers, how many processes, which settings module) is what
production runs, as much as a Dockerfile ``CMD`` would say it.

Each command line that names a file or module (:func:`command_targets`) becomes an
:class:`EntryPoint` with ``source="script"`` and the role its command gives it; a server line
with a worker flag gives :class:`WorkerProcesses`; ``export NAME=value`` gives
:class:`EnvVar`. Any ``.sh`` file in the tree may be a developer's helper or a CI step, so
these facts are provisional: the model keeps them only for scripts a production command runs
(:mod:`scalescope.model.run_scripts`).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

from scalescope.model.facts import EntryPoint, EnvVar
from scalescope.scan.extract.base import FileContext, extractor
from scalescope.scan.extract.entrypoints import command_role, command_targets
from scalescope.scan.extract.infra.workers import emit_command_workers

_EXPORT = re.compile(r"^(?:export\s+)([A-Za-z_][A-Za-z0-9_]*)=(.*)$")
# ``CMD="gunicorn wsgi --worker-class=gevent"``: a shell variable holding a command line
_ASSIGN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.+)$")
# ``eval ${CMD}`` / ``eval "$CMD"`` / ``$CMD`` (``exec`` already dropped): run what it holds
_RUN_VAR = re.compile(r"""^(?:eval\s+)?["']?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?["']?$""")
# shell keywords and builtins a command may hide behind (``if`` ... ``then exec gunicorn ...``)
_KEYWORDS = frozenset({"then", "else", "do", "exec", "{", "(", "!"})
# ``cmd << END`` / ``cmd <<-'EOF'``: the lines up to the delimiter are the command's input
_HEREDOC = re.compile(r"""<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?""")
# lines that are shell syntax, not commands (``fi``, ``done``, ``esac``, a case label ``web)``)
_SYNTAX = re.compile(r"^(?:fi|done|esac|;;|}|\)|else|[\w|*-]+\))\s*;?\s*$")


def script_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """``(line number, command)`` of each logical line of a shell script: comments and blank
    lines left out, backslash continuations joined, a leading ``then``/``do``/``exec``/``else``
    dropped (``if [ ... ]; then gunicorn ...`` runs ``gunicorn ...``)."""
    buf = ""
    start = 0
    heredoc: str | None = None
    for idx, raw in enumerate(lines):
        line = raw.strip()
        if heredoc is not None:
            # the body of ``python << END`` ... ``END`` is the input of a command, not commands
            if line == heredoc:
                heredoc = None
            continue
        if not buf:
            if not line or line.startswith("#"):
                continue
            start = idx + 1
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        text = (buf + line).strip()
        buf = ""
        m = _HEREDOC.search(text)
        if m:
            heredoc = m.group(1)
            text = text[: m.start()].strip()
        if not text or _SYNTAX.match(text):
            continue
        yield start, _unwrap(text)
    if buf.strip():
        yield start, _unwrap(buf.strip())


def _unwrap(text: str) -> str:
    """The command of ``then exec gunicorn ...`` / ``if [ -n "$X" ]; then cmd``: after the
    last ``then``/``do``/``else`` of the line, without a leading ``exec``."""
    for sep in ("; then ", "; do ", " then ", " else "):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    words = text.split(None, 1)
    while words and words[0] in _KEYWORDS:
        text = words[1] if len(words) > 1 else ""
        words = text.split(None, 1)
    return text.strip()


@extractor(languages=("shell",))
def shell_script(ctx: FileContext) -> None:
    """Entry points, worker counts and exported variables of a shell script (provisional:
    see the module docstring)."""
    name = ctx.path.rsplit("/", 1)[-1]
    held: dict[str, tuple[int, str]] = {}
    for line, command in script_lines(ctx.lines):
        m = _EXPORT.match(command)
        if m:
            parts = _words(m.group(2).strip())
            ctx.emit(EnvVar(ctx.line_loc(line), name=m.group(1), value=parts[0] if parts else ""))
            continue
        m = _ASSIGN.match(command)
        if m and len(parts := _words(m.group(2).strip())) == 1:
            held[m.group(1)] = (line, parts[0])  # one value: possibly a command line run later
            continue
        m = _RUN_VAR.match(command)
        if m and m.group(1) in held:
            # the command is the variable's value, cited where it is written
            line, command = held[m.group(1)]
        targets = tuple(t for t in command_targets(command) if not t.startswith("npm:"))
        if not targets:
            continue
        ctx.emit(
            EntryPoint(ctx.line_loc(line), "script", name, command[:500], command_role(command), targets)
        )
        emit_command_workers(ctx, command, line)


def _words(value: str) -> list[str]:
    """``value`` split as the shell would (the text itself when its quotes do not close)."""
    try:
        return shlex.split(value)
    except ValueError:
        return [value]
