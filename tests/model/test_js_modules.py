"""Which project files a JS/TS module specifier names (``ProjectModel.module_files``): relative
paths, tsconfig/jsconfig ``paths`` and ``baseUrl``, workspace package names; a package name
(``pg``) never names a project file, whatever the project's files are called."""

from __future__ import annotations

import json
from pathlib import Path

from scalescope.model.project import ProjectModel
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import build_project
from scalescope.scan.extract.js.tsconfig import loads_jsonc


def _project(root: Path, files: dict[str, str]) -> ProjectModel:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    model, _, notices = build_project(root, ScanConfig(), jobs=1)
    assert not [n for n in notices if "extractor error" in n.message], notices
    return model


def test_a_bare_package_name_never_makes_a_same_named_file_imported(tmp_path: Path) -> None:
    """``require("pg")`` in one file used to resolve to ``src/pg.ts`` by its name, so a file
    nothing imports counted as imported (and as production code)."""
    model = _project(
        tmp_path,
        {
            "package.json": json.dumps({"name": "ledger", "main": "app/server.js"}),
            "app/server.js": 'const db = require("./db");\nmodule.exports = db;\n',
            "app/db.js": 'const { Pool } = require("pg");\nmodule.exports = new Pool();\n',
            "src/pg.ts": 'import { Pool } from "pg";\nexport const pool = new Pool({ max: 4 });\n',
        },
    )
    assert model.module_files("app/db.js", "pg") == ()
    assert model.role("src/pg.ts").kind == "unimported"
    assert model.role("app/db.js").production


PACKAGES = {
    "package.json": json.dumps({"name": "mono", "private": True}),
    # package names, each shadowed by a project file of the same name (outside ``baseUrl``:
    # the compiler looks there first)
    "apps/api/package.json": json.dumps({"name": "@mono/api", "main": "dist/main.js"}),
    "apps/api/src/main.ts": (
        'import express from "express";\n'
        'import { Injectable } from "@nestjs/common";\n'
        'import fp from "lodash/fp";\n'
        'import { readFile } from "node:fs";\n'
        'import { users } from "@/users/list";\n'
        'import { orders } from "services/orders";\n'
        'import { audit } from "~/audit";\n'
        'import { schema } from "@mono/db";\n'
        'import { invoices } from "@mono/db/invoices";\n'
        'import { shared } from "@shared/util";\n'
        "export const app = express();\n"
    ),
    "apps/api/lib/express.ts": "export const local = 1;\n",
    "apps/api/lib/common/index.ts": "export const common = 1;\n",
    "apps/api/lib/lodash/fp.ts": "export default {};\n",
    "apps/api/lib/fs.ts": "export const fs = 1;\n",
    "apps/api/src/users/list.ts": "export const users = [];\n",
    "apps/api/src/services/orders.ts": "export const orders = [];\n",
    "apps/api/lib/audit.ts": "export const audit = 1;\n",
    "apps/api/tsconfig.json": """{
  // the app's own aliases, JSONC like the compiler reads it
  "extends": "../../tsconfig.base.json",
  "compilerOptions": {
    "baseUrl": "./src", /* "services/orders" is src/services/orders */
    "paths": {
      "@/*": ["./*"],
    },
  },
}
""",
    "tsconfig.base.json": json.dumps({"compilerOptions": {"paths": {"@shared/*": ["./libs/shared/src/*"]}}}),
    "libs/shared/src/util.ts": "export const shared = 1;\n",
    "packages/db/package.json": json.dumps(
        {
            "name": "@mono/db",
            "main": "dist/index.js",
            "exports": {".": "./dist/index.js", "./*": "./src/*.ts"},
        }
    ),
    "packages/db/src/index.ts": "export const schema = {};\n",
    "packages/db/src/invoices.ts": "export const invoices = [];\n",
}


def test_specifiers_resolve_like_the_compiler(tmp_path: Path) -> None:
    model = _project(tmp_path, PACKAGES)
    main = "apps/api/src/main.ts"

    def files(spec: str) -> tuple[str, ...]:
        return model.module_files(main, spec)

    # packages in node_modules: never the project's own express.ts, common/, lodash/fp.ts, fs.ts
    assert files("express") == ()
    assert files("@nestjs/common") == ()
    assert files("lodash/fp") == ()
    assert files("node:fs") == ()
    # tsconfig paths (relative to baseUrl), baseUrl, and paths inherited through ``extends``
    assert files("@/users/list") == ("apps/api/src/users/list.ts",)
    assert files("services/orders") == ("apps/api/src/services/orders.ts",)
    assert files("@shared/util") == ("libs/shared/src/util.ts",)
    # workspace packages by name: their exports map, a build path read as its source
    assert files("@mono/db") == ("packages/db/src/index.ts",)
    assert files("@mono/db/invoices") == ("packages/db/src/invoices.ts",)
    # an alias no config explains and no package can be named: still found by its path
    assert files("~/audit") == ("apps/api/lib/audit.ts",)


def test_without_a_tsconfig_a_bare_path_is_a_package(tmp_path: Path) -> None:
    """``services/orders`` resolves only through a ``baseUrl``: without one it names a package."""
    model = _project(
        tmp_path,
        {
            "package.json": json.dumps({"name": "shop"}),
            "src/main.ts": 'import { orders } from "services/orders";\nexport const o = orders;\n',
            "src/services/orders.ts": "export const orders = [];\n",
        },
    )
    assert model.module_files("src/main.ts", "services/orders") == ()
    assert model.module_files("src/main.ts", "./services/orders") == ("src/services/orders.ts",)


def test_jsonc_comments_and_trailing_commas() -> None:
    text = '{\n  // c\n  "paths": {"@/*": ["./src/*"],}, /* "x": 1 */\n  "url": "http://a//b",\n}\n'
    assert loads_jsonc(text) == {"paths": {"@/*": ["./src/*"]}, "url": "http://a//b"}
    assert loads_jsonc("{ not json") is None
