"""One definition of production, test, tooling, migration, dev-only and unimported code
(``ProjectModel.role`` / ``role_at``), from the project's own entry points and config."""

from __future__ import annotations

import json
from pathlib import Path

from scalescope.model.facts import Function, Loc
from scalescope.model.project import ProjectModel
from scalescope.model.roles import is_test_path
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import build_project


def _project(root: Path, files: dict[str, str], include_tests: bool = False) -> ProjectModel:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    model, _, notices = build_project(root, ScanConfig(include_tests=include_tests), jobs=1)
    assert not [n for n in notices if "extractor error" in n.message], notices
    return model


def _kinds(model: ProjectModel) -> dict[str, str]:
    return {f.path: model.role(f.path).kind for f in model.files if f.language != "package-json"}


def test_test_paths_are_whole_segments() -> None:
    assert is_test_path("tests/test_api.py")
    assert is_test_path("src/users/users.service.spec.ts")
    assert is_test_path("app/settings/test.py")
    assert is_test_path("config/configuration_testing.py")
    assert is_test_path(".ci.settings.py")  # copied into place by a CI job
    assert is_test_path("app/ci_settings.py")
    assert is_test_path("config/settings/e2e.py")  # end-to-end test settings
    assert is_test_path("proj/settings/github.py")  # the settings GitHub Actions runs with
    assert not is_test_path("proj/integrations/github.py")
    assert not is_test_path("app/circuit_settings.py")
    assert is_test_path("jest.config.js")
    assert not is_test_path("prices/latest_prices.py")
    assert not is_test_path("src/contest/entries.ts")
    assert not is_test_path("src/attestation.py")
    assert is_test_path("testdata/legacy-compose.yml")  # Go's convention, used beyond Go


def test_test_tool_conventions_are_tests() -> None:
    # a Django app's test module, a JS test tool's double-underscore folders, a test kind
    # named before the extension
    assert is_test_path("readthedocs/analytics/tests.py")
    assert is_test_path("web/src/__e2e__/api.ts")
    assert is_test_path("src/components/__snapshots__/card.ts")
    assert is_test_path("web/src/features/api.servertest.ts")
    assert is_test_path("src/db/orders.integration-test.ts")
    assert is_test_path("test-infrastructure/docker-compose.yml")
    assert is_test_path("packages/integration-tests/src/orders.ts")
    assert not is_test_path("deploy/latest-build/server.ts")
    assert not is_test_path("src/contest-entries/index.ts")
    assert not is_test_path("src/__generated__/schema.ts")
    assert not is_test_path("src/feeds/latest.ts")
    assert not is_test_path("app/contests.py")
    assert not is_test_path("src/latest.test-data.json")


NODE = {
    "package.json": json.dumps(
        {
            "scripts": {
                "start": "node dist/server.js",
                "start:worker": "node dist/scripts/worker.js",
                "seed": "tsx prisma/seed.ts",
                "backfill": "tsx src/jobs/backfill.ts",
            }
        }
    ),
    "src/server.ts": 'import { db } from "./db";\nimport "./routes";\nexport { db };\n',
    "src/routes.ts": 'import { helper } from "../scripts/helper";\nexport const r = helper;\n',
    "src/db.ts": "export const db = {};\n",
    "src/scripts/worker.ts": 'import { db } from "../db";\nexport const w = db;\n',
    "scripts/helper.ts": "export const helper = 1;\n",
    "scripts/one-off.ts": 'import { fixture } from "./fixture-data";\nexport const x = fixture;\n',
    "scripts/fixture-data.ts": "export const fixture = [];\n",
    "prisma/seed.ts": 'import { users } from "./demo-users";\nexport const s = users;\n',
    "prisma/demo-users.ts": "export const users = [];\n",
    "src/jobs/backfill.ts": "export const b = 1;\n",
    "src/old-router.ts": 'import { db } from "./db";\nexport const old = db;\n',
    "drizzle.config.ts": "export default {};\n",
    "next.config.js": "module.exports = {};\n",
    "src/app/page.tsx": "export default function Page() { return null; }\n",
}


