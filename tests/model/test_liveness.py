"""Function-level liveness (``ProjectModel.unreferenced_at``): a finding inside a function
nothing in production calls is low with the reason; everything a framework may call, or any
text names, stays as it was. Each case has the live twin beside the unused one."""

from __future__ import annotations

import json
from pathlib import Path

from scalescope.model.facts import ClassDecl, Function, Loc
from scalescope.model.project import ProjectModel
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import build_project, scan
from scalescope.scan.rules.base import all_rules


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _project(root: Path, files: dict[str, str], include_tests: bool = False) -> ProjectModel:
    _write(root, files)
    model, _, notices = build_project(root, ScanConfig(include_tests=include_tests), jobs=1)
    assert not [n for n in notices if "extractor error" in n.message], notices
    return model


def _line(files: dict[str, str], path: str, needle: str) -> int:
    return next(i for i, text in enumerate(files[path].splitlines(), 1) if needle in text)


def _unused(model: ProjectModel, files: dict[str, str], path: str, needle: str) -> str | None:
    """The reason the place holding ``needle`` is unreferenced, ``None`` when it is live."""
    found = model.unreferenced_at(Loc(path, _line(files, path, needle)))
    return found.reason if found is not None else None


# --------------------------------------------------------------------------- TypeScript

NODE = {
    "package.json": json.dumps(
        {"main": "dist/main.js", "scripts": {"start": "node dist/main.js"}, "dependencies": {"ioredis": "5"}}
    ),
    "src/main.ts": """import { RedisCache } from "./cache";
import { listUsers } from "./users";
import { config } from "./config";
import { Worker } from "./worker";
import { registerRoutes } from "./routes";

export const cache = new RedisCache();
registerRoutes(config, listUsers, Worker);
""",
    "src/logger.ts": "export class LoggerBase {\n  log(msg: string) { console.log(msg); }\n}\n",
    "src/types.ts": "export interface ICache {\n  get(key: string): Promise<string | null>;\n}\n",
    "src/cache.ts": """import Redis from "ioredis";
import { LoggerBase } from "./logger";
import { ICache } from "./types";

const client = new Redis();

export class RedisCache extends LoggerBase implements ICache {
  async get(key: string) {
    return client.get(key);
  }

  public async getKeys(pattern: string): Promise<string[]> {
    const keys = await client.keys(pattern);
    return keys.map((k) => k.slice(1));
  }
}
""",
    "src/users.ts": """import Redis from "ioredis";

const client = new Redis();

export async function listUsers() {
  return client.keys("user:*");
}

export async function findDuplicates() {
  return client.keys("dup:*");
}

export async function cleanupSessions() {
  return client.keys("session:*");
}
""",
    "src/config.ts": 'export const config = { jobs: [{ cron: "0 * * * *", task: "cleanupSessions" }] };\n',
    "src/worker.ts": """import { WorkerHost, Processor } from "@nestjs/bullmq";
import { Controller, Get } from "@nestjs/common";
import Redis from "ioredis";

const client = new Redis();

export class Worker extends WorkerHost {
  async process() {
    return client.keys("job:*");
  }
}

@Controller("stats")
export class StatsController {
  @Get()
  async stats() {
    return client.keys("stats:*");
  }
}
""",
    "src/routes.ts": """import Redis from "ioredis";

const client = new Redis();

export function registerRoutes(app: any, ...rest: unknown[]) {
  app.register(async function statusPlugin(server: any) {
    server.get("/status", async () => client.keys("status:*"));
  });
}
""",
    "src/users.spec.ts": 'import { findDuplicates } from "./users";\n\n'
    'it("finds", () => findDuplicates());\n',
}


def test_typescript_functions_nothing_in_production_calls(tmp_path: Path) -> None:
    model = _project(tmp_path, NODE)
    # a method of a class whose every ancestor is declared here, called by nothing
    assert _unused(model, NODE, "src/cache.ts", "client.keys(pattern)") == (
        "`getKeys` is called by no production code: nothing in the repository calls it"
    )
    # ... and in a callback inside it: the nearest named function decides
    assert _unused(model, NODE, "src/cache.ts", "k.slice(1)") is not None
    # called only from a test file (left out of the scan, still read for the reason)
    assert _unused(model, NODE, "src/users.ts", '"dup:*"') == (
        "`findDuplicates` is called by no production code: only tests call it (src/users.spec.ts)"
    )
    # passed by name, named by a string in config: live
    assert _unused(model, NODE, "src/users.ts", '"user:*"') is None
    assert _unused(model, NODE, "src/users.ts", '"session:*"') is None
    # the interface declares ``get``: an implementation of it is named by its base
    assert _unused(model, NODE, "src/cache.ts", "client.get(key)") is None
    # a library's base class calls ``process``; a decorated handler is the framework's
    assert _unused(model, NODE, "src/worker.ts", '"job:*"') is None
    assert _unused(model, NODE, "src/worker.ts", '"stats:*"') is None
    # a named function expression passed as a value is not called by its name
    assert _unused(model, NODE, "src/routes.ts", '"status:*"') is None
    # outside any function
    assert _unused(model, NODE, "src/cache.ts", "const client") is None


