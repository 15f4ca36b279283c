"""Environment guards (``EnvGuard``) in JS/TS and Python: the block, the environment, ``else``."""

from __future__ import annotations

from scalescope.model.facts import EnvGuard
from scalescope.scan.extract.base import extract_file


def _guards(path: str, language: str, text: str) -> list[tuple[int, int, str]]:
    result = extract_file(path, language, text)
    assert not result.errors, result.errors
    return [(f.loc.line, f.loc.end_line, f.runs_in) for f in result.facts if isinstance(f, EnvGuard)]


JS = """const isDev = process.env.NODE_ENV !== "production";
const isProd = process.env.NODE_ENV === "production";
if (process.env.NODE_ENV === 'development') {
  app.use(a);
} else {
  app.use(b);
}
if (isDev) app.get("/debug", debug);
if (!isProd && verbose) {
  log();
}
if (config.isProduction) {
  app.use(compression());
}
if (process.env.NODE_ENV === "test") {
  seed();
}
if (user.isAdmin) {
  admin();
}
const dev = flags.dev;
if (dev) {
  x();
}
"""


def test_js_guards() -> None:
    assert _guards("src/app.ts", "typescript", JS) == [
        (3, 5, "development"),
        (5, 7, "production"),
        (8, 8, "development"),
        (9, 11, "development"),
        (12, 14, "production"),
        (15, 17, "test"),
    ]


PY = """from django.conf import settings

if settings.DEBUG:
    urlpatterns += debug_urls
else:
    urlpatterns += []

if not DEBUG:
    SECURE = True

if settings.ENVIRONMENT == "local":
    seed()

if os.environ.get("FLASK_ENV") != "production":
    app.debug = True

if app.debug:
    toolbar(app)

if request.user.is_staff:
    admin()

if settings.TESTING:
    fake()
"""


def test_python_guards() -> None:
    assert _guards("app/settings.py", "python", PY) == [
        (3, 4, "development"),
        (5, 6, "production"),
        (8, 9, "production"),
        (11, 12, "development"),
        (14, 15, "development"),
        (17, 18, "development"),
        (23, 24, "test"),
    ]


def test_python_guards_on_a_deployment_variable_and_ci_names() -> None:
    """``TARGET_ENV``/``DEPLOY_ENVIRONMENT`` name the environment too; a CI service's name is a
    test run; a block for a developer's or a CI run (``"local" or "codebuild"``) is not
    production, and its ``else`` is; a value that names no environment says nothing."""
    text = (
        "if TARGET_ENV == 'local' or TARGET_ENV == 'codebuild':\n"
        "    from .base_local import *\n"
        "else:\n"
        "    from .base_ec2 import *\n"
        "if DEPLOY_ENVIRONMENT == 'prod':\n"
        "    x = 1\n"
        "if TARGET_ENV == 'local' or TARGET_ENV == 'staging':\n"
        "    y = 2\n"
        "if TARGET_ENV == 'ci':\n"
        "    z = 3\n"
    )
    assert _guards("settings/base.py", "python", text) == [
        (1, 2, "development"),
        (3, 4, "production"),
        (5, 6, "production"),
        (9, 10, "test"),
    ]
