"""What runs in production, and which process and database: findings in non-production places
are low with the reason (or absent), each service is judged with its own deployment, schema and
environment. Each case has the false claim beside the true one."""

from __future__ import annotations

import json
from pathlib import Path

from scalescope.report.model import Finding
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _findings(root: Path, files: dict[str, str], *rule_ids: str) -> dict[tuple[str, int], Finding]:
    _write(root, files)
    rules = [r for r in all_rules() if r.meta.id in rule_ids]
    report = scan(root, ScanConfig(min_confidence="low", calibrated=False), rules=rules, jobs=1)
    return {(f.file, f.line): f for f in report.findings}


# --------------------------------------------------------------------------- tooling (node)

TYPEORM_APP = {
    "package.json": json.dumps(
        {
            "main": "dist/main.js",
            "scripts": {
                "build": "tsc",
                "start": "node dist/main.js",
                "migration:run": "typeorm-ts-node-commonjs migration:run -d src/data-source-cli.ts",
                "seed": "ts-node src/seed.ts",
            },
            "dependencies": {"typeorm": "0.3.20", "pg": "8.11.0"},
        },
        indent=2,
    ),
    "src/main.ts": """import { dataSource } from "./data-source";

async function bootstrap() {
  await dataSource.initialize();
}
bootstrap();
""",
    "src/data-source.ts": """import { DataSource } from "typeorm";

export const dataSource = new DataSource({
  type: "postgres",
  url: process.env.DATABASE_URL,
  entities: ["dist/**/*.entity.js"],
});
""",
    "src/data-source-cli.ts": """import { DataSource } from "typeorm";

export default new DataSource({
  type: "postgres",
  url: process.env.DATABASE_URL,
  migrations: ["src/migrations/*.ts"],
});
""",
    "src/seed.ts": """import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

export async function seedPosts() {
  const users = await prisma.user.findMany();
  for (const user of users) {
    await prisma.post.findMany({ where: { authorId: user.id } });
  }
}
""",
}


def test_a_data_source_only_the_migration_cli_runs_is_low_with_the_reason(tmp_path: Path) -> None:
    # SC-DB-002: a default pool alone is low (SC-DB-001), a missing statement timeout is not
    found = _findings(tmp_path, TYPEORM_APP, "SC-DB-002")
    server = found[("src/data-source.ts", 3)]
    assert server.confidence == "high"
    assert "Not production code" not in server.message
    cli = found[("src/data-source-cli.ts", 3)]
    assert cli.confidence == "low"
    assert "only run by the `migration:run` script (package.json)" in cli.message


def test_an_n_plus_one_in_a_seed_script_is_low_and_says_so(tmp_path: Path) -> None:
    files = dict(TYPEORM_APP)
    files["src/posts.service.ts"] = TYPEORM_APP["src/seed.ts"].replace("seedPosts", "postsOf")
    files["src/main.ts"] += 'import { postsOf } from "./posts.service";\nexport { postsOf };\n'
    found = _findings(tmp_path, files, "SC-DB-003")
    assert found[("src/posts.service.ts", 8)].confidence != "low"
    seed = found[("src/seed.ts", 8)]
    assert seed.confidence == "low"
    assert "only run by the `seed` script" in seed.message


# --------------------------------------------------------------------------- environment guards


def test_a_query_loop_under_a_development_guard_is_low(tmp_path: Path) -> None:
    files = {
        "src/debug.ts": """import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
const isDev = process.env.NODE_ENV !== "production";

export async function dump() {
  const rows = await prisma.event.findMany();
  if (isDev) {
    for (const row of rows) {
      await prisma.user.findFirst({ where: { id: row.userId } });
    }
  } else {
    for (const row of rows) {
      await prisma.order.findFirst({ where: { id: row.orderId } });
    }
  }
}
"""
    }
    found = _findings(tmp_path, files, "SC-DB-003")
    dev = found[("src/debug.ts", 10)]
    assert dev.confidence == "low"
    assert "inside `if (isDev)`" in dev.message and "runs only in development" in dev.message
    assert found[("src/debug.ts", 14)].confidence != "low"


