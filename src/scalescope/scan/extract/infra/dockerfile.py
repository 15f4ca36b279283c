"""Dockerfiles: ``CMD`` / ``ENTRYPOINT`` that start several app workers (gunicorn ``-w``,
uvicorn ``--workers``, ``pm2-runtime -i max``) -> :class:`WorkerProcesses`; ``ENV`` lines ->
:class:`EnvVar`; ``FROM redis`` images with a ``CMD redis-server ...`` -> :class:`RedisConfig`."""

from __future__ import annotations

import json
import re

from scalescope.model.facts import EntryPoint, EnvVar, RedisConfig
from scalescope.scan.extract.base import FileContext, extractor
from scalescope.scan.extract.entrypoints import command_role, command_targets
from scalescope.scan.extract.infra.redis_conf import is_redis_image, redis_args
from scalescope.scan.extract.infra.workers import emit_command_workers

_INSTR = re.compile(r"^\s*(CMD|ENTRYPOINT|ENV|FROM)\s+(.*)$", re.IGNORECASE)


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
    targets = command_targets(command)
    if targets:
        ctx.emit(
            EntryPoint(ctx.line_loc(line), "dockerfile", name, command[:500], command_role(command), targets)
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
