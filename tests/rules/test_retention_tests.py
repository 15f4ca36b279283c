"""SC-DB-015 judges a table by what the application does with its rows: reads and updates in
test code (scanned with ``--include-tests``) are not the application's, as deletes in tests
were never counted as retention."""

from __future__ import annotations

import shutil
from pathlib import Path

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules

FIXTURE = Path(__file__).parent / "database" / "table_without_retention" / "python" / "django_app"

TEST_FILE = """from tracker.models import RequestAudit


def test_audit_row_is_kept(client):
    client.get("/search/")
    row = RequestAudit.objects.get(pk=1)
    row.path = "/other/"
    row.save()
    assert RequestAudit.objects.filter(path="/other/").exists()
"""


def _audit_finding(root: Path, include_tests: bool) -> tuple[str, str]:
    rules = [r for r in all_rules() if r.meta.id == "SC-DB-015"]
    config = ScanConfig(min_confidence="low", calibrated=False, include_tests=include_tests)
    report = scan(root, config, rules=rules, jobs=1)
    (found,) = [f for f in report.findings if f.file == "tracker/middleware.py"]
    return found.confidence, found.message


def test_reads_and_updates_in_tests_do_not_make_a_log_table_read(tmp_path: Path) -> None:
    root = tmp_path / "app"
    shutil.copytree(FIXTURE, root)
    (root / "tracker" / "tests").mkdir()
    (root / "tracker" / "tests" / "__init__.py").write_text("")
    (root / "tracker" / "tests" / "test_audit.py").write_text(TEST_FILE)
    without = _audit_finding(root, include_tests=False)
    assert without[0] == "medium"
    assert "the application never reads it" in without[1]
    assert _audit_finding(root, include_tests=True) == without