def test_python_settings_debug_guard(tmp_path: Path) -> None:
    files = {
        "app/views.py": """from .models import Author, Book


def listing(request):
    books = Book.objects.filter(shelf=request.GET["shelf"])
    if settings.DEBUG:
        for book in books:
            Author.objects.get(id=book.author_id)
    for book in books:
        Author.objects.get(id=book.author_id)
""",
    }
    found = _findings(tmp_path, files, "SC-DB-003")
    assert found[("app/views.py", 8)].confidence == "low"
    assert "settings.DEBUG" in found[("app/views.py", 8)].message
    assert found[("app/views.py", 10)].confidence != "low"


def test_a_management_command_is_tooling_but_latest_prices_is_not_test_code(tmp_path: Path) -> None:
    body = """from shop.models import Price, Product


def run():
    for product in Product.objects.all():
        Price.objects.filter(product_id=product.id).first()
"""
    files = {"shop/management/commands/reprice.py": body, "shop/latest_prices.py": body}
    found = _findings(tmp_path, files, "SC-DB-003")
    assert found[("shop/latest_prices.py", 6)].confidence != "low"
    command = found[("shop/management/commands/reprice.py", 6)]
    assert command.confidence == "low" and "a manage.py command" in command.message


def test_an_n_plus_one_in_a_helper_only_a_data_migration_calls_is_low(tmp_path: Path) -> None:
    body = """from shop.models import Price, Product


def merge_prices():
    for product in Product.objects.all():
        Price.objects.filter(product_id=product.id).first()
"""
    files = {
        "api/manage.py": "import os\n",
        "api/shop/models.py": "from django.db import models\n",
        "api/shop/views.py": "from util.pricing import merge_prices as reprice\n",
        "api/shop/migrations/0003_merge_prices.py": (
            "from django.db import migrations\n\nfrom util.migrations import merge_prices\n"
        ),
        "api/util/migrations.py": body,
        "api/util/pricing.py": body,
    }
    found = _findings(tmp_path, files, "SC-DB-003")
    # the same loop, imported by a view: production
    assert found[("api/util/pricing.py", 6)].confidence != "low"
    helper = found[("api/util/migrations.py", 6)]
    assert helper.confidence == "low"
    assert "only used by api/shop/migrations/0003_merge_prices.py, a schema migration" in helper.message


# --------------------------------------------------------------------------- which process


def _pool_app(prefix: str) -> dict[str, str]:
    return {
        f"{prefix}/package.json": json.dumps(
            {"scripts": {"start": "node src/server.js"}, "dependencies": {"pg": "8.11.0"}}
        ),
        f"{prefix}/src/server.js": 'const { pool } = require("./db");\nmodule.exports = { pool };\n',
        f"{prefix}/src/db.js": """const { Pool } = require("pg");

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
module.exports = { pool };
""",
    }


def test_another_services_gunicorn_workers_do_not_apply_to_a_node_pool(tmp_path: Path) -> None:
    files = _pool_app("api")
    files.update(
        {
            "worker/requirements.txt": "flask\nsqlalchemy\ngunicorn\n",
            "worker/Dockerfile": 'FROM python:3.12\nCMD ["gunicorn", "-w", "4", "app:app"]\n',
            "worker/app.py": "from flask import Flask\n\napp = Flask(__name__)\n",
            "docker-compose.yml": """services:
  api:
    build: ./api
    deploy:
      replicas: 2
  worker:
    build: ./worker
""",
        }
    )
    found = _findings(tmp_path, files, "SC-DB-001")
    message = found[("api/src/db.js", 3)].message
    assert "with 2 app processes" in message, message
    assert "8 app processes" not in message and "4 app processes" not in message


def test_the_services_own_workers_still_count(tmp_path: Path) -> None:
    files = _pool_app("api")
    files["api/ecosystem.config.js"] = (
        'module.exports = { apps: [{ name: "api", script: "src/server.js", instances: 4, '
        'exec_mode: "cluster" }] };\n'
    )
    found = _findings(tmp_path, files, "SC-DB-001")
    assert "with 4 app processes" in found[("api/src/db.js", 3)].message


# --------------------------------------------------------------------------- dev compose

REDIS = """services:
  redis:
    # ruleid: SC-CACHE-007
    image: redis:7
"""


