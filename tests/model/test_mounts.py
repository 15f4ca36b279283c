"""What is mounted: the route graph from the application entry points
(``scalescope.model.mounts`` via ``ProjectModel.routes`` / ``mount_graph`` / ``route_reach``)."""

from __future__ import annotations

from pathlib import Path

from scalescope.model.facts import Function, Mount, Route
from scalescope.model.mounts import join_path
from scalescope.model.project import ProjectModel
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import build_project

# a Nest entry that bootstraps ``AppModule`` from ``./app.module``
NEST_MAIN = """import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
bootstrap();
"""


def _project(root: Path, files: dict[str, str]) -> ProjectModel:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    model, _, notices = build_project(root, ScanConfig(), jobs=1)
    assert not [n for n in notices if "extractor error" in n.message], notices
    return model


def _served(model: ProjectModel) -> set[tuple[str, str]]:
    return {(r.display, r.loc.file) for r in model.routes}


def _unmounted(model: ProjectModel) -> set[tuple[str, str]]:
    return {(r.display, r.loc.file) for r in model.mount_graph.unmounted}


def _fn(model: ProjectModel, qualname: str) -> Function:
    found = [f for f in model.functions.values() if f.id.split("::", 1)[1].rsplit("@", 1)[0] == qualname]
    assert len(found) == 1, (qualname, found)
    return found[0]


def test_join_path() -> None:
    assert join_path("/api", "v1/", "/users/:id") == "/api/v1/users/:id"
    assert join_path("api/", "/orders/") == "/api/orders/"
    assert join_path("", "/") == "/"
    assert join_path("/users", "/") == "/users"
    assert join_path("api/", "/") == "/api/"


EXPRESS = {
    "package.json": '{"name": "api", "main": "dist/server.js"}',
    "src/server.ts": """import express from 'express';
import api, { ordersRouter } from './routes';
const app = express();
app.use(express.json());
app.use('/api/v1', api);
app.use('/api/v1/orders', ordersRouter);
app.listen(3000);
""",
    "src/routes/index.ts": """import { Router } from 'express';
import usersRouter from './users';
export { default as ordersRouter } from './orders';
const router = Router();
router.use('/users', usersRouter);
export default router;
""",
    "src/routes/users.ts": """import { Router } from 'express';
import { findPosts } from '../services/posts';
const router = Router();
router.get('/:id', async (req, res) => res.json(await findPosts()));
export default router;
""",
    "src/routes/orders.ts": """const express = require('express');
const router = express.Router();
router.get('/:id', (req, res) => res.json({}));
module.exports = router;
""",
    "src/routes/legacy.ts": """import { Router } from 'express';
import { findAll } from '../services/posts';
const router = Router();
router.get('/legacy', async (req, res) => res.json(await findAll()));
export default router;
""",
    "src/services/posts.ts": """import { prisma } from '../db';
export function findPosts() { return prisma.post.findMany({ take: 10 }); }
export function findAll() { return prisma.post.findMany(); }
""",
}


def test_express_nested_routers_get_full_paths_and_unmounted_routers_are_not_routes(tmp_path: Path) -> None:
    model = _project(tmp_path, EXPRESS)
    assert _served(model) == {
        ("GET /api/v1/users/:id", "src/routes/users.ts"),
        ("GET /api/v1/orders/:id", "src/routes/orders.ts"),
    }
    assert _unmounted(model) == {("GET /legacy", "src/routes/legacy.ts")}
    assert model.mount_graph.unverified == frozenset()
    # the call graph starts only from mounted routes
    assert {r.display for r in model.routes_reaching(_fn(model, "findPosts").id)} == {"GET /api/v1/users/:id"}
    assert model.routes_reaching(_fn(model, "findAll").id) == ()
    # a mount keeps the exact place of its registration (an environment guard can skip it later)
    mounts = [m for m in model.all(Mount) if m.loc.file == "src/server.ts" and m.prefix == "/api/v1"]
    assert [(m.loc.line, m.parent, m.child) for m in mounts] == [(5, "app", "api")]


