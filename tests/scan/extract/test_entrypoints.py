"""Entry points: what a command runs (targets), what running it means (role), and where
package.json, pyproject, Dockerfile, compose, Procfile and alembic.ini declare them."""

from __future__ import annotations

import json

import pytest

from scalescope.model.facts import EntryPoint, Service, StackItem
from scalescope.scan.extract.base import extract_file
from scalescope.scan.extract.entrypoints import command_role, command_targets, script_role, script_targets


@pytest.mark.parametrize(
    ("command", "targets"),
    [
        ("node dist/main.js", ("dist/main.js",)),
        ("NODE_ENV=production node --require ./tracing.js ./server.js", ("server.js", "tracing.js")),
        ("typeorm-ts-node-commonjs migration:run -d ./src/data-source-cli.ts", ("src/data-source-cli.ts",)),
        (
            "npm run build && npm run migrate && node dist/index.js",
            ("npm:build", "npm:migrate", "dist/index.js"),
        ),
        ("tsx watch src/index.ts", ("src/index.ts",)),
        ("gunicorn -w 4 -b 0.0.0.0:8000 config.wsgi:application", ("py:config.wsgi",)),
        ("uvicorn app.main:app --workers 2", ("py:app.main",)),
        ("python -m app.worker", ("py:app.worker",)),
        ("python manage.py seed_demo --count 5", ("manage.py", "manage:seed_demo")),
        ("celery -A proj worker -l info", ("py:proj",)),
        ("nest start", ("src/main.ts",)),
        ("next start", ()),
        # an ENTRYPOINT wrapper script followed by the CMD it execs
        (
            "/app/entrypoint.sh gunicorn keep.api.api:get_app -k uvicorn.workers.UvicornWorker",
            ("/app/entrypoint.sh", "py:keep.api.api"),
        ),
        # a start script alone, or run by a shell: its own commands are read when production
        # runs it (model.run_scripts)
        ("./start.sh", ("start.sh",)),
        ("bash docker/run.sh web", ("docker/run.sh",)),
        # a container init or user switch runs the command after it
        ("/usr/bin/dumb-init -- /entrypoint.sh gunicorn app:app", ("/entrypoint.sh", "py:app")),
        ("tini -g -- ./start.sh", ("start.sh",)),
        # an entrypoint wrapper runs the CMD after it: another script, itself through a shell
        ("/entrypoint.sh /start.sh", ("/entrypoint.sh", "/start.sh")),
        ("sh /entrypoint.sh sh /start.sh", ("/entrypoint.sh", "/start.sh")),
        # an extensionless start script, and a launcher before the server
        ("/docker-entrypoint", ("/docker-entrypoint",)),
        ("./pex gunicorn --workers 3 app.wsgi:application", ("pex", "py:app.wsgi")),
        ("/usr/local/bin/gunicorn app.wsgi", ("py:app.wsgi",)),
        ("gosu www-data gunicorn proj.wsgi", ("py:proj.wsgi",)),
        # ``sh -c "..."``: the quoted commands, also when ``&&`` splits the quotes apart
        (
            'sh -c "python manage.py migrate && gunicorn proj.wsgi"',
            ("manage.py", "manage:migrate", "py:proj.wsgi"),
        ),
        # a Python environment manager runs the command after ``run`` in the project's venv
        ("poetry run hypercorn src.asgi:application --bind 0.0.0.0:8000", ("py:src.asgi",)),
        ("uv run --frozen gunicorn app.wsgi:application -w 4", ("py:app.wsgi",)),
        ("pipenv run python manage.py runserver", ("manage.py", "manage:runserver")),
        ("poetry install --no-root", ()),
        # uWSGI's application options
        ("uwsgi --socket :8000 --module jobs.wsgi --master --enable-threads", ("py:jobs.wsgi",)),
        ("uwsgi -w app.wsgi:application --http :80", ("py:app.wsgi",)),
        ("uwsgi --wsgi-file=proj/wsgi.py --processes 4", ("proj/wsgi.py",)),
    ],
)
def test_command_targets(command: str, targets: tuple[str, ...]) -> None:
    assert command_targets(command) == targets


@pytest.mark.parametrize(
    ("name", "command", "role"),
    [
        ("start", "node dist/main.js", "production"),
        ("start:prod", "node dist/main.js", "production"),
        ("start:dev", "nest start --watch", "dev-only"),
        ("dev", "tsx watch src/index.ts", "dev-only"),
        ("worker", "node dist/worker.js", "production"),
        ("seed", "ts-node prisma/seed.ts", "tooling"),
        ("db:migrate", "drizzle-kit migrate", "migration"),
        ("typeorm", "typeorm-ts-node-commonjs -d src/data-source-cli.ts", "tooling"),
        ("test:e2e", "jest --config test/jest-e2e.json", "test"),
        ("sync-payments", "tsx src/scripts/sync.ts", "tooling"),
    ],
)
def test_script_role(name: str, command: str, role: str) -> None:
    assert script_role(name, command) == role


def test_script_targets_follow_cd_and_continuations() -> None:
    script = (
        "# compare both databases\n"
        "npm ci\n"
        "cd tools && node compare.js \\\n  --since 1d\n"
        "cd ../jobs; python -m nightly.run\n"
        "cd $RUNNER_TEMP\n"
        "node lost.js\n"
    )
    # npm scripts keep their own role; after ``cd $VAR`` the folder is unknown
    assert script_targets(script) == ("tools/compare.js", "py:nightly.run")
    assert script_targets("node check.js", "backend") == ("backend/check.js",)


def test_command_role() -> None:
    assert command_role("gunicorn -w 4 app:app") == "production"
    assert command_role("npm run migrate") == "migration"
    assert command_role("python manage.py runserver 0.0.0.0:8000") == "dev-only"
    assert command_role("sh -c 'python manage.py migrate && gunicorn app.wsgi'") == "production"