def test_class_and_function_facts_record_what_liveness_needs(tmp_path: Path) -> None:
    model = _project(tmp_path, NODE)
    classes = {c.name: c for c in model.all(ClassDecl)}
    assert classes["RedisCache"].bases == ("LoggerBase", "ICache")
    assert classes["ICache"].kind == "interface"
    assert classes["StatsController"].decorators == ("Controller",)
    plugin = next(f for f in model.all(Function) if f.name == "statusPlugin")
    assert not plugin.by_name
    assert next(f for f in model.all(Function) if f.name == "getKeys").by_name


def test_typescript_finding_in_an_unused_method_is_low_with_the_reason(tmp_path: Path) -> None:
    _write(tmp_path, NODE)
    rules = [r for r in all_rules() if r.meta.id == "SC-CACHE-004"]
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=rules, jobs=1)
    found = {(p.file, p.line): f for f in report.findings for p in (f, *f.other_places)}
    unused = found[("src/cache.ts", _line(NODE, "src/cache.ts", "client.keys(pattern)"))]
    assert unused.confidence == "low"
    assert "`getKeys` is called by no production code: nothing in the repository calls it" in unused.message
    live = found[("src/worker.ts", _line(NODE, "src/worker.ts", '"job:*"'))]
    assert live.confidence != "low"
    assert "called by no production code" not in live.message


def test_a_lone_file_proves_nothing(tmp_path: Path) -> None:
    files = {"cache.ts": 'const c: any = {};\nexport async function getKeys() {\n  return c.keys("*");\n}\n'}
    model = _project(tmp_path, files)
    assert _unused(model, files, "cache.ts", "c.keys") is None


# --------------------------------------------------------------------------- Python

PY = {
    "requirements.txt": "flask\nsqlalchemy\ncelery\n",
    "app/main.py": "from app import services, views\nfrom app.tasks import celery\n",
    "app/settings.py": 'CELERY_BEAT = {"cleanup": {"task": "app.services.cleanup_old", "schedule": 60}}\n',
    "app/services.py": """from app.db import session, Certificate


def find_duplicates(cert):
    return session.query(Certificate).filter(Certificate.body == cert.body).all()


def get_by_external_id(issuer, external_id):
    return session.query(Certificate).filter(Certificate.external_id == external_id).all()


def cleanup_old():
    return session.query(Certificate).all()


def handle_created(event):
    return session.query(Certificate).all()


def dispatch(event):
    return globals()[f"handle_{event.kind}"](event)


class Exporter:
    def export_all(self):
        rows = session.query(Certificate).all()
        return [self._row(r) for r in rows]

    def _row(self, r):
        return r
""",
    "app/views.py": """from flask.views import MethodView

from app.db import session, Certificate
from app.services import dispatch


class CertificateView(MethodView):
    def get_queryset(self):
        return session.query(Certificate).all()


def on_event(event):
    return dispatch(event)
""",
    "app/tasks.py": """from celery import Celery

from app.db import session, Certificate

celery = Celery()


@celery.task
def rotate():
    return session.query(Certificate).all()
""",
    "app/db.py": "session = None\nCertificate = None\n",
    "tests/test_services.py": (
        "from app.services import find_duplicates\n\n\ndef test_dups():\n    find_duplicates(None)\n"
    ),
}


def test_python_functions_nothing_in_production_calls(tmp_path: Path) -> None:
    model = _project(tmp_path, PY)
    assert _unused(model, PY, "app/services.py", "Certificate.body") == (
        "`find_duplicates` is called by no production code: only tests call it (tests/test_services.py)"
    )
    assert _unused(model, PY, "app/services.py", "Certificate.external_id") == (
        "`get_by_external_id` is called by no production code: nothing in the repository calls it"
    )
    # a method of a base-less class nothing calls
    assert _unused(model, PY, "app/services.py", "rows = session") is not None
    # named by a string in settings (Celery beat)
    assert _unused(model, PY, "app/services.py", "def cleanup_old") is None
    assert _unused(model, PY, "app/services.py", "return session.query(Certificate).all()") is None
    # a name built at run time from its prefix
    assert _unused(model, PY, "app/services.py", "def handle_created") is None
    # overriding a library class's method; a decorated task
    assert _unused(model, PY, "app/views.py", "return session") is None
    assert _unused(model, PY, "app/tasks.py", "return session") is None


def test_python_test_callers_scanned_with_include_tests_still_do_not_count(tmp_path: Path) -> None:
    model = _project(tmp_path, PY, include_tests=True)
    assert _unused(model, PY, "app/services.py", "Certificate.body") == (
        "`find_duplicates` is called by no production code: only tests call it (tests/test_services.py)"
    )