def test_node_roles_from_package_scripts_and_imports(tmp_path: Path) -> None:
    model = _project(tmp_path, NODE)
    assert _kinds(model) == {
        "src/server.ts": "production",
        "src/routes.ts": "production",
        "src/db.ts": "production",
        # run by a production script, whatever its folder
        "src/scripts/worker.ts": "production",
        # under scripts/, but the application imports it
        "scripts/helper.ts": "production",
        "scripts/one-off.ts": "tooling",
        "scripts/fixture-data.ts": "tooling",
        "prisma/seed.ts": "tooling",
        "prisma/demo-users.ts": "tooling",
        "src/jobs/backfill.ts": "tooling",
        "src/old-router.ts": "unimported",
        "drizzle.config.ts": "tooling",
        "next.config.js": "production",
        "src/app/page.tsx": "production",
    }
    assert model.role("prisma/seed.ts").reason == "only run by the `seed` script (package.json)"
    assert model.role("prisma/demo-users.ts").reason.startswith("only used by prisma/seed.ts")
    assert model.role("src/jobs/backfill.ts").reason == "only run by the `backfill` script (package.json)"


def test_a_deep_index_module_is_a_barrel_not_an_entry(tmp_path: Path) -> None:
    """``index`` is a package's entry at its root or one folder down (``src/index.ts``); a
    folder's ``index.ts`` deeper down is a barrel module: unimported when nothing imports the
    folder (a scaffold's ``src/lib/server/db/index.ts``), production when something does."""
    files = {
        "package.json": json.dumps({"scripts": {"start": "node dist/index.js"}}),
        "src/index.ts": 'import { users } from "./lib/users";\nexport const u = users;\n',
        "src/lib/users/index.ts": "export const users = [];\n",
        "src/lib/server/db/index.ts": "export const db = {};\n",
    }
    model = _project(tmp_path, files)
    assert model.role("src/index.ts").production
    assert model.role("src/lib/users/index.ts").production
    assert model.role("src/lib/server/db/index.ts").kind == "unimported"


def test_a_lone_file_is_not_called_unimported(tmp_path: Path) -> None:
    model = _project(tmp_path, {"cache.ts": "export const m = new Map();\n"})
    assert model.role("cache.ts").production


PY = {
    "requirements.txt": "fastapi\nalembic\n",
    "alembic.ini": "[alembic]\nscript_location = db\n",
    "db/env.py": "from app.models import Base\n",
    "db/versions/0001_init.py": 'revision = "0001"\ndown_revision = None\n',
    "app/main.py": "from app import api\nfrom app.versions import current\n",
    "app/api.py": "x = 1\n",
    "app/versions/current.py": "VERSION = 3\n",
    "app/versions/__init__.py": "",
    "app/management/commands/rebuild.py": "x = 1\n",
    "app/settings/local.py": "DEBUG = True\n",
    "app/latest_prices.py": "from app import api\n",
}


def test_python_roles_alembic_versions_and_commands(tmp_path: Path) -> None:
    model = _project(tmp_path, PY)
    kinds = _kinds(model)
    assert kinds["db/env.py"] == "migration"
    assert kinds["db/versions/0001_init.py"] == "migration"
    # a folder named versions/ in the application is application code, and is analysed
    assert kinds["app/versions/current.py"] == "production"
    assert kinds["app/management/commands/rebuild.py"] == "tooling"
    assert kinds["app/settings/local.py"] == "dev-only"
    assert kinds["app/latest_prices.py"] != "test"
    assert kinds["app/main.py"] == kinds["app/api.py"] == "production"


def test_versions_folder_code_is_extracted(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "app/versions/v2.py": (
                "from app.db import session\n\n\ndef rows():\n    return session.query(User).all()\n"
            ),
        },
    )
    assert [f.name for f in model.all(Function) if f.loc.file == "app/versions/v2.py"] == ["rows"]


def test_role_at_an_environment_guard(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "src/app.ts": """const app = express();
if (process.env.NODE_ENV === "development") {
  app.get("/debug", dump);
} else {
  app.use(limiter);
}
app.listen(3000);
""",
        },
    )
    assert model.role_at(Loc("src/app.ts", 3)).kind == "dev-only"
    assert "runs only in development" in model.role_at(Loc("src/app.ts", 3)).reason
    assert model.role_at(Loc("src/app.ts", 5)).production
    assert model.role_at(Loc("src/app.ts", 7)).production


