"""Roles from CI configuration (scripts only a pipeline runs are tooling), hidden scripts
folders, and settings modules that hard-code ``DEBUG = True`` (development settings)."""

from __future__ import annotations

import json
from pathlib import Path

from scalescope.model.facts import EntryPoint, SettingsModule
from scalescope.model.project import ProjectModel
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import build_project, scan


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _project(root: Path, files: dict[str, str]) -> ProjectModel:
    model, _, notices = build_project(_write(root, files), ScanConfig(), jobs=1)
    assert not [n for n in notices if "extractor error" in n.message], notices
    return model


def _kind(model: ProjectModel, path: str) -> str:
    return model.role(path).kind


# --------------------------------------------------------------------------- CI entry points

PG_SCRIPT = 'const { Pool } = require("pg");\nconst pool = new Pool({ connectionString: process.argv[2] });\n'

CI = {
    "package.json": json.dumps({"name": "billing", "scripts": {"start": "node dist/server.js"}}),
    "src/server.ts": (
        'import express from "express";\nimport { pool } from "./db";\nimport { fmt } from "../ops/shared";\n'
        "const app = express();\n"
        'app.get("/invoices", async (req, res) => res.json(fmt(await pool.query("select 1"))));\n'
        "app.listen(3000);\n"
    ),
    "src/db.ts": 'import { Pool } from "pg";\nexport const pool = new Pool({ max: 10 });\n',
    # each only run by one CI system's step
    "ops/compare-schemas.js": PG_SCRIPT
    + 'const { diff } = require("./diff-utils");\nmodule.exports = diff;\n',
    "ops/diff-utils.js": "exports.diff = (a, b) => a !== b;\n",
    "ops/report.js": PG_SCRIPT,
    "ops/audit_rows.py": "import psycopg\n\nconn = psycopg.connect()\n",
    "ops/lint-sql.js": PG_SCRIPT,
    "ops/warm.js": PG_SCRIPT,
    "ops/nightly.js": PG_SCRIPT,
    # run by CI, but also imported by the server: production
    "ops/shared.js": "exports.fmt = (rows) => rows;\n",
    # CI starts the app itself for a smoke test: still the app
    "ops/smoke-server.js": (
        'const express = require("express");\nconst app = express();\n'
        'app.get("/health", (req, res) => res.send("ok"));\napp.listen(4000);\n'
    ),
    # a hidden scripts folder, run by hand
    ".scripts/rebuild-index.js": PG_SCRIPT,
    ".github/workflows/check.yml": """name: check
on: [push]
jobs:
  schema:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          path: ./repo
      - name: Compare schemas
        working-directory: ./repo
        run: node ops/compare-schemas.js before after
      - name: Report
        working-directory: ./repo/ops
        run: |
          # both databases
          node ./report.js \\
            --since yesterday
          node shared.js
      - name: Smoke
        run: node ops/smoke-server.js & sleep 2 && curl localhost:4000/health
""",
    ".gitlab-ci.yml": """stages: [check]
audit:
  stage: check
  script:
    - pip install psycopg
    - cd ops && python audit_rows.py
""",
    ".circleci/config.yml": """version: 2.1
jobs:
  lint:
    docker:
      - image: cimg/node:20.0
    steps:
      - checkout
      - run:
          name: lint sql
          command: node ops/lint-sql.js
""",
    "azure-pipelines.yml": """steps:
  - script: node warm.js
    workingDirectory: ops
    displayName: warm caches
""",
    "Jenkinsfile": """pipeline {
  agent any
  stages {
    stage('nightly') {
      steps {
        dir('ops') {
          sh 'node nightly.js'
        }
      }
    }
  }
}
""",
}


def test_scripts_only_ci_runs_are_tooling(tmp_path: Path) -> None:
    model = _project(tmp_path, CI)
    for path in (
        "ops/compare-schemas.js",
        "ops/report.js",
        "ops/audit_rows.py",
        "ops/lint-sql.js",
        "ops/warm.js",
        "ops/nightly.js",
    ):
        assert _kind(model, path) == "tooling", path
        assert model.role(path).reason.startswith("only run by CI"), path
    assert model.role("ops/compare-schemas.js").reason == (
        "only run by CI (`node ops/compare-schemas.js before after` in .github/workflows/check.yml)"
    )
    # what only a CI script imports runs in CI too
    assert _kind(model, "ops/diff-utils.js") == "tooling"
    assert model.role("ops/diff-utils.js").reason.startswith("only used by ops/compare-schemas.js")
    # production code imports it; the app CI starts for a smoke test is the app
    assert _kind(model, "ops/shared.js") == "production"
    assert _kind(model, "ops/smoke-server.js") == "production"
    assert _kind(model, "src/server.ts") == _kind(model, "src/db.ts") == "production"
    # a scripts folder, also when hidden
    assert _kind(model, ".scripts/rebuild-index.js") == "tooling"
    assert model.role(".scripts/rebuild-index.js").reason == "a script in .scripts/, run by hand"
    ci = {(e.loc.file, e.targets) for e in model.all(EntryPoint) if e.source == "ci"}
    assert (".github/workflows/check.yml", ("ops/report.js", "ops/shared.js")) in ci


def test_pools_of_ci_scripts_are_not_reported_as_production(tmp_path: Path) -> None:
    report = scan(_write(tmp_path, CI), ScanConfig(min_confidence="low", calibrated=False), jobs=1)
    pools = {f.file: f for f in report.findings if f.rule == "SC-DB-001"}
    ci_pool = pools["ops/compare-schemas.js"]
    assert ci_pool.confidence == "low"
    assert "Not production code: only run by CI" in ci_pool.message
    assert pools[".scripts/rebuild-index.js"].confidence == "low"


