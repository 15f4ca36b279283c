"""How many app processes one instance runs: gunicorn/uvicorn/hypercorn/PM2 flags in commands,
Procfiles, ``gunicorn.conf.py``, PM2 ``ecosystem.config.js`` and Node ``cluster.fork()`` loops.

Each source emits :class:`WorkerProcesses` (``count=None`` when the number is computed at run
time: ``-i max``, ``cpu_count() * 2 + 1``, an environment variable).
"""

from __future__ import annotations

import posixpath
import re
import shlex

from scalescope.model.facts import EntryPoint, Service, WorkerProcesses
from scalescope.scan.extract.base import JS_LANGUAGES, FileContext, extractor
from scalescope.scan.extract.entrypoints import SHELLS, command_role, command_targets

_SERVERS = ("gunicorn", "uvicorn", "hypercorn", "granian", "pm2-runtime", "pm2", "fastapi", "daphne")
_FLAGS = {
    "gunicorn": ("-w", "--workers"),
    "uvicorn": ("--workers",),
    "hypercorn": ("-w", "--workers"),
    "granian": ("--workers",),
    "fastapi": ("--workers",),
    "pm2-runtime": ("-i", "--instances"),
    "pm2": ("-i", "--instances"),
}
_DYNAMIC = re.compile(r"^(max|-1|0|\$.*|\$\{.*\})$", re.IGNORECASE)


def command_workers(command: str) -> tuple[str, int | None] | None:
    """``(server, count)`` when ``command`` starts a multi-process server with an explicit
    worker flag (``None`` count: dynamic such as ``-i max`` or ``$WEB_CONCURRENCY``)."""
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    server = ""
    for i, word in enumerate(words):
        base = word.rsplit("/", 1)[-1]
        if not server:
            if base in _SERVERS:
                server = "pm2" if base.startswith("pm2") else base
                flags = _FLAGS.get(base, ())
            continue
        value: str | None = None
        if "=" in word and word.split("=", 1)[0] in flags:
            value = word.split("=", 1)[1]
        elif word in flags and i + 1 < len(words):
            value = words[i + 1]
        elif word.startswith("-w") and "-w" in flags and word[2:].isdigit():
            value = word[2:]
        if value is None:
            continue
        value = value.strip("'\"")
        if value.isdigit():
            return server, int(value)
        if _DYNAMIC.match(value):
            return server, None
        return server, None
    return None


def gunicorn_concurrency(command: str) -> int | None:
    """The requests one gunicorn process of ``command`` serves at once: 1 for the default sync
    worker, ``--threads N`` for threads (gunicorn switches a sync worker with threads to
    gthread); ``None`` for greenlet or async worker classes, a worker class given by a
    variable, or a config module (``-c``), which may set either."""
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    start = next((i for i, w in enumerate(words) if w.rsplit("/", 1)[-1] == "gunicorn"), None)
    if start is None:
        return None
    klass: str | None = None
    threads: str | None = None
    args = words[start + 1 :]
    for i, word in enumerate(args):
        key, eq, value = word.partition("=")
        if not eq and i + 1 < len(args):
            value = args[i + 1]
        if key in ("-c", "--config") or (key.startswith("-c") and not key.startswith("--")):
            return None
        if key in ("-k", "--worker-class"):
            klass = value
        elif key.startswith("-k") and not key.startswith("--"):
            klass = word[2:]
        elif key == "--threads":
            threads = value
    return _concurrency(klass, threads)


def _concurrency(klass: str | None, threads: str | None) -> int | None:
    klass = klass.strip("'\"") if klass is not None else None
    threads = threads.strip("'\"") if threads is not None else None
    if klass not in (None, "sync", "gthread"):
        return None  # gevent, eventlet, uvicorn's worker, a variable: many requests at once
    if threads is None:
        return 1
    return int(threads) if threads.isdigit() and int(threads) > 0 else None


def emit_command_workers(ctx: FileContext, command: str, line: int) -> None:
    """Emit :class:`WorkerProcesses` for a command line when it sets a worker count."""
    found = command_workers(command)
    if found is None:
        return
    server, count = found
    if count == 1:
        return
    concurrency = gunicorn_concurrency(command) if server == "gunicorn" else None
    ctx.emit(WorkerProcesses(ctx.line_loc(line), server=server, count=count, concurrency=concurrency))


# --------------------------------------------------------------------------- Procfile

_PROC_LINE = re.compile(r"^([A-Za-z0-9_-]+):\s*(.+)$")


@extractor(languages=("procfile",))
def procfile(ctx: FileContext) -> None:
    """``web: gunicorn app:app -w 3`` -> a Service and its WorkerProcesses."""
    for idx, raw in enumerate(ctx.lines):
        m = _PROC_LINE.match(raw.strip())
        if not m:
            continue
        name, command = m.group(1), m.group(2).strip()
        ctx.emit(
            Service(
                ctx.line_loc(idx + 1),
                name=name,
                source="procfile",
                command=command[:500],
                code_dir=posixpath.dirname(ctx.path) or ".",
            )
        )
        role = command_role(command)
        if name == "release" and role == "production":
            role = "migration" if "migrat" in command else "tooling"
        ctx.emit(
            EntryPoint(ctx.line_loc(idx + 1), "procfile", name, command[:500], role, command_targets(command))
        )
        if name == "web":
            emit_command_workers(ctx, command, idx + 1)