def test_no_entry_point_keeps_routes_as_written(tmp_path: Path) -> None:
    """A library or fragment: routers but no app anywhere. Nothing can be decided, so every
    route stays (today's behaviour) and the model says the graph was not verified."""
    files = {k: v for k, v in EXPRESS.items() if k != "src/server.ts"}
    model = _project(tmp_path, files)
    assert ("GET /legacy", "src/routes/legacy.ts") in _served(model)
    assert ("GET /users/:id", "src/routes/index.ts") not in _served(model)
    assert ("GET /:id", "src/routes/users.ts") in _served(model)
    assert model.mount_graph.unmounted == ()
    assert model.mount_graph.unverified == frozenset({"express"})
    assert {r.display for r in model.routes_reaching(_fn(model, "findAll").id)} == {"GET /legacy"}


def test_entry_point_in_another_package_does_not_decide_for_this_one(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "apps/api/package.json": '{"name": "api"}',
            "apps/api/src/main.ts": """import express from 'express';
const app = express();
app.get('/health', (req, res) => res.send('ok'));
app.listen(3000);
""",
            "packages/shared/package.json": '{"name": "@acme/shared"}',
            "packages/shared/src/router.ts": """import { Router } from 'express';
export const sharedRouter = Router();
sharedRouter.get('/shared', (req, res) => res.json([]));
""",
        },
    )
    assert _served(model) == {
        ("GET /health", "apps/api/src/main.ts"),
        ("GET /shared", "packages/shared/src/router.ts"),
    }
    assert model.mount_graph.unverified == frozenset({"express"})


def test_commonjs_function_style_and_factories(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "app.js": """const express = require('express');
const app = express();
require('./routes')(app);
app.use('/admin', require('./admin'));
const { makeRouter } = require('./factory');
app.use('/made', makeRouter());
app.use('/twice', require('./admin'));
module.exports = app;
""",
            "routes/index.js": """const users = require('./users');
module.exports = function (app) {
  app.get('/ping', (req, res) => res.send('pong'));
  users(app);
};
""",
            "routes/users.js": """module.exports = (app) => {
  app.get('/users', (req, res) => res.json([]));
};
""",
            "admin.js": """const router = require('express').Router();
router.get('/stats', (req, res) => res.json({}));
module.exports = router;
""",
            "factory.js": """const { Router } = require('express');
function makeRouter() {
  const router = Router();
  router.get('/thing', (req, res) => res.json({}));
  return router;
}
function unusedRouter() {
  const router = Router();
  router.get('/never', (req, res) => res.json({}));
  return router;
}
module.exports = { makeRouter, unusedRouter };
""",
        },
    )
    assert _served(model) == {
        ("GET /ping", "routes/index.js"),
        ("GET /users", "routes/users.js"),
        ("GET /admin/stats", "admin.js"),
        ("GET /twice/stats", "admin.js"),
        ("GET /made/thing", "factory.js"),
    }
    assert _unmounted(model) == {("GET /never", "factory.js")}


def test_koa_router_prefix_and_routes_handoff(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "server.js": """const Koa = require('koa');
const api = require('./api');
const app = new Koa();
app.use(api.routes()).use(api.allowedMethods());
app.listen(3000);
""",
            "api.js": """const Router = require('@koa/router');
const users = require('./users');
const router = new Router({ prefix: '/api' });
router.use('/users', users.routes());
module.exports = router;
""",
            "users.js": """const Router = require('@koa/router');
const router = new Router();
router.get('/:id', async (ctx) => { ctx.body = {}; });
module.exports = router;
""",
            "orphan.js": """const Router = require('@koa/router');
const router = new Router();
router.get('/orphan', async (ctx) => { ctx.body = {}; });
module.exports = router;
""",
        },
    )
    assert _served(model) == {("GET /api/users/:id", "users.js")}
    assert _unmounted(model) == {("GET /orphan", "orphan.js")}