FLASK_CLI = {
    "pyproject.toml": '[project]\nname = "forum"\ndependencies = ["flask"]\n\n[project.scripts]\n'
    'forum = "forum.cli.main:forum"\n',
    "forum/__init__.py": "",
    "forum/app.py": (
        "from flask import Flask\n\nfrom forum.views import bp\n\n\ndef create_app():\n"
        "    app = Flask(__name__)\n    app.config.from_object('forum.configs.default.DefaultConfig')\n"
        "    app.register_blueprint(bp)\n    return app\n"
    ),
    "forum/views.py": "from flask import Blueprint\n\nbp = Blueprint('forum', __name__)\n",
    "forum/configs/__init__.py": "",
    "forum/configs/default.py": "class DefaultConfig:\n    DEBUG = False\n",
    "forum/cli/__init__.py": "from forum.cli.main import forum\n",
    "forum/cli/main.py": (
        "from forum.utils.populate import create_settings\n\n\ndef forum():\n    create_settings()\n"
    ),
    "forum/utils/__init__.py": "",
    "forum/utils/populate.py": "def create_settings():\n    return 1\n",
    "forum/utils/helpers.py": "from forum.app import create_app\n",
}


def test_a_console_script_and_what_only_it_uses_are_tooling(tmp_path: Path) -> None:
    model = _project(tmp_path, FLASK_CLI)
    kinds = _kinds(model)
    assert kinds["forum/cli/main.py"] == "tooling"
    # the package __init__ runs only when something imports forum.cli.*: the CLI
    assert kinds["forum/cli/__init__.py"] == "tooling"
    assert kinds["forum/utils/populate.py"] == "tooling"
    assert model.role("forum/utils/populate.py").reason == (
        "only used by forum/cli/main.py, a command-line tool (`forum` in pyproject.toml)"
    )
    # loaded by a dotted string: not "imported by nothing"
    assert kinds["forum/configs/default.py"] == "production"
    assert kinds["forum/app.py"] == kinds["forum/views.py"] == "production"


CLI_PACKAGE = {
    # ``pi = "vault.cli.manage:cli"``: the console script runs the package's __init__, whose
    # modules have conventional names (main.py, admin.py) but belong to the tool
    "pyproject.toml": '[project]\nname = "vault"\ndependencies = ["flask"]\n\n[project.scripts]\n'
    'pi = "vault.cli.manage:cli"\n',
    "vault/__init__.py": "",
    "vault/app.py": "from flask import Flask\n\nfrom vault.audit import log\n\napp = Flask(__name__)\n",
    "vault/audit.py": "def log():\n    return 1\n",
    "vault/cli/__init__.py": "",
    "vault/cli/manage/__init__.py": "from .main import cli\n",
    "vault/cli/manage/main.py": (
        "from .admin import admin_cli\nfrom .rotate import rotate\n\n\ndef cli():\n    pass\n"
    ),
    "vault/cli/manage/admin.py": (
        "from vault.cli.manage.rotate import rotate\n\n\ndef admin_cli():\n    pass\n"
    ),
    "vault/cli/manage/rotate.py": "from vault.audit import log\n\n\ndef rotate():\n    log()\n",
}


def test_the_package_a_console_script_runs_is_the_tool(tmp_path: Path) -> None:
    kinds = _kinds(_project(tmp_path, CLI_PACKAGE))
    assert kinds["vault/cli/manage/__init__.py"] == "tooling"
    # admin.py is a Django-style name, main.py an entry-style name: here they are the CLI's
    assert kinds["vault/cli/manage/admin.py"] == kinds["vault/cli/manage/main.py"] == "tooling"
    assert kinds["vault/cli/manage/rotate.py"] == "tooling"
    # what the served app also imports stays production
    assert kinds["vault/audit.py"] == kinds["vault/app.py"] == "production"


