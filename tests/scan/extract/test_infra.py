"""Deployment facts: compose, Kubernetes, Dockerfile, Procfile, gunicorn/PM2, redis.conf, .env, SQL."""

from __future__ import annotations

import pytest

from scalescope.model.facts import (
    DbSetting,
    EnvVar,
    Fact,
    PlatformBinding,
    RedisConfig,
    Service,
    WorkerProcesses,
)
from scalescope.scan.discover import classify
from scalescope.scan.extract.base import extract_file

COMPOSE = """\
x-common: &common
  restart: always
services:
  api:
    <<: *common
    build: .
    command: gunicorn app:app -w 4 -b 0.0.0.0:8000
    environment:
      DATABASE_URL: postgresql://u:p@db:5432/x?connection_limit=5
    deploy:
      replicas: 3
      resources:
        limits: {cpus: "1", memory: 512M}
    healthcheck:
      test: ["CMD", "curl", "-f", "http://localhost/health"]
  db:
    image: postgres:16
    command: postgres -c max_connections=200 -c statement_timeout=5000
  cache:
    image: redis:7-alpine
  lru:
    image: valkey/valkey:8
    command: ["valkey-server", "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru"]
"""


def _facts(path: str, language: str, text: str) -> list[Fact]:
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    return result.facts


def test_compose_services_env_redis_and_workers() -> None:
    facts = _facts("docker-compose.yml", "yaml", COMPOSE)
    services = {f.name: f for f in facts if isinstance(f, Service)}
    api = services["api"]
    assert (api.source, api.replicas, api.has_healthcheck, api.loc.line, api.loc.end_line) == (
        "compose",
        3,
        True,
        4,
        15,
    )
    assert api.environment == (("DATABASE_URL", "postgresql://u:p@db:5432/x?connection_limit=5"),)
    assert ("limits.cpus", "1") in api.resources
    (env,) = [f for f in facts if isinstance(f, EnvVar)]
    assert (env.name, env.loc.line) == ("DATABASE_URL", 9)
    (workers,) = [f for f in facts if isinstance(f, WorkerProcesses)]
    assert (workers.server, workers.count, workers.loc.line) == ("gunicorn", 4, 7)
    redis = {f.service: f for f in facts if isinstance(f, RedisConfig)}
    assert (redis["cache"].maxmemory, redis["cache"].policy, redis["cache"].loc.line) == (None, None, 20)
    assert (redis["lru"].maxmemory, redis["lru"].policy, redis["lru"].loc.line) == (
        "256mb",
        "allkeys-lru",
        23,
    )
    settings = {(s.scope, s.name, s.value) for s in facts if isinstance(s, DbSetting)}
    assert settings == {("server", "max_connections", "200"), ("server", "statement_timeout", "5000")}


def test_compose_list_environment() -> None:
    text = "services:\n  web:\n    image: app\n    environment:\n      - DATABASE_URL=postgres://x\n"
    facts = _facts("compose.yaml", "yaml", text)
    (env,) = [f for f in facts if isinstance(f, EnvVar)]
    assert (env.name, env.value, env.loc.line) == ("DATABASE_URL", "postgres://x", 5)


K8S = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: api
          image: myapp:1
          args: ["uvicorn", "main:app", "--workers", "4"]
          env:
            - name: DATABASE_URL
              value: postgres://x
            - name: SECRET
              valueFrom:
                secretKeyRef: {name: s, key: k}
          readinessProbe:
            httpGet: {path: /health, port: 80}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
spec:
  scaleTargetRef: {kind: Deployment, name: api}
  maxReplicas: 10
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: worker
spec:
  scaleTargetRef: {kind: Deployment, name: worker}
  maxReplicas: 6
