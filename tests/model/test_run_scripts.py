"""Which shell scripts production runs (scalescope.model.run_scripts): only what those say is
kept in the model."""

from __future__ import annotations

from pathlib import Path

from scalescope.model.facts import EntryPoint, EnvVar, Loc, WorkerProcesses
from scalescope.model.project import ProjectModel
from scalescope.model.run_scripts import run_scripts
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import build_project


def _model(root: Path, files: dict[str, str]) -> ProjectModel:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    model, _, _ = build_project(root, ScanConfig(), jobs=1)
    return model


def _script_lines(model: ProjectModel) -> set[tuple[str, int]]:
    return {(e.loc.file, e.loc.line) for e in model.all(EntryPoint) if e.source == "script"}


def test_a_script_the_dockerfile_runs_is_read_and_others_are_not(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        {
            "Dockerfile": (
                'FROM python:3.12\nCOPY docker/start.sh /usr/local/bin/start.sh\nCMD ["start.sh"]\n'
            ),
            "docker/start.sh": (
                "#!/bin/sh\nset -e\nexport DJANGO_SETTINGS_MODULE=proj.settings.production\n"
                "python manage.py migrate\nexec gunicorn proj.wsgi --workers 5\n"
            ),
            # a developer's helper and a CI step: no production command runs them
            "scripts/dev.sh": "#!/bin/sh\nuvicorn app.main:app --reload --workers 2\n",
            "ci/test.sh": "#!/bin/sh\ngunicorn proj.wsgi --workers 9 &\npytest\n",
        },
    )
    assert _script_lines(model) == {("docker/start.sh", 4), ("docker/start.sh", 5)}
    roles = {e.loc.line: e.role for e in model.all(EntryPoint) if e.source == "script"}
    assert roles == {4: "migration", 5: "production"}
    assert [(w.loc.file, w.count) for w in model.all(WorkerProcesses)] == [("docker/start.sh", 5)]
    assert [(v.name, v.value) for v in model.all(EnvVar) if v.loc.file.endswith(".sh")] == [
        ("DJANGO_SETTINGS_MODULE", "proj.settings.production")
    ]


def test_scripts_run_by_scripts_and_by_deployment_commands(tmp_path: Path) -> None:
    """A compose command runs an entrypoint that runs another script; a Procfile line runs one
    with ``bash``; a development compose file's script is not production's."""
    model = _model(
        tmp_path,
        {
            "docker-compose.yml": "services:\n  web:\n    build: .\n    command: ./bin/entrypoint.sh\n",
            "bin/entrypoint.sh": "#!/bin/bash\n./bin/web.sh\n",
            "bin/web.sh": "#!/bin/bash\nexec uvicorn app.main:app --workers 3\n",
            "Procfile": "worker: bash bin/worker.sh\n",
            "bin/worker.sh": "#!/bin/bash\ncelery -A app.tasks worker\n",
            "docker-compose.dev.yml": "services:\n  web:\n    command: ./bin/dev.sh\n",
            "bin/dev.sh": "#!/bin/bash\nexec uvicorn app.main:app --reload\n",
        },
    )
    assert {f for f, _ in _script_lines(model)} == {"bin/entrypoint.sh", "bin/web.sh", "bin/worker.sh"}


def test_an_image_path_names_a_script_only_when_one_fits() -> None:
    """``/entrypoint.sh`` names the tree's only ``entrypoint.sh``; with two of them, the one
    under the command's own folder, and none when neither is."""
    cmd = EntryPoint(
        Loc("web/Dockerfile", 3), "dockerfile", "CMD", "/entrypoint.sh", "production", ("/entrypoint.sh",)
    )
    assert run_scripts(["docker/entrypoint.sh"], [cmd]) == {"docker/entrypoint.sh"}
    assert run_scripts(["web/entrypoint.sh", "api/entrypoint.sh"], [cmd]) == {"web/entrypoint.sh"}
    assert run_scripts(["api/entrypoint.sh", "worker/entrypoint.sh"], [cmd]) == frozenset()