def test_setup_cfg_console_scripts_are_tools(tmp_path: Path) -> None:
    files = {k: v for k, v in CLI_PACKAGE.items() if k != "pyproject.toml"}
    files["setup.cfg"] = (
        "[metadata]\nname = vault\n\n[options]\ninstall_requires =\n    flask\n\n"
        "[options.entry_points]\nconsole_scripts =\n    pi = vault.cli.manage.main:cli\n"
    )
    files["requirements.txt"] = "flask\n"
    kinds = _kinds(_project(tmp_path, files))
    # the module target's subpackage is the tool's, as for a pyproject script
    assert kinds["vault/cli/manage/main.py"] == kinds["vault/cli/manage/admin.py"] == "tooling"
    assert kinds["vault/app.py"] == "production"


DJANGO_IN_A_FOLDER = {
    # the Django project lives in api/: a folder of the repository, not a framework convention
    "api/manage.py": "import os\n",
    "api/requirements.txt": "django\n",
    "api/shop/__init__.py": "",
    "api/shop/models.py": "from django.db import models\n\nfrom util.fields import MoneyField\n",
    "api/shop/views.py": "from util.text import slug\n",
    "api/shop/migrations/__init__.py": "",
    "api/shop/migrations/0002_merge_duplicates.py": (
        "from django.db import migrations\n"
        "from util.migrations import (\n    merge_duplicates,\n    rename_all,\n)\n"
        "from util.text import slug\n"
    ),
    "api/util/__init__.py": "",
    "api/util/migrations.py": (
        "from util.dedupe import pairs\n\n\ndef merge_duplicates():\n    return pairs()\n"
    ),
    "api/util/dedupe.py": "def pairs():\n    return []\n",
    "api/util/text.py": "def slug(x):\n    return x\n",
    "api/util/fields.py": "class MoneyField:\n    pass\n",
}


def test_what_only_migrations_import_is_not_production(tmp_path: Path) -> None:
    model = _project(tmp_path, DJANGO_IN_A_FOLDER)
    kinds = _kinds(model)
    assert kinds["api/shop/migrations/0002_merge_duplicates.py"] == "migration"
    # imported only by a data migration, and what only that helper imports: run at deploy time
    assert kinds["api/util/migrations.py"] == kinds["api/util/dedupe.py"] == "tooling"
    assert model.role("api/util/migrations.py").reason == (
        "only used by api/shop/migrations/0002_merge_duplicates.py, a schema migration"
    )
    # a migration imports it, and so does a view: production
    assert kinds["api/util/text.py"] == "production"
    assert kinds["api/util/fields.py"] == kinds["api/shop/views.py"] == "production"


def test_a_helper_only_js_migrations_load_is_not_production(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "package.json": json.dumps({"main": "src/server.js", "dependencies": {"knex": "3.0.0"}}),
            "src/server.js": 'const { db } = require("./db");\nmodule.exports = db;\n',
            "src/db.js": "module.exports = { db: {} };\n",
            "migrations/20240101_backfill.js": (
                'import { backfillSlugs } from "../src/backfill";\nconst { db } = require("../src/db");\n'
                "export const up = () => backfillSlugs(db);\n"
            ),
            "src/backfill.js": "export function backfillSlugs(db) {\n  return db;\n}\n",
        },
    )
    kinds = _kinds(model)
    assert kinds["src/backfill.js"] == "tooling"
    assert "only used by migrations/20240101_backfill.js" in model.role("src/backfill.js").reason
    assert kinds["src/db.js"] == "production"


