"""docker-compose files: services, their environment, Redis and PostgreSQL server settings.

Emits a :class:`Service` per compose service, an :class:`EnvVar` per environment entry, a
:class:`RedisConfig` for every Redis-like service (``maxmemory`` / ``policy`` from its
``redis-server`` command, ``None`` when the command does not set them), a
:class:`WorkerProcesses` for app commands that start several workers, and a :class:`DbSetting`
for ``postgres -c name=value`` server flags.
"""

from __future__ import annotations

import posixpath
import re

import yaml

from scalescope.model.facts import DbSetting, EntryPoint, EnvVar, Loc, RedisConfig, Service
from scalescope.model.roles import CI_NAMES
from scalescope.scan.extract.base import FileContext, extractor
from scalescope.scan.extract.entrypoints import command_role, command_targets
from scalescope.scan.extract.infra import yamlnodes as Y
from scalescope.scan.extract.infra.redis_conf import is_redis_image, redis_args
from scalescope.scan.extract.infra.workers import emit_command_workers

_COMPOSE_NAME = re.compile(r"(^|/)(docker-)?compose[^/]*\.ya?ml$", re.IGNORECASE)
_PG_FLAG = re.compile(r"-c\s+([a-z_]+)\s*=\s*(\S+)")
# compose files only used in development, by name: docker-compose.dev.yml, compose.local.yaml,
# docker-compose.override.yml (merged into ``docker compose up`` on a developer machine), and
# those named for a CI service (docker-compose.travis.yml)
_DEV_NAME = re.compile(
    rf"(^|[._-])(dev|devel|develop|development|local|test|tests|testing|e2e|override|debug|devcontainer|{CI_NAMES})"
    r"([._-]|$)",
    re.IGNORECASE,
)
_DEV_FOLDERS = frozenset({"dev", "devel", "development", "local", "test", "tests", "testing", "e2e", "ci"})
_DEV_COMMAND = re.compile(
    r"\b(nodemon|ts-node-dev|tsnd|next dev|nuxt dev|vite|tsx watch|runserver|--reload|--watch|"
    r"(npm|yarn|pnpm|bun)( run)? (dev|start:dev|watch|develop))\b"
)


def dev_reason(path: str, services: list[tuple[str, yaml.Node]]) -> str:
    """Why a compose file only runs in development ("" when it looks like a deployment)."""
    name = path.rsplit("/", 1)[-1]
    stem = re.sub(r"\.ya?ml$", "", name, flags=re.IGNORECASE)
    stem = re.sub(r"^(docker-)?compose", "", stem, flags=re.IGNORECASE)
    if "/.devcontainer/" in "/" + path:
        return f"{path} is a devcontainer compose file (development only)"
    folders = [f.lower() for f in path.split("/")[:-1]]
    dev_folder = next((f for f in folders if _DEV_NAME.fullmatch(f) or f in _DEV_FOLDERS), None)
    if dev_folder is not None:
        return f"{path} is in a {dev_folder}/ folder (a development compose file)"
    if _DEV_NAME.search(stem):
        return f"{name} is a development compose file (by its name)"
    for svc_name, svc in services:
        if Y.get(svc, "build") is None:
            continue
        command = Y.flat_text(Y.get(svc, "command"))
        if not _DEV_COMMAND.search(command):
            continue
        for vol in Y.seq(Y.get(svc, "volumes")):
            host = (Y.scalar(vol) or Y.scalar(Y.get(vol, "source")) or "").split(":", 1)[0]
            if host.startswith((".", "/")) and not host.startswith(("/var/run", "/etc")):
                return (
                    f"{name} mounts the source into service '{svc_name}' and runs `{command[:60]}` "
                    "(a development setup)"
                )
    return ""


def code_dir(path: str, svc: yaml.Node) -> str:
    """Folder (relative to the scanned root) of the code a service builds: its build context,
    or the folder of its Dockerfile when that lies deeper (``context: .`` in a monorepo)."""
    build = Y.get(svc, "build")
    if build is None:
        return ""
    context = Y.scalar(build)
    dockerfile = ""
    if context is None:
        context = Y.scalar(Y.get(build, "context")) or "."
        dockerfile = Y.scalar(Y.get(build, "dockerfile")) or ""
    if "://" in context or context.startswith("git@"):
        return ""
    base = posixpath.dirname(path)
    folder = posixpath.normpath(posixpath.join(base, context))
    if dockerfile and "/" in dockerfile:
        folder = posixpath.normpath(posixpath.join(folder, posixpath.dirname(dockerfile)))
    if folder.startswith(".."):
        return ""
    return folder


def is_compose(path: str, doc: yaml.Node) -> bool:
    """A compose file: conventional name, or a top-level ``services`` mapping of services."""
    services = Y.get(doc, "services")
    if not isinstance(services, yaml.MappingNode):
        return False
    if _COMPOSE_NAME.search(path):
        return True
    if Y.get(doc, "apiVersion") is not None or Y.get(doc, "kind") is not None:
        return False
    return any(
        Y.get(svc, "image") is not None or Y.get(svc, "build") is not None for _, _, svc in Y.items(services)
    )