def test_fastify_plugins_prefixes_nested_and_autoload(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "src/app.ts": """import Fastify from 'fastify';
import AutoLoad from '@fastify/autoload';
import path from 'path';
import api from './api';
const app = Fastify();
app.register(api, { prefix: '/api' });
app.register(AutoLoad, { dir: path.join(__dirname, 'auto') });
app.listen({ port: 3000 });
""",
            "src/api.ts": """import { FastifyInstance } from 'fastify';
import users from './users';
export default async function api(fastify: FastifyInstance) {
  fastify.register(users, { prefix: '/users' });
  fastify.get('/status', async () => ({}));
}
""",
            "src/users.ts": """import fp from 'fastify-plugin';
export default fp(async (fastify) => {
  fastify.get('/:id', async () => ({}));
});
""",
            "src/auto/things.ts": """export default async function (fastify) {
  fastify.get('/things', async () => []);
}
""",
            "src/drafts.ts": """export default async function drafts(fastify) {
  fastify.get('/drafts', async () => []);
}
""",
        },
    )
    assert _served(model) == {
        ("GET /api/status", "src/api.ts"),
        ("GET /api/users/:id", "src/users.ts"),
        ("GET /things", "src/auto/things.ts"),
    }
    assert _unmounted(model) == {("GET /drafts", "src/drafts.ts")}


def test_hono_route_mounts(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "src/index.ts": """import { Hono } from 'hono';
import books from './books';
const app = new Hono().basePath('/api');
app.route('/books', books);
export default app;
""",
            "src/books.ts": """import { Hono } from 'hono';
const books = new Hono();
books.get('/:id', (c) => c.json({}));
export default books;
""",
            "src/authors.ts": """import { Hono } from 'hono';
const authors = new Hono();
authors.get('/:id', (c) => c.json({}));
export default authors;
""",
        },
    )
    # a Hono sub-app and the served app are created alike: one nobody mounts is kept
    assert _served(model) == {("GET /books/:id", "src/books.ts"), ("GET /:id", "src/authors.ts")}
    assert _unmounted(model) == set()


def test_nest_modules_reachable_from_the_root_module(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "src/main.ts": """import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix('api');
  await app.listen(3000);
}
bootstrap();
""",
            "src/app.module.ts": """import { Module, forwardRef } from '@nestjs/common';
import { UsersModule } from './users/users.module';
import { CoreModule } from './core';
@Module({ imports: [forwardRef(() => UsersModule), CoreModule, ConfigModule.forRoot()] })
export class AppModule {}
""",
            "src/core/index.ts": """export * from './core.module';
""",
            "src/core/core.module.ts": """import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
@Module({ controllers: [HealthController] })
export class CoreModule {}
""",
            "src/core/health.controller.ts": """import { Controller, Get } from '@nestjs/common';
@Controller('health')
export class HealthController {
  @Get()
  check() { return 'ok'; }
}
""",
            "src/users/users.module.ts": """import { Module } from '@nestjs/common';
import { UsersController } from './users.controller';
@Module({ controllers: [UsersController] })
export class UsersModule {}
""",
            "src/users/users.controller.ts": """import { Controller, Get } from '@nestjs/common';
@Controller('users')
export class UsersController {
  @Get(':id')
  find() { return {}; }
}
""",
            "src/reports/reports.module.ts": """import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
@Module({ controllers: [ReportsController] })
export class ReportsModule {}
""",
            "src/reports/reports.controller.ts": """import { Controller, Get } from '@nestjs/common';
@Controller('reports')
export class ReportsController {
  @Get()
  all() { return []; }
}
""",
        },
    )
    assert _served(model) == {
        ("GET /api/users/:id", "src/users/users.controller.ts"),
        ("GET /api/health", "src/core/health.controller.ts"),
    }
    assert _unmounted(model) == {("GET /reports", "src/reports/reports.controller.ts")}


def test_flask_blueprints_registered_in_an_app_factory(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "requirements.txt": "flask\n",
            "shop/__init__.py": """from flask import Flask


def create_app():
    app = Flask(__name__)
    from .main import bp as main_bp
    from shop.admin import admin

    app.register_blueprint(main_bp)
    app.register_blueprint(admin, url_prefix="/admin")
    return app
""",
            "shop/main/__init__.py": """from flask import Blueprint

bp = Blueprint("main", __name__)

from . import views  # noqa: E402
""",
            "shop/main/views.py": """from . import bp


@bp.route("/orders")
def orders():
    return "ok"
""",
            "shop/admin.py": """from flask import Blueprint

admin = Blueprint("admin", __name__)


@admin.route("/users")
def users():
    return "ok"
""",
            "shop/reports.py": """from flask import Blueprint

reports = Blueprint("reports", __name__, url_prefix="/reports")


@reports.route("/all")
def all_reports():
    return "ok"
""",
        },
    )
    assert _served(model) == {("GET /orders", "shop/main/views.py"), ("GET /admin/users", "shop/admin.py")}
    assert _unmounted(model) == {("GET /reports/all", "shop/reports.py")}