def test_example_and_demo_folders_are_not_the_products_code(tmp_path: Path) -> None:
    """Code shipped to show how to use the product (``examples/``, ``clients/sample-app/``, a
    ``ckanext/example_*`` plugin, a ``sandbox/`` demo project) serves no one's traffic:
    dev-only, saying why; the product code beside it, and an example module the product itself
    imports, stay production."""
    model = _project(
        tmp_path,
        {
            "package.json": json.dumps({"name": "api", "main": "src/server.js"}),
            "src/server.js": "module.exports = require('../examples/rows');\n",
            "examples/rows.js": "exports.sampleRows = [];\n",
            "examples/basic/app.js": "const { Pool } = require('pg');\nnew Pool();\n",
            "clients/sample-app/src/lib/db.ts": "import { Pool } from 'pg';\nexport const db = new Pool();\n",
            "plugins/example_storage/backend.py": "import sqlalchemy\n",
            "src/demographics/report.js": "module.exports = 1;\n",
            "sandbox/settings.py": 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\n',
        },
    )
    assert model.role("sandbox/settings.py").kind == "dev-only"  # a library's demo project
    sample = model.role("clients/sample-app/src/lib/db.ts")
    assert sample.kind == "dev-only" and "sample-app/" in sample.reason
    assert model.role("examples/basic/app.js").kind == "dev-only"
    assert model.role("plugins/example_storage/backend.py").kind == "dev-only"
    assert model.role("examples/rows.js").kind == "production"  # the server imports it
    assert model.role("src/server.js").kind == "production"
    assert model.role("src/demographics/report.js").kind != "dev-only"  # a word, not a folder


def test_a_packages_dev_environment_folder_is_dev_only(tmp_path: Path) -> None:
    """A package's top-level ``dev/`` folder holds its development environment (settings for a
    local stack, compose files): dev-only, unless production code imports from it; a ``dev``
    folder deeper in the source tree is not that convention."""
    model = _project(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "galaxy"\ndependencies = ["django"]\n',
            "manage.py": "import galaxy.settings\n",
            "galaxy/settings.py": "from dev.shared import FLAGS\nDATABASES = {}\n",
            "dev/shared.py": "FLAGS = {}\n",
            "dev/common/settings.py": "DATABASES = {'default': {'ENGINE': 'postgresql'}}\n",
            "galaxy/dev/tools.py": "X = 1\n",
        },
    )
    local = model.role("dev/common/settings.py")
    assert local.kind == "dev-only" and "dev/" in local.reason
    assert model.role("dev/shared.py").kind == "production"  # the settings import it
    assert model.role("galaxy/dev/tools.py").kind != "dev-only"


def test_the_repositorys_dev_folder_is_dev_only_when_it_holds_its_own_package(tmp_path: Path) -> None:
    """``dev/deploy-to-container/`` with its own package.json (a sandbox deployment tool)
    beside the application's ``backend/`` package: the repository's development environment,
    so its settings module is dev-only; the backend's settings stay production."""
    model = _project(
        tmp_path,
        {
            "backend/requirements.txt": "django\n",
            "backend/manage.py": "import mlarchive.settings\n",
            "backend/mlarchive/settings/base.py": "DATABASES = {}\n",
            "dev/deploy-to-container/package.json": '{"name": "sandbox", "main": "cli.js"}',
            "dev/deploy-to-container/cli.js": "console.log('deploy')\n",
            "dev/deploy-to-container/settings_sandbox.py": "DATABASES = {'default': {}}\n",
        },
    )
    sandbox = model.role("dev/deploy-to-container/settings_sandbox.py")
    assert sandbox.kind == "dev-only" and "dev/" in sandbox.reason, sandbox
    assert model.role("backend/mlarchive/settings/base.py").kind == "production"


def test_modules_named_as_templates_are_dev_only(tmp_path: Path) -> None:
    """``localsettings.template.py`` is copied into place by whoever sets up an instance; the
    module the application runs is the copy."""
    model = _project(
        tmp_path,
        {
            "manage.py": "import evap.settings\n",
            "evap/settings.py": "DEBUG = False\n",
            "evap/development/localsettings.template.py": "DATABASES = {}\n",
            "evap/templates_registry.py": "X = 1\n",
        },
    )
    template = model.role("evap/development/localsettings.template.py")
    assert template.kind == "dev-only" and "template" in template.reason
    assert model.role("evap/templates_registry.py").kind != "dev-only"