def _facts(path: str, language: str, text: str) -> list[object]:
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    return list(result.facts)


def test_package_json_entry_points_and_dev_dependencies() -> None:
    text = json.dumps(
        {
            "main": "dist/index.js",
            "scripts": {"start": "node dist/index.js", "seed": "tsx prisma/seed.ts"},
            "prisma": {"seed": "ts-node prisma/seed.ts"},
            "dependencies": {"express": "4", "ioredis": "5"},
            "devDependencies": {"prisma": "5", "pm2": "5"},
        },
        indent=2,
    )
    facts = _facts("api/package.json", "package-json", text)
    entries = {(e.name, e.role, e.targets) for e in facts if isinstance(e, EntryPoint)}
    assert entries == {
        ("main", "production", ("dist/index.js",)),
        ("start", "production", ("dist/index.js",)),
        ("seed", "tooling", ("prisma/seed.ts",)),
        ("prisma.seed", "tooling", ("prisma/seed.ts",)),
    }
    scopes = {(s.name, s.scope) for s in facts if isinstance(s, StackItem)}
    assert scopes == {("express", "production"), ("ioredis", "production"), ("prisma", "dev"), ("pm2", "dev")}


@pytest.mark.parametrize(
    ("path", "scope"),
    [
        ("requirements.txt", "production"),
        ("requirements/base.txt", "production"),
        ("requirements/prod.txt", "production"),
        ("requirements-dev.txt", "dev"),
        ("requirements/local.txt", "dev"),
        ("requirements/test.txt", "test"),
        ("requirements_tests.txt", "test"),
        ("test-requirements.txt", "test"),
    ],
)
def test_requirements_scope(path: str, scope: str) -> None:
    facts = _facts(path, "requirements", "daphne==4.1\ngunicorn==22\n")
    assert {s.scope for s in facts if isinstance(s, StackItem)} == {scope}


def test_pyproject_extras_groups_and_console_scripts() -> None:
    text = """[project]
name = "shop"
dependencies = ["fastapi", "uvicorn"]

[project.optional-dependencies]
redis = ["redis"]
test = ["pytest", "daphne"]

[dependency-groups]
dev = ["gunicorn"]

[project.scripts]
shop-admin = "shop.cli:main"
"""
    facts = _facts("pyproject.toml", "toml", text)
    scopes = {(s.name, s.scope) for s in facts if isinstance(s, StackItem)}
    assert scopes == {
        ("fastapi", "production"),
        ("uvicorn", "production"),
        ("redis-py", "production"),
        ("daphne", "test"),
        ("gunicorn", "dev"),
    }
    entries = [(e.name, e.role, e.targets) for e in facts if isinstance(e, EntryPoint)]
    assert entries == [("shop-admin", "tooling", ("py:shop.cli",))]


def test_alembic_script_location() -> None:
    facts = _facts("backend/alembic.ini", "ini", "[alembic]\nscript_location = %(here)s/db/alembic\n")
    assert [(e.role, e.targets) for e in facts if isinstance(e, EntryPoint)] == [
        ("migration", ("db/alembic",))
    ]


def test_compose_code_dirs_and_dev_files() -> None:
    compose = """services:
  api:
    build:
      context: .
      dockerfile: services/api/Dockerfile
    command: node dist/server.js
  worker:
    build: ./worker
  redis:
    image: redis:7
"""
    facts = _facts("docker-compose.yml", "yaml", compose)
    services = {s.name: (s.code_dir, s.dev_reason) for s in facts if isinstance(s, Service)}
    assert services == {"api": ("services/api", ""), "worker": ("worker", ""), "redis": ("", "")}
    entries = [(e.name, e.role, e.targets) for e in facts if isinstance(e, EntryPoint)]
    assert entries == [("api", "production", ("services/api/dist/server.js",))]
    dev = _facts("docker-compose.override.yml", "yaml", compose)
    assert {s.dev_reason for s in dev if isinstance(s, Service)} == {
        "docker-compose.override.yml is a development compose file (by its name)"
    }
    # named for a CI service: the pipeline's stack, not a deployment
    for name in ("docker-compose.travis.yml", "compose.circleci.yaml", "docker-compose.jenkins.yml"):
        ci = _facts(f"deployment/{name}", "yaml", compose)
        assert {s.dev_reason for s in ci if isinstance(s, Service)} == {
            f"{name} is a development compose file (by its name)"
        }
    assert {
        s.dev_reason for s in _facts("docker-compose.rancher.yml", "yaml", compose) if isinstance(s, Service)
    } == {""}


def test_shell_script_commands_are_entry_points() -> None:
    """A start script's server line behind ``if ...; then`` and ``exec`` is read with its worker
    flag; ``export`` lines are variables; shell syntax and plain commands are not entry points."""
    script = (
        "#!/bin/sh\nset -e\nexport DJANGO_SETTINGS_MODULE='proj.settings.prod'\n"
        'if [ "$1" = web ]; then\n  exec gunicorn proj.asgi:application \\\n'
        "    -k uvicorn.workers.UvicornWorker --workers 4\nfi\necho done\n"
    )
    result = extract_file("docker/start.sh", "shell", script)
    entries = [f for f in result.facts if isinstance(f, EntryPoint)]
    assert [(e.loc.line, e.source, e.role, e.targets) for e in entries] == [
        (5, "script", "production", ("py:proj.asgi",))
    ]
    assert entries[0].command.startswith("gunicorn proj.asgi:application")
    names = {type(f).__name__: f for f in result.facts}
    assert getattr(names["WorkerProcesses"], "count", None) == 4
    assert getattr(names["EnvVar"], "value", None) == "proj.settings.prod"
