"""A table belongs to the schema that declares it, not to the package that inserts into it.

In ``table_without_retention/monorepo`` an API package inserts audit events through a
repository (``repository.create(AuditEvent(...))``) and an admin package of the same repository
reads them back with ``sql.select(AuditEvent)``. The insert is a write the scan must see (the
repository pattern), and the admin read is a read of the same table (the growth model used to
key tables by the inserting package, so reads from another package never attached and SC-DB-015
said "the application never reads it (a write-only log)")."""

from __future__ import annotations

from pathlib import Path

from scalescope.model.facts import DataAccess
from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import build_project, scan
from scalescope.scan.rules.base import all_rules

ROOT = Path(__file__).parent / "database" / "table_without_retention" / "monorepo"


def test_reads_from_another_package_are_reads_of_the_same_table() -> None:
    model, _, _ = build_project(ROOT, ScanConfig(), jobs=1)
    accesses = [a for a in model.all(DataAccess) if a.model == "AuditEvent"]
    files = {a.loc.file: a for a in accesses}
    write = files["packages/api/api/main.py"]
    read = files["packages/admin/admin/main.py"]
    assert write.kind == "write" and write.operation == "create"
    assert read.kind == "read-many"
    assert model.growth.of(read.model, near=read) is model.growth.of(write.model, near=write)


def test_retention_finding_knows_the_admin_read() -> None:
    rule = next(r for r in all_rules() if r.meta.id == "SC-DB-015")
    report = scan(ROOT, ScanConfig(min_confidence="low", calibrated=False), rules=[rule], jobs=1)
    (finding,) = report.findings
    assert finding.file == "packages/api/api/main.py"
    assert "never reads it" not in finding.message
    assert "read back by their key, only by time" in finding.message