def test_fastapi_include_router_chain_with_router_prefixes(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/main.py": """from fastapi import FastAPI

from app.api.v1 import api_router

app = FastAPI()
app.include_router(api_router, prefix="/api/v1")
""",
            "app/api/__init__.py": "",
            "app/api/v1/__init__.py": """from .router import api_router
""",
            "app/api/v1/router.py": """from fastapi import APIRouter

from app.api.v1.endpoints import items, users

api_router = APIRouter(prefix="/v")
api_router.include_router(users.router, prefix="/users")
api_router.include_router(items.router)
""",
            "app/api/v1/endpoints/__init__.py": "",
            "app/api/v1/endpoints/users.py": """from fastapi import APIRouter

router = APIRouter()


@router.get("/{user_id}")
def read_user(user_id: int):
    return {}
""",
            "app/api/v1/endpoints/items.py": """from fastapi import APIRouter

router = APIRouter(prefix="/items", tags=["items"])


@router.get("/")
def read_items():
    return []
""",
            "app/api/v1/endpoints/old.py": """from fastapi import APIRouter

router = APIRouter(prefix="/old")


@router.get("/")
def read_old():
    return []
""",
        },
    )
    assert _served(model) == {
        ("GET /api/v1/v/users/{user_id}", "app/api/v1/endpoints/users.py"),
        ("GET /api/v1/v/items/", "app/api/v1/endpoints/items.py"),
    }
    assert _unmounted(model) == {("GET /old/", "app/api/v1/endpoints/old.py")}


DJANGO = {
    "config/settings.py": 'ROOT_URLCONF = "config.urls"\n',
    "config/urls.py": """from django.urls import include, path

from shop import urls as shop_urls
from api.routers import router

urlpatterns = [
    path("shop/", include(shop_urls)),
    path("api/v1/", include(("api.urls", "api"), namespace="api")),
    path("rest/", include(router.urls)),
]
""",
    "shop/urls.py": """from django.urls import path

from . import views

urlpatterns = [path("items/", views.item_list)]
""",
    "api/urls.py": """from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import OrderViewSet, order_detail

local = DefaultRouter()
local.register("orders", OrderViewSet)
urlpatterns = [path("orders/<int:pk>/", order_detail)]
urlpatterns += local.urls
""",
    "api/routers.py": """from rest_framework.routers import DefaultRouter

from .views import ProductViewSet

router = DefaultRouter()
router.register("products", ProductViewSet)
""",
    "legacy/urls.py": """from django.urls import path

from . import views

urlpatterns = [path("old/", views.old_list)]
""",
}


def test_django_include_chains_from_root_urlconf(tmp_path: Path) -> None:
    model = _project(tmp_path, DJANGO)
    served = {d for d, _ in _served(model)}
    assert {"ANY /shop/items/", "ANY /api/v1/orders/<int:pk>/", "GET /api/v1/orders/"} <= served
    assert {"GET /rest/products/", "DELETE /rest/products/{pk}/"} <= served
    assert not {d for d in served if d.endswith("/old/") or d.startswith("GET /orders")}
    assert _unmounted(model) == {("ANY /old/", "legacy/urls.py")}


def test_django_without_root_urlconf_is_unverified(tmp_path: Path) -> None:
    model = _project(tmp_path, {k: v for k, v in DJANGO.items() if k != "config/settings.py"})
    assert ("ANY /old/", "legacy/urls.py") in _served(model)
    assert model.mount_graph.unverified == frozenset({"django"})


def test_routes_outside_the_graph_are_kept(tmp_path: Path) -> None:
    """Next.js file routes are mounted by convention, even beside an Express app."""
    model = _project(
        tmp_path,
        {
            "server.js": """const express = require('express');
const app = express();
app.listen(3000);
""",
            "pages/api/users.ts": """export default function handler(req, res) { res.json([]); }
""",
        },
    )
    assert _served(model) == {("ANY /api/users", "pages/api/users.ts")}


def test_route_facts_keep_their_receiver(tmp_path: Path) -> None:
    model = _project(tmp_path, EXPRESS)
    raw = {(r.path, r.receiver) for r in model.all(Route)}
    assert ("/legacy", "router") in raw and ("/:id", "router") in raw


def test_routers_mounted_from_collections_and_loops(tmp_path: Path) -> None:
    """Routers listed in an array/object and mounted in a loop, and a folder of route files
    required in a loop, are mounted (never dropped for want of a literal name)."""
    model = _project(
        tmp_path,
        {
            "src/app.ts": """import express from 'express';
import fs from 'fs';
import path from 'path';
import users from './users';
import posts from './posts';
import tags from './tags';
const app = express();
const routers = { '/users': users, '/posts': posts };
Object.entries(routers).forEach(([prefix, router]) => app.use(prefix, router));
for (const r of [tags]) app.use('/t', r);
fs.readdirSync(path.join(__dirname, 'plugins'))
  .forEach((f) => require(path.join(__dirname, 'plugins', f))(app));
app.listen(3000);
""",
            "src/users.ts": """import { Router } from 'express';
const r = Router();
r.get('/u', (req, res) => res.json([]));
export default r;
""",
            "src/posts.ts": """import { Router } from 'express';
const r = Router();
r.get('/p', (req, res) => res.json([]));
export default r;
""",
            "src/tags.ts": """import { Router } from 'express';
const r = Router();
r.get('/tags', (req, res) => res.json([]));
export default r;
""",
            "src/plugins/search.ts": """export default function (app) {
  app.get('/search', (req, res) => res.json([]));
}
""",
            "src/stale.ts": """import { Router } from 'express';
const r = Router();
r.get('/stale', (req, res) => res.json([]));
export default r;
""",
        },
    )
    served = _served(model)
    assert {f for _, f in served} == {"src/users.ts", "src/posts.ts", "src/tags.ts", "src/plugins/search.ts"}
    assert ("GET /t/tags", "src/tags.ts") in served
    assert _unmounted(model) == {("GET /stale", "src/stale.ts")}


def test_blueprints_registered_in_a_loop(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "app.py": """from flask import Flask

from views import admin, main

BLUEPRINTS = [main.bp, admin.bp]

app = Flask(__name__)
for blueprint in BLUEPRINTS:
    app.register_blueprint(blueprint)
""",
            "views/__init__.py": "",
            "views/main.py": """from flask import Blueprint

bp = Blueprint("main", __name__)


@bp.route("/")
def index():
    return "ok"
""",
            "views/admin.py": """from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/stats")
def stats():
    return "ok"
""",
            "views/old.py": """from flask import Blueprint

bp = Blueprint("old", __name__)


@bp.route("/old")
def old():
    return "ok"
""",
        },
    )
    assert _served(model) == {("GET /", "views/main.py"), ("GET /admin/stats", "views/admin.py")}
    assert _unmounted(model) == {("GET /old", "views/old.py")}


def test_app_of_a_subclassed_factory_is_an_entry_point(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "site/__init__.py": """from flask import Flask

from site.views import pages


class SiteFlask(Flask):
    pass


def create_app():
    app = SiteFlask(__name__)
    app.register_blueprint(pages, url_prefix="/p")
    return app
""",
            "site/views.py": """from flask import Blueprint

pages = Blueprint("pages", __name__)
unused = Blueprint("unused", __name__)


@pages.route("/about")
def about():
    return "ok"


@unused.route("/never")
def never():
    return "ok"
""",
        },
    )
    assert _served(model) == {("GET /p/about", "site/views.py")}
    assert _unmounted(model) == {("GET /never", "site/views.py")}
    assert model.mount_graph.unverified == frozenset()


def test_routers_listed_with_their_paths(tmp_path: Path) -> None:
    """``[{ path: '/auth', route: authRoute }].forEach((r) => router.use(r.path, r.route))``."""
    model = _project(
        tmp_path,
        {
            "src/app.js": """const express = require('express');
const routes = require('./routes/v1');
const app = express();
app.use('/v1', routes);
module.exports = app;
""",
            "src/routes/v1/index.js": """const express = require('express');
const authRoute = require('./auth.route');
const userRoute = require('./user.route');
const router = express.Router();
const defaultRoutes = [
  { path: '/auth', route: authRoute },
  { path: '/users', route: userRoute },
];
defaultRoutes.forEach((route) => {
  router.use(route.path, route.route);
});
module.exports = router;
""",
            "src/routes/v1/auth.route.js": """const express = require('express');
const router = express.Router();
router.post('/login', (req, res) => res.json({}));
module.exports = router;
""",
            "src/routes/v1/user.route.js": """const express = require('express');
const router = express.Router();
router.route('/:userId').get((req, res) => res.json({}));
module.exports = router;
""",
        },
    )
    assert _served(model) == {
        ("POST /v1/auth/login", "src/routes/v1/auth.route.js"),
        ("GET /v1/users/:userId", "src/routes/v1/user.route.js"),
    }


def test_router_imported_by_running_code_but_mounted_out_of_sight_is_kept(tmp_path: Path) -> None:
    """The app mounts ``v1``, made by a helper of another package; ``usersRouter`` is mounted on
    it. The graph cannot follow, but the file the app runs imports the router: keep it as
    written (and say so in ``kept``) rather than call it dead."""
    model = _project(
        tmp_path,
        {
            "src/server.ts": """import express from 'express';
import { makeVersion } from '@acme/http';
import { usersRouter } from './users';
const app = express();
const v1 = makeVersion();
v1.use('/users', usersRouter);
app.use('/v1', v1);
app.listen(3000);
""",
            "src/users.ts": """import { Router } from 'express';
export const usersRouter = Router();
export const draftRouter = Router();
usersRouter.get('/:id', (req, res) => res.json({}));
draftRouter.get('/draft', (req, res) => res.json({}));
""",
        },
    )
    assert _served(model) == {("GET /:id", "src/users.ts")}
    assert {r.display for r in model.mount_graph.kept} == {"GET /:id"}
    assert _unmounted(model) == {("GET /draft", "src/users.ts")}


def test_router_mounted_only_under_a_development_guard_is_not_served(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "src/app.ts": """import express from 'express';
import { apiRouter } from './api';
import { debugRouter } from './debug';
const app = express();
app.use('/api', apiRouter);
if (process.env.NODE_ENV === 'development') {
  app.use('/debug', debugRouter);
}
app.listen(3000);
""",
            "src/api.ts": """import { Router } from 'express';
export const apiRouter = Router();
apiRouter.get('/items', (req, res) => res.json([]));
""",
            "src/debug.ts": """import { Router } from 'express';
export const debugRouter = Router();
debugRouter.get('/dump', (req, res) => res.json([]));
""",
        },
    )
    assert _served(model) == {("GET /api/items", "src/api.ts")}
    assert _unmounted(model) == {("GET /dump", "src/debug.ts")}
    guarded = [m for m in model.all(Mount) if m.prefix == "/debug"]
    assert [m.loc.line for m in guarded] == [7]


def test_flask_register_url_prefix_replaces_the_blueprint_prefix(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "app.py": """from flask import Flask

from shop import orders

app = Flask(__name__)
app.register_blueprint(orders, url_prefix="/v2/orders")
app.register_blueprint(orders, name="legacy_orders")
""",
            "shop.py": """from flask import Blueprint

orders = Blueprint("orders", __name__, url_prefix="/orders")


@orders.route("/<int:order_id>")
def order(order_id):
    return "ok"
""",
        },
    )
    assert _served(model) == {
        ("GET /v2/orders/<int:order_id>", "shop.py"),
        ("GET /orders/<int:order_id>", "shop.py"),
    }


def test_nest_module_imports_shorthand_names_a_same_file_array(tmp_path: Path) -> None:
    # ``@Module({ imports })`` with ``const imports = [...]`` above it mounts those modules
    model = _project(
        tmp_path,
        {
            "src/main.ts": NEST_MAIN,
            "src/app.module.ts": """import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { UsersModule } from './users.module';
const imports = [ConfigModule.forRoot({ isGlobal: true }), UsersModule];
@Module({ imports, controllers: [] })
export class AppModule {}
""",
            "src/users.module.ts": """import { Module } from '@nestjs/common';
import { UsersController } from './users.controller';
@Module({ controllers: [UsersController] })
export class UsersModule {}
""",
            "src/users.controller.ts": """import { Controller, Get } from '@nestjs/common';
@Controller('users')
export class UsersController {
  @Get(':id')
  find() { return {}; }
}
""",
        },
    )
    assert _served(model) == {("GET /users/:id", "src/users.controller.ts")}
    assert _unmounted(model) == set()


def test_nest_router_module_paths(tmp_path: Path) -> None:
    model = _project(
        tmp_path,
        {
            "src/main.ts": NEST_MAIN,
            "src/app.module.ts": """import { Module } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { AdminModule } from './admin.module';
import { UsersModule } from './users.module';
@Module({
  imports: [
    AdminModule,
    UsersModule,
    RouterModule.register([
      { path: 'admin', module: AdminModule, children: [{ path: 'people', module: UsersModule }] },
    ]),
  ],
})
export class AppModule {}
""",
            "src/admin.module.ts": """import { Module } from '@nestjs/common';
import { StatsController } from './stats.controller';
@Module({ controllers: [StatsController] })
export class AdminModule {}
""",
            "src/stats.controller.ts": """import { Controller, Get } from '@nestjs/common';
@Controller('stats')
export class StatsController {
  @Get()
  all() { return []; }
}
""",
            "src/users.module.ts": """import { Module } from '@nestjs/common';
import { UsersController } from './users.controller';
@Module({ controllers: [UsersController] })
export class UsersModule {}
""",
            "src/users.controller.ts": """import { Controller, Get } from '@nestjs/common';
@Controller('users')
export class UsersController {
  @Get(':id')
  one() { return {}; }
}
""",
        },
    )
    assert _served(model) == {
        ("GET /admin/stats", "src/stats.controller.ts"),
        ("GET /admin/people/users/:id", "src/users.controller.ts"),
    }


def test_flask_restx_namespaces_and_restful_resources(tmp_path: Path) -> None:
    """Flask-RESTX: ``Api(blueprint)`` serves the namespaces ``add_namespace`` adds; a
    ``Resource`` class under ``@ns.route`` is one route per HTTP method it defines, handled by
    that method; a namespace no Api adds is not served. Flask-RESTful: ``api.add_resource``
    of a class of the same file."""
    model = _project(
        tmp_path,
        {
            "requirements.txt": "flask\nflask-restx\nflask-restful\n",
            "svc/__init__.py": """from flask import Flask


def create_app():
    app = Flask(__name__)
    from svc.resources import API_BLUEPRINT

    app.register_blueprint(API_BLUEPRINT)
    return app
""",
            "svc/resources/__init__.py": """from flask import Blueprint
from flask_restx import Api

from .orders import API as ORDERS_API

API_BLUEPRINT = Blueprint("API", __name__, url_prefix="/api")
API = Api(API_BLUEPRINT, title="svc")
API.add_namespace(ORDERS_API, path="/orders")
""",
            "svc/resources/orders.py": """from flask_restx import Namespace, Resource

API = Namespace("orders")


@API.route("/<int:order_id>")
class Order(Resource):
    def get(self, order_id):
        return {}

    def delete(self, order_id):
        return {}

    def _helper(self):
        return None
""",
            "svc/resources/drafts.py": """from flask_restx import Namespace, Resource

API = Namespace("drafts")


@API.route("/")
class Drafts(Resource):
    def get(self):
        return []
""",
            "svc/legacy.py": """from flask import Flask
from flask_restful import Api, Resource

app = Flask(__name__)
api = Api(app)


class Health(Resource):
    def get(self):
        return {"ok": True}


api.add_resource(Health, "/legacy/health", "/legacy/ping")
""",
        },
    )
    assert _served(model) == {
        ("GET /api/orders/<int:order_id>", "svc/resources/orders.py"),
        ("DELETE /api/orders/<int:order_id>", "svc/resources/orders.py"),
        ("GET /legacy/health", "svc/legacy.py"),
        ("GET /legacy/ping", "svc/legacy.py"),
    }
    assert ("GET /drafts/", "svc/resources/drafts.py") in _unmounted(model)
    handlers = {r.handler_id for r in model.routes if r.loc.file == "svc/resources/orders.py"}
    assert handlers == {
        "svc/resources/orders.py::Order.get@8",
        "svc/resources/orders.py::Order.delete@11",
    }