"""


def test_k8s_deployment_hpa_env_workers() -> None:
    facts = _facts("k8s/api.yaml", "yaml", K8S)
    services = {f.name: f for f in facts if isinstance(f, Service)}
    api = services["api"]
    assert (api.replicas, api.autoscale_max, api.has_healthcheck, api.image) == (2, 10, True, "myapp:1")
    assert services["worker"].autoscale_max == 6
    assert [(e.name, e.loc.line) for e in facts if isinstance(e, EnvVar)] == [("DATABASE_URL", 14)]
    (w,) = [f for f in facts if isinstance(f, WorkerProcesses)]
    assert (w.server, w.count, w.loc.line) == ("uvicorn", 4, 12)


def test_k8s_redis_container_and_broken_helm_template() -> None:
    text = (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: redis\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: redis\n          image: redis:7\n"
        '          args: ["--maxmemory", "1gb"]\n'
    )
    (cfg,) = [f for f in _facts("k8s/redis.yaml", "yaml", text) if isinstance(f, RedisConfig)]
    assert (cfg.service, cfg.maxmemory, cfg.policy, cfg.loc.line) == ("redis", "1gb", None, 11)
    helm = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n  {{- include "x" . }}\n'
    assert _facts("templates/svc.yaml", "yaml", helm) == []


def test_dockerfile_cmd_workers_and_env() -> None:
    text = (
        "FROM python:3.12\nENV WEB_CONCURRENCY=4 PORT=8000\n"
        'CMD ["gunicorn", "app.main:app", "-k", "uvicorn.workers.UvicornWorker", "-w", "4"]\n'
    )
    facts = _facts("Dockerfile", "dockerfile", text)
    (w,) = [f for f in facts if isinstance(f, WorkerProcesses)]
    assert (w.server, w.count, w.loc.line) == ("gunicorn", 4, 3)
    assert [(e.name, e.value) for e in facts if isinstance(e, EnvVar)] == [
        ("WEB_CONCURRENCY", "4"),
        ("PORT", "8000"),
    ]
    pm2 = _facts("Dockerfile", "dockerfile", "FROM node:20\nCMD pm2-runtime start dist/main.js -i max\n")
    (p,) = [f for f in pm2 if isinstance(f, WorkerProcesses)]
    assert (p.server, p.count) == ("pm2", None)


def test_procfile_gunicorn_conf_pm2_cluster() -> None:
    facts = _facts(
        "Procfile", "procfile", "web: gunicorn app:app --workers=3\nworker: celery -A app worker\n"
    )
    assert [(s.name, s.source) for s in facts if isinstance(s, Service)] == [
        ("web", "procfile"),
        ("worker", "procfile"),
    ]
    assert [(w.server, w.count) for w in facts if isinstance(w, WorkerProcesses)] == [("gunicorn", 3)]
    conf = _facts(
        "gunicorn.conf.py",
        "python",
        "import multiprocessing\nworkers = multiprocessing.cpu_count() * 2 + 1\n",
    )
    (g,) = [f for f in conf if isinstance(f, WorkerProcesses)]
    assert (g.count, g.loc.line) == (None, 2)
    eco = _facts(
        "ecosystem.config.js",
        "javascript",
        "module.exports = { apps: [{ name: 'api', script: 'dist/main.js', instances: 4, exec_mode: 'cluster' }] };\n",  # noqa: E501
    )
    assert [(w.server, w.count) for w in eco if isinstance(w, WorkerProcesses)] == [("pm2", 4)]
    cluster = _facts(
        "src/server.js",
        "javascript",
        "const cluster = require('cluster');\nif (cluster.isPrimary) {\n  for (let i = 0; i < n; i++) cluster.fork();\n}\n",  # noqa: E501
    )
    assert [(w.server, w.count, w.loc.line) for w in cluster if isinstance(w, WorkerProcesses)] == [
        ("node-cluster", None, 3)
    ]


@pytest.mark.parametrize(
    ("command", "concurrency"),
    [
        ("gunicorn app:app --workers=3", 1),  # the sync worker: one request at a time
        ("gunicorn app:app -w 3 --threads 8", 8),
        ("gunicorn app:app -w 3 --worker-class=gthread --threads=4", 4),
        ("gunicorn app:app -w 3 -k gevent", None),
        ("gunicorn app:app -w 3 -kuvicorn.workers.UvicornWorker", None),
        ("gunicorn app:app -w 3 --threads $THREADS", None),
        ("gunicorn -c gunicorn.conf.py app:app -w 3", None),  # the config module may set either
    ],
)
def test_gunicorn_workers_say_how_many_requests_a_process_serves(
    command: str, concurrency: int | None
) -> None:
    facts = _facts("Procfile", "procfile", f"web: {command}\n")
    (w,) = [f for f in facts if isinstance(f, WorkerProcesses)]
    assert (w.server, w.count, w.concurrency) == ("gunicorn", 3, concurrency)


@pytest.mark.parametrize(
    ("settings", "concurrency"),
    [
        ("", 1),
        ("threads = 4\n", 4),
        ('worker_class = "gthread"\nthreads = 2\n', 2),
        ('worker_class = "gevent"\n', None),
        ('worker_class = os.environ.get("WORKER_CLASS", "sync")\n', None),
    ],
)
def test_a_gunicorn_config_module_says_how_many_requests_a_process_serves(
    settings: str, concurrency: int | None
) -> None:
    conf = _facts("gunicorn.conf.py", "python", f"import os\nworkers = 7\n{settings}")
    (g,) = [f for f in conf if isinstance(f, WorkerProcesses)]
    assert (g.count, g.concurrency) == (7, concurrency)


def test_redis_conf_env_file_and_sql_settings() -> None:
    (cfg,) = [
        f
        for f in _facts(
            "redis/redis.conf", "conf", "port 6379\nmaxmemory 512mb\nmaxmemory-policy allkeys-lfu\n"
        )
        if isinstance(f, RedisConfig)
    ]
    assert (cfg.maxmemory, cfg.policy, cfg.loc.line) == ("512mb", "allkeys-lfu", 2)
    env = _facts(
        ".env.example", "env", "# comment\nexport DATABASE_URL='postgres://x?connection_limit=5'\nEMPTY=\n"
    )
    assert [(e.name, e.value, e.loc.line) for e in env if isinstance(e, EnvVar)] == [
        ("DATABASE_URL", "postgres://x?connection_limit=5", 2),
        ("EMPTY", "", 3),
    ]
    sql = _facts("migrations/001.sql", "sql", "ALTER ROLE app SET statement_timeout = '5s';\n")
    assert [(s.scope, s.name, s.value) for s in sql if isinstance(s, DbSetting)] == [
        ("role", "statement_timeout", "5s")
    ]


def test_wrangler_hyperdrive_bindings() -> None:
    """Cloudflare Hyperdrive bindings of wrangler.jsonc (comments, trailing commas, per-env
    entries) and wrangler.toml: the names the Worker reads as ``env.NAME.connectionString``."""
    jsonc = """{
  // the pooler in front of PostgreSQL
  "hyperdrive": [{ "binding": "HYPERDRIVE", "id": "abc", },],
  "env": { "staging": { "hyperdrive": [{ "binding": "STAGING_DB", "id": "def" }] } },
}
"""
    assert classify("apps/api/wrangler.jsonc") == "wrangler"
    facts = extract_file("apps/api/wrangler.jsonc", "wrangler", jsonc).facts
    found = [(f.kind, f.name, f.loc.line) for f in facts if isinstance(f, PlatformBinding)]
    assert found == [("hyperdrive", "HYPERDRIVE", 3), ("hyperdrive", "STAGING_DB", 4)]
    toml = '[[hyperdrive]]\nbinding = "HYPERDRIVE"\nid = "abc"\n'
    facts = extract_file("wrangler.toml", classify("wrangler.toml") or "", toml).facts
    assert [(f.name, f.loc.line) for f in facts if isinstance(f, PlatformBinding)] == [("HYPERDRIVE", 2)]
    other = extract_file("pyproject.toml", "toml", '[tool.x]\nhyperdrive = [{binding = "X"}]\n').facts
    assert not [f for f in other if isinstance(f, PlatformBinding)]