# --------------------------------------------------------------------------- systemd units


def _unit_commands(lines: list[str]) -> list[tuple[int, str]]:
    """``(line, command)`` of each ``ExecStart=`` of a systemd unit, continuation lines joined
    and a ``/bin/bash -c '...'`` wrapper unwrapped (the command it runs)."""
    out: list[tuple[int, str]] = []
    idx = 0
    while idx < len(lines):
        raw = lines[idx].strip()
        start = idx + 1
        if raw.startswith("ExecStart="):
            command = raw[len("ExecStart=") :]
            while command.endswith("\\") and idx + 1 < len(lines):
                idx += 1
                command = command[:-1].rstrip() + " " + lines[idx].strip()
            command = command.lstrip("@-+!:")  # systemd's prefixes (ignore failure, full privileges...)
            try:
                words = shlex.split(command)
            except ValueError:
                words = command.split()
            if len(words) >= 3 and words[0].rsplit("/", 1)[-1] in SHELLS and words[1] == "-c":
                command = words[2]
            if command.strip():
                out.append((start, command.strip()))
        idx += 1
    return out


@extractor(languages=("systemd",))
def systemd_unit(ctx: FileContext) -> None:
    """A systemd service's ``ExecStart=`` (``gunicorn proj.wsgi --workers 3``): how a server
    installed on a host runs the application, like a Procfile line."""
    name = posixpath.basename(ctx.path).rsplit(".", 1)[0]
    # no Service: where the unit's WorkingDirectory is on the host is not a folder of the tree
    for line, command in _unit_commands(ctx.lines):
        role = command_role(command)
        targets = command_targets(command)
        ctx.emit(EntryPoint(ctx.line_loc(line), "systemd", name, command[:500], role, targets))
        emit_command_workers(ctx, command, line)


# --------------------------------------------------------------------------- gunicorn.conf.py

_GUNICORN_WORKERS = re.compile(r"^workers\s*=\s*(.+?)\s*(?:#.*)?$", re.MULTILINE)
_GUNICORN_SETTING = re.compile(r"^(worker_class|threads)\s*=\s*(.+?)\s*(?:#.*)?$", re.MULTILINE)


@extractor(languages=("python",), needs=("workers",))
def gunicorn_conf(ctx: FileContext) -> None:
    """``workers = 4`` (or a computed value) in a gunicorn config module."""
    name = ctx.path.rsplit("/", 1)[-1].lower()
    if "gunicorn" not in name and not ("gunicorn" in ctx.path.lower() and name.endswith(".py")):
        return
    m = _GUNICORN_WORKERS.search(ctx.text)
    if not m:
        return
    value = m.group(1)
    lineno = ctx.text.count("\n", 0, m.start()) + 1
    count = int(value) if value.isdigit() else None
    if count == 1:
        return
    settings: dict[str, str] = {}
    for setting in _GUNICORN_SETTING.finditer(ctx.text):
        settings.setdefault(setting.group(1), setting.group(2))
    klass = settings.get("worker_class")
    if klass is not None and not re.fullmatch(r"""(['"])\w+\1""", klass):
        concurrency = None  # ``worker_class = os.environ.get(...)``: set elsewhere
    else:
        concurrency = _concurrency(klass, settings.get("threads"))
    ctx.emit(WorkerProcesses(ctx.line_loc(lineno), server="gunicorn", count=count, concurrency=concurrency))


# --------------------------------------------------------------------------- PM2 / node cluster

_PM2_INSTANCES = re.compile(r"\binstances\s*:\s*(['\"]?)([A-Za-z0-9_.$-]+)\1")
_PM2_CLUSTER = re.compile(r"exec_mode\s*:\s*['\"](cluster|cluster_mode)['\"]")


@extractor(languages=JS_LANGUAGES, needs=("instances", "cluster"))
def pm2_and_cluster(ctx: FileContext) -> None:
    """PM2 ecosystem ``instances`` and Node ``cluster.fork()`` calls."""
    name = ctx.path.rsplit("/", 1)[-1].lower()
    if name.startswith(("ecosystem", "pm2")) and "apps" in ctx.text:
        for m in _PM2_INSTANCES.finditer(ctx.text):
            value = m.group(2)
            lineno = ctx.text.count("\n", 0, m.start()) + 1
            if value.isdigit():
                count: int | None = int(value)
                if count in (0,):
                    count = None
            elif value.lstrip("-").isdigit():
                count = None
            else:
                count = None
            if count == 1:
                continue
            if count is None or count > 1 or _PM2_CLUSTER.search(ctx.text):
                ctx.emit(WorkerProcesses(ctx.line_loc(lineno), server="pm2", count=count))
        return
    if "cluster.fork(" not in ctx.text and ".fork()" not in ctx.text:
        return
    if "cluster" not in ctx.text:
        return
    fork = re.search(r"\bcluster\.fork\s*\(", ctx.text)
    if fork is None:
        return
    lineno = ctx.text.count("\n", 0, fork.start()) + 1
    ctx.emit(WorkerProcesses(ctx.line_loc(lineno), server="node-cluster", count=None))
