"""SC-DB-001 on a Django project served over ASGI (issue 8, item 10: recommendations that fit).

Django's documentation says persistent connections (CONN_MAX_AGE) should be disabled under ASGI
and points to the backend's pool or an external one instead, so where the production command
serves the project's ``asgi`` module the finding must not advise CONN_MAX_AGE: with psycopg 3
declared it names Django's built-in pool (medium), with psycopg2 only PgBouncer or a driver
change (low). Each case under ``served/`` is its own project (a Dockerfile or Procfile command
beside the settings); a WSGI command keeps the CONN_MAX_AGE advice. A project only Django's
development server (``runserver``) serves gets the finding at low: persistent connections do not
carry over between its per-request threads."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.report.model import Finding
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules
from tests.rules.annotations import Expectations, collect

SERVED = Path(__file__).parent / "database" / "unconfigured_connection_pool" / "served"
RULE = next(r for r in all_rules() if r.meta.id == "SC-DB-001")


def _served_case(case: str) -> tuple[Expectations, dict[tuple[str, int], Finding]]:
    """The annotations of ``served/<case>`` and SC-DB-001's findings there, by place; the
    findings are exactly the annotated ones and none is on an ``ok`` line."""
    folder = SERVED / case
    exp = collect(folder, "SC-DB-001")
    report = scan(folder, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    got = {(f.file, f.line): f for f in report.findings if f.rule == "SC-DB-001"}
    assert set(got) == exp.expected
    assert not (exp.ok & set(got))
    return exp, got


@pytest.mark.parametrize("case", ["django_asgi", "django_asgi_pool", "django_asgi_old", "django_asgi_poetry"])
def test_asgi_cases_match_their_annotations(case: str) -> None:
    exp, got = _served_case(case)
    for place, finding in got.items():
        assert finding.confidence == ("low" if place in exp.low else "medium"), finding.message
        assert "Under ASGI, CONN_MAX_AGE is not the fix" in finding.message
        assert "Set CONN_MAX_AGE" not in finding.recommendation


@pytest.mark.parametrize("case", ["django_runserver", "django_runserver_gunicorn"])
def test_runserver_cases_match_their_annotations(case: str) -> None:
    """Only Django's development server serves the project (a Celery worker beside it serves no
    request): ``runserver`` runs each request in a new thread and a persistent connection
    belongs to its thread, so the finding is low and says so; a gunicorn command beside a
    ``runserver`` one keeps the medium ``CONN_MAX_AGE`` advice."""
    exp, got = _served_case(case)
    for place, finding in got.items():
        dev = place in exp.low
        assert finding.confidence == ("low" if dev else "medium"), finding.message
        assert ("the development server serves it" in finding.message) == dev, finding.message


def test_pool_advice_names_djangos_pool_only_with_psycopg3() -> None:
    pooled = scan(SERVED / "django_asgi_pool", ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
    (finding,) = pooled.findings
    assert "OPTIONS={'pool'" in finding.recommendation and "Procfile:1" in finding.message
    plain = scan(SERVED / "django_asgi", ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
    (finding,) = plain.findings
    assert "PgBouncer" in finding.recommendation and "Dockerfile:5" in finding.message


def test_pool_advice_needs_a_django_that_has_the_pool() -> None:
    """Django's own pool arrived in 5.1: where the lock file installs 4.2 (the Pipfile only says
    ``>=4.2.21``) the finding is low, names the installed version and advises PgBouncer or an
    upgrade, not a setting; the ``develop`` section's Django is not what production runs."""
    report = scan(SERVED / "django_asgi_old", ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
    (finding,) = report.findings
    assert finding.confidence == "low"
    assert "not available on the Django this project installs (`==4.2.21`)" in finding.message
    assert "one setting away" not in finding.message
    assert "PgBouncer" in finding.recommendation and "upgrade to Django 5.1+" in finding.recommendation


@pytest.mark.parametrize(
    ("requirement", "old"),
    [("Django~=4.2.0", True), ("Django>=4.2,<5.1", True), ("Django>=4.2", False), ("Django==5.1.3", False)],
)
def test_pool_advice_reads_the_requirement_without_a_lock(
    tmp_path: Path, requirement: str, old: bool
) -> None:
    (tmp_path / "proj").mkdir()
    (tmp_path / "requirements.txt").write_text(f"{requirement}\npsycopg[binary]\nuvicorn\n")
    (tmp_path / "Procfile").write_text("web: uvicorn proj.asgi:application --workers 2\n")
    (tmp_path / "proj" / "asgi.py").write_text("application = None\n")
    (tmp_path / "proj" / "settings.py").write_text(
        'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "x", "HOST": "db"}}\n'
    )
    report = scan(tmp_path, ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
    (finding,) = report.findings
    assert finding.confidence == ("low" if old else "medium"), finding.message
    assert ("one setting away" in finding.message) == (not old), finding.message


def test_wsgi_command_keeps_conn_max_age_advice(tmp_path: Path) -> None:
    (tmp_path / "proj").mkdir()
    (tmp_path / "requirements.txt").write_text("Django>=5.1\npsycopg[binary]\ngunicorn\n")
    (tmp_path / "Procfile").write_text("web: gunicorn proj.wsgi --workers 3\n")
    (tmp_path / "proj" / "settings.py").write_text(
        'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "x", "HOST": "db"}}\n'
    )
    report = scan(tmp_path, ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
    (finding,) = report.findings
    assert "Set CONN_MAX_AGE" in finding.recommendation
    assert "ASGI" not in finding.message


def _settings_project(root: Path, tail: str) -> None:
    (root / "proj").mkdir()
    (root / "requirements.txt").write_text("Django>=5.0\npsycopg2-binary\ngunicorn\n")
    (root / "Procfile").write_text("web: gunicorn proj.wsgi --workers 3\n")
    (root / "proj" / "settings.py").write_text(
        'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "pins", "HOST": "db"}}\n'
        + tail
    )


def test_a_later_star_import_may_replace_databases(tmp_path: Path) -> None:
    """``from .local_settings import *`` after DATABASES: a file written at deploy time (often from
    an example that says SQLite) decides the database, so the pool and timeout findings are low
    and say why; without it they keep their confidence."""
    rules = [r for r in all_rules() if r.meta.id in {"SC-DB-001", "SC-DB-002"}]
    replaced = tmp_path / "replaced"
    replaced.mkdir()
    _settings_project(replaced, "\n# required in production\nfrom .local_settings import *\n")
    report = scan(replaced, ScanConfig(min_confidence="low", calibrated=False), rules=rules, jobs=1)
    assert {f.rule for f in report.findings} == {"SC-DB-001", "SC-DB-002"}
    for finding in report.findings:
        assert finding.confidence == "low", finding.message
        assert "from .local_settings import *" in finding.message
    plain = tmp_path / "plain"
    plain.mkdir()
    _settings_project(plain, "")
    report = scan(plain, ScanConfig(min_confidence="low", calibrated=False), rules=rules, jobs=1)
    assert {f.rule for f in report.findings} == {"SC-DB-001", "SC-DB-002"}
    assert all(f.confidence != "low" for f in report.findings)
    # a module in the repository that sets only constants replaces nothing; one that assigns
    # DATABASES itself, or through a module it star-imports, may
    for name, text, low in (
        ("constants", "PAGE_SIZE = 20\nLOGGING = {}\n", False),
        ("overrides", 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}\n', True),
        ("chained", "from .overrides import *\n", True),
    ):
        root = tmp_path / name
        root.mkdir()
        _settings_project(root, f"\nfrom .{name} import *\n")
        (root / "proj" / f"{name}.py").write_text(text)
        if name == "chained":
            (root / "proj" / "overrides.py").write_text(
                'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}\n'
            )
        report = scan(root, ScanConfig(min_confidence="low", calibrated=False), rules=rules, jobs=1)
        mine = [f for f in report.findings if f.file == "proj/settings.py"]
        assert {f.confidence == "low" for f in mine} == {low}, (name, [f.message for f in mine])
        assert all((f"from .{name} import *" in f.message) == low for f in mine), [f.message for f in mine]


def test_database_read_from_a_config_mapping_follows_the_deployment_files(tmp_path: Path) -> None:
    """``dj_database_url.parse(CONFIG["DATABASE_URL"])``: the URL comes from the variable the
    mapping is keyed by, whose compose values say MySQL (a compose file under ``testdata/``, read
    by tests, is not the deployment): the connection-per-request finding is MySQL's (low) and
    there is no PostgreSQL statement-timeout finding."""
    (tmp_path / "proj").mkdir()
    (tmp_path / "testdata").mkdir()
    (tmp_path / "requirements.txt").write_text("Django>=4.2\ndj-database-url\nmysqlclient\npsycopg2-binary\n")
    (tmp_path / "proj" / "settings.py").write_text(
        "import os\n\nimport dj_database_url\n\nCONFIG = dict(os.environ)\n"
        'DATABASES = {"default": dj_database_url.parse(CONFIG["DATABASE_URL"])}\n'
    )
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  web:\n    build: .\n    command: gunicorn proj.wsgi\n"
        "    environment:\n      DATABASE_URL: mysql://app:secret@mysql/app\n"
        "  mysql:\n    image: mysql:8\n"
    )
    (tmp_path / "testdata" / "upgrade-compose.yml").write_text(
        "services:\n  web:\n    image: app\n    environment:\n      DATABASE_URL: postgres://u:p@pg/app\n"
    )
    rules = [r for r in all_rules() if r.meta.id in {"SC-DB-001", "SC-DB-002"}]
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=rules, jobs=1)
    (finding,) = report.findings
    assert finding.rule == "SC-DB-001" and finding.confidence == "low"
    assert "MySQL" in finding.message


def test_greenlet_workers_from_a_systemd_unit_make_conn_max_age_the_wrong_fix(tmp_path: Path) -> None:
    """A systemd unit runs ``gunicorn --worker-class=gevent proj.wsgi``: each request is a
    greenlet, so CONN_MAX_AGE would keep a connection per greenlet that no request reuses; the
    finding is low and advises an external pool. With sync workers the advice stays."""
    unit = (
        "[Service]\nWorkingDirectory=/srv/app\n"
        "ExecStart=/bin/bash -c 'exec /srv/app/.venv/bin/gunicorn \\\n"
        "  --workers 3 \\\n  --worker-class={cls} \\\n  proj.wsgi:application'\n"
    )
    for cls, green in (("gevent", True), ("sync", False)):
        root = tmp_path / cls
        (root / "proj").mkdir(parents=True)
        (root / "deploy").mkdir()
        (root / "requirements.txt").write_text("Django>=5.0\npsycopg2-binary\ngunicorn\ngevent\n")
        (root / "deploy" / "gunicorn.service").write_text(unit.format(cls=cls))
        (root / "proj" / "settings.py").write_text(
            'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}\n'
        )
        report = scan(root, ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
        (finding,) = report.findings
        assert ("greenlet" in finding.message) is green, finding.message
        assert (finding.confidence == "low") is green
        assert ("keep CONN_MAX_AGE=0" in finding.recommendation) is green
        assert finding.recommendation.startswith("Set CONN_MAX_AGE") is not green


def test_greenlet_workers_set_in_the_gunicorn_config_module(tmp_path: Path) -> None:
    """``web: gunicorn config.wsgi -c gunicorn.conf.py`` whose module sets ``worker_class =
    "gevent"``: the same greenlet-per-request serving as ``-k gevent`` on the command line."""
    (tmp_path / "config").mkdir()
    (tmp_path / "requirements.txt").write_text("Django>=5.0\npsycopg2-binary\ngunicorn\ngevent\n")
    (tmp_path / "Procfile").write_text("web: gunicorn config.wsgi -c gunicorn.conf.py\n")
    (tmp_path / "gunicorn.conf.py").write_text('workers = 4\nworker_class = "gevent"\n')
    (tmp_path / "config" / "settings.py").write_text(
        'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}\n'
    )
    report = scan(tmp_path, ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
    (finding,) = report.findings
    assert "greenlet" in finding.message and "Procfile:1" in finding.message
    assert finding.confidence == "low"


@pytest.mark.parametrize(
    ("config", "green"),
    [
        (
            "from psycogreen.gevent import patch_psycopg\n\n\n"
            "def post_fork(server, worker):\n    patch_psycopg()\n",
            True,
        ),
        ("from gevent import monkey\n\nmonkey.patch_all()\n", True),
        ("workers = 4\ntimeout = 30\n", False),
    ],
)
def test_a_gunicorn_config_that_patches_for_gevent_means_greenlet_workers(
    tmp_path: Path, config: str, green: bool
) -> None:
    """``--config conf/gunicorn.py`` whose module patches psycopg (psycogreen) or the standard
    library for gevent: only a gevent deployment does that, with the worker class given outside
    the repository (``GUNICORN_CMD_ARGS``), so CONN_MAX_AGE is the wrong fix; a config without
    such a patch keeps the advice."""
    (tmp_path / "conf").mkdir()
    (tmp_path / "requirements.txt").write_text("Django>=5.0\npsycopg2-binary\ngunicorn\ngevent\npsycogreen\n")
    (tmp_path / "Procfile").write_text(
        "web: gunicorn conf.wsgi:application --config conf/gunicorn.py --bind 0.0.0.0:$PORT\n"
    )
    (tmp_path / "conf" / "gunicorn.py").write_text(config)
    (tmp_path / "conf" / "settings.py").write_text(
        'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}\n'
    )
    report = scan(tmp_path, ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
    (finding,) = report.findings
    assert ("greenlet" in finding.message) is green, finding.message
    assert (finding.confidence == "low") is green


@pytest.mark.parametrize(
    ("layout", "green"),
    [
        ("s6", True),  # an s6-overlay service the image's init starts
        ("reload", True),  # a start script whose gunicorn line also says --reload
        ("s6-sync", False),
    ],
)
def test_greenlet_workers_in_a_supervised_service_or_a_reloading_start_script(
    tmp_path: Path, layout: str, green: bool
) -> None:
    """``COPY docker/s6-rc.d /etc/s6-overlay/s6-rc.d`` and a ``run`` script (no extension,
    ``#!/command/with-contenv sh``) starting ``gunicorn --worker-class gevent``; or the image's
    ``/start.sh`` running ``gunicorn --reload --worker-class gevent``: either is the server
    production runs, so CONN_MAX_AGE is the wrong fix. With sync workers the advice stays."""
    (tmp_path / "proj").mkdir()
    (tmp_path / "requirements.txt").write_text("Django>=4.2,<5\npsycopg2-binary\ngunicorn\ngevent\n")
    (tmp_path / "proj" / "settings.py").write_text(
        'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}\n'
    )
    cls = "sync" if layout == "s6-sync" else "gevent"
    if layout.startswith("s6"):
        (tmp_path / "docker" / "s6-rc.d" / "web").mkdir(parents=True)
        (tmp_path / "Dockerfile").write_text(
            'FROM python:3.12\nCOPY docker/s6-rc.d /etc/s6-overlay/s6-rc.d\nENTRYPOINT ["/init"]\n'
        )
        (tmp_path / "docker" / "s6-rc.d" / "web" / "run").write_text(
            '#!/command/with-contenv sh\nif [ "${ENVIRONMENT}" = "development" ]; then\n'
            "  python3 manage.py runserver 0.0.0.0:8000\nelse\n"
            f"  python3 -m gunicorn proj.wsgi \\\n    --worker-class {cls} \\\n    --workers 4\nfi\n"
        )
    else:
        (tmp_path / "contrib").mkdir()
        (tmp_path / "Dockerfile").write_text(
            'FROM python:3.12\nCOPY ./contrib/start.sh /start.sh\nCMD [ "/start.sh" ]\n'
        )
        (tmp_path / "contrib" / "start.sh").write_text(
            f"#!/bin/bash\npython manage.py migrate\nexec gunicorn --workers 5 --worker-class {cls} "
            "--reload proj.wsgi:application\n"
        )
    report = scan(tmp_path, ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
    (finding,) = report.findings
    assert ("greenlet" in finding.message) is green, finding.message
    assert (finding.confidence == "low") is green


@pytest.mark.parametrize(
    ("dockerfile", "conf", "green"),
    [
        # options only: the base image's ENTRYPOINT (gunicorn) runs them; -kgevent attached
        ('FROM quay.io/acme/django\nCMD ["--workers=4", "--reload", "-kgevent", "proj.wsgi"]\n', "", True),
        ('FROM quay.io/acme/django\nCMD ["-w", "2", "-k", "gevent", "proj.wsgi"]\n', "", True),
        # gunicorn with no argument reads ./gunicorn.conf.py
        (
            'FROM python:3.12\nENTRYPOINT ["/usr/local/bin/gunicorn"]\n',
            'workers = 3\nworker_class = "gevent"\n',
            True,
        ),
        ('FROM python:3.12\nENTRYPOINT ["/usr/local/bin/gunicorn"]\n', "workers = 3\n", False),
        ('FROM quay.io/acme/django\nCMD ["-w", "2", "proj.wsgi"]\n', "", False),
    ],
)
def test_greenlet_workers_from_a_base_image_entrypoint_or_the_default_gunicorn_config(
    tmp_path: Path, dockerfile: str, conf: str, green: bool
) -> None:
    """A Dockerfile whose ``CMD`` is gunicorn's options for the base image's entrypoint
    (``-kgevent``, ``-k gevent``), or whose ``ENTRYPOINT`` is a bare gunicorn reading the
    ``gunicorn.conf.py`` beside it (``worker_class = "gevent"``): greenlet workers, so the
    finding is low and advises an external pool; sync workers keep the advice."""
    (tmp_path / "proj").mkdir()
    (tmp_path / "requirements.txt").write_text("Django>=4.2,<5\npsycopg2-binary\ngunicorn\ngevent\n")
    (tmp_path / "proj" / "settings.py").write_text(
        'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}\n'
    )
    (tmp_path / "proj" / "wsgi.py").write_text(
        "from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n"
    )
    (tmp_path / "Dockerfile").write_text(dockerfile)
    if conf:
        (tmp_path / "gunicorn.conf.py").write_text(conf)
    report = scan(tmp_path, ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
    (finding,) = report.findings
    assert ("greenlet" in finding.message) is green, finding.message
    assert (finding.confidence == "low") is green


@pytest.mark.parametrize(("site", "setting"), [(False, False), (True, False), (False, True)])
def test_settings_of_a_reusable_app_with_no_wsgi_application_are_low(
    tmp_path: Path, site: bool, setting: bool
) -> None:
    """A reusable Django app's ``settings_mgmt.py`` (for making its migrations) in a repository
    with no WSGI/ASGI application and no server command: no site runs these settings, low,
    saying so. The same settings beside a ``wsgi.py``, or naming one (``WSGI_APPLICATION``: a
    site whose ``wsgi.py`` git ignores), keep their confidence."""
    (tmp_path / "grout").mkdir()
    (tmp_path / "setup.py").write_text(
        "from setuptools import setup\n\nsetup(name='grout', packages=['grout'])\n"
    )
    (tmp_path / "requirements.txt").write_text("Django>=4.2,<5\npsycopg2-binary\n")
    (tmp_path / "grout" / "models.py").write_text("from django.db import models\n")
    (tmp_path / "grout" / "settings_mgmt.py").write_text(
        'SECRET_KEY = "x"\nINSTALLED_APPS = ["grout"]\n'
        + ('WSGI_APPLICATION = "grout.wsgi.application"\n' if setting else "")
        + 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}\n'
    )
    if site:
        (tmp_path / "grout" / "wsgi.py").write_text(
            "from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n"
        )
    report = scan(tmp_path, ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
    (finding,) = report.findings
    served = site or setting
    assert (finding.confidence == "low") is not served, finding.message
    assert ("no WSGI or ASGI application" in finding.message) is not served


def test_an_engine_forced_after_a_url_entry_says_which_database(tmp_path: Path) -> None:
    """``DATABASES = {"default": env.db()}`` then ``DATABASES["default"]["ENGINE"] =
    "django.contrib.gis.db.backends.postgis"``: PostGIS is PostgreSQL, so the missing statement
    timeout is not in doubt about which database it is; a forced SpatiaLite engine is a file."""
    rules = [r for r in all_rules() if r.meta.id == "SC-DB-002"]
    for engine, expected in (("postgis", {"high"}), ("spatialite", set())):
        root = tmp_path / engine
        (root / "proj").mkdir(parents=True)
        (root / "requirements.txt").write_text("Django>=5.0\ndjango-environ\npsycopg2-binary\ngunicorn\n")
        (root / "Procfile").write_text("web: gunicorn proj.wsgi --workers 3\n")
        (root / "proj" / "settings.py").write_text(
            "import environ\n\nenv = environ.Env()\n"
            'DATABASES = {"default": env.db()}\n'
            f'DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.{engine}"\n'
        )
        report = scan(root, ScanConfig(min_confidence="low"), rules=rules, jobs=1)
        assert {f.confidence for f in report.findings} == expected, [f.message for f in report.findings]


def test_a_timeout_some_views_set_on_djangos_connection_covers_only_them(tmp_path: Path) -> None:
    """A view helper runs ``SET statement_timeout`` on ``django.db.connection`` before its
    expensive queries: those requests have a timeout, the others none, so the finding is low
    and says where the SET is (Django settings are loaded by name: the helper imports none)."""
    rules = [r for r in all_rules() if r.meta.id == "SC-DB-002"]
    _settings_project(tmp_path, "")
    (tmp_path / "proj" / "shortcuts.py").write_text(
        "from django.db import connection\n\n\ndef set_timeout(ms):\n"
        "    cursor = connection.cursor()\n    cursor.execute('set session statement_timeout=%d' % ms)\n"
    )
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=rules, jobs=1)
    (finding,) = report.findings
    assert finding.confidence == "low" and "proj/shortcuts.py:6" in finding.message, finding.message


def test_a_placeholder_engine_is_no_database(tmp_path: Path) -> None:
    """``'ENGINE': 'django.db.backends.'`` (no backend named) cannot connect to anything: the
    deployment's configuration replaces the entry (``vars().update(config_from_yaml)``), so
    neither the pool nor the timeout rule reports it; a complete engine still is."""
    rules = [r for r in all_rules() if r.meta.id in {"SC-DB-001", "SC-DB-002"}]
    for engine, reported in (("django.db.backends.", False), ("django.db.backends.postgresql", True)):
        root = tmp_path / str(reported)
        (root / "proj").mkdir(parents=True)
        (root / "requirements.txt").write_text("Django>=5.0\npsycopg2-binary\ngunicorn\n")
        (root / "Procfile").write_text("web: gunicorn proj.wsgi --workers 3\n")
        (root / "proj" / "settings.py").write_text(
            f'DATABASES = {{"default": {{"ENGINE": "{engine}", "NAME": "app", "HOST": "localhost"}}}}\n'
        )
        report = scan(root, ScanConfig(min_confidence="low", calibrated=False), rules=rules, jobs=1)
        assert bool(report.findings) is reported, [f.message for f in report.findings]


def test_the_server_a_start_script_runs_decides_the_advice(tmp_path: Path) -> None:
    """``CMD ["/start.sh"]`` whose script migrates, then ``exec``s gunicorn with uvicorn's worker
    on the project's ``asgi`` module: the script's server line is what production runs, so
    CONN_MAX_AGE is the wrong advice there, as it would be on the Dockerfile's own line. The same
    script that nothing in the deployment runs (a developer's helper) says nothing about
    production: the WSGI advice stays."""
    script = (
        "#!/bin/sh\nset -e\npython manage.py migrate --noinput\n"
        'if [ -n "$WEB" ]; then\n  exec gunicorn proj.asgi:application \\\n'
        "    -k uvicorn.workers.UvicornWorker --workers 4\nfi\n"
    )
    for run in (True, False):
        root = tmp_path / ("run" if run else "unused")
        (root / "proj").mkdir(parents=True)
        (root / "docker").mkdir()
        (root / "requirements.txt").write_text("Django>=5.0\npsycopg2-binary\ngunicorn\nuvicorn\n")
        (root / "docker" / "start.sh").write_text(script)
        (root / "proj" / "settings.py").write_text(
            'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}\n'
        )
        (root / "proj" / "asgi.py").write_text("application = None\n")
        if run:
            (root / "Dockerfile").write_text(
                'FROM python:3.12\nCOPY docker/start.sh /start.sh\nCMD ["/start.sh"]\n'
            )
        report = scan(root, ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
        (finding,) = report.findings
        assert ("Under ASGI, CONN_MAX_AGE is not the fix" in finding.message) is run, finding.message
        assert ("docker/start.sh:5" in finding.message) is run, finding.message
        assert finding.recommendation.startswith("Set CONN_MAX_AGE") is not run


TIMEOUT_RULE = next(r for r in all_rules() if r.meta.id == "SC-DB-002")
_ENTRY = (
    'DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n'
    '        "HOST": os.environ["DB_HOST"],\n    },\n}\n'
)


def _settings_package(root: Path, modules: dict[str, str]) -> dict[tuple[str, str], Finding]:
    """A Django project whose ``proj/settings/`` holds ``modules``; SC-DB-001 and SC-DB-002
    findings by (rule, settings file), at every confidence."""
    (root / "proj" / "settings").mkdir(parents=True)
    (root / "requirements.txt").write_text("Django>=5.0\npsycopg2-binary\ngunicorn\n")
    (root / "Procfile").write_text("web: gunicorn proj.wsgi\n")
    (root / "proj" / "wsgi.py").write_text("application = None\n")
    for name, text in modules.items():
        (root / "proj" / "settings" / name).write_text(text)
    report = scan(root, ScanConfig(min_confidence="low"), rules=[RULE, TIMEOUT_RULE], jobs=1)
    return {(f.rule, f.file.rsplit("/", 1)[-1]): f for f in report.findings}


def test_a_base_entry_every_importer_replaces_does_not_run(tmp_path: Path) -> None:
    """``deployed.py``'s DATABASES, which ``prod.py`` and ``staging.py`` each replace after
    ``from .deployed import *``: the base entry runs nowhere (low, saying so); ``prod.py``'s
    is production's; ``staging.py``, beside ``prod.py``, is a staging deployment's (low). With
    one importer keeping the base entry, the base entry runs and stays reported."""
    base = "import os\n" + _ENTRY
    child = "import os\nfrom .deployed import *\n\n" + _ENTRY
    found = _settings_package(
        tmp_path / "replaced", {"deployed.py": base, "prod.py": child, "staging.py": child}
    )
    for rule in ("SC-DB-001", "SC-DB-002"):
        assert found[(rule, "deployed.py")].confidence == "low"
        assert "assign their own DATABASES" in found[(rule, "deployed.py")].message
        assert "proj/settings/prod.py" in found[(rule, "deployed.py")].message
        assert found[(rule, "prod.py")].confidence != "low"
        assert found[(rule, "staging.py")].confidence == "low"
        assert "staging or review deployment" in found[(rule, "staging.py")].message
    kept = _settings_package(
        tmp_path / "kept",
        {"deployed.py": base, "prod.py": child, "heroku.py": "from .deployed import *\nDEBUG = False\n"},
    )
    assert kept[("SC-DB-002", "deployed.py")].confidence != "low"


def test_an_importer_that_sets_the_option_covers_the_base_entry(tmp_path: Path) -> None:
    """``otap.py`` (what production runs) star-imports ``base.py`` and sets ``CONN_MAX_AGE`` and
    a ``statement_timeout`` on ``base.py``'s ``default`` alias: neither is missing. An importer
    that sets ``CONN_MAX_AGE = 0`` keeps connections per request: still reported."""
    base = "import os\n" + _ENTRY
    patched = _settings_package(
        tmp_path / "set",
        {
            "base.py": base,
            "otap.py": (
                "from .base import *  # noqa\n\n"
                'DATABASES["default"]["CONN_MAX_AGE"] = 60\n'
                'DATABASES["default"]["OPTIONS"] = {"options": "-c statement_timeout=15000"}\n'
            ),
        },
    )
    assert not patched
    zero = _settings_package(
        tmp_path / "zero",
        {
            "base.py": base,
            "otap.py": 'from .base import *  # noqa\n\nDATABASES["default"]["CONN_MAX_AGE"] = 0\n',
        },
    )
    assert ("SC-DB-001", "base.py") in zero and ("SC-DB-002", "base.py") in zero


def test_a_pool_set_with_setdefault_for_every_alias(tmp_path: Path) -> None:
    """``db_config.setdefault("OPTIONS", {}).setdefault("pool", {}).update(...)`` in a loop over
    the aliases: Django's own pool, so no connection per request."""
    found = _settings_package(
        tmp_path,
        {
            "base.py": "import os\n"
            + _ENTRY
            + "for alias, db_config in DATABASES.items():\n"
            + '    db_config.setdefault("OPTIONS", {}).setdefault("pool", {}).update({"max_size": 4})\n'
        },
    )
    assert ("SC-DB-001", "base.py") not in found


def test_greenlet_workers_from_an_openshift_template_and_a_cfg_config(tmp_path: Path) -> None:
    """An OpenShift ``Template`` whose Deployment runs ``bash -c "gunicorn wsgi:application
    --config gunicorn.ocp4.cfg"``; the config file (``.cfg``, in the image's folder, not beside
    the manifest) sets ``worker_class = 'gevent'``: the cluster's command is production's, so
    CONN_MAX_AGE is the wrong fix. The same manifest with sync workers keeps the advice."""
    template = (
        "apiVersion: template.openshift.io/v1\nkind: Template\nmetadata:\n  name: backend\n"
        "objects:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: backend\n"
        "  spec:\n    replicas: 2\n    template:\n      spec:\n        containers:\n"
        "        - name: backend\n          image: backend:latest\n          command:\n"
        "          - /bin/bash\n          - -c\n"
        "          - gunicorn wsgi:application --bind=0.0.0.0:8000 --config gunicorn.ocp4.cfg\n"
    )
    for cls, green in (("gevent", True), ("sync", False)):
        root = tmp_path / cls
        (root / "app" / "backend" / "proj").mkdir(parents=True)
        (root / "openshift").mkdir()
        (root / "openshift" / "backend.deployment.yaml").write_text(template)
        backend = root / "app" / "backend"
        (backend / "requirements.txt").write_text("Django>=5.0\npsycopg2-binary\ngunicorn\ngevent\n")
        (backend / "gunicorn.ocp4.cfg").write_text(f"workers = 4\nworker_class = '{cls}'\n")
        (backend / "wsgi.py").write_text("application = None\n")
        (backend / "proj" / "settings.py").write_text(
            'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}\n'
        )
        report = scan(root, ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
        (finding,) = report.findings
        assert ("greenlet" in finding.message) is green, finding.message
        assert ("openshift/backend.deployment.yaml" in finding.message) is green, finding.message
        assert (finding.confidence == "low") is green


def test_a_deployment_that_points_the_database_at_pgbouncer(tmp_path: Path) -> None:
    """The Deployment reads ``DB_HOST``/``DB_PORT`` from Crunchy's ``pgbouncer-host`` and
    ``pgbouncer-port`` secret keys: connections go to PgBouncer, so a connection per request is
    no new PostgreSQL backend (no SC-DB-001), and a statement timeout passed as a startup
    parameter would be dropped in transaction mode (SC-DB-002 advises the role setting)."""
    deployment = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n"
        "    spec:\n      containers:\n      - name: api\n        image: api:1\n"
        "        command: [gunicorn, proj.wsgi]\n        env:\n"
        "        - name: DB_HOST\n          valueFrom:\n            secretKeyRef:\n"
        "              name: db-pguser-app\n              key: {key}\n"
    )
    rules = [RULE, TIMEOUT_RULE]
    for key, pooled in (("pgbouncer-host", True), ("host", False)):
        root = tmp_path / key
        (root / "proj").mkdir(parents=True)
        (root / "k8s").mkdir()
        (root / "k8s" / "api.yaml").write_text(deployment.replace("{key}", key))
        (root / "requirements.txt").write_text("Django>=5.0\npsycopg2-binary\ngunicorn\n")
        (root / "proj" / "wsgi.py").write_text("application = None\n")
        (root / "proj" / "settings.py").write_text(
            "import os\n"
            'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", '
            '"HOST": os.environ["DB_HOST"]}}\n'
        )
        report = scan(root, ScanConfig(min_confidence="low"), rules=rules, jobs=1)
        found = {f.rule: f for f in report.findings}
        assert ("SC-DB-001" in found) is not pooled
        assert ("ALTER ROLE" in found["SC-DB-002"].message) is pooled, found["SC-DB-002"].message


def test_an_asgi_module_a_lambda_adapter_serves_is_asgi(tmp_path: Path) -> None:
    """``handler = Mangum(get_asgi_application())`` in the project's ``asgi.py``: AWS Lambda
    serves every request over ASGI, so CONN_MAX_AGE is not the advice (psycopg2 only: low)."""
    (tmp_path / "proj").mkdir()
    (tmp_path / "requirements.txt").write_text("Django>=5.0\npsycopg2-binary\nmangum\n")
    (tmp_path / "proj" / "asgi.py").write_text(
        "import os\n\nfrom django.core.asgi import get_asgi_application\nfrom mangum import Mangum\n\n"
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n'
        "application = get_asgi_application()\n"
        'handler = Mangum(application, lifespan="off")\n'
    )
    (tmp_path / "proj" / "settings.py").write_text(
        'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "x", "HOST": "db"}}\n'
    )
    report = scan(tmp_path, ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
    (finding,) = report.findings
    assert "proj/asgi.py:8 serves it over ASGI" in finding.message
    assert "Set CONN_MAX_AGE" not in finding.recommendation


def test_a_base_entry_the_served_settings_replace_does_not_run(tmp_path: Path) -> None:
    """``wsgi.py`` defaults to ``settings.base_lambda``, which star-imports ``base`` and assigns
    its own DATABASES; the package ``__init__`` manage.py loads and the tests' module import
    ``base`` too without replacing it. What the server runs is ``base_lambda``: ``base``'s entry
    is low, ``base_lambda``'s keeps its confidence."""
    rules = [r for r in all_rules() if r.meta.id in {"SC-DB-001", "SC-DB-002"}]
    settings = tmp_path / "proj" / "settings"
    settings.mkdir(parents=True)
    (tmp_path / "requirements.txt").write_text("Django>=5.0\npsycopg2-binary\n")
    (tmp_path / "manage.py").write_text(
        'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n'
    )
    (tmp_path / "proj" / "__init__.py").write_text("")
    (tmp_path / "proj" / "wsgi.py").write_text(
        "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n"
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.base_lambda")\n'
        "application = get_wsgi_application()\n"
    )
    entry = (
        'DATABASES = {\n    "default": '
        '{"ENGINE": "django.db.backends.postgresql", "NAME": "%s", "HOST": "db"}\n}\n'
    )
    (settings / "__init__.py").write_text("from .base import *  # noqa\n")
    (settings / "base.py").write_text("DEBUG = False\n" + entry % "local")
    (settings / "base_lambda.py").write_text("from .base import *  # noqa\n\n" + entry % "prod")
    (settings / "testing.py").write_text("from .base import *  # noqa\n")
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=rules, jobs=1)
    by_file: dict[str, set[str]] = {}
    for f in report.findings:
        by_file.setdefault(f.file, set()).add(f.confidence)
    assert by_file["proj/settings/base.py"] == {"low"}, by_file
    assert "low" not in by_file["proj/settings/base_lambda.py"], by_file


_COMMON = """from configurations import Configuration


class Common(Configuration):
    DEBUG = False
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.postgresql", "HOST": "localhost", "NAME": "app"}
    }
"""

_CLOUD = """import os

from .common import Common


class CloudGov(Common):
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.postgresql", "HOST": os.environ["DB_HOST"], "NAME": "app"}
    }


class Production(CloudGov):
    pass
"""


@pytest.mark.parametrize(("other", "replaced"), [("Local", True), ("Staging", False)])
def test_an_entry_every_deployed_settings_class_replaces_is_low(
    tmp_path: Path, other: str, replaced: bool
) -> None:
    """django-configurations: ``Common`` holds a DATABASES entry that ``CloudGov`` (and the
    ``Production`` deriving from it) replaces; when only ``Local`` inherits it, the entry is not
    what a deployment runs: low, saying so, while CloudGov's is reported. A ``Staging`` class
    that inherits it keeps it live."""
    settings = tmp_path / "proj" / "settings"
    settings.mkdir(parents=True)
    (tmp_path / "requirements.txt").write_text("Django>=5.1\npsycopg[binary]\ndjango-configurations\n")
    (tmp_path / "proj" / "wsgi.py").write_text(
        "from configurations.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n"
    )
    (settings / "__init__.py").write_text("")
    (settings / "common.py").write_text(_COMMON)
    (settings / "cloudgov.py").write_text(_CLOUD)
    (settings / "other.py").write_text(
        f"from .common import Common\n\n\nclass {other}(Common):\n    DEBUG = True\n"
    )
    report = scan(tmp_path, ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
    by_file = {f.file: f for f in report.findings}
    common = by_file["proj/settings/common.py"]
    assert (common.confidence == "low") is replaced, common.message
    assert ("derive from `Common` assign their own DATABASES (`CloudGov`)" in common.message) is replaced
    assert by_file["proj/settings/cloudgov.py"].confidence != "low"


@pytest.mark.parametrize("copied", [True, False])
def test_a_base_entry_the_settings_an_image_copies_into_place_replaces_is_low(
    tmp_path: Path, copied: bool
) -> None:
    """The production image runs ``cp .../settings_aws_ecs.py .../settings.py``; that module
    star-imports ``settings_base`` and assigns its own DATABASES, so the base entry does not
    run (low, naming the replacing module) while ``settings_aws_ecs``'s is reported. Without the
    copy, nothing shows which of the modules importing the base runs."""
    settings = tmp_path / "web" / "config" / "settings"
    settings.mkdir(parents=True)
    (tmp_path / "requirements.txt").write_text("Django>=5.1\npsycopg[binary]\n")
    (settings / "__init__.py").write_text("")
    (settings / "settings_base.py").write_text(
        'DEBUG = False\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "HOST": "db"}}\n'
    )
    (settings / "settings_aws_ecs.py").write_text(
        "import os\n\nfrom .settings_base import *  # noqa\n\n"
        'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql",\n'
        '                         "HOST": os.environ["DB_HOST"]}}\n'
    )
    (settings / "settings_prod.py").write_text(
        "from .settings_base import *  # noqa\n\nALLOWED_HOSTS = ['*']\n"
    )
    (tmp_path / "web" / "config" / "wsgi.py").write_text(
        "import os\n\nfrom django.core.wsgi import get_wsgi_application\n\n"
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.settings")\n'
        "application = get_wsgi_application()\n"
    )
    cp = "RUN cp /app/config/settings/settings_aws_ecs.py /app/config/settings/settings.py\n"
    step = cp if copied else ""
    (tmp_path / "Dockerfile").write_text(f"FROM python:3.12\nCOPY web /app\n{step}CMD gunicorn config.wsgi\n")
    report = scan(tmp_path, ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
    by_file = {f.file: f for f in report.findings}
    base = by_file["web/config/settings/settings_base.py"]
    assert ("settings_aws_ecs.py), so this entry does not run" in base.message) is copied, base.message
    assert by_file["web/config/settings/settings_aws_ecs.py"].confidence != "low"


@pytest.mark.parametrize(
    ("loop", "reported"),
    [
        (
            'for db_config in DATABASES.values():\n    db_config["CONN_MAX_AGE"] = config("DB_AGE", 60)\n',
            False,
        ),
        ('for alias, cfg in DATABASES.items():\n    DATABASES[alias]["CONN_MAX_AGE"] = 60\n', False),
        ('for alias in DATABASES:\n    DATABASES[alias]["CONN_MAX_AGE"] = 60\n', False),
        ('# for db_config in DATABASES.values():\n#    db_config["CONN_MAX_AGE"] = 60\n', True),
        ('for db_config in DATABASES.values():\n    db_config["CONN_MAX_AGE"] = 0\n', True),
    ],
)
def test_an_importer_that_sets_the_option_on_every_entry_in_a_loop(
    tmp_path: Path, loop: str, reported: bool
) -> None:
    """``production.py`` star-imports ``base.py`` and sets ``CONN_MAX_AGE`` on every entry in a
    loop over ``DATABASES``: base's ``default`` keeps its connections. A commented-out loop, or
    one setting 0, leaves a connection per request: still reported."""
    found = _settings_package(
        tmp_path,
        {
            "base.py": "import os\n" + _ENTRY,
            "production.py": "from decouple import config\n\nfrom .base import *  # noqa\n\n" + loop,
        },
    )
    assert (("SC-DB-001", "base.py") in found) is reported, found


@pytest.mark.parametrize(
    ("server", "low"),
    [
        ("python manage.py runserver 0.0.0.0:8000", True),
        ("gunicorn proj.wsgi", False),
        # gunicorn is production's server even when the start script also says --reload
        ("/usr/local/bin/gunicorn proj.wsgi --workers=2 --reload --timeout=300", False),
        # uWSGI, its options on continuation lines
        ("uwsgi \\\n  --socket :8000 \\\n  --module proj.wsgi \\\n  --master", False),
        # a server the scripts do not show: what serves is unknown, not the compose file's
        ("exec some-custom-server --port 8000", False),
    ],
)
def test_a_dockerfile_that_runs_start_scripts_serves_with_what_they_run(
    tmp_path: Path, server: str, low: bool
) -> None:
    """``CMD /app/docker/entrypoint /app/docker/start``: the image serves with what those
    scripts run. When that is ``manage.py runserver`` (Django's development server) the image is
    a development setup: the connection and timeout findings on the settings it selects are low,
    saying so; when the script runs gunicorn (also with ``--reload``) or uWSGI, or a server the
    scripts do not show, they stand, whatever a compose file for local runs says."""
    (tmp_path / "docker").mkdir()
    (tmp_path / "Dockerfile").write_text(
        "FROM python:3.12\nCOPY . /app\nENV DJANGO_SETTINGS_MODULE proj.settings\n"
        'ENTRYPOINT ["/app/docker/entrypoint"]\nCMD /app/docker/entrypoint /app/docker/start\n'
    )
    (tmp_path / "docker" / "entrypoint").write_text('#!/bin/sh\nset -e\nexec "$@"\n')
    # a compose file for trying the image locally with the development server
    (tmp_path / "docker-compose.yml").write_text(
        "services:\n  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
    )
    (tmp_path / "docker" / "start").write_text(
        "#!/usr/bin/env bash\nset -o errexit\npython manage.py migrate\n" + server + "\n"
    )
    (tmp_path / "proj").mkdir()
    (tmp_path / "requirements.txt").write_text("Django>=5.0\npsycopg2-binary\ngunicorn\n")
    (tmp_path / "manage.py").write_text("import os\n")
    (tmp_path / "proj" / "wsgi.py").write_text("application = None\n")
    (tmp_path / "proj" / "settings.py").write_text("import os\n" + _ENTRY)
    _assert_development_server(tmp_path, "proj/settings.py", low)


def _assert_development_server(root: Path, settings: str, low: bool) -> None:
    """SC-DB-001 and SC-DB-002 on ``settings`` are low, saying the development server serves
    it, exactly when ``low``."""
    report = scan(root, ScanConfig(min_confidence="low"), rules=[RULE, TIMEOUT_RULE], jobs=1)
    found = {(f.rule, f.file): f for f in report.findings}
    for rule in ("SC-DB-001", "SC-DB-002"):
        finding = found[(rule, settings)]
        assert (finding.confidence == "low") is low, finding.message
        assert ("development server" in finding.message) is low, finding.message


_WORKER_SCRIPT = (
    "#!/bin/bash\npython3 manage.py migrate\n"
    'run() {\n  local cmd="celery -A proj worker -Q $1 --concurrency=$2"\n  echo "$cmd &"\n}\n'
    'commands="$(run main 4)"\neval "$commands"\nwait\n'
)


@pytest.mark.parametrize(
    ("variant", "low"),
    [
        ("as-is", True),
        # the web service's script runs gunicorn: production's server
        ("gunicorn", False),
        # the worker's script names a server in its text: it may start one
        ("worker-serves", False),
        # the certs image's build context is unknown (no compose service builds it)
        ("certs-unbuilt", False),
    ],
)
def test_compose_services_run_the_start_scripts_of_their_build_context(
    tmp_path: Path, variant: str, low: bool
) -> None:
    """``web: build: ./web, entrypoint: /usr/src/app/entrypoint.sh`` beside ``certs: build:
    ./certs`` whose image runs its own ``/entrypoint.sh``: an image holds only files of its
    build context, so the web image's path names ``web/entrypoint.sh`` (not the same-named
    script of ``certs/``), and the certs container cannot run the project in ``web/``. A
    worker's start script that assembles ``celery ... worker`` commands in strings and names no
    server starts none, and a start script's housekeeping lines (``sed``, ``pip install``) are
    not servers. With the web script running ``manage.py runserver``, the connection and
    timeout findings are low, saying the development server serves it."""
    web = tmp_path / "web"
    (web / "proj").mkdir(parents=True)
    (tmp_path / "certs").mkdir()
    compose = (
        "services:\n  web:\n    build:\n      context: ./web\n"
        "    entrypoint: /usr/src/app/entrypoint.sh\n"
        "  celery:\n    build:\n      context: ./web\n    entrypoint: /usr/src/app/worker-entrypoint.sh\n"
    )
    if variant != "certs-unbuilt":
        compose += "  certs:\n    build: ./certs\n"
    (tmp_path / "docker-compose.yml").write_text(compose)
    (tmp_path / "certs" / "Dockerfile").write_text(
        'FROM alpine\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n'
    )
    (tmp_path / "certs" / "entrypoint.sh").write_text("#!/bin/sh\nopenssl req -x509 -out /certs/x.pem\n")
    server = "gunicorn proj.wsgi" if variant == "gunicorn" else "python3 manage.py runserver 0.0.0.0:8000"
    (web / "entrypoint.sh").write_text(
        "#!/bin/bash\npython3 manage.py migrate\nsed -i 's/a/b/' /usr/lib/x.py\n"
        f'python3 -m pip install h8mail\n{server}\nexec "$@"\n'
    )
    worker = _WORKER_SCRIPT + ("gunicorn proj.wsgi &\n" if variant == "worker-serves" else "")
    (web / "worker-entrypoint.sh").write_text(worker)
    (web / "Dockerfile").write_text("FROM python:3.12\nCOPY . /usr/src/app\n")
    (web / "requirements.txt").write_text("Django>=5.0\npsycopg2-binary\ncelery\n")
    (web / "manage.py").write_text("import os\n")
    (web / "proj" / "wsgi.py").write_text("application = None\n")
    (web / "proj" / "settings.py").write_text("import os\n" + _ENTRY)
    _assert_development_server(tmp_path, "web/proj/settings.py", low)


@pytest.mark.parametrize("selected", [True, False])
def test_a_production_module_the_selected_settings_do_not_import_does_not_run(
    tmp_path: Path, selected: bool
) -> None:
    """The Dockerfile selects ``site/settings.py``; ``legacy/settings/production.py`` (a
    fork's leftover, which star-imports ``legacy/settings/server.py``) is a deployment's name
    that nothing selected imports: both legacy entries are low, saying what production selects,
    and the selected module's finding stands. With no deployment selecting a module, the name
    ``production.py`` keeps the entries it imports at their confidence (and the unselected
    ``site/settings.py`` is one of several modules in doubt)."""
    (tmp_path / "legacy" / "settings").mkdir(parents=True)
    (tmp_path / "site").mkdir()
    (tmp_path / "requirements.txt").write_text("Django>=5.0\npsycopg2-binary\ngunicorn\n")
    env = "ENV DJANGO_SETTINGS_MODULE=site.settings\n" if selected else ""
    (tmp_path / "Dockerfile").write_text(f"FROM python:3.12\nCOPY . /app\n{env}CMD gunicorn site.wsgi\n")
    (tmp_path / "site" / "wsgi.py").write_text("application = None\n")
    (tmp_path / "site" / "settings.py").write_text("import os\n" + _ENTRY)
    (tmp_path / "legacy" / "settings" / "server.py").write_text("import os\n" + _ENTRY)
    (tmp_path / "legacy" / "settings" / "production.py").write_text(
        "from .server import *\n\nDEBUG = False\n"
    )
    report = scan(tmp_path, ScanConfig(min_confidence="low"), rules=[RULE, TIMEOUT_RULE], jobs=1)
    found = {(f.rule, f.file): f for f in report.findings}
    for rule in ("SC-DB-001", "SC-DB-002"):
        legacy = found[(rule, "legacy/settings/server.py")]
        assert (legacy.confidence == "low") is selected, legacy.message
        assert ("production selects site/settings.py" in legacy.message) is selected, legacy.message
        if selected:
            assert found[(rule, "site/settings.py")].confidence != "low"


def test_a_django_older_than_persistent_connections_gets_no_conn_max_age_advice(tmp_path: Path) -> None:
    """``Django==1.5.4`` pinned in ``requirements/production.txt`` (the requirements of the
    folder above): it predates ``CONN_MAX_AGE`` (1.6), so the finding is low and advises an
    upgrade or PgBouncer; on 1.6 the usual advice stands."""
    for version, low in (("1.5.4", True), ("1.6.11", False)):
        root = tmp_path / version
        (root / "requirements").mkdir(parents=True)
        (root / "proj").mkdir()
        (root / "requirements" / "production.txt").write_text(f"Django=={version}\npsycopg2==2.5\n")
        (root / "Procfile").write_text("web: gunicorn proj.wsgi\n")
        (root / "proj" / "wsgi.py").write_text("application = None\n")
        (root / "proj" / "settings.py").write_text("import os\n" + _ENTRY)
        report = scan(root, ScanConfig(min_confidence="low"), rules=[RULE], jobs=1)
        (finding,) = [f for f in report.findings if f.file == "proj/settings.py"]
        assert (finding.confidence == "low") is low, finding.message
        assert ("predates CONN_MAX_AGE (Django 1.6)" in finding.message) is low, finding.message