def test_a_command_held_in_a_variable_is_the_one_the_script_runs(tmp_path: Path) -> None:
    """``CMD="gunicorn wsgi --worker-class=gevent --workers 9"`` then ``eval ${CMD}``: the
    script runs what the variable holds, cited where it is written; a variable that is never
    run, or a value that is not one word, says nothing, and ``NAME=value cmd`` stays a command."""
    model = _model(
        tmp_path,
        {
            "Procfile": "web: scripts/web.sh\nworker: scripts/worker.sh\n",
            "scripts/web.sh": (
                "#!/bin/sh -e\npython manage.py migrate\n"
                'WORKER_COMMAND="gunicorn wsgi --bind 0.0.0.0:${PORT} --worker-class=gevent --workers 9"\n'
                'echo "Starting: ${WORKER_COMMAND}"\neval ${WORKER_COMMAND}\n'
            ),
            "scripts/worker.sh": (
                '#!/bin/sh\nUNUSED="uvicorn other:app --workers 3"\n'
                "CELERY_OPTS=-l info\nPYTHONUNBUFFERED=1 celery -A proj worker --concurrency 2\n"
            ),
        },
    )
    lines = {(e.loc.file, e.loc.line): e.command for e in model.all(EntryPoint) if e.source == "script"}
    assert lines[("scripts/web.sh", 3)].startswith("gunicorn wsgi ")
    assert ("scripts/worker.sh", 2) not in lines
    assert any(f == "scripts/worker.sh" and "celery" in c for (f, _), c in lines.items())
    workers = {(w.loc.file, w.loc.line): w.count for w in model.all(WorkerProcesses)}
    assert workers.get(("scripts/web.sh", 3)) == 9


def test_an_extensionless_start_script_is_read_when_the_image_runs_it(tmp_path: Path) -> None:
    """``ENTRYPOINT ["/docker-entrypoint"]``: a file with a shell ``#!`` line and no extension
    is a script; one nothing runs, and an extensionless file of another language, are not read."""
    model = _model(
        tmp_path,
        {
            "docker/web/Dockerfile": (
                "FROM python:3.12\nCOPY ./docker/web/docker-entrypoint /\n"
                'ENTRYPOINT ["/docker-entrypoint"]\n'
            ),
            "docker/web/docker-entrypoint": "#!/bin/sh\nexec gunicorn proj.wsgi -k gevent -w 10\n",
            "bin/helper": "#!/usr/bin/env bash\nexec gunicorn proj.wsgi -w 3\n",
            "bin/tool": "#!/usr/bin/env node\nrequire('../lib/tool')\n",
        },
    )
    assert _script_lines(model) == {("docker/web/docker-entrypoint", 2)}
    workers = [(w.loc.file, w.count) for w in model.all(WorkerProcesses)]
    assert workers == [("docker/web/docker-entrypoint", 10)]


def test_an_entrypoint_wrapper_runs_the_cmd_script_and_a_launcher_runs_its_command(tmp_path: Path) -> None:
    """``ENTRYPOINT ["/entrypoint.sh"]`` + ``CMD ["/start.sh"]`` runs both scripts; ``./pex
    gunicorn ...`` runs gunicorn; a here-document's body is input, not commands."""
    model = _model(
        tmp_path,
        {
            "Dockerfile": (
                "FROM python:3.12\nCOPY ./contrib/start.sh /start.sh\n"
                "COPY ./contrib/entrypoint.sh /entrypoint.sh\n"
                'ENTRYPOINT ["/entrypoint.sh"]\nCMD [ "/start.sh" ]\n'
            ),
            "contrib/entrypoint.sh": (
                "#!/bin/bash\nset -e\npython << END\nimport sys\nsys.exit(0)\nEND\nexec \"$@\"\n"
            ),
            "contrib/start.sh": "#!/bin/bash\nexec ./pex gunicorn --workers 5 proj.wsgi:application\n",
        },
    )
    assert _script_lines(model) == {("contrib/start.sh", 2)}
    [entry] = [e for e in model.all(EntryPoint) if e.source == "script"]
    assert entry.targets == ("pex", "py:proj.wsgi")


