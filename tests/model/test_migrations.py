"""The schema committed migrations build (model/migrations.py): steps replayed in order, drops
applied only in the second replay, renames followed, Alembic revisions ordered by their chain,
and which history a schema declaration is compared to."""

# ruff: noqa: E501  (fixture source lines are kept as written)

from __future__ import annotations

from pathlib import Path

from scalescope.model.migrations import SchemaHistory, natural_key, norm
from scalescope.model.project import ProjectModel
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import build_project


def _project(root: Path, files: dict[str, str]) -> ProjectModel:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    model, _, _ = build_project(root, ScanConfig(), jobs=1)
    return model


def _indexes(history: SchemaHistory, table: str, final: bool) -> set[tuple[tuple[str, ...], bool]]:
    return {(i.columns, i.unique) for _, state in history.table([table], final=final) for i in state.indexes}


def test_names_compare_across_quoting_and_case() -> None:
    assert norm('"created_at"') == norm("createdAt") == "createdat"
    assert sorted(["m/10_b.sql", "m/9_a.sql", "m/100_c.sql"], key=natural_key) == [
        "m/9_a.sql",
        "m/10_b.sql",
        "m/100_c.sql",
    ]


PRISMA = {
    "package.json": '{"name": "app", "main": "src/index.js", "dependencies": {"@prisma/client": "5"}}',
    "src/index.js": "require('@prisma/client');\n",
    "prisma/schema.prisma": "model User {\n  id Int @id\n  email String @unique\n  name String\n}\n",
    "prisma/migrations/20240101000000_init/migration.sql": (
        'CREATE TABLE "User" ("id" SERIAL NOT NULL, "email" TEXT NOT NULL, "nick" TEXT NOT NULL,\n'
        '  CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\n'
        'CREATE UNIQUE INDEX "User_email_key" ON "User"("email");\n'
        'CREATE INDEX "User_nick_idx" ON "User"("nick");\n'
    ),
    "prisma/migrations/20240201000000_rename/migration.sql": (
        'ALTER TABLE "User" RENAME COLUMN "nick" TO "name";\nDROP INDEX "User_email_key";\n'
    ),
    "prisma/migrations/20240301000000_again/migration.sql": 'CREATE UNIQUE INDEX "User_email_key" ON "User"("email");\n',
    "prisma/migrations/20240401000000_drop/migration.sql": 'DROP INDEX "User_name_idx";\nALTER INDEX "User_nick_idx" RENAME TO "User_name_idx";\n',
}


def test_replay_follows_renames_and_applies_drops_in_order(tmp_path: Path) -> None:
    model = _project(tmp_path, PRISMA)
    history = model.migrations.for_declaration("prisma/schema.prisma")
    assert history is not None and history.ordered
    assert len(history.files) == 4
    ((_, user),) = history.table(["User"])
    assert user.created and user.columns == {"id", "email", "name"}  # "nick" renamed
    # what the migrations ever create: the renamed column's index follows it
    assert ((("name",), False)) in _indexes(history, "User", final=False)
    # what they leave: the email key dropped and created again; the name index renamed after a
    # drop of that name that found nothing, so it stays
    assert _indexes(history, "User", final=True) == {(("id",), True), (("email",), True), (("name",), False)}


def test_drop_after_the_last_creation_is_recorded(tmp_path: Path) -> None:
    files = dict(PRISMA)
    files["prisma/migrations/20240501000000_slim/migration.sql"] = 'DROP INDEX "User_name_idx";\n'
    history = _project(tmp_path, files).migrations.for_declaration("prisma/schema.prisma")
    assert history is not None
    assert (("name",), False) not in _indexes(history, "User", final=True)
    dropped = [d for d in history.final.dropped if d.index.columns == ("name",)]
    assert dropped[-1].by.file.endswith("20240501000000_slim/migration.sql")


ALEMBIC = {
    "requirements.txt": "sqlalchemy\nalembic\n",
    "app/models.py": "from sqlalchemy import Column, Integer, String\n\n\nclass A(Base):\n    __tablename__ = 'a'\n    id = Column(Integer, primary_key=True)\n    x = Column(String, index=True)\n",
    # the revision that drops the index sorts first by name, last by its down_revision chain
    "alembic/versions/ff01_create.py": (
        "from alembic import op\nimport sqlalchemy as sa\nrevision = 'ff01'\ndown_revision = None\n\n"
        "def upgrade():\n    op.create_table('a', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('x', sa.String()))\n"
        "    op.create_index('ix_a_x', 'a', ['x'])\n"
    ),
    "alembic/versions/0a02_drop.py": (
        "from alembic import op\nrevision = '0a02'\ndown_revision = 'ff01'\n\n"
        "def upgrade():\n    op.drop_index('ix_a_x', table_name='a')\n\n"
        "def downgrade():\n    op.create_index('ix_a_x', 'a', ['x'])\n"
    ),
}


def test_alembic_revisions_replay_in_chain_order(tmp_path: Path) -> None:
    history = _project(tmp_path, ALEMBIC).migrations.for_declaration("app/models.py")
    assert history is not None and history.ordered
    assert (("x",), False) in _indexes(history, "a", final=False)
    assert (("x",), False) not in _indexes(history, "a", final=True)


def test_a_declaration_is_compared_to_the_closest_migrations(tmp_path: Path) -> None:
    files = {
        "package.json": '{"name": "db", "main": "index.js", "dependencies": {"@prisma/client": "5"}}',
        "index.js": "module.exports = {};\n",
        "prisma/pg/schema.prisma": "model T {\n  id Int @id\n}\n",
        "prisma/pg/migrations/1_init/migration.sql": 'CREATE TABLE "T" ("id" INTEGER PRIMARY KEY);\n',
        "prisma/lite/schema.prisma": "model T {\n  id Int @id\n}\n",
        "prisma/lite/migrations/1_init/migration.sql": 'CREATE TABLE "T" ("id" INTEGER PRIMARY KEY, "x" TEXT);\n',
    }
    migrations = _project(tmp_path, files).migrations
    pg = migrations.for_declaration("prisma/pg/schema.prisma")
    lite = migrations.for_declaration("prisma/lite/schema.prisma")
    assert pg is not None and pg.files == ("prisma/pg/migrations/1_init/migration.sql",)
    assert lite is not None and lite.files == ("prisma/lite/migrations/1_init/migration.sql",)


def test_django_histories_are_per_app(tmp_path: Path) -> None:
    create = (
        "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n"
        "    operations = [migrations.CreateModel(name='Item', fields=[('id', models.AutoField(primary_key=True)), "
        "('code', models.CharField(max_length=9, {extra}))])]\n"
    )
    files = {
        "manage.py": "import django\n",
        "shop/models.py": "from django.db import models\n\n\nclass Item(models.Model):\n    code = models.CharField(max_length=9, db_index=True)\n",
        "shop/migrations/0001_initial.py": create.format(extra="db_index=True"),
        "stock/models.py": "from django.db import models\n\n\nclass Item(models.Model):\n    code = models.CharField(max_length=9)\n",
        "stock/migrations/0001_initial.py": create.format(extra="unique=True"),
    }
    migrations = _project(tmp_path, files).migrations
    shop = migrations.for_declaration("shop/models.py", "shop")
    stock = migrations.for_declaration("stock/models.py", "stock")
    assert shop is not None and stock is not None
    assert _indexes(shop, "item", final=True) == {(("code",), False)}
    assert _indexes(stock, "item", final=True) == {(("code",), True)}