def test_redis_in_a_development_compose_file_is_low(tmp_path: Path) -> None:
    found = _findings(
        tmp_path,
        {
            "docker-compose.yml": REDIS,
            "docker-compose.dev.yml": REDIS.replace("redis:\n", "dev-redis:\n", 1),
            "deploy/compose.local.yaml": REDIS.replace("redis:\n", "local-redis:\n", 1),
            "docker/development/compose.yml": REDIS.replace("redis:\n", "devdir-redis:\n", 1),
            "docker/production/compose.yml": REDIS.replace("redis:\n", "prod-redis:\n", 1),
        },
        "SC-CACHE-007",
    )
    assert found[("docker/development/compose.yml", 4)].confidence == "low"
    assert found[("docker/production/compose.yml", 4)].confidence == "medium"
    assert found[("docker-compose.yml", 4)].confidence == "medium"
    dev = found[("docker-compose.dev.yml", 4)]
    assert dev.confidence == "low" and "development compose file" in dev.message
    assert found[("deploy/compose.local.yaml", 4)].confidence == "low"


def test_a_compose_that_mounts_the_source_and_runs_a_dev_server_is_development(tmp_path: Path) -> None:
    compose = (
        REDIS
        + """  web:
    build: .
    command: npm run dev
    volumes:
      - .:/app
"""
    )
    found = _findings(tmp_path, {"docker-compose.yml": compose}, "SC-CACHE-007")
    finding = found[("docker-compose.yml", 4)]
    assert finding.confidence == "low"
    assert "mounts the source into service 'web'" in finding.message


# --------------------------------------------------------------------------- which database


def test_a_drizzle_query_is_never_matched_to_a_prisma_model(tmp_path: Path) -> None:
    files = {
        "prisma/schema.prisma": """model Post {
  id       Int    @id
  authorId Int    @map("author_id")
  title    String
  @@index([authorId])
  @@map("posts")
}
""",
        "src/schema.ts": """import { pgTable, integer, text } from "drizzle-orm/pg-core";

export const posts = pgTable("posts", {
  id: integer("id").primaryKey(),
  authorId: integer("author_id"),
  slug: text("slug"),
});
""",
        "src/routes.ts": """import express from "express";
import { eq } from "drizzle-orm";
import { db } from "./db";
import { posts } from "./schema";

const app = express();
app.get("/posts/:author", async (req, res) => {
  res.json(await db.select().from(posts).where(eq(posts.authorId, Number(req.params.author))).limit(20));
});
""",
        "src/legacy.ts": """import express from "express";
import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
const app = express();
app.get("/legacy/:author", async (req, res) => {
  res.json(await prisma.post.findMany({ where: { authorId: Number(req.params.author) }, take: 20 }));
});
""",
    }
    found = _findings(tmp_path, files, "SC-DB-006")
    # the Drizzle table has no index on author_id; the Prisma model's @@index is another schema
    finding = found.get(("src/routes.ts", 8))
    assert finding is not None, found
    assert "schema.prisma" not in finding.message and "@@index" not in finding.fix_snippet
    # the Prisma query is matched to its own model, whose index covers it
    assert ("src/legacy.ts", 7) not in found


CACHE_MODULE = """import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();
const linkCache = new Map<string, unknown>();

export async function getLink(key: string) {
  if (linkCache.has(key)) return linkCache.get(key);
  const link = await prisma.link.findFirst({ where: { key } });
  linkCache.set(key, link);
  return link;
}
"""


def test_an_in_process_cache_counts_its_own_services_processes(tmp_path: Path) -> None:
    files = {
        "api/package.json": json.dumps({"scripts": {"start": "node dist/links.js"}}),
        "api/src/links.ts": CACHE_MODULE,
        "billing/package.json": json.dumps({"scripts": {"start": "node dist/links.js"}}),
        "billing/src/links.ts": CACHE_MODULE,
        "billing/ecosystem.config.js": (
            'module.exports = { apps: [{ script: "dist/links.js", instances: 4 }] };\n'
        ),
        "worker/requirements.txt": "gunicorn\n",
        "worker/Dockerfile": 'FROM python:3.12\nCMD ["gunicorn", "-w", "4", "app:app"]\n',
    }
    found = _findings(tmp_path, files, "SC-CACHE-002")
    # the Python worker's gunicorn -w 4 is another service: one process runs api/
    assert found[("api/src/links.ts", 4)].severity == "medium"
    assert "each process keeps its own copy" in found[("api/src/links.ts", 4)].message
    assert found[("billing/src/links.ts", 4)].severity == "high"