def test_service_scripts_a_dockerfile_copies_into_a_supervisor_are_run(tmp_path: Path) -> None:
    """``COPY docker/s6-rc.d /etc/s6-overlay/s6-rc.d``: the container's init starts each
    ``<service>/run``; the same copy in a development Dockerfile, and a copy of a file into the
    working folder, start nothing."""
    run = "#!/command/with-contenv sh\ncd /app || exit 1\nexec python3 -m gunicorn proj.wsgi --workers 4\n"
    files = {
        "docker/dockerfiles/Dockerfile": (
            "FROM python:3.12\nCOPY ./requirements.txt ./\nCOPY docker/s6-rc.d /etc/s6-overlay/s6-rc.d\n"
            'ENTRYPOINT ["/init"]\n'
        ),
        "docker/s6-rc.d/backend/run": run,
        "docker/s6-rc.d/worker/run": "#!/command/with-contenv sh\nexec python3 manage.py qcluster\n",
        "requirements.txt": "django\n",
    }
    model = _model(tmp_path / "prod", files)
    assert {f for f, _ in _script_lines(model)} == {"docker/s6-rc.d/backend/run", "docker/s6-rc.d/worker/run"}
    assert [(w.loc.file, w.count) for w in model.all(WorkerProcesses)] == [("docker/s6-rc.d/backend/run", 4)]
    copies = [e for e in model.all(EntryPoint) if e.name == "COPY"]
    assert [e.targets for e in copies] == [("docker/s6-rc.d/*/run",)]

    files["docker/dockerfiles/Dockerfile.dev"] = files.pop("docker/dockerfiles/Dockerfile")
    model = _model(tmp_path / "dev", files)
    assert _script_lines(model) == set()


def test_a_whole_root_copied_to_the_image_root_runs_its_services() -> None:
    """``COPY rootfs /``: the scripts under ``rootfs/etc/services.d/<name>/run`` are started."""
    copy = EntryPoint(
        Loc("Dockerfile", 4),
        "dockerfile",
        "COPY",
        "COPY rootfs /",
        "production",
        ("rootfs/etc/s6-overlay/s6-rc.d/*/run", "rootfs/etc/services.d/*/run", "rootfs/etc/service/*/run"),
    )
    scripts = ["rootfs/etc/services.d/web/run", "rootfs/etc/services.d/web/finish", "tools/run"]
    assert run_scripts(scripts, [copy]) == {"rootfs/etc/services.d/web/run"}


def test_a_deployment_file_named_for_a_ci_service_runs_nothing_in_production(tmp_path: Path) -> None:
    """``docker-compose.travis.yml`` and ``Dockerfile.jenkins`` are a CI pipeline's: the scripts
    they run are not production's."""
    model = _model(
        tmp_path,
        {
            "docker-compose.travis.yml": "services:\n  web:\n    build: .\n    command: ./bin/ci-web.sh\n",
            "Dockerfile.jenkins": 'FROM python:3.12\nCMD ["./bin/jenkins.sh"]\n',
            "bin/ci-web.sh": "#!/bin/bash\nexec gunicorn app.wsgi --workers 2\n",
            "bin/jenkins.sh": "#!/bin/bash\nexec gunicorn app.wsgi --workers 3\n",
            "docker-compose.yml": "services:\n  web:\n    build: .\n    command: ./bin/web.sh\n",
            "bin/web.sh": "#!/bin/bash\nexec gunicorn app.wsgi --workers 4\n",
        },
    )
    assert {f for f, _ in _script_lines(model)} == {"bin/web.sh"}
