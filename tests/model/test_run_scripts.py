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