def test_settings_modules_named_as_templates_are_dev_only(tmp_path: Path) -> None:
    """``production_example.py`` beside the settings the deployment selects is a template to
    copy; the underscore form counts for settings modules only (``email_template.py`` and
    ``blood_sample.py`` may be code)."""
    model = _project(
        tmp_path,
        {
            "manage.py": "import site.settings.common\n",
            "site/settings/common.py": "DEBUG = False\nDATABASES = {}\n",
            "site/settings/production_example.py": "from .common import *\nDATABASES = {}\n",
            "site/lab/blood_sample.py": "def analyse(x):\n    return x\n",
            "site/mail/email_template.py": "SUBJECT = 'x'\n",
        },
    )
    example = model.role("site/settings/production_example.py")
    assert example.kind == "dev-only" and "template" in example.reason
    assert model.role("site/lab/blood_sample.py").kind != "dev-only"
    assert model.role("site/mail/email_template.py").kind != "dev-only"


def test_migration_folders_named_in_compound_words() -> None:
    """A folder named for migrations in a hyphenated or underscored word holds migrations too
    (one-off data migration scripts), like the hyphenated test folders; a word merely
    containing it does not."""
    from scalescope.model.roles import is_migration_path

    assert is_migration_path("backend/saas-migrations/posclient/migratePosclient.ts")
    assert is_migration_path("scripts/data_migrations/0003_fill_slugs.py")
    assert is_migration_path("db/migrations/001_init.sql")
    assert not is_migration_path("src/immigrations/visa.py")
    assert not is_migration_path("src/migrationsView.tsx")
    assert not is_migration_path("tools/check_old_migrations/cli.py")  # one word before it, no more


def test_an_ambiguous_absolute_python_module_is_the_nearest_one(tmp_path: Path) -> None:
    """``from utils import pg_client`` in a repository of several services, each with its own
    ``utils/``: a service runs from its own folder, so the module is the nearest ``utils``."""
    model = _project(
        tmp_path,
        {
            "api/utils/pg_client.py": "POOL = None\n",
            "workers/consumer/utils/pg_client.py": "POOL = None\n",
            "workers/ml/utils/pg_client.py": "POOL = None\n",
            "workers/ml/service/api.py": "from utils import pg_client\n",
            "main.py": "from utils import pg_client\n",
        },
    )
    nearest = model.module_files("workers/ml/service/api.py", "utils.pg_client")
    assert nearest == ("workers/ml/utils/pg_client.py",)
    # from the root, nothing is nearer than anything else: every candidate stays
    assert len(model.module_files("main.py", "utils.pg_client")) == 3


def test_a_seed_step_chained_before_the_server_is_tooling(tmp_path: Path) -> None:
    """A start command that seeds or migrates, then starts the server, runs the step once at
    start-up: the step's file serves no request (tooling), the server's stays production."""
    model = _project(
        tmp_path,
        {
            "Dockerfile": 'FROM node:20\nCMD ["sh", "-c", "node dist/seed.js && node dist/main.js"]\n',
            "src/main.ts": 'import { db } from "./db";\nexport const app = db;\n',
            "src/db.ts": "export const db = {};\n",
            "src/seed.ts": 'import { db } from "./db";\nconsole.log(db);\n',
            "worker/package.json": json.dumps(
                {
                    "name": "worker",
                    "scripts": {
                        "start": "npm run db:migrate && node dist/index.js",
                        "db:migrate": "node dist/run-migrations.js",
                    },
                }
            ),
            "worker/src/index.ts": "export const worker = 1;\n",
            "worker/src/run-migrations.ts": "export const done = 1;\n",
        },
    )
    kinds = _kinds(model)
    assert kinds["src/main.ts"] == "production"
    assert kinds["src/db.ts"] == "production"
    assert kinds["src/seed.ts"] == "tooling"
    assert model.role("src/seed.ts").reason.startswith("a one-off start-up step of `")
    assert kinds["worker/src/index.ts"] == "production"
    assert kinds["worker/src/run-migrations.ts"] == "tooling"


def test_ci_service_settings_are_test_settings() -> None:
    """Settings named for a CI service are CI settings, like ``settings/ci.py``."""
    assert is_test_path("lutrisweb/settings/travis.py")
    assert is_test_path("app/settings/circleci.py")
    assert is_test_path("app/settings/gitlab_ci.py")
    assert is_test_path("app/settings_jenkins.py")
    assert is_test_path("app/github_actions_settings.py")
    assert not is_test_path("app/settings/production.py")
    assert not is_test_path("app/settings/dronefleet.py")