K8S_REDIS = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  template:
    spec:
      containers:
        - name: redis
          image: redis:7
"""


def test_a_kubernetes_redis_in_a_dev_overlay_is_low(tmp_path: Path) -> None:
    found = _findings(
        tmp_path,
        {
            "k8s/overlays/dev/redis.yaml": K8S_REDIS.format(name="redis-dev"),
            "k8s/overlays/prod/redis.yaml": K8S_REDIS.format(name="redis-prod"),
        },
        "SC-CACHE-007",
    )
    by_file = {file: f for (file, _), f in found.items()}
    assert by_file["k8s/overlays/dev/redis.yaml"].confidence == "low"
    assert "dev/ folder" in by_file["k8s/overlays/dev/redis.yaml"].message
    assert by_file["k8s/overlays/prod/redis.yaml"].confidence == "medium"


def test_a_route_registered_only_in_development_does_not_make_its_handler_serve(tmp_path: Path) -> None:
    files = {
        "package.json": json.dumps({"scripts": {"start": "node dist/server.js"}}),
        "src/handlers.ts": """import { PrismaClient } from "@prisma/client";

const prisma = new PrismaClient();

export async function dumpUsers(req: any, res: any) {
  res.json(await prisma.user.findMany({ where: { role: req.query.role } }));
}

export async function listOrders(req: any, res: any) {
  res.json(await prisma.order.findMany({ where: { status: req.query.status } }));
}
""",
        "src/server.ts": """import express from "express";
import { dumpUsers, listOrders } from "./handlers";

const app = express();
if (process.env.NODE_ENV === "development") {
  app.get("/debug/users", dumpUsers);
}
app.get("/orders", listOrders);
app.listen(3000);
""",
    }
    found = _findings(tmp_path, files, "SC-DB-004")
    assert ("src/handlers.ts", 10) in found
    assert ("src/handlers.ts", 6) not in found


def _keys_project(command_only: bool) -> dict[str, str]:
    """A Django site whose views module holds a cache purge running Redis KEYS; a manage.py
    command calls it, and (unless ``command_only``) so does a view."""
    view_call = "    return purge_cached_results(None)\n" if not command_only else "    return None\n"
    imported = "wildcard_get" if command_only else "purge_cached_results, wildcard_get"
    return {
        "requirements.txt": "Django>=5.0\nredis\ngunicorn\n",
        "manage.py": "import os\n",
        "wsgi.py": "from django.core.wsgi import get_wsgi_application\n\napp = get_wsgi_application()\n",
        "site/urls.py": "from django.urls import path\n\nfrom site.views import api\n\n"
        "urlpatterns = [path('purge', api.purge), path('search', api.search)]\n",
        "site/views/utils.py": """import redis

redis_client = redis.StrictRedis()


def purge_cached_results(project):
    for key in redis_client.keys('search_results__*'):
        redis_client.delete(key)


def wildcard_get(prefix):
    return redis_client.keys(prefix + '*')
""",
        "site/views/api.py": f"from site.views.utils import {imported}\n\n\n"
        "def search(request):\n    return wildcard_get(request.GET['q'])\n\n\n"
        "def purge(request):\n" + view_call,
        "site/management/commands/purge_cache.py": """from django.core.management.base import BaseCommand

from site.views.utils import purge_cached_results


class Command(BaseCommand):
    def handle(self, *args, **options):
        purge_cached_results(None)
