"""Dockerfiles: ``CMD`` / ``ENTRYPOINT`` that start several app workers (gunicorn ``-w``,
uvicorn ``--workers``, ``pm2-runtime -i max``) -> :class:`WorkerProcesses`; ``ENV`` lines ->
:class:`EnvVar`; ``FROM redis`` images with a ``CMD redis-server ...`` -> :class:`RedisConfig`."""

from __future__ import annotations

import json
import posixpath
import re

from scalescope.model.facts import EntryPoint, EnvVar, RedisConfig
from scalescope.model.run_scripts import SERVICE_GLOB
from scalescope.scan.extract.base import FileContext, extractor
from scalescope.scan.extract.entrypoints import base_entry_targets, command_role, command_targets
from scalescope.scan.extract.infra.redis_conf import is_redis_image, redis_args
from scalescope.scan.extract.infra.workers import emit_command_workers

_INSTR = re.compile(r"^\s*(CMD|ENTRYPOINT|ENV|FROM|COPY|ADD)\s+(.*)$", re.IGNORECASE)
#: service folders of the process supervisors a container's init runs (s6-overlay v3 and v2,
#: runit): each ``<service>/run`` script under them is started with the container
_SERVICE_DIRS = ("/etc/s6-overlay/s6-rc.d", "/etc/services.d", "/etc/service")


def _logical_lines(ctx: FileContext) -> list[tuple[int, str]]:
    """Join backslash continuations: ``(first line number, joined text)``."""
    out: list[tuple[int, str]] = []
    buf: list[str] = []
    start = 0
    for idx, raw in enumerate(ctx.lines):
        stripped = raw.rstrip()
        if not buf:
            if not stripped or stripped.lstrip().startswith("#"):
                continue
            start = idx + 1
        if stripped.endswith("\\"):
            buf.append(stripped[:-1])
            continue
        buf.append(stripped)
        out.append((start, " ".join(buf)))
        buf = []
    if buf:
        out.append((start, " ".join(buf)))
    return out


def _command_text(raw: str) -> str:
    raw = raw.strip()
    if raw.startswith("["):
        try:
            parts = json.loads(raw)
        except ValueError:
            return raw
        if isinstance(parts, list):
            return " ".join(str(p) for p in parts)
    return raw


@extractor(languages=("dockerfile",))
def dockerfile(ctx: FileContext) -> None:
    """Worker counts, environment and Redis flags of a Dockerfile (last stage wins)."""
    image = ""
    entry = ""
    entry_line = 0
    for lineno, text in _logical_lines(ctx):
        m = _INSTR.match(text)
        if not m:
            continue
        instr, rest = m.group(1).upper(), m.group(2)
        if instr == "FROM":
            image = rest.split()[0] if rest.split() else ""
            entry = ""
        elif instr in {"COPY", "ADD"}:
            _service_copy(ctx, rest, lineno)
        elif instr == "ENV":
            for name, value in _env_pairs(rest):
                ctx.emit(EnvVar(ctx.line_loc(lineno), name=name, value=value))
        elif instr == "ENTRYPOINT":
            entry = _command_text(rest)
            entry_line = lineno
        elif instr == "CMD":
            command = f"{entry} {_command_text(rest)}".strip()
            entry = ""
            if is_redis_image(image) or "redis-server" in command:
                maxmemory, policy = redis_args(command)
                ctx.emit(
                    RedisConfig(ctx.line_loc(lineno), source="dockerfile", maxmemory=maxmemory, policy=policy)
                )
            else:
                emit_command_workers(ctx, command, lineno)
                _entry(ctx, "CMD", command, lineno)
    if entry:
        emit_command_workers(ctx, entry, entry_line)
        _entry(ctx, "ENTRYPOINT", entry, entry_line)


def _entry(ctx: FileContext, name: str, command: str, line: int) -> None:
    targets = command_targets(command) or base_entry_targets(command)
    if targets or _SERVER.search(command):
        ctx.emit(
            EntryPoint(ctx.line_loc(line), "dockerfile", name, command[:500], command_role(command), targets)
        )


# a server started without an app argument (``ENTRYPOINT ["/usr/local/bin/gunicorn"]``, its
# app and options in a ``gunicorn.conf.py``): still the command production runs
_SERVER = re.compile(r"(?:^|[\s/])(?:gunicorn|uvicorn|hypercorn|daphne|uwsgi|granian)\b")


def _service_copy(ctx: FileContext, rest: str, line: int) -> None:
    """``COPY docker/s6-rc.d /etc/s6-overlay/s6-rc.d`` (or ``COPY rootfs /``): the container's
    init starts every ``<service>/run`` script copied into a supervisor's service folder, so
    the copy is an entry point whose targets are those scripts (``docker/s6-rc.d/*/run``,
    :data:`~scalescope.model.run_scripts.SERVICE_GLOB`). Copies from another build stage or a
    URL name no file of the tree."""
    words = _command_text(rest).split() if rest.lstrip().startswith("[") else rest.split()
    if any(w.startswith("--from") for w in words):
        return
    paths = [w.strip("'\"") for w in words if not w.startswith("--")]
    if len(paths) < 2:
        return
    if not paths[-1].startswith("/"):
        return  # relative to the working folder: not a supervisor's service folder
    dest = posixpath.normpath(paths[-1])
    targets: list[str] = []
    for source in paths[:-1]:
        if "://" in source or "$" in source or "*" in source:
            continue
        source = source.rstrip("/").removeprefix("./") or "."
        for service_dir in _SERVICE_DIRS:
            if dest == service_dir:
                targets.append(source + SERVICE_GLOB)
            elif service_dir.startswith(dest.rstrip("/") + "/"):
                inner = service_dir[len(dest.rstrip("/")) + 1 :]
                targets.append(posixpath.join(source, inner) + SERVICE_GLOB)
    if targets:
        command = f"COPY {rest.strip()}"
        ctx.emit(
            EntryPoint(ctx.line_loc(line), "dockerfile", "COPY", command[:500], "production", tuple(targets))
        )


def _env_pairs(rest: str) -> list[tuple[str, str]]:
    rest = rest.strip()
    if "=" not in rest.split(" ", 1)[0]:
        name, _, value = rest.partition(" ")
        return [(name, value.strip().strip("'\""))] if name else []
    out = []
    for m in re.finditer(r"([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|'[^']*'|\S*)", rest):
        out.append((m.group(1), m.group(2).strip("'\"")))
    return out
