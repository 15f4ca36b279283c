"""What runs in production: one definition of a file's role, used by every rule.

A file's role comes from the project's own entry points and configuration, not from a list of
folder names a rule keeps for itself:

- **test**: test files by location or name (``tests/``, ``x.spec.ts``, ``test_x.py``,
  ``conftest.py``), test-runner configuration, settings modules for tests, end-to-end runs and
  CI (also named for a CI service: ``settings/travis.py``, ``settings_circleci.py``; or the
  other way round: ``ci_settings.py``, ``.ci.settings.py``), and files run only by a
  package.json test script;
- **migration**: schema-migration folders (``migrations/``, ``db/migrate/``), alembic's
  ``script_location`` from ``alembic.ini`` and an alembic ``versions/`` folder beside its
  ``env.py`` (a folder merely named ``versions/`` is application code);
- **tooling**: files run only by package.json scripts other than the server (``seed``,
  ``typeorm ... -d data-source-cli.ts``, ``tsx scripts/backfill.ts``) or only by CI (a GitHub
  Actions ``run:`` step, a GitLab ``script:`` line, a Jenkinsfile ``sh`` step...), Django
  management commands, seed files, pyproject console scripts, a ``scripts/`` or ``bin/`` folder
  (also hidden: ``.scripts/``), tool configuration (``drizzle.config.ts``, ``jest.config.js``);
- **dev-only**: development settings modules (by name, hard-coding ``DEBUG = True``, or
  star-importing such a module and keeping its ``DEBUG``, when no production deployment selects
  them; a dotted-string default naming one is no import), development compose files and
  Dockerfiles, the code a development compose file builds from its own folder (a tool of
  that local stack, even when its own Dockerfile ``CMD`` runs it), example or demo code
  (``examples/``, ``demo/``, ``sample-app/``,
  ``example_plugin/`` folders), project templates (``project_template/``, ``app_template/``,
  cookiecutter ``{{cookiecutter.x}}/`` folders), modules named as templates to copy
  (``localsettings.template.py``, ``settings.example.py``), a package's top-level ``dev/``
  folder (its development environment) and (per location, see
  :meth:`Roles.role_at`) blocks under an environment guard;
- **unimported**: code no other file imports that is neither an entry point nor a framework
  convention file (Next.js ``app/``/``pages/``, Django ``models``/``views``/``urls``/``admin``,
  Celery ``tasks``, ``main``/``index``/``server`` modules...);
- **production**: everything else, and anything imported by production code (a helper under
  ``scripts/`` the server imports is production).

Files reached only through imports from non-production files inherit that role ("only used by
``prisma/seed.ts``, a seed file"). When a file is run by a production entry point
(package.json ``start``/``main``, a Dockerfile ``CMD``, a compose or Procfile command) it is
production whatever its folder, except a seed or migration step the command chains with the
server (``node dist/seed.js && node dist/main.js``): it runs once at start-up (tooling).
Dev scripts (``dev``, ``watch``) run the same code production runs after a build, so they
prove nothing either way.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict, deque
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scalescope.model.facts import (
    ConditionalStarImport,
    EntryPoint,
    EnvGuard,
    EnvVar,
    Import,
    Loc,
    Route,
    RouterDecl,
    SettingsModule,
)
from scalescope.model.services import under

if TYPE_CHECKING:
    from scalescope.model.project import ProjectModel

KINDS = ("production", "test", "tooling", "migration", "dev-only", "unimported")
CODE_LANGUAGES = frozenset({"javascript", "typescript", "tsx", "python"})

#: roles where a scalability finding makes no sense at all: they are not reported
SILENT = frozenset({"test", "migration"})


@dataclass(frozen=True, slots=True)
class Role:
    """Where a file (or a place in it) runs: ``kind`` (one of :data:`KINDS`) and why."""

    kind: str
    reason: str = ""

    @property
    def production(self) -> bool:
        return self.kind == "production"

    @property
    def reportable(self) -> bool:
        """Findings here are reported at all (at low confidence when not production)."""
        return self.kind not in SILENT


PRODUCTION = Role("production")

# --------------------------------------------------------------------------- path conventions

TEST_DIRS = frozenset(
    {
        "tests",
        "test",
        "__tests__",
        "__mocks__",
        "e2e",
        "cypress",
        "playwright",
        "spec",
        "specs",
        "testing",
        "test-utils",
        "test_utils",
    }
)
# folders a JS test tool owns by the double-underscore convention (``__tests__``, ``__mocks__``,
# ``__fixtures__``, ``__snapshots__``, ``__e2e__``, ``__specs__``)
_TEST_DUNDER_DIR = re.compile(r"^__\w*(test|mock|fixture|snapshot|e2e|spec)s?\w*__$", re.IGNORECASE)
# a folder named for tests in words joined by ``-`` or ``_`` (``test-infrastructure``,
# ``integration-tests``, ``e2e_suite``); ``latest-build`` and ``contest`` are not
# (``testdata/``: Go's convention for files tests read, kept out of builds)
_TEST_WORDS_DIR = re.compile(
    r"^(?:[a-z0-9]+[-_])*(?:tests?|testing|testdata|e2e)(?:[-_][a-z0-9]+)*$", re.IGNORECASE
)
_TEST_FILE = re.compile(
    r"(^test_.*\.py$|.*_tests?\.py$|^tests?\.py$|^conftest\.py$|.*\.(test|spec|e2e-spec|e2e)\.[cm]?[jt]sx?$|"
    # a kind of test named before the extension: ``api.servertest.ts``, ``db.integration-test.ts``,
    # ``x.unit.spec.ts``, ``x.e2e_spec.js``
    r".*\.(server|client|unit|int|integration|e2e|api|browser|node|dom|it|func|functional|component|"
    r"system|smoke|perf|load|acceptance)[-_]?(test|spec)s?\.[cm]?[jt]sx?$|"
    r"^(jest|vitest|playwright|cypress|karma|mocha)\.(config|setup)[^/]*$|^setup-?tests\.[cm]?[jt]sx?$|"
    r".*[_-]testing\.py$|.*\.stories\.[jt]sx?$)",
    re.IGNORECASE,
)
# settings for test and CI runs: ``settings/test.py``, ``settings_ci.py``, and the name the other
# way round (``ci_settings.py``, ``.ci.settings.py``: a file a CI job copies into place)
# A CI service's name stands for CI (``settings/travis.py``, ``settings_circleci.py``).
CI_NAMES = r"ci|travis|circleci|jenkins|gitlab[_-]ci|github(?:[_-]actions)?|buildkite|drone"
_CI = CI_NAMES
_TEST_SETTINGS = re.compile(
    rf"(^|/)(settings|configs?|conf)/(test|tests|testing|e2e|{_CI})\.py$|"
    rf"(^|/)settings_(test|testing|e2e|{_CI})\.py$|"
    rf"(^|/)\.?(tests?|testing|e2e|{_CI})[._-](settings|config|conf)\.py$"
)
# ``migrations/``, and the same word in a hyphenated or underscored folder name
# (``data-migrations/``, ``saas-migrations/``, ``db_migrations/``)
_MIGRATION_PATH = re.compile(r"(^|/)((?:[a-z0-9]+[-_])?migrations?|db/migrate|alembic/versions)/")
_DEV_SETTINGS = re.compile(
    r"(^|/)(settings|configs?|conf)/(dev|development|local)\.py$|(^|/)(settings_dev|settings_local|local_settings|"
    r"dev_settings)\.py$"
)
# a settings module named for a deployment (``production.py``, ``settings_prod.py``, ``heroku.py``)
_DEPLOYMENT_SETTINGS = re.compile(
    r"(^|_)(production|prod|live|heroku|render|fly|railway|deploy|deployment|k8s|kubernetes|aws|gcp|azure)"
    r"($|_)"
)
# a settings module named for a deployment that is not production's (``staging.py``,
# ``review.py`` for review apps, ``settings_preview.py``)
_PREVIEW_SETTINGS = re.compile(r"(^|_)(staging|stage|review|preview|qa|uat)($|_)")
# ``knexfile-local``, ``config.dev``, ``ormconfig_development``: a variant of a configuration
# module (a ``storage-local.ts`` adapter is not one)
_LOCAL_VARIANT = re.compile(
    r"^((?:[\w.-]*[._-])?(?:knexfile|ormconfig|config|configuration|settings|data-?source|database|db|env))"
    r"[._-](?:local|dev|development)$",
    re.IGNORECASE,
)
#: ``from .base import *`` at module level (not under an ``if`` or a ``try``)
STAR_IMPORT_LINE = re.compile(r"^from\s+([\w.]+)\s+import\s+\*")
# a package's top-level folder for its development environment
_DEV_DIRS = frozenset({"dev", "development", ".devcontainer", "devtools", "dev-tools", "dev-env"})


def _dev_dir(rel: str) -> str | None:
    """The first folder of ``rel`` when it is a development environment's (``dev/``,
    ``.devcontainer/``) and ``rel`` is a file inside it, else ``None``."""
    head, sep, _ = rel.partition("/")
    return head if sep and head in _DEV_DIRS else None


_SEED = re.compile(
    r"(^|/)(seeds?|seeders?|seeding|fixtures)/|(^|/)seed(s|ers?)?([._-][^/]*)?\.([cm]?[jt]sx?|py)$"
)
_MANAGEMENT = re.compile(r"(^|/)management/commands/[^/]+\.py$")
# a file named for a schema migration it runs (``dist/migrate.js``, ``scripts/run-migrations.ts``)
_MIGRATE_FILE = re.compile(r"(^|/)[^/]*migrat[^/]*$", re.IGNORECASE)
# a package script named for a seed or migration step (``seed``, ``db:seed``, ``migrate:deploy``)
_STEP_SCRIPT = re.compile(r"(^|[:_-])(seeds?|seeding|db[:_-]seed)($|[:_-])|migrat", re.IGNORECASE)

# a folder of example or demo code shipped beside the product (``examples/``, ``demo/``,
# ``clients/sample-app/``, ``ckanext/example_idatastorebackend/``, a ``sandbox/`` demo
# project): it shows how to use the product and serves no one's traffic
_EXAMPLE_DIR = re.compile(
    r"^(?:examples?|demos?|playgrounds?|sandbox(?:es)?|(?:sample|example|demo)[-_]apps?|example[-_][\w-]+"
    r"|[\w-]+[-_]examples?)$",
    re.IGNORECASE,
)
# a project or app template (``startproject --template``): Django's ``project_template/`` and
# ``app_template/``, the ``project_name`` folder startproject renames, a cookiecutter folder
# (``{{cookiecutter.project_slug}}/``): scaffolding copied into new projects, deployed nowhere
# a module named as a template or an example to copy (``localsettings.template.py``,
# ``settings.example.py``, ``config.sample.py``, ``settings.py.dist`` read as ``.dist.py``)
_TEMPLATE_FILE = re.compile(r"\.(?:template|tpl|example|sample|dist)\.(?:py|[cm]?[jt]s)$")
# a settings module named as a template (``production_example.py``, ``local_settings-dist.py``):
# only for modules that assign settings, since ``email_template.py`` or ``blood_sample.py``
# may be code
_TEMPLATE_SETTINGS = re.compile(r"[_-](?:template|tpl|example|sample|dist)\.py$")
_TEMPLATE_DIR = re.compile(r"^(?:(?:project|app)[-_]templates?|project_name|.*\{\{.*\}\}.*)$")
# a scripts folder, also hidden (``.scripts/``, ``.bin/``: kept out of the way, never served)
_SCRIPTS = re.compile(r"^((?:src|app)/)?(\.?(?:scripts|bin|tools|cli))/")
# configuration of build, lint and test tools (not of the server: ``next.config.js`` and
# ``sentry.server.config.ts`` are loaded by the running app)
_TOOL_CONFIG = re.compile(
    r"(^|/)((drizzle|tailwind|postcss|vite|webpack|rollup|babel|eslint|prettier|tsup|esbuild|"
    r"i18next|commitlint|lint-staged|svelte|astro|turbo|storybook|orval|codegen|graphql-codegen|"
    r"stylelint|release|semantic-release|nodemon|tsdown|unbuild)\.config|\.[a-z]+rc|gulpfile|gruntfile|"
    r"webpack\.[^/]+|knexfile|\.sequelizerc|ormconfig)\.[cm]?[jt]s$",
    re.IGNORECASE,
)
_TOOL_CONFIG_REASON = "configuration of a build, test or database CLI tool"
# files a framework or runtime loads by convention (never "unimported")
_JS_ENTRY_STEMS = frozenset(
    {
        "index",
        "main",
        "server",
        "app",
        "worker",
        "workers",
        "cluster",
        "start",
        "bootstrap",
        "serve",
        "middleware",
        "instrumentation",
        "handler",
        "lambda",
        "api",
    }
)
_JS_CONVENTION_DIRS = re.compile(r"(^|/)(pages|app|api|routes|functions|netlify|lambdas?)/")
_PY_ENTRY_STEMS = frozenset(
    {
        "manage",
        "wsgi",
        "asgi",
        "settings",
        "urls",
        "models",
        "views",
        "admin",
        "apps",
        "tasks",
        "signals",
        "celery",
        "conftest",
        "__main__",
        "main",
        "app",
        "server",
        "run",
        "api",
        "schema",
        "schemas",
        "receivers",
        "handlers",
        "consumers",
        "routing",
        "middleware",
        "context_processors",
        "forms",
        "serializers",
        "config",
        "urls_api",
        "routes",
        "worker",
        "wsgi_app",
        "application",
        "views_api",
        "viewsets",
        "filters",
        "permissions",
        "backends",
        "checks",
        "jobs",
        "cron",
    }
)
# modules a process manager starts by name (``celery -A celery_worker``, ``gunicorn wsgi_prod``)
_PY_PROCESS_STEM = re.compile(r"(^|_)(celery|worker|wsgi|asgi|gunicorn|uwsgi|server|app)(_|$)")
_PY_CONVENTION_DIRS = re.compile(
    r"(^|/)(settings|templatetags|management|models|views|api|urls|tasks|signals|migrations)/"
)
_ENTRY_STEM = re.compile(r"^(index|main|server|app|wsgi|asgi|manage)\.(py|[cm]?[jt]sx?)$")
_FILE_ROUTE_FRAMEWORKS = frozenset({"nextjs", "remix", "sveltekit", "nuxt"})
_BUILD_DIRS = frozenset({"dist", "build", "out", "lib", ".build", "output"})
_EXTS = (".ts", ".tsx", ".js", ".mjs", ".cjs", ".mts", ".cts", ".jsx", ".py")


def is_test_path(rel: str) -> bool:
    """Files under a test folder or named like tests or test configuration (``test_x.py``,
    ``x.spec.ts``, ``api.servertest.ts``, ``__e2e__/``, a Django app's ``tests.py``,
    ``jest.config.js``, ``settings/test.py``, ``configuration_testing.py``).
    Matches whole path segments: ``latest_prices.py`` is not test code."""
    parts = rel.split("/")
    return (
        any(p in TEST_DIRS or _TEST_DUNDER_DIR.match(p) or _TEST_WORDS_DIR.match(p) for p in parts[:-1])
        or bool(_TEST_FILE.match(parts[-1]))
        or bool(_TEST_SETTINGS.search(rel))
    )


def is_migration_path(path: str) -> bool:
    """Files of a conventional schema-migration folder."""
    return bool(_MIGRATION_PATH.search(path))


# --------------------------------------------------------------------------- the computation


class Roles:
    """Roles of every file of a model (computed once, lazily, by :class:`ProjectModel`)."""

    def __init__(self, model: ProjectModel) -> None:
        self.model = model
        self.code = [f.path for f in model.files if f.language in CODE_LANGUAGES]
        self._code_set = set(self.code)
        self._by_role: dict[str, Role] = {}
        #: package roots whose application entry is known (an entry point runs a file of the
        #: package, or a conventional entry module imports others): only there can code be
        #: called unused ("unimported" files, unreferenced functions); a lone file proves nothing
        self.anchored: frozenset[str] = frozenset()
        self._migration_dirs: list[str] = []
        self._selected: set[str] = set()
        self._in_doubt: dict[str, str] | None = None
        self._importers_of: dict[str, list[str]] | None = None
        self._sibling_importers: dict[str, list[str]] = {}
        self._guards: dict[str, list[EnvGuard]] = defaultdict(list)
        for guard in model.all(EnvGuard):
            self._guards[guard.loc.file].append(guard)
        self._compute()

    # ------------------------------------------------------------------ import graph

    def _import_graph(
        self, selected_by_name: Collection[str] = ()
    ) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """``file -> files it imports`` and the reverse. A dotted string naming a module of
        ``selected_by_name`` (``os.environ.setdefault("DJANGO_SETTINGS_MODULE",
        "devproject.settings")``) is a default a deployment overrides, not an import."""
        model = self.model
        imports: dict[str, set[str]] = defaultdict(set)
        importers: dict[str, set[str]] = defaultdict(set)
        # what an import names depends on the importing file's folder and language only (a
        # relative module, a tsconfig scope, the nearest of several same-named modules): files
        # of one folder importing the same names resolve them once
        resolved: dict[tuple[str, bool, str, str], tuple[str, ...]] = {}
        for imp in model.all(Import):
            caller = imp.loc.file
            python = caller.endswith(".py")
            key = (caller.rpartition("/")[0], python, imp.module, imp.name)
            targets = resolved.get(key)
            if targets is None:
                targets = ()
                if python and imp.name not in {"*", ""}:
                    sub = imp.module + ("" if imp.module.endswith(".") else ".") + imp.name
                    targets = model.module_files(caller, sub)
                targets = resolved[key] = targets + model.module_files(caller, imp.module)
            by_name = python and not imp.local and not imp.name
            for target in targets:
                if by_name and target in selected_by_name:
                    continue
                if target != caller:
                    imports[caller].add(target)
                    importers[target].add(caller)
        # loading ``a/b/c.py`` runs ``a/b/__init__.py`` and ``a/__init__.py`` first: a package's
        # ``__init__`` lives as long as any of its modules does
        for path in self.code:
            for init in self._package_inits(path):
                if init != path:
                    imports[path].add(init)
                    importers[init].add(path)
        return imports, importers

    def _package_inits(self, path: str) -> list[str]:
        if not path.endswith(".py"):
            return []
        out = []
        folder = posixpath.dirname(path)
        while folder:
            init = f"{folder}/__init__.py"
            if init not in self._code_set:
                break
            out.append(init)
            folder = posixpath.dirname(folder)
        return out

    # ------------------------------------------------------------------ entry points

    def _resolve_path(self, base: str, target: str) -> list[str]:
        target = target.strip().strip("'\"")
        if not target or target.startswith(("$", "-")):
            return []
        candidates: list[str] = []
        for start in dict.fromkeys((base, "")):
            path = posixpath.normpath(posixpath.join(start, target)) if start else posixpath.normpath(target)
            if path.startswith(".."):
                continue
            candidates.append(path)
            parts = path.split("/")
            # ``node dist/main.js`` runs the build of ``src/main.ts``
            for i, part in enumerate(parts[:-1]):
                if part in _BUILD_DIRS:
                    rest = "/".join(parts[i + 1 :])
                    head = "/".join(parts[:i])
                    candidates.append(posixpath.join(head, "src", rest) if head else f"src/{rest}")
                    candidates.append(posixpath.join(head, rest) if head else rest)
                    break
        found: list[str] = []
        for cand in candidates:
            stem = re.sub(r"\.(js|mjs|cjs|jsx)$", "", cand)
            for option in (cand, *(stem + e for e in _EXTS), *(cand + "/index" + e for e in _EXTS)):
                if option in self._code_set:
                    found.append(option)
                    break
            if found:
                break
        return found

    def _resolve_module(self, base: str, module: str) -> list[str]:
        rel = module.strip().replace(".", "/")
        if not rel:
            return []
        found: list[str] = []
        for start in dict.fromkeys((base, "")):
            for option in (f"{rel}.py", f"{rel}/__init__.py", f"{rel}/celery.py"):
                path = posixpath.join(start, option) if start else option
                if path in self._code_set:
                    found.append(path)
            if found:
                return found[:1]
        suffix = [
            p for p in self.code if p.endswith("/" + rel + ".py") or p.endswith("/" + rel + "/__init__.py")
        ]
        return suffix if len(suffix) <= 3 else []

    def _entry_files(self) -> tuple[dict[str, list[tuple[EntryPoint, str]]], list[str]]:
        """``file -> [(entry, role)]`` for every file an entry point runs, and the migration
        folders alembic names."""
        entries = list(self.model.all(EntryPoint))
        scripts: dict[tuple[str, str], EntryPoint] = {
            (e.loc.file, e.name): e for e in entries if e.source == "package.json"
        }
        out: dict[str, list[tuple[EntryPoint, str]]] = defaultdict(list)
        migration_dirs: list[str] = []
        commands_dir = [p for p in self.code if _MANAGEMENT.search(p)]

        def walk(entry: EntryPoint, role: str, depth: int, seen: set[str]) -> None:
            base = posixpath.dirname(entry.loc.file)
            # a seed or migration step a production command chains with the server
            # (``node dist/seed.js && node dist/main.js``) runs once at start-up, before the
            # server; it serves no request: tooling, while the server target stays production
            chained = role == "production" and len(entry.targets) > 1
            for target in entry.targets:
                if target.startswith("npm:"):
                    ref = scripts.get((entry.loc.file, target[4:]))
                    if ref is not None and ref.name not in seen and depth < 4:
                        # a production script running ``npm run x`` makes x's files production
                        # only when x is not itself a migration/test/seed-like script
                        sub_role = role if role == "production" and ref.role == "tooling" else ref.role
                        if chained and sub_role == "production" and _STEP_SCRIPT.search(ref.name):
                            sub_role = "tooling"
                        walk(ref, sub_role, depth + 1, seen | {ref.name})
                    continue
                if target.startswith("manage:"):
                    name = target[7:]
                    for path in commands_dir:
                        if path.endswith(f"/management/commands/{name}.py"):
                            out[path].append((entry, "migration" if "migrat" in name else "tooling"))
                    continue
                if target.startswith("py:"):
                    files = self._resolve_module(base, target[3:])
                else:
                    files = self._resolve_path(base, target)
                for path in files:
                    step = chained and any(_SEED.search(p) or _MIGRATE_FILE.search(p) for p in (target, path))
                    out[path].append((entry, "tooling" if step else role))

        for entry in entries:
            if entry.source == "alembic":
                base = posixpath.dirname(entry.loc.file)
                for target in entry.targets:
                    folder = (
                        posixpath.normpath(posixpath.join(base, target))
                        if base
                        else posixpath.normpath(target)
                    )
                    migration_dirs.append(folder)
                continue
            walk(entry, entry.role, 0, {entry.name})
        return out, migration_dirs

    # ------------------------------------------------------------------ main

    def _compute(self) -> None:
        model = self.model
        entry_files, migration_dirs = self._entry_files()
        selected = self._selected_settings()
        self._selected = selected
        dev_settings = self._dev_settings(self._debug_settings(entry_files, selected), selected)
        settings_files = {m.loc.file for m in self.model.all(SettingsModule)}
        imports, importers = self._import_graph(dev_settings)
        self.importers: dict[str, set[str]] = importers
        # alembic: a ``versions/`` folder beside an ``env.py``
        env_dirs = {posixpath.dirname(p) for p in self.code if p.endswith("/env.py")}
        for folder in env_dirs:
            if any(p.startswith(folder + "/versions/") for p in self.code):
                migration_dirs.append(folder)
        self._migration_dirs = [d for d in migration_dirs if d and d != "."]
        route_files = {r.loc.file for r in model.all(Route) if r.framework in _FILE_ROUTE_FRAMEWORKS}
        django = model.has_stack("django")

        services = model.services
        app_files = {d.loc.file for d in model.all(RouterDecl) if d.entry}
        strong: dict[str, Role] = {}
        weak: dict[str, Role] = {}
        entry_targets: set[str] = set(entry_files)
        for path in self.code:
            if is_test_path(path):
                strong[path] = Role("test", "test code")
                continue
            if self._in_migrations(path):
                strong[path] = Role("migration", "a schema migration")
                continue
            runs = entry_files.get(path, [])
            dev_dir, dev_built = services.dev_code_reason(path)
            if dev_built and not any(
                how == "production" and not under(dev_dir, e.loc.file) for e, how in runs
            ):
                # a tool a development compose file builds: its own Dockerfile's or package.json's
                # start command runs it only in that development stack
                weak[path] = Role("dev-only", dev_built)
                continue
            if any(how == "production" for _, how in runs):
                continue  # run by the server: production whatever its folder
            if runs and (path in app_files or self._convention(path)):
                # CI also starts the application itself (smoke and end-to-end tests): a file
                # that creates the served app or that a framework loads is not a CI script
                runs = [(e, how) for e, how in runs if e.source != "ci"]
            # a file a tool runs is still production when production code imports it (a
            # ``better-auth generate --config src/lib/auth.ts`` script names the app's auth)
            nonprod = [(e, how) for e, how in runs if how in {"tooling", "migration", "test"}]
            if nonprod:
                entry, how = sorted(nonprod, key=lambda er: (er[1], er[0].loc.file, er[0].name))[0]
                weak[path] = Role(how if how != "migration" else "tooling", _entry_reason(entry, how))
                continue
            in_package = path[len(services.package_root(path)) :].lstrip("/")
            if _MANAGEMENT.search(path):
                strong[path] = Role("tooling", "a manage.py command, run by hand or by a scheduler")
            elif _SEED.search(path):
                weak[path] = Role("tooling", "a seed script")
            elif _TOOL_CONFIG.search(path):
                weak[path] = Role("tooling", _TOOL_CONFIG_REASON)
            elif template := next((d for d in path.split("/")[:-1] if _TEMPLATE_DIR.match(d)), None):
                weak[path] = Role(
                    "dev-only",
                    f"a project template (in {template}/): scaffolding for new projects, not deployed",
                )
            elif _TEMPLATE_FILE.search(path) or (path in settings_files and _TEMPLATE_SETTINGS.search(path)):
                # ``localsettings.template.py``: copied and edited by whoever sets an instance up
                weak[path] = Role("dev-only", "a template to copy (by its name), not the module that runs")
            elif m := _SCRIPTS.match(in_package):
                weak[path] = Role("tooling", f"a script in {m.group(2)}/, run by hand")
            elif path in dev_settings:
                weak[path] = Role("dev-only", dev_settings[path])
            elif twin := self._local_twin(path):
                # ``knexfile-local.ts`` beside ``knexfile.ts``, ``config.dev.js`` beside
                # ``config.js``: the developer's copy of a configuration the deployment runs
                weak[path] = Role("dev-only", f"a local or development variant of {twin}")
            elif (dev := _dev_dir(in_package) or _dev_dir(path)) is not None:
                # the package's development environment (``dev/compose/``, ``dev/common/
                # settings.py``), or the repository's (``dev/deploy-to-container/`` with its own
                # package.json): production code that imports a file of it makes it live
                weak[path] = Role("dev-only", f"development environment (in {dev}/)")
            elif example := next((d for d in path.split("/")[:-1] if _EXAMPLE_DIR.match(d)), None):
                weak[path] = Role("dev-only", f"example or demo code (in {example}/)")

        # the package of a console script (``pi-manage = "app.cli.pimanage:cli"`` runs
        # ``app/cli/pimanage/__init__.py``): its modules that nothing outside the package
        # imports are that tool's code, whatever their names (``main.py``, ``admin.py``)
        for target, init_role in list(weak.items()):
            if init_role.kind != "tooling" or not target.endswith(".py"):
                continue
            if not any(e.source == "pyproject" for e, _ in entry_files.get(target, ())):
                continue  # a console script's package, not a file a CI step greps
            folder = target.rsplit("/", 1)[0] + "/" if "/" in target else ""
            parent = folder.rstrip("/").rsplit("/", 1)[0] if "/" in folder.rstrip("/") else ""
            if not target.endswith("/__init__.py") and (
                not parent or f"{parent}/__init__.py" not in self._code_set
            ):
                # ``tool = "app.cli.core:main"``: the subpackage ``app/cli`` is the tool's; a
                # top-level package (``app.main:run``) is the application itself
                continue
            for path in self.code:
                if not path.startswith(folder) or path in strong or path in weak:
                    continue
                outside = [i for i in importers.get(path, ()) if not i.startswith(folder) and i not in strong]
                if not outside:
                    weak[path] = Role("tooling", f"part of {init_role.reason}")
        # production closure: everything not classified above, and what it imports
        # roots: what the server runs, what a framework loads by convention, and unclassified
        # files nothing imports (kept live, at worst reported as "unimported" below)
        unclassified = [p for p in self.code if p not in strong and p not in weak]
        roots = [p for p in unclassified if not importers.get(p) or p in entry_targets or self._convention(p)]
        live = set(roots)
        queue = deque(roots)
        while queue:
            cur = queue.popleft()
            for nxt in imports.get(cur, ()):
                if nxt not in live and nxt not in strong:
                    live.add(nxt)
                    queue.append(nxt)
        roles: dict[str, Role] = dict(strong)
        for path, weak_role in weak.items():
            if path not in live:
                roles[path] = weak_role
        # files reached only from non-production files inherit their role; a helper only
        # migrations import runs at deploy time, like a script: reported, at low confidence
        for origin in sorted(roles):
            role = roles[origin]
            if role.reason == _TOOL_CONFIG_REASON:
                continue  # what a bundler's config names is what it builds for production
            kind = "tooling" if role.kind == "migration" else role.kind
            queue = deque([origin])
            seen = {origin}
            while queue:
                cur = queue.popleft()
                for nxt in sorted(imports.get(cur, ())):
                    if nxt in seen or nxt in live or nxt in roles:
                        continue
                    seen.add(nxt)
                    roles[nxt] = Role(kind, f"only used by {origin}, {role.reason}")
                    queue.append(nxt)
        # unimported: imported by nothing, run by nothing, loaded by no convention
        # only where the application's own entry is known (an entry point runs a file of the
        # package, or a conventional entry module imports others): a lone file proves nothing
        anchored = {
            services.package_root(p)
            for p in self.code
            if imports.get(p)
            and (
                any(how == "production" for _, how in entry_files.get(p, ()))
                or _ENTRY_STEM.match(p.rsplit("/", 1)[-1])
            )
        }
        self.anchored = frozenset(anchored)
        for path in roots:
            if path in roles or importers.get(path) or path in entry_targets or path in route_files:
                continue
            python = path.endswith(".py")
            if services.package_root(path) not in anchored or self._convention(path):
                continue
            if path.endswith("__init__.py"):
                continue  # a package loaded by name at run time (plugins, apps)
            if python and django:
                continue  # Django loads modules by dotted strings (settings, INSTALLED_APPS)
            roles[path] = Role("unimported", "no other file imports it and no entry point runs it")
        self._by_role = roles

    def _dev_settings(self, debug_settings: dict[str, str], selected: set[str]) -> dict[str, str]:
        """Development settings modules -> why: those named so (``settings/dev.py``,
        ``local_settings.py``), those hard-coding ``DEBUG = True`` (``debug_settings``), and
        a settings module that star-imports one of them unconditionally and sets no ``DEBUG``
        of its own but ``True`` (``docker.py``: ``from .dev import *``, then the database of a
        development compose file): it is that development configuration with changes. One a
        production deployment selects (``DJANGO_SETTINGS_MODULE``, ``--settings``) stays
        production. A dotted string naming one (``os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE", "app.settings.local")``) is a default, not an import."""

        def chosen(path: str) -> bool:
            return any(path == f"{sel}.py" or path.endswith(f"/{sel}.py") for sel in selected)

        out = dict(debug_settings)
        for path in self.code:
            if path in out or not _DEV_SETTINGS.search(path):
                continue
            if not chosen(path):
                out[path] = "development settings"
            elif twin := self._deployment_twin(path):
                # ``settings/development.py`` a compose file selects, beside ``production.py``:
                # that compose file is the developers' stack; production runs the twin
                out[path] = f"development settings (the deployment's own module, {twin}, is beside it)"
        for m in self.model.all(SettingsModule):
            path = m.loc.file
            stem = posixpath.splitext(posixpath.basename(path))[0]
            if path not in out and _PREVIEW_SETTINGS.search(stem) and (twin := self._deployment_twin(path)):
                # ``staging.py`` or ``review.py`` beside ``prod.py``: a deployment, not production's
                out[path] = f"settings of a staging or review deployment (production's own module is {twin})"
        modules = [m for m in self.model.all(SettingsModule) if m.star_imports and m.debug in {"", "true"}]
        changed = True
        while changed:
            changed = False
            for m in modules:
                path = m.loc.file
                if path in out or chosen(path):
                    continue
                for module in m.star_imports:
                    base = next((t for t in self.model.module_files(path, module) if t in out), None)
                    if base is not None:
                        out[path] = f"development settings (`from {module} import *` takes {base}'s)"
                        changed = True
                        break
        return out

    def _local_twin(self, path: str) -> str:
        """The file ``path`` is a local or development variant of (``src/knexfile.ts`` for
        ``src/knexfile-local.ts``, ``config.js`` for ``config.dev.js``), or ``""``."""
        folder, _, name = path.rpartition("/")
        stem, dot, ext = name.rpartition(".")
        m = _LOCAL_VARIANT.match(stem) if dot else None
        if m is None:
            return ""
        for option in (f"{m.group(1)}.{ext}", *(f"{m.group(1)}{e}" for e in _EXTS)):
            twin = f"{folder}/{option}" if folder else option
            if twin != path and twin in self._code_set:
                return twin
        return ""

    def _deployment_twin(self, path: str) -> str:
        """A settings module named for a deployment (``production.py``, ``settings_prod.py``)
        in the folder of the development settings module ``path``, or ``""``."""
        folder, _, name = path.rpartition("/")
        for other in self.code:
            there, _, other_name = other.rpartition("/")
            if there != folder or other == path or not other_name.endswith(".py"):
                continue
            stem = other_name[:-3]
            if name.startswith("settings_") != stem.startswith("settings_"):
                continue  # ``settings_dev.py`` pairs with ``settings_prod.py``, not ``prod.py``
            if _DEPLOYMENT_SETTINGS.search(stem):
                return other
        return ""

    def _debug_settings(
        self, entry_files: dict[str, list[tuple[EntryPoint, str]]], selected: set[str]
    ) -> dict[str, str]:
        """Settings modules that hard-code ``DEBUG = True`` (Django: never in production) ->
        why they are development settings. One stays production when a production entry
        point selects it (``DJANGO_SETTINGS_MODULE`` in a deployment's environment or
        command, ``--settings``), or when it is the only settings module of its package and
        a production entry point runs that package: then it is what production runs."""
        model = self.model
        services = model.services
        modules = list(model.all(SettingsModule))
        if not any(m.debug == "true" for m in modules):
            return {}
        served_roots = {
            services.package_root(p)
            for p, runs in entry_files.items()
            if any(h == "production" for _, h in runs)
        }
        roots: dict[str, int] = defaultdict(int)
        for m in modules:
            roots[services.package_root(m.loc.file)] += 1
        out: dict[str, str] = {}
        for m in modules:
            path = m.loc.file
            if m.debug != "true":
                continue
            if any(path == f"{sel}.py" or path.endswith(f"/{sel}.py") for sel in selected):
                continue
            root = services.package_root(path)
            if roots[root] == 1 and root in served_roots:
                continue
            out[path] = f"development settings (`DEBUG = True`, line {m.loc.line})"
        return out

    def _selected_settings(self) -> set[str]:
        """Settings modules (as paths without ``.py``) a production deployment selects."""
        model = self.model
        found: set[str] = set()
        pattern = re.compile(r"(?:DJANGO_SETTINGS_MODULE=|--settings[= ])['\"]?([A-Za-z_][\w.]*)")
        for entry in model.all(EntryPoint):
            if entry.role == "production":
                found.update(m.group(1) for m in pattern.finditer(entry.command))
        languages = {f.path: f.language for f in model.files}
        for var in model.all(EnvVar):
            if var.name != "DJANGO_SETTINGS_MODULE" or languages.get(var.loc.file) not in {
                "dockerfile",
                "yaml",
                "shell",  # ``export DJANGO_SETTINGS_MODULE=...`` in a start script production runs
            }:
                continue
            if self.role(var.loc.file).production:
                found.add(var.value.strip().strip("'\""))
        return {s.replace(".", "/") for s in found if s}

    # ------------------------------------------------------------------ queries

    def settings_in_doubt(self, path: str) -> str:
        """Why production may not run the settings module ``path``, or ``""``.

        A package with several production settings modules (``base.py``, ``docker.py``,
        ``travis.py``, ``production.py``...) runs one of them; a module is shown to be what
        production runs when a production deployment selects it (``DJANGO_SETTINGS_MODULE``,
        ``--settings``), when code other than tests imports it (a base the environments'
        modules star-import, a template to copy included; the default a ``wsgi.py`` names), when
        a production Dockerfile copies it into place, or when its name says a deployment
        (``production.py``, ``prod.py``, ``heroku.py``...). Any other module of several (a
        Docker or CI variant, a local one) may be a developer's: its settings are in doubt.
        Where a production deployment selects a module of the package, what runs is that module
        and what it imports: another module (a fork's leftover ``production.py``) is in doubt
        whatever its name. A package's only settings module is what it runs."""
        if self._in_doubt is None:
            self._in_doubt = self._settings_in_doubt()
        return self._in_doubt.get(path, "")

    def _settings_in_doubt(self) -> dict[str, str]:
        model = self.model
        services = model.services
        modules = [m.loc.file for m in model.all(SettingsModule) if self.role(m.loc.file).production]
        by_root: dict[str, list[str]] = defaultdict(list)
        for path in modules:
            by_root[services.package_root(path)].append(path)
        # a base the other modules extend: ``from .base import *`` (in a template to copy too,
        # whose copy is what production runs)
        star_importers: dict[str, set[str]] = defaultdict(set)
        for m in model.all(SettingsModule):
            for module in m.star_imports:
                for target in model.module_files(m.loc.file, module):
                    star_importers[target].add(m.loc.file)
        for including, seq in model.settings_sequences:
            for target, branch in seq:
                if not branch:  # django-split-settings always runs it (not one alternative of an ``if``)
                    star_importers[target].add(including)
        # ``if TARGET_ENV == "local": from .base_local import * else: from .base_ec2 import *``
        # in a production module: the branch outside a non-production guard is what runs
        for importer, target in self._guarded_star_imports(by_root):
            star_importers[target].add(importer)
        # production images that copy a settings file into place (``COPY docker/etc/settings.py
        # /etc/app/settings.py``, ``install ... settings.py``): that file is what they run
        built = [
            "\n".join(model.source_lines(f.path))
            for f in model.files
            if f.language == "dockerfile" and self.role(f.path).production
        ]
        out: dict[str, str] = {}
        for root, paths in by_root.items():
            if len(paths) < 2:
                continue
            chosen = [p for p in paths if self.selected(p)]
            if chosen:
                # production selects a module of this package: what it runs is that module
                # and what it imports; a ``production.py`` beside it that nothing selected
                # imports is another deployment's, a fork's leftover or a template
                run = set(chosen)
                grew = True
                while grew:
                    grew = False
                    for target in paths:
                        if target not in run and any(
                            p in run
                            for p in (*self.importers.get(target, ()), *star_importers.get(target, ()))
                        ):
                            run.add(target)
                            grew = True
                for path in paths:
                    if path not in run:
                        out[path] = (
                            f"production selects {', '.join(sorted(chosen))} (DJANGO_SETTINGS_MODULE), "
                            "which does not import this module: another settings module of "
                            f"{root or 'the project'} that no deployment shown runs"
                        )
                continue
            for path in paths:
                stem = posixpath.splitext(posixpath.basename(path))[0]
                if _DEPLOYMENT_SETTINGS.search(stem) or any(
                    path == f"{sel}.py" or path.endswith(f"/{sel}.py") for sel in self._selected
                ):
                    continue
                importers = [
                    p
                    for p in (*self.importers.get(path, ()), *star_importers.get(path, ()))
                    if self.role(p).kind != "test" and posixpath.basename(p) != "manage.py"
                ]
                if importers or any(path in text for text in built):
                    continue
                others = sorted(p for p in paths if p != path)
                out[path] = (
                    f"one of {len(paths)} settings modules of {root or 'the project'} (also "
                    f"{', '.join(others[:3])}{' ...' if len(others) > 3 else ''}), and nothing shows "
                    "that production runs this one: no deployment selects it (DJANGO_SETTINGS_MODULE) or "
                    "copies it into an image, no module but tests imports it, and its name is not a "
                    "deployment's"
                )
        return out

    def _guarded_star_imports(self, by_root: Mapping[str, list[str]]) -> list[tuple[str, str]]:
        """``(importer, settings module)`` for each ``from x import *`` under an ``if``/``else``
        or a ``try`` (:class:`ConditionalStarImport`) of a production Python file that names a
        settings module of a package with several, when no guard keeps that line out of
        production: an environment switch picks the deployment's settings there (the
        module-level star imports are :attr:`SettingsModule.star_imports`)."""
        model = self.model
        settings = {p for paths in by_root.values() if len(paths) > 1 for p in paths}
        out: list[tuple[str, str]] = []
        for star in model.all(ConditionalStarImport) if settings else ():
            if not self.role(star.loc.file).production:
                continue
            guard = self.guard_at(star.loc)
            if guard is not None and guard.runs_in != "production":
                continue  # ``if TARGET_ENV == "local": from .base_local import *``
            out.extend(
                (star.loc.file, t) for t in model.module_files(star.loc.file, star.module) if t in settings
            )
        return out

    def settings_importers(self, path: str) -> list[str]:
        """Production settings modules that star-import the settings module ``path``
        unconditionally (``from .deployed import *``), sorted: the settings modules recorded
        as such, and the Python files beside ``path`` whose module-level code does (an
        ``otap.py`` that only patches ``DATABASES["default"]["CONN_MAX_AGE"]`` after
        ``from .base import *`` sets none of the settings a settings module is recognised by)."""
        model = self.model
        if self._importers_of is None:
            found: dict[str, set[str]] = defaultdict(set)
            for m in model.all(SettingsModule):
                for module in m.star_imports:
                    for target in model.module_files(m.loc.file, module):
                        found[target].add(m.loc.file)
            self._importers_of = {k: sorted(v) for k, v in found.items()}
        if path in self._sibling_importers:
            return self._sibling_importers[path]
        out = set(self._importers_of.get(path, []))
        folder = posixpath.dirname(path)
        for other in self.code:
            if other == path or posixpath.dirname(other) != folder or not other.endswith(".py"):
                continue
            for line in model.source_lines(other):
                star = STAR_IMPORT_LINE.match(line)
                if star and path in model.module_files(other, star.group(1)):
                    out.add(other)
                    break
        production = [p for p in sorted(out) if self.role(p).production]
        self._sibling_importers[path] = production
        return production

    def selected(self, path: str) -> bool:
        """Whether a production deployment selects the settings module ``path``
        (``DJANGO_SETTINGS_MODULE``, ``--settings``)."""
        return any(path == f"{sel}.py" or path.endswith(f"/{sel}.py") for sel in self._selected)

    def role(self, path: str) -> Role:
        found = self._by_role.get(path)
        if found is not None:
            return found
        if path not in self._code_set:
            # SQL, YAML and config files: by location, and deployment files by what they run
            if is_test_path(path):
                return Role("test", "test code")
            if self._in_migrations(path):
                return Role("migration", "a schema migration")
            if _SEED.search(path):
                return Role("tooling", "a seed script")
            reason = self.model.services.dev_reason(path)
            if reason:
                return Role("dev-only", reason)
        return PRODUCTION

    def _convention(self, path: str) -> bool:
        """A file a framework loads by its name or folder, read inside its package: the
        folders above the package root are the repository's layout (a Django project kept in
        ``api/``), not a framework's convention."""
        root = self.model.services.package_root(path)
        in_package = path[len(root) :].lstrip("/") if root and path.startswith(root + "/") else path
        return _convention(in_package, path.endswith(".py"))

    def _in_migrations(self, path: str) -> bool:
        return is_migration_path(path) or any(d and path.startswith(d + "/") for d in self._migration_dirs)

    def guard_at(self, loc: Loc) -> EnvGuard | None:
        """The innermost environment guard around ``loc``."""
        best: EnvGuard | None = None
        for guard in self._guards.get(loc.file, ()):
            inside = guard.loc.line <= loc.line and loc.end_line <= guard.loc.end_line
            if inside and (best is None or guard.loc.line >= best.loc.line):
                best = guard
        return best

    def role_at(self, loc: Loc) -> Role:
        """The role of a place: its file's, unless an environment guard keeps it out of
        production (``if (process.env.NODE_ENV === 'development') {...}``)."""
        role = self.role(loc.file)
        if not role.production:
            return role
        guard = self.guard_at(loc)
        if guard is not None and guard.runs_in != "production":
            kind = "test" if guard.runs_in == "test" else "dev-only"
            return Role(
                kind,
                f"inside `if {guard.condition.removeprefix('else of ')}` ({loc.file}:{guard.loc.line}), "
                f"which runs only in {guard.runs_in}",
            )
        return role


def _entry_reason(entry: EntryPoint, role: str) -> str:
    where = entry.loc.file
    if entry.role == "production" and role in {"tooling", "migration"}:
        # a step the start command chains with the server (``node dist/seed.js && node ...``)
        command = " ".join(entry.command.split())
        return f"a one-off start-up step of `{command[:60]}` ({where}), run before the server"
    if entry.source == "package.json":
        return f"only run by the `{entry.name}` script ({where})"
    if entry.source == "pyproject":
        return f"a command-line tool (`{entry.name}` in {where})"
    if entry.source == "procfile":
        return f"only run by the Procfile `{entry.name}` process"
    if entry.source == "ci":
        command = " ".join(entry.command.split())
        return f"only run by CI (`{command[:60]}` in {where})"
    if role == "test":
        return f"only run by tests ({where})"
    return f"only run by `{entry.command[:60]}` ({where})"


def _convention(path: str, python: bool) -> bool:
    name = path.rsplit("/", 1)[-1]
    stem = re.sub(r"(\.d)?\.[a-z]+$", "", name)
    stem = stem.split(".", 1)[0] if not python else stem
    if python:
        return (
            stem in _PY_ENTRY_STEMS
            or bool(_PY_PROCESS_STEM.search(stem))
            or bool(_PY_CONVENTION_DIRS.search(path))
        )
    # ``index`` is a package's entry at its root or one folder down (``src/index.ts``,
    # ``server/index.js``); deeper it is a folder's barrel module, which something imports
    # (``import db from "$lib/server/db"``) or nothing does
    entry_stem = stem in _JS_ENTRY_STEMS and (stem != "index" or path.count("/") <= 1)
    return (
        entry_stem
        or bool(_JS_CONVENTION_DIRS.search(path))
        or name.startswith(("+", "instrumentation"))
        or ".module." in name
        or ".config." in name
    )