def environment(ctx: FileContext, node: yaml.Node | None) -> list[tuple[str, str, int]]:
    """``(name, value, line)`` of a compose ``environment`` (mapping or ``K=V`` list)."""
    out: list[tuple[str, str, int]] = []
    for key, knode, value in Y.items(node):
        out.append((key, Y.scalar(value) or "", Y.line(knode)))
    for item in Y.seq(node):
        raw = Y.scalar(item)
        if raw is None:
            continue
        name, _, val = raw.partition("=")
        out.append((name.strip(), val, Y.line(item)))
    return out


def _replicas(svc: yaml.Node) -> int | None:
    count = Y.as_int(Y.get(svc, "deploy", "replicas"))
    if count is None:
        count = Y.as_int(Y.get(svc, "scale"))
    return count


def _resources(svc: yaml.Node) -> tuple[tuple[str, str], ...]:
    out = Y.flatten(Y.get(svc, "deploy", "resources"))
    for key in ("mem_limit", "cpus", "mem_reservation", "cpu_count"):
        raw = Y.scalar(Y.get(svc, key))
        if raw is not None:
            out.append((key, raw))
    return tuple(out)


def _has_healthcheck(svc: yaml.Node) -> bool:
    hc = Y.get(svc, "healthcheck")
    if hc is None:
        return False
    disabled = Y.scalar(Y.get(hc, "disable"))
    test = Y.flat_text(Y.get(hc, "test")).strip().upper()
    return not (disabled is not None and disabled.lower() == "true") and test != "NONE"


@extractor(languages=("yaml",), needs=("services:",))
def compose_services(ctx: FileContext) -> None:
    """Services of a docker-compose file."""
    for doc in Y.documents(ctx.text):
        if not is_compose(ctx.path, doc):
            continue
        services = [
            (name, knode, svc)
            for name, knode, svc in Y.items(Y.get(doc, "services"))
            if isinstance(svc, yaml.MappingNode)
        ]
        dev = dev_reason(ctx.path, [(n, s) for n, _, s in services])
        for name, knode, svc in services:
            _service(ctx, name, knode, svc, dev)


def _service(ctx: FileContext, name: str, knode: yaml.Node, svc: yaml.Node, dev: str = "") -> None:
    image_node = Y.get(svc, "image")
    image = Y.scalar(image_node) or ""
    command_node = Y.get(svc, "command")
    entry_node = Y.get(svc, "entrypoint")
    command = " ".join(x for x in (Y.flat_text(entry_node), Y.flat_text(command_node)) if x).strip()
    env = environment(ctx, Y.get(svc, "environment"))
    loc = Loc(ctx.path, Y.line(knode), Y.end_line(svc))
    ctx.emit(
        Service(
            loc,
            name=name,
            source="compose",
            image=image,
            command=command[:500],
            replicas=_replicas(svc),
            environment=tuple((k, v[:500]) for k, v, _ in env),
            has_healthcheck=_has_healthcheck(svc),
            resources=_resources(svc),
            code_dir=code_dir(ctx.path, svc),
            dev_reason=dev,
        )
    )
    for key, value, lineno in env:
        if key:
            ctx.emit(EnvVar(ctx.line_loc(lineno), name=key, value=value))
    cmd_line = Y.line(command_node) if command_node is not None else Y.line(knode)
    if is_redis_image(image) or command.lstrip().startswith(
        ("redis-server", "valkey-server", "keydb-server")
    ):
        maxmemory, policy = redis_args(command)
        at = Y.line(image_node) if image_node is not None else Y.line(knode)
        if command_node is not None and (maxmemory or policy):
            at = Y.line(command_node)
        ctx.emit(
            RedisConfig(ctx.line_loc(at), source="compose", service=name, maxmemory=maxmemory, policy=policy)
        )
        return
    if "postgres" in image.lower() or command.lstrip().startswith("postgres"):
        for m in _PG_FLAG.finditer(command):
            ctx.emit(
                DbSetting(ctx.line_loc(cmd_line), scope="server", name=m.group(1).lower(), value=m.group(2))
            )
        return
    if command:
        emit_command_workers(ctx, command, cmd_line)
        folder = code_dir(ctx.path, svc)
        prefix = posixpath.relpath(
            folder or posixpath.dirname(ctx.path) or ".", posixpath.dirname(ctx.path) or "."
        )
        targets = tuple(
            t if ":" in t or prefix == "." else posixpath.normpath(posixpath.join(prefix, t))
            for t in command_targets(command)
        )
        role = "dev-only" if dev else command_role(command)
        ctx.emit(EntryPoint(ctx.line_loc(cmd_line), "compose", name, command[:500], role, targets))
