"""Kubernetes manifests (multi-document YAML) and simple Helm ``values.yaml`` Redis settings.

Workloads (Deployment, StatefulSet, ..., also inside an OpenShift ``Template``'s ``objects``)
become :class:`Service` facts (replicas, image, command, env, probes, resources) and their main
container's command an :class:`EntryPoint` (``source="k8s"``); a HorizontalPodAutoscaler sets
``autoscale_max`` on the workload it targets (a separate ``Service`` with only
``autoscale_max`` when the target lives in another file). Redis containers and ConfigMaps with
``redis.conf`` data yield :class:`RedisConfig`; container env literals yield :class:`EnvVar`.
"""

from __future__ import annotations

import re
from dataclasses import replace

import yaml

from scalescope.model.facts import DbSetting, EntryPoint, EnvVar, Loc, RedisConfig, Service
from scalescope.scan.extract.base import FileContext, extractor
from scalescope.scan.extract.entrypoints import command_role, command_targets
from scalescope.scan.extract.infra import yamlnodes as Y
from scalescope.scan.extract.infra.redis_conf import conf_settings, is_redis_image, redis_args
from scalescope.scan.extract.infra.workers import emit_command_workers

WORKLOADS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Rollout", "DeploymentConfig"})
_PG_FLAG = re.compile(r"-c\s+([a-z_]+)\s*=\s*(\S+)")
_HELM_MAXMEMORY = re.compile(r"(?:--)?maxmemory(?:[ =:]+)(\d+[a-zA-Z]*)")
_HELM_POLICY = re.compile(r"(?:--)?maxmemory-policy(?:[ =:]+)([a-z-]+)")


def _containers(pod: yaml.Node | None) -> list[yaml.Node]:
    return [c for c in Y.seq(Y.get(pod, "containers")) if isinstance(c, yaml.MappingNode)]


def _env(container: yaml.Node) -> list[tuple[str, str, int, bool]]:
    """``(name, value or valueFrom text, line, literal?)`` of a container's env."""
    out: list[tuple[str, str, int, bool]] = []
    for item in Y.seq(Y.get(container, "env")):
        name = Y.scalar(Y.get(item, "name"))
        if not name:
            continue
        value_node = Y.get(item, "value")
        if value_node is not None:
            out.append((name, Y.scalar(value_node) or "", Y.line(item), True))
        else:
            ref = ",".join(f"{k}={v}" for k, v in Y.flatten(Y.get(item, "valueFrom")))
            out.append((name, f"valueFrom:{ref}"[:200], Y.line(item), False))
    return out


@extractor(languages=("yaml",), needs=("apiVersion", "maxmemory"))
def k8s_manifests(ctx: FileContext) -> None:
    """Workloads, autoscalers and Redis settings of Kubernetes manifests and Helm values."""
    docs = Y.documents(ctx.text)
    services: dict[str, int] = {}
    hpas: list[tuple[str, int, int]] = []
    for doc in _with_objects(docs):
        kind = Y.scalar(Y.get(doc, "kind")) or ""
        if not kind or Y.get(doc, "apiVersion") is None:
            continue
        name = Y.scalar(Y.get(doc, "metadata", "name")) or ""
        if kind in WORKLOADS:
            index = _workload(ctx, doc, name)
            if index is not None:
                services[name] = index
        elif kind == "HorizontalPodAutoscaler":
            target = Y.scalar(Y.get(doc, "spec", "scaleTargetRef", "name")) or ""
            max_node = Y.get(doc, "spec", "maxReplicas")
            count = Y.as_int(max_node)
            if target and count is not None and max_node is not None:
                hpas.append((target, count, Y.line(max_node)))
        elif kind == "ConfigMap":
            for key, _, value in Y.items(Y.get(doc, "data")):
                text = Y.scalar(value) or ""
                if "redis" in key.lower() or "maxmemory" in text:
                    maxmemory, policy, _ = conf_settings(text)
                    if maxmemory or policy or key.lower().endswith("redis.conf"):
                        ctx.emit(
                            RedisConfig(
                                ctx.line_loc(Y.line(value)),
                                source="k8s",
                                service=name,
                                maxmemory=maxmemory,
                                policy=policy,
                            )
                        )
    for target, count, lineno in hpas:
        idx = services.get(target)
        if idx is not None:
            svc = ctx.facts[idx]
            assert isinstance(svc, Service)
            ctx.facts[idx] = replace(svc, autoscale_max=count)
        else:
            ctx.emit(Service(ctx.line_loc(lineno), name=target, source="k8s", autoscale_max=count))
    if not docs or any(Y.get(d, "apiVersion") is not None for d in docs):
        return
    name = ctx.path.rsplit("/", 1)[-1].lower()
    if name.startswith("values") and "redis" in ctx.text.lower():
        for doc in docs:
            _helm_values(ctx, doc)