DJANGO_SETTINGS = {
    "requirements.txt": "django\npsycopg2\n",
    "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.dev")\n',
    "site/wsgi.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.prod")\n',
    # the worker's default names the local settings: a default the deployment overrides
    "site/celery.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.local")\n',
    "site/settings/__init__.py": "",
    "site/settings/common.py": "SECRET_KEY = 'x'\nDATABASES = {}\n",
    "site/settings/dev.py": "from .common import *\n\nDEBUG = True\n",
    "site/settings/local.py": "from .common import *\n\nDATABASES = {'default': {}}\n",
    # a development compose file's settings: the development settings with its database
    "site/settings/docker.py": "from .dev import *\n\nDATABASES = {'default': {}}\n",
    # production settings built on the development ones, turning DEBUG off
    "site/settings/staging.py": "from .dev import *\n\nDEBUG = False\nDATABASES = {'default': {}}\n",
    "site/settings/prod.py": "from .common import *\n\nDEBUG = False\nDATABASES = {'default': {}}\n",
    "site/settings/optional.py": (
        "from .common import *\n\ntry:\n    from .dev import *\nexcept ImportError:\n    pass\n"
        "DATABASES = {'default': {}}\n"
    ),
}


def test_settings_that_star_import_development_settings_are_development(tmp_path: Path) -> None:
    """A settings module that star-imports development settings and keeps their ``DEBUG`` is
    development settings too; one that turns ``DEBUG`` off, or imports them only under a
    ``try``, is not. A development settings module named by a dotted-string default
    (``os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.local")``) stays
    development: a default is no import."""
    model = _project(tmp_path, DJANGO_SETTINGS)
    docker = model.role("site/settings/docker.py")
    assert docker.kind == "dev-only" and "site/settings/dev.py" in docker.reason
    assert model.role("site/settings/dev.py").kind == "dev-only"
    assert model.role("site/settings/local.py").kind == "dev-only"
    # a staging deployment's settings beside production's own module serve no production traffic
    staging = model.role("site/settings/staging.py")
    assert staging.kind == "dev-only" and "site/settings/prod.py" in staging.reason
    assert model.role("site/settings/prod.py").kind == "production"
    assert model.role("site/settings/optional.py").kind == "production"


def test_a_production_deployment_selecting_dev_named_settings_keeps_them_production(tmp_path: Path) -> None:
    files = dict(DJANGO_SETTINGS)
    files["Dockerfile"] = (
        'FROM python:3.12\nENV DJANGO_SETTINGS_MODULE=site.settings.docker\nCMD ["gunicorn", "site.wsgi"]\n'
    )
    model = _project(tmp_path, files)
    assert model.role("site/settings/docker.py").kind == "production"


def test_project_templates_are_scaffolding(tmp_path: Path) -> None:
    """A Django project or app template (``startproject --template``) and a cookiecutter
    folder are copied into new projects, never deployed: dev-only, saying why."""
    model = _project(
        tmp_path,
        {
            "requirements.txt": "django\n",
            "forum/extra/project_template/manage.py": "import os\n",
            "forum/extra/project_template/project_name/settings/prod.py": (
                "from .base import *\n\nDEBUG = False\nDATABASES = {'default': {}}\n"
            ),
            "forum/extra/app_template/views.py": "x = 1\n",
            "{{cookiecutter.project_slug}}/config/settings/production.py": "DATABASES = {}\n",
            "forum/views.py": "x = 1\n",
        },
    )
    prod = model.role("forum/extra/project_template/project_name/settings/prod.py")
    assert prod.kind == "dev-only" and "project template" in prod.reason
    assert model.role("forum/extra/app_template/views.py").kind == "dev-only"
    assert model.role("{{cookiecutter.project_slug}}/config/settings/production.py").kind == "dev-only"
    assert model.role("forum/views.py").kind == "production"


