"""Schema lookups the index rule relies on: indexes created outside the table definition
(migrations) and whether a partial index serves a query; how many values an enum declares."""

from __future__ import annotations

from pathlib import Path

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


SCHEMA = {
    "prisma/schema.prisma": """model Order {
  id         Int     @id
  ref        String?
  providerId Int?
  archivedAt DateTime?
  deletedAt  DateTime?
  status     String
}
""",
    "prisma/migrations/1_indexes/migration.sql": """\
CREATE INDEX "o_ref" ON "Order" ("ref") WHERE "ref" IS NOT NULL;
CREATE INDEX "o_provider" ON "Order" ("providerId") WHERE "deletedAt" IS NULL;
CREATE INDEX "o_archived" ON "Order" ("archivedAt")
  WHERE "archivedAt" IS NOT NULL AND "deletedAt" IS NOT NULL;
CREATE INDEX "o_status" ON "Order" ("status") WHERE "status" = 'open';
CREATE TYPE "Tier" AS ENUM ('free', 'pro', 'team');
""",
}


def test_partial_indexes_serve_only_the_queries_their_predicate_admits(tmp_path: Path) -> None:
    model = _project(tmp_path, SCHEMA)
    (order,) = model.find_tables("Order")
    # without a query, every index counts (as before)
    assert {"ref", "providerid", "archivedat", "status"} <= model.indexed_prefixes(order)
    served = model.indexed_prefixes(order, ["ref", "providerId", "archivedAt", "status"])
    # ref = x implies ref IS NOT NULL; deletedAt IS NULL is the soft-delete scope every
    # query of live rows has; deletedAt IS NOT NULL and status = 'open' admit other rows only
    assert {"ref", "providerid"} <= served
    assert not {"archivedat", "status"} & served
    assert model.enum_members("Tier") == 3 and model.enum_members("tier") == 3
    assert model.enum_members("Nope") == 0 and model.enum_members("") == 0


METHODS = {
    "app/models.py": """from django.contrib.postgres.indexes import BrinIndex, GinIndex, GistIndex, HashIndex
from django.db import models


class Visit(models.Model):
    page = models.CharField(max_length=200)
    code = models.CharField(max_length=20)
    seen_at = models.DateTimeField()
    note = models.TextField()
    host = models.CharField(max_length=100)

    class Meta:
        indexes = [
            GistIndex(fields=["page"], name="v_page"),
            HashIndex(fields=["code"], name="v_code"),
            BrinIndex(fields=["seen_at"], name="v_seen"),
            GinIndex(fields=["note"], name="v_note", opclasses=["gin_trgm_ops"]),
        ]
""",
    "app/migrations/0002_host.py": """import django.contrib.postgres.indexes
from django.db import migrations


class Migration(migrations.Migration):
    operations = [
        migrations.AddIndex(
            model_name="visit",
            index=django.contrib.postgres.indexes.HashIndex(fields=["host"], name="v_host"),
        ),
    ]
""",
    "app/migrations/__init__.py": "",
}


def test_indexes_serve_what_their_method_allows(tmp_path: Path) -> None:
    model = _project(tmp_path, METHODS)
    (visit,) = model.find_tables("Visit")
    every = model.indexed_prefixes(visit)
    assert {"page", "code", "seen_at", "note", "host"} <= every  # any index, whatever its method
    assert {"page", "code", "note", "host"} <= model.indexed_prefixes(visit, use="equality")
    assert "seen_at" not in model.indexed_prefixes(visit, use="equality")
    assert {"page", "seen_at"} <= model.indexed_prefixes(visit, use="range")
    assert not {"code", "note", "host"} & model.indexed_prefixes(visit, use="range")
    assert not {"page", "code", "seen_at", "note", "host"} & model.indexed_prefixes(visit, use="sort")