def _with_objects(docs: list[yaml.Node]) -> list[yaml.Node]:
    """The documents, and the manifests an OpenShift ``Template`` (``objects:``) or a ``List``
    (``items:``) holds: each is deployed as if it stood alone."""
    out: list[yaml.Node] = []
    for doc in docs:
        out.append(doc)
        kind = Y.scalar(Y.get(doc, "kind")) or ""
        if kind in {"Template", "List"} or kind.endswith("List"):
            out.extend(
                o
                for o in Y.seq(Y.get(doc, "objects") or Y.get(doc, "items"))
                if isinstance(o, yaml.MappingNode)
            )
    return out


def _workload(ctx: FileContext, doc: yaml.Node, name: str) -> int | None:
    pod = Y.get(doc, "spec", "template", "spec")
    containers = _containers(pod)
    if not containers:
        return None
    main = containers[0]
    image = Y.scalar(Y.get(main, "image")) or ""
    command = " ".join(
        x for x in (Y.flat_text(Y.get(main, "command")), Y.flat_text(Y.get(main, "args"))) if x
    )
    env: list[tuple[str, str, int, bool]] = []
    healthy = False
    for c in containers:
        env.extend(_env(c))
        healthy = healthy or any(
            Y.get(c, p) is not None for p in ("livenessProbe", "readinessProbe", "startupProbe")
        )
    kind = Y.scalar(Y.get(doc, "kind"))
    replicas_node = Y.get(doc, "spec", "replicas")
    replicas = Y.as_int(replicas_node)
    if replicas is None and kind == "Deployment" and replicas_node is None:
        replicas = None  # Kubernetes default is 1; leave unset so the model does not over-count
    index = len(ctx.facts)
    ctx.emit(
        Service(
            Loc(ctx.path, Y.line(doc), Y.end_line(doc)),
            name=name,
            source="k8s",
            image=image,
            command=command[:500],
            replicas=replicas,
            environment=tuple((k, v[:500]) for k, v, _, _ in env),
            has_healthcheck=healthy,
            resources=tuple(Y.flatten(Y.get(main, "resources"))),
        )
    )
    for key, value, lineno, literal in env:
        if literal:
            ctx.emit(EnvVar(ctx.line_loc(lineno), name=key, value=value))
    for c in containers:
        c_image = Y.scalar(Y.get(c, "image")) or ""
        cmd_node = Y.get(c, "args") or Y.get(c, "command")
        c_cmd = " ".join(x for x in (Y.flat_text(Y.get(c, "command")), Y.flat_text(Y.get(c, "args"))) if x)
        at = Y.line(cmd_node) if cmd_node is not None else Y.line(c)
        if is_redis_image(c_image):
            maxmemory, policy = redis_args(c_cmd)
            image_node = Y.get(c, "image")
            loc_line = at if (maxmemory or policy) else (Y.line(image_node) if image_node is not None else at)
            ctx.emit(
                RedisConfig(
                    ctx.line_loc(loc_line), source="k8s", service=name, maxmemory=maxmemory, policy=policy
                )
            )
        elif "postgres" in c_image.lower():
            for m in _PG_FLAG.finditer(c_cmd):
                ctx.emit(
                    DbSetting(ctx.line_loc(at), scope="server", name=m.group(1).lower(), value=m.group(2))
                )
        elif c is main and c_cmd:
            emit_command_workers(ctx, c_cmd, at)
            # the container's command is how the cluster starts the application, like a
            # Dockerfile ``CMD`` (which it overrides)
            targets = command_targets(c_cmd)
            if targets:
                ctx.emit(EntryPoint(ctx.line_loc(at), "k8s", name, c_cmd[:500], command_role(c_cmd), targets))
    return index


def _helm_values(ctx: FileContext, doc: yaml.Node) -> None:
    for key, knode, value in Y.items(doc):
        if "redis" not in key.lower() and "valkey" not in key.lower():
            continue
        enabled = Y.scalar(Y.get(value, "enabled"))
        if enabled is not None and enabled.lower() == "false":
            continue
        text = "\n".join(f"{k}: {v}" for k, v in Y.flatten(value))
        mm = _HELM_MAXMEMORY.search(text)
        pol = _HELM_POLICY.search(text)
        if mm or pol:
            ctx.emit(
                RedisConfig(
                    ctx.line_loc(Y.line(knode)),
                    source="helm",
                    service=key,
                    maxmemory=mm.group(1) if mm else None,
                    policy=pol.group(1) if pol else None,
                )
            )
