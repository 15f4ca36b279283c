"""Which tables grow: tables classified from who inserts into them (model/growth.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.model.growth import CATALOG, GROWS, GROWS_WITH_TIME, UNKNOWN, model_role
from scalescope.model.project import ProjectModel
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import build_project

FIXTURES = Path(__file__).parent / "fixtures"


def _model(name: str) -> ProjectModel:
    model, _, _ = build_project(FIXTURES / name, ScanConfig(), jobs=1)
    return model


@pytest.fixture(scope="module")
def node() -> ProjectModel:
    return _model("growth_node")


@pytest.fixture(scope="module")
def django() -> ProjectModel:
    return _model("growth_django")


def test_a_table_written_only_by_a_seed_and_admin_routes_is_a_catalog(node: ProjectModel) -> None:
    plan = node.growth.of("plan")
    assert plan.kind == CATALOG and plan.catalog
    assert {(w.kind, w.role) for w in plan.writers} == {("tooling", "seed script"), ("admin", "")}
    assert plan.sentence() == (
        "`Plan` is written only by the seed script prisma/seed.ts and admin routes (POST /admin/plans, "
        "PUT /plans/:id): a catalog table, small by construction."
    )
    # the same table by its model name, table name or another spelling of the model
    assert node.growth.of("Plan") == plan


def test_a_table_inserted_by_a_user_route_grows_with_that_route(node: ProjectModel) -> None:
    order = node.growth.of("order")
    assert order.kind == GROWS and not order.catalog
    assert [(w.loc.file, w.loc.line) for w in order.drivers] == [("src/app.ts", 24)]
    assert order.sentence() == "`Order` grows with every POST /orders (insert at src/app.ts:24)."


def test_a_table_inserted_by_a_queue_worker_grows_with_time(node: ProjectModel) -> None:
    event = node.growth.of("event")
    assert event.kind == GROWS_WITH_TIME
    assert event.sentence() == "`Event` grows with time: a background job inserts into it (src/worker.ts:9)."


def test_a_table_nothing_inserts_into_is_unknown(node: ProjectModel) -> None:
    note = node.growth.of("note")
    assert note.kind == UNKNOWN and note.sentence() == "" and not note.catalog
    assert node.growth.of(None).kind == UNKNOWN


def test_django_staff_view_and_management_command_make_a_catalog(django: ProjectModel) -> None:
    plan = django.growth.of("Plan")
    assert plan.kind == CATALOG
    assert "the CLI script shop/management/commands/load_plans.py" in plan.sentence()
    assert "an admin route (ANY /plans/add/)" in plan.sentence()


def test_django_user_view_grows_and_celery_task_grows_with_time(django: ProjectModel) -> None:
    assert django.growth.of("Order").kind == GROWS
    event = django.growth.of("Event")
    assert event.kind == GROWS_WITH_TIME
    assert [(w.loc.file, w.loc.line) for w in event.drivers] == [("shop/tasks.py", 8)]


def test_a_user_route_beside_a_seed_makes_the_table_grow(tmp_path: Path) -> None:
    """One user-facing insert is enough: seeds and admin routes do not make a catalog then."""
    root = tmp_path / "app"
    for rel in ("prisma/schema.prisma", "prisma/seed.ts", "src/db.ts", "src/auth.ts", "src/app.ts"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text((FIXTURES / "growth_node" / rel).read_text())
    app = root / "src/app.ts"
    app.write_text(app.read_text().replace('app.post("/admin/plans"', 'app.post("/plans"'))
    model, _, _ = build_project(root, ScanConfig(), jobs=1)
    plan = model.growth.of("plan")
    assert plan.kind == GROWS
    assert plan.sentence().startswith("`Plan` grows with every POST /plans ")


ROLE_FILES = {
    "prisma/seed.ts": "seed script",
    "db/seeds/plans.js": "seed script",
    "migrations/0002_plans.py": "migration",
    "shop/management/commands/load.py": "CLI script",
    "scripts/backfill.ts": "CLI script",
    "src/routes/seedling.ts": None,
    "db/seed_data.py": "seed script",
    "src/latest_prices.py": None,
    "src/orders.ts": None,
}


def test_writer_roles_come_from_the_model(tmp_path: Path) -> None:
    for rel in ROLE_FILES:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x = 1\n" if rel.endswith(".py") else "export const x = 1;\n")
    model, _, _ = build_project(tmp_path, ScanConfig(), jobs=1)
    role_of = model_role(model)
    assert {rel: role_of(rel) for rel in ROLE_FILES} == ROLE_FILES


def test_a_save_on_a_request_path_proves_no_growth(tmp_path: Path) -> None:
    """TypeORM ``save`` inserts or updates: run by a PATCH route it neither makes the table grow
    nor leaves it a catalog."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src/tag.entity.ts").write_text(
        'import { Entity, PrimaryGeneratedColumn, Column } from "typeorm";\n\n@Entity()\n'
        "export class Tag {\n  @PrimaryGeneratedColumn()\n  id: number;\n\n  @Column()\n  name: string;\n}\n"
    )
    (tmp_path / "src/app.ts").write_text(
        'import express from "express";\nimport { AppDataSource } from "./data-source";\n'
        'import { Tag } from "./tag.entity";\n\nconst app = express();\n\n'
        'app.patch("/tags/:id", async (req, res) => {\n'
        "  const tag = await AppDataSource.getRepository(Tag).findOneBy({ id: Number(req.params.id) });\n"
        "  tag.name = req.body.name;\n"
        "  res.json(await AppDataSource.getRepository(Tag).save(tag));\n});\n"
    )
    model, _, _ = build_project(tmp_path, ScanConfig(), jobs=1)
    tag = model.growth.of("Tag")
    assert [w.kind for w in tag.writers] == ["unknown"]
    assert tag.kind == UNKNOWN and tag.sentence() == ""


def test_rows_inserted_by_an_sql_migration_make_a_catalog(tmp_path: Path) -> None:
    (tmp_path / "db/migrations").mkdir(parents=True)
    (tmp_path / "db/migrations/001_plans.sql").write_text(
        "CREATE TABLE plans (id serial primary key, name text);\n"
        "INSERT INTO plans (name) VALUES ('free'), ('pro');\n"
        "CREATE TABLE orders (id serial primary key, plan_id int);\n"
    )
    model, _, _ = build_project(tmp_path, ScanConfig(), jobs=1)
    plans = model.growth.of("plans")
    assert plans.kind == CATALOG
    assert plans.sentence() == (
        "`plans` is written only by the migration db/migrations/001_plans.sql: a catalog table, "
        "small by construction."
    )
    assert model.growth.of("orders").kind == UNKNOWN
