"""Code every request runs (model/hooks.py): app-level middleware resolved to project functions
(named, inline, classes) and request-hook decorators, followed through calls."""

from __future__ import annotations

from pathlib import Path

from scalescope.model.project import ProjectModel
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import build_project


def _model(tmp_path: Path, files: dict[str, str]) -> ProjectModel:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    model, _, _ = build_project(tmp_path, ScanConfig(), jobs=1)
    return model


def _hooked(model: ProjectModel) -> dict[str, str]:
    """function name -> the hook's name, for every function a hook reaches."""
    return {model.functions[fid].name: hook.name for fid, hook in model.request_hooks.items()}


EXPRESS = """\
import express from "express";
import { audit } from "./audit";
const app = express();
app.use(express.json());
app.use(async (req, res, next) => {
  await remember(req.path);
  next();
});
if (process.env.NODE_ENV === "development") {
  app.use(devOnly);
}
app.use(audit);
app.use(async (err, req, res, next) => {
  await onError(err);
  res.status(500).end();
});
async function remember(path) {}
async function onError(err) {}
function json(value) { return JSON.stringify(value); }
function devOnly(req, res, next) { next(); }
function unrelated() {}
app.get("/x", (req, res) => res.end());
app.listen(3000);
"""

AUDIT = """\
export async function audit(req, res, next) {
  await write(req);
  next();
}
async function write(req) {}
"""


def test_express_named_inline_and_called(tmp_path: Path) -> None:
    model = _model(
        tmp_path, {"package.json": '{"main": "src/app.ts"}', "src/app.ts": EXPRESS, "src/audit.ts": AUDIT}
    )
    hooked = _hooked(model)
    assert hooked["remember"] == "(inline)"  # called by the inline middleware
    assert hooked["audit"] == "audit" and hooked["write"] == "audit"  # across files
    assert "devOnly" not in hooked  # registered only in development
    assert "onError" not in hooked  # an error handler runs on failed requests only
    assert "unrelated" not in hooked
    assert "json" not in hooked  # express.json() is the library's
    fn = next(f for f in model.functions.values() if f.name == "write")
    found = model.hook_reaching(fn.id)
    assert found is not None
    assert found.describe().startswith("the middleware `audit` registered at src/app.ts:")


FLASK = """\
from flask import Flask
app = Flask(__name__)

@app.before_request
def track():
    save_visit()

def save_visit():
    pass

@app.get("/x")
def x():
    return ""
"""

DJANGO_SETTINGS = """\
ROOT_URLCONF = "urls"
MIDDLEWARE = ["django.middleware.common.CommonMiddleware", "shop.middleware.AuditMiddleware"]
"""

DJANGO_MIDDLEWARE = """\
class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def helper(self):
        pass
"""


def test_python_hooks(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        {
            "requirements.txt": "flask\ndjango\n",
            "app.py": FLASK,
            "settings.py": DJANGO_SETTINGS,
            "shop/__init__.py": "",
            "shop/middleware.py": DJANGO_MIDDLEWARE,
        },
    )
    hooked = _hooked(model)
    assert hooked["track"] == "track" and hooked["save_visit"] == "track"
    assert hooked["__call__"] == "shop.middleware.AuditMiddleware"
    assert "helper" not in hooked and "__init__" not in hooked and "x" not in hooked


NEST_MODULE = """\
import { MiddlewareConsumer, Module, NestModule } from "@nestjs/common";
import { RequestLogMiddleware } from "./request-log.middleware";

@Module({})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(RequestLogMiddleware).exclude("health").forRoutes("*");
  }
}
"""

NEST_MIDDLEWARE = """\
import { Injectable, NestMiddleware } from "@nestjs/common";

@Injectable()
export class RequestLogMiddleware implements NestMiddleware {
  use(req, res, next) {
    res.on("finish", () => this.save(req));
    next();
  }

  save(req) {}

  other() {}
}
"""


def test_nest_consumer_apply(tmp_path: Path) -> None:
    model = _model(
        tmp_path,
        {
            "package.json": '{"dependencies": {"@nestjs/core": "10"}}',
            "src/app.module.ts": NEST_MODULE,
            "src/request-log.middleware.ts": NEST_MIDDLEWARE,
        },
    )
    hooked = _hooked(model)
    assert hooked["use"] == "RequestLogMiddleware" and hooked["save"] == "RequestLogMiddleware"
    assert "other" not in hooked
