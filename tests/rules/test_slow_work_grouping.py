"""SC-DB-008 reports one finding per cause: the same slow call repeated inside one transaction
(password hashing for each of several rows) is one defect with one fix, its places listed."""

from __future__ import annotations

from pathlib import Path

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules

SOURCE = '''from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import Account


@transaction.atomic
def import_accounts(rows):
    first = Account.objects.create(name=rows[0], password=make_password(rows[0]))
    second = Account.objects.create(name=rows[1], password=make_password(rows[1]))
    third = Account.objects.create(name=rows[2], password=make_password(rows[2]))
    return first, second, third
'''


def test_one_finding_for_one_slow_call_repeated_in_a_transaction(tmp_path: Path) -> None:
    (tmp_path / "accounts").mkdir()
    (tmp_path / "accounts" / "importer.py").write_text(SOURCE)
    (tmp_path / "accounts" / "models.py").write_text(
        "from django.db import models\n\n\nclass Account(models.Model):\n"
        "    name = models.CharField(max_length=80)\n"
    )
    rule = next(r for r in all_rules() if r.meta.id == "SC-DB-008")
    report = scan(tmp_path, ScanConfig(min_confidence="low"), rules=[rule], jobs=1)
    findings = [f for f in report.findings if f.rule == "SC-DB-008"]
    assert len(findings) == 1, [(f.line, f.message) for f in findings]
    assert findings[0].places == 3
