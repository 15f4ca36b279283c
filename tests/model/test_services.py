"""Which process runs a file: package roots, the units that run them, and per-file instance
counts (``ProjectModel.instance_count_for``); dev-only compose files; production stack scope."""

from __future__ import annotations

import json
from pathlib import Path

from scalescope.model.project import ProjectModel
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import build_project


def _project(root: Path, files: dict[str, str]) -> ProjectModel:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    model, _, _ = build_project(root, ScanConfig(), jobs=1)
    return model


MONOREPO = {
    "apps/api/package.json": json.dumps({"scripts": {"start": "node dist/main.js"}}),
    "apps/api/src/db.ts": "export const x = 1;\n",
    "apps/api/ecosystem.config.js": (
        'module.exports = { apps: [{ script: "dist/main.js", instances: 2 }] };\n'
    ),
    "services/worker/requirements.txt": "celery\ngunicorn\n",
    "services/worker/Dockerfile": "FROM python:3.12\nCMD gunicorn -w 4 worker.app:app\n",
    "services/worker/worker/app.py": "x = 1\n",
    "web/package.json": "{}",
    "web/src/page.tsx": "export default 1;\n",
    "docker-compose.yml": """services:
  api:
    build:
      context: .
      dockerfile: apps/api/Dockerfile
    deploy:
      replicas: 3
  worker:
    build: ./services/worker
  redis:
    image: redis:7
""",
    "docker-compose.dev.yml": """services:
  api:
    build: ./apps/api
    command: npm run dev
    deploy:
      replicas: 9
""",
}


def test_package_roots(tmp_path: Path) -> None:
    model = _project(tmp_path, MONOREPO)
    assert model.package_root("apps/api/src/db.ts") == "apps/api"
    assert model.package_root("services/worker/worker/app.py") == "services/worker"
    assert model.package_root("docker-compose.yml") == ""


def test_instance_counts_are_per_service(tmp_path: Path) -> None:
    model = _project(tmp_path, MONOREPO)
    # 3 compose replicas x 2 PM2 instances; not the worker's gunicorn -w 4, not the dev file's 9
    assert model.instance_count_for("apps/api/src/db.ts") == 6
    assert model.instance_count_for("services/worker/worker/app.py") == 4
    assert model.instance_count_for("web/src/page.tsx") is None


def test_a_single_service_keeps_its_deployment(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "requirements.txt": "django\ngunicorn\n",
            "manage.py": "x = 1\n",
            "config/settings.py": "DATABASES = {}\n",
            "Procfile": "web: gunicorn config.wsgi -w 3\nworker: celery -A config worker\n",
            "k8s/deploy.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: shop:latest
""",
        },
    )
    # the Procfile's 3 workers; the k8s Deployment names no folder and no attributed unit
    # covers the file, so its replicas are not combined with the Procfile's
    assert model.instance_count_for("config/settings.py") == 3


def test_dev_dependencies_are_not_the_production_stack(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "requirements.txt": "django\ngunicorn\n",
            "requirements/test.txt": "daphne\npytest\n",
            "package.json": json.dumps({"dependencies": {"express": "4"}, "devDependencies": {"pm2": "5"}}),
        },
    )
    assert model.stack["server"] == ["gunicorn"]
    assert model.has_stack("daphne") is False
    assert model.has_stack("daphne", production=False) is True
    assert model.has_stack("pm2") is False


SCRIPTED_COMPOSE = {
    "package.json": json.dumps(
        {
            "scripts": {
                "start": "node dist/main.js",
                "deps-compose": "docker compose -p deps -f docker/dependencies/docker.compose.yaml",
                "start-deps": "pnpm run deps-compose up --detach --build && pnpm run db:init",
                "compose:deploy": "docker compose -f docker/server/docker-compose.yaml up -d",
            }
        }
    ),
    "src/main.ts": "export const x = 1;\n",
    "docker/dependencies/docker.compose.yaml": """services:
  db:
    image: postgres:16
  wal-info:
    build: ./wal-info
""",
    "docker/dependencies/wal-info/package.json": json.dumps({"scripts": {"start": "node server.js"}}),
    "docker/dependencies/wal-info/Dockerfile": 'FROM node:20\nCOPY . .\nCMD ["node", "server.js"]\n',
    "docker/dependencies/wal-info/server.js": "const x = 1;\nmodule.exports = x;\n",
    "docker/server/docker-compose.yaml": """services:
  monitor:
    build: ./monitor
    deploy:
      replicas: 2
""",
    "docker/server/monitor/package.json": json.dumps({"scripts": {"start": "node index.js"}}),
    "docker/server/monitor/index.js": "const y = 1;\nmodule.exports = y;\n",
}


def test_compose_started_only_by_package_scripts_is_the_local_stack(tmp_path: Path) -> None:
    """A compose file only package.json scripts start (``deps-compose``, run by ``start-deps``)
    is the developer's local stack: its services and the code they build from beside it are
    dev-only, the reason naming the script; one a deployment-named script starts stays live."""
    model = _project(tmp_path, SCRIPTED_COMPOSE)
    services = model.services
    reason = services.dev_reason("docker/dependencies/docker.compose.yaml")
    assert "`deps-compose`" in reason and "package.json" in reason
    role = model.role("docker/dependencies/wal-info/server.js")
    assert role.kind == "dev-only" and "deps-compose" in role.reason, role
    assert model.role("docker/dependencies/wal-info/Dockerfile").kind == "dev-only"
    assert not services.dev_reason("docker/server/docker-compose.yaml")
    assert model.role("docker/server/monitor/index.js").production
    assert model.role("src/main.ts").production
    assert model.instance_count_for("docker/server/monitor/index.js") == 2
