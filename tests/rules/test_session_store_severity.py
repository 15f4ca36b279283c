"""SC-SCALE-001 severity follows the deployment of the service that runs the session setup."""

from __future__ import annotations

import json
from pathlib import Path

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.horizontal_scaling.in_memory_session_store import InMemorySessionStoreRule

START = json.dumps({"main": "src/app.js", "scripts": {"start": "node src/app.js"}})
PM2 = 'module.exports = {{ apps: [{{ script: "src/app.js", instances: {n} }}] }};\n'
APP = 'import session from "express-session";\napp.use(session({ secret: "s" }));\n'


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _findings(root: Path) -> list[tuple[str, str, str]]:
    config = ScanConfig(min_confidence="low", calibrated=False)
    report = scan(root, config, rules=[InMemorySessionStoreRule], jobs=1)
    return [(f.file, f.severity, f.confidence) for f in report.findings]


def test_critical_when_the_service_runs_several_processes(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "api/package.json": START,
            "api/src/app.js": APP,
            "api/ecosystem.config.js": PM2.format(n=4),
            # another service's workers do not count for the api
            "web/package.json": START,
            "web/src/app.js": APP,
            "web/ecosystem.config.js": PM2.format(n=1),
        },
    )
    got = sorted(_findings(tmp_path))
    assert got == [("api/src/app.js", "critical", "high"), ("web/src/app.js", "high", "high")]


def test_django_default_cache_is_assumed_at_low_confidence(tmp_path: Path) -> None:
    _write(tmp_path, {"site/settings.py": 'SESSION_ENGINE = "django.contrib.sessions.backends.cache"\n'})
    assert _findings(tmp_path) == [("site/settings.py", "high", "low")]


def test_django_cached_db_on_locmem_is_medium(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "site/settings.py": (
                'CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}\n'
                'SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"\n'
            )
        },
    )
    assert _findings(tmp_path) == [("site/settings.py", "medium", "high")]


def test_django_caches_built_by_a_function_are_not_assumed_in_memory(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "site/settings.py": (
                "def _parse_caches():\n    return {}\n\n"
                "CACHES = _parse_caches()\n"
                'SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"\n'
            )
        },
    )
    assert _findings(tmp_path) == []


def test_a_setting_under_a_deployment_condition_is_low(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "site/settings.py": (
                'SESSION_FILE_PATH = getattr(configuration, "SESSION_FILE_PATH", None)\n'
                "if SESSION_FILE_PATH is not None:\n"
                '    SESSION_ENGINE = "django.contrib.sessions.backends.file"\n'
            )
        },
    )
    assert _findings(tmp_path) == [("site/settings.py", "medium", "low")]


LOCMEM = (
    'CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}\n'
    'SESSION_ENGINE = "django.contrib.sessions.backends.cache"\n'
    'INSTALLED_APPS = ["django.contrib.sessions"]\n'
)


def test_locmem_a_later_local_settings_import_may_replace_is_low(tmp_path: Path) -> None:
    # ``try: from settings_local import *`` at the end: the installation's own file decides
    local = "try:\n    from settings_local import *  # noqa\nexcept ImportError:\n    pass\n"
    _write(tmp_path, {"site/settings.py": LOCMEM + local})
    assert _findings(tmp_path) == [("site/settings.py", "high", "low")]
    # the same import before CACHES is assigned cannot replace it
    _write(tmp_path, {"site/settings.py": local + LOCMEM})
    assert _findings(tmp_path) == [("site/settings.py", "high", "high")]


def test_locmem_a_later_split_settings_file_replaces_is_low(tmp_path: Path) -> None:
    redis = 'CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}\n'
    _write(
        tmp_path,
        {
            "site/settings/__init__.py": (
                "from split_settings.tools import include\n\ninclude('base.py', 'production.py')\n"
            ),
            "site/settings/base.py": LOCMEM,
            "site/settings/production.py": "SECRET_KEY = 'x'\n" + redis,
        },
    )
    assert _findings(tmp_path) == [("site/settings/base.py", "high", "low")]
    # included before the base, production.py's CACHES is the one replaced
    _write(
        tmp_path,
        {
            "site/settings/__init__.py": (
                "from split_settings.tools import include\n\ninclude('production.py', 'base.py')\n"
            )
        },
    )
    assert _findings(tmp_path) == [("site/settings/base.py", "high", "high")]


def test_flask_session_type_without_flask_session_is_low(tmp_path: Path) -> None:
    app = 'from flask import Flask\n\napp = Flask(__name__)\napp.config["SESSION_TYPE"] = "filesystem"\n'
    _write(tmp_path, {"svc/app.py": app})
    assert _findings(tmp_path) == [("svc/app.py", "medium", "low")]
    # installed: the setting takes effect
    _write(tmp_path, {"svc/app.py": "from flask_session import Session\n" + app + "Session(app)\n"})
    assert _findings(tmp_path) == [("svc/app.py", "medium", "high")]