def test_settings_modules_production_is_not_shown_to_run_are_in_doubt(tmp_path: Path) -> None:
    """Of several settings modules, those a deployment selects, copies into an image or that
    code other than tests imports (a base), or named for a deployment, are what production runs;
    a variant nothing points at is in doubt, and a module imported only by test settings too."""
    db = 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\n'
    model = _project(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "site"\nversion = "1"\n',
            "site/settings/base.py": db,
            "site/settings/local.py": "from .base import *\nDEBUG = True\n",
            "site/settings/heroku.py": db,
            "site/settings/docker.py": db,
            "site/settings/image.py": db,
            "site/settings/shared_docker.py": db,
            "site/settings/test_settings.py": "from .shared_docker import *\n",
            "Dockerfile": (
                "FROM python:3.12\nCOPY site/settings/image.py /etc/site/settings.py\nCMD gunicorn s.wsgi\n"
            ),
        },
    )
    assert model.settings_in_doubt("site/settings/base.py") == ""  # local.py extends it
    assert model.settings_in_doubt("site/settings/heroku.py") == ""  # named for a deployment
    assert model.settings_in_doubt("site/settings/image.py") == ""  # the image copies it
    doubt = model.settings_in_doubt("site/settings/docker.py")
    assert "settings modules" in doubt and "nothing shows" in doubt
    assert model.settings_in_doubt("site/settings/shared_docker.py")  # only tests import it


def test_a_lone_settings_module_is_what_runs(tmp_path: Path) -> None:
    db = 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\n'
    model = _project(
        tmp_path, {"pyproject.toml": '[project]\nname = "s"\nversion = "1"\n', "s/settings.py": db}
    )
    assert model.settings_in_doubt("s/settings.py") == ""


def test_development_settings_a_compose_file_selects_beside_production_settings(tmp_path: Path) -> None:
    """``settings/development.py`` that the repository's compose file selects, beside
    ``settings/production.py``: the compose file is the developers' stack and production runs
    the twin, so the development module stays development settings. Without a deployment-named
    twin, the selection makes it what production runs."""
    compose = (
        "services:\n  web:\n    image: app\n    environment:\n"
        "      - DJANGO_SETTINGS_MODULE=proj.settings.development\n"
    )
    settings = 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\n'
    for twin in (True, False):
        files = {
            "docker-compose.yml": compose,
            "manage.py": "import os\n",
            "proj/__init__.py": "",
            "proj/settings/__init__.py": "",
            "proj/settings/base.py": "DEBUG = False\n",
            "proj/settings/development.py": "from .base import *\n" + settings,
        }
        if twin:
            files["proj/settings/production.py"] = "from .base import *\n" + settings
        model = _project(tmp_path / str(twin), files)
        role = model.role("proj/settings/development.py")
        assert (role.kind == "dev-only") is twin, role
        if twin:
            assert "proj/settings/production.py" in role.reason


def test_a_local_variant_of_a_configuration_module_is_development(tmp_path: Path) -> None:
    """``knexfile-local.ts`` beside ``knexfile.ts`` and ``config.dev.js`` beside ``config.js``
    are a developer's copies (dev-only, naming the twin) unless production code imports them; a
    ``storage-local.ts`` adapter is no configuration variant, and a variant without its twin is
    judged like any file."""
    model = _project(
        tmp_path,
        {
            "package.json": json.dumps({"name": "db", "scripts": {"start": "node dist/server.js"}}),
            "src/server.ts": 'import { store } from "./storage-local";\nimport cfg from "./config";\n'
            "export const s = [store, cfg];\n",
            "src/config.ts": "export default { port: 3000 };\n",
            "src/config.dev.ts": "export default { port: 3001 };\n",
            "src/storage-local.ts": "export const store = {};\n",
            "src/knexfile.ts": "export default { client: 'pg' };\n",
            "src/knexfile-local.ts": "export default { client: 'pg' };\n",
            "src/env-local.ts": "export const env = {};\n",
        },
    )
    dev = model.role("src/knexfile-local.ts")
    assert dev.kind == "dev-only" and "src/knexfile.ts" in dev.reason
    assert model.role("src/config.dev.ts").kind == "dev-only"
    assert model.role("src/storage-local.ts").kind == "production"
    assert model.role("src/env-local.ts").kind != "dev-only"