# --------------------------------------------------------------------------- DEBUG = True settings

DATABASES = (
    'DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n'
    '        "NAME": "forum",\n    }\n}\n'
)

DEV_PROJECT = {
    "requirements.txt": "django\npsycopg\n",
    "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "devsite.settings")\n',
    "devsite/__init__.py": "",
    "devsite/wsgi.py": (
        "import os\nfrom django.core.wsgi import get_wsgi_application\n"
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devsite.settings")\n'
        "application = get_wsgi_application()\n"
    ),
    "devsite/settings.py": (
        "from forum.defaults import *\n\n"
        '# local development only\nSECRET_KEY = "not-a-secret"\nDEBUG = True\n' + DATABASES
    ),
    "forum/__init__.py": "",
    "forum/defaults.py": 'INSTALLED_APPS = ["forum"]\n',
    "forum/models.py": "from django.db import models\n",
    # the image runs the development server
    "Dockerfile": 'FROM python:3.12\nCMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]\n',
}


def test_settings_that_hard_code_debug_are_development_settings(tmp_path: Path) -> None:
    model = _project(tmp_path, DEV_PROJECT)
    assert {m.loc.file: m.debug for m in model.all(SettingsModule)} == {
        "devsite/settings.py": "true",
        "forum/defaults.py": "",
    }
    role = model.role("devsite/settings.py")
    assert (role.kind, role.reason) == ("dev-only", "development settings (`DEBUG = True`, line 5)")
    # the library defaults it builds on are still production code
    assert model.role("forum/defaults.py").production


def test_databases_of_debug_settings_are_reported_low(tmp_path: Path) -> None:
    report = scan(_write(tmp_path, DEV_PROJECT), ScanConfig(min_confidence="low", calibrated=False), jobs=1)
    found = [f for f in report.findings if f.rule in {"SC-DB-001", "SC-DB-002"}]
    assert {f.rule for f in found} == {"SC-DB-001", "SC-DB-002"}
    for f in found:
        assert f.file == "devsite/settings.py"
        assert f.confidence == "low"
        assert "Not production code: development settings" in f.message


def test_debug_read_from_the_environment_is_not_development(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "requirements.txt": "django\n",
            "manage.py": "import os\n",
            "a/settings.py": 'import environ\nenv = environ.Env()\nDEBUG = env.bool("DEBUG", default=True)\n'
            + DATABASES,
            "b/settings.py": 'import os\nDEBUG = os.environ.get("DEBUG", "1") == "1"\n' + DATABASES,
            # a later star import may switch it off (local settings on the server)
            "c/settings.py": "DEBUG = True\n"
            + DATABASES
            + "try:\n    from c.local_settings import *\nexcept ImportError:\n    pass\n",
            # only under a condition
            "d/settings.py": 'import os\nif os.environ.get("DEV"):\n    DEBUG = True\n' + DATABASES,
        },
    )
    debug = {m.loc.file: m.debug for m in model.all(SettingsModule)}
    assert debug == {f"{x}/settings.py": "dynamic" for x in "abcd"}
    assert all(model.role(f"{x}/settings.py").production for x in "abcd")


def test_a_settings_package_only_its_debug_module_is_development(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "requirements.txt": "django\n",
            "manage.py": "import os\n",
            "shop/settings/__init__.py": "",
            "shop/settings/base.py": "DEBUG = False\n" + DATABASES,
            "shop/settings/workstation.py": "from .base import *\n\nDEBUG = True\n",
            "shop/settings/live.py": (
                'import os\n\nfrom .base import *\n\nDEBUG = os.environ.get("DEBUG") == "1"\n'
            ),
        },
    )
    assert _kind(model, "shop/settings/workstation.py") == "dev-only"
    assert _kind(model, "shop/settings/base.py") == "production"
    assert _kind(model, "shop/settings/live.py") == "production"


def test_debug_settings_a_production_entry_runs_stay_production(tmp_path: Path) -> None:
    """The only settings module, and a production server runs its project: that is what
    production runs (the finding is real). Several settings modules: the one a deployment's
    ``DJANGO_SETTINGS_MODULE`` names is production, the other is not."""
    only = _project(
        tmp_path / "only",
        {
            "requirements.txt": "django\ngunicorn\n",
            "manage.py": "import os\n",
            "site1/__init__.py": "",
            "site1/settings.py": "DEBUG = True\n" + DATABASES,
            "site1/wsgi.py": "from django.core.wsgi import get_wsgi_application\napplication = 1\n",
            "Dockerfile": 'FROM python:3.12\nCMD ["gunicorn", "site1.wsgi:application", "-w", "4"]\n',
        },
    )
    assert only.role("site1/settings.py").production
    chosen = _project(
        tmp_path / "chosen",
        {
            "requirements.txt": "django\ngunicorn\n",
            "manage.py": "import os\n",
            "site2/__init__.py": "",
            "site2/settings.py": "DEBUG = True\n" + DATABASES,
            "site2/settings_sandbox.py": "DEBUG = True\n" + DATABASES,
            "docker-compose.yml": (
                "services:\n  web:\n    build: .\n    command: gunicorn site2.wsgi\n"
                "    environment:\n      DJANGO_SETTINGS_MODULE: site2.settings\n"
            ),
        },
    )
    assert chosen.role("site2/settings.py").production
    assert _kind(chosen, "site2/settings_sandbox.py") == "dev-only"