""",
    }


def test_a_helper_only_a_management_command_calls_is_not_on_a_request_path(tmp_path: Path) -> None:
    """A function in a views module (a production file) that only a manage.py command calls
    runs from the command line or a scheduler, not per request: its finding is low, naming the
    command; the helper a view calls beside it stays as it was."""
    found = _findings(tmp_path, _keys_project(command_only=True), "SC-CACHE-004")
    purge = found[("site/views/utils.py", 7)]
    assert purge.confidence == "low", purge.message
    assert "Not on a request path: `purge_cached_results` is called only by code that serves no requests" in (
        purge.message
    )
    assert "site/management/commands/purge_cache.py: a manage.py command" in purge.message
    assert found[("site/views/utils.py", 12)].confidence == "high"


def test_a_helper_a_view_also_calls_stays_on_the_request_path(tmp_path: Path) -> None:
    found = _findings(tmp_path, _keys_project(command_only=False), "SC-CACHE-004")
    purge = found[("site/views/utils.py", 7)]
    assert purge.confidence == "high" and "request path" not in purge.message, purge.message


# --------------------------------------------------------------------------- export lists

_JSDOC_PAGE = (
    "<html><body><nav><a href='cache.html#flushAll'>flushAll</a> <a>purgeUser</a></nav>\n"
    '<footer>Documentation generated by <a href="https://github.com/jsdoc/jsdoc">JSDoc 4.0.2</a>'
    "</footer></body></html>\n"
)


def _cache_app(caller: str, docs: str = _JSDOC_PAGE) -> dict[str, str]:
    """An Express app whose cache model exports three Redis ``KEYS`` helpers in a
    ``module.exports = { ... }`` list: ``purgeUser`` a route calls, ``flushAll`` called by
    ``caller`` (a spec or a route), ``scanAll`` called by nothing; an API documentation page
    (``docs``) names them all."""
    return {
        "package.json": json.dumps({"main": "app.js", "dependencies": {"express": "^4", "redis": "^4"}}),
        "app.js": "const express = require('express');\nconst routes = require('./routes');\n"
        "const app = express();\napp.use('/', routes);\napp.listen(3000);\n",
        "routes.js": "const express = require('express');\nconst cache = require('./cache');\n"
        "const router = express.Router();\n"
        "router.post('/purge/:id', async (req, res) => res.json(await cache.purgeUser(req.params.id)));\n"
        + (
            "router.post('/flush', async (req, res) => res.json(await cache.flushAll()));\n"
            if caller == "route"
            else ""
        )
        + "module.exports = router;\n",
        "cache.js": """const redis = require('redis');
const client = redis.createClient();

function purgeUser(id) {
    return client.keys(`user:${id}:*`);
}

function flushAll() {
    return client.keys('app:*');
}

function scanAll() {
    return client.keys('*');
}

module.exports = {
    purgeUser,
    flushAll,
    scanAll,
};
""",
        "test/cache.spec.js": "const cache = require('../cache');\n"
        "it('flushes', async () => { await cache.flushAll(); });\n",
        "docs/module-cache.html": docs,
    }


def test_a_function_only_listed_for_export_and_called_by_tests_is_not_live(tmp_path: Path) -> None:
    """``module.exports = { flushAll }`` says what other modules may use; only a spec calls
    ``flushAll``, and a JSDoc page that lists every function runs none: its Redis ``KEYS`` is
    low, saying only tests call it. ``purgeUser``, which a mounted route calls, stays high, and
    ``scanAll``, exported but named by nothing (what takes the module whole may call it), is
    not claimed unused."""
    found = _findings(tmp_path, _cache_app(caller="spec"), "SC-CACHE-004")
    flush = found[("cache.js", 9)]
    assert flush.confidence == "low", flush.message
    assert "`flushAll` is called by no production code: only tests call it (test/cache.spec.js)" in (
        flush.message
    )
    assert found[("cache.js", 5)].confidence == "high"
    assert found[("cache.js", 13)].confidence == "high", found[("cache.js", 13)].message


def test_an_exported_function_a_route_calls_or_a_page_names_stays_live(tmp_path: Path) -> None:
    """The twins: a route calls ``cache.flushAll()``; or the page naming it is a template, not
    a documentation generator's output. Either keeps it on the request path."""
    found = _findings(tmp_path, _cache_app(caller="route"), "SC-CACHE-004")
    assert found[("cache.js", 9)].confidence == "high", found[("cache.js", 9)].message
    template = "<html><body><button onclick='flushAll()'>Flush</button></body></html>\n"
    found = _findings(tmp_path / "page", _cache_app(caller="spec", docs=template), "SC-CACHE-004")
    assert found[("cache.js", 9)].confidence == "high", found[("cache.js", 9)].message
