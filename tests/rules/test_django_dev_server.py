"""SC-DB-001 on a Django project that only Django's development server serves.

``manage.py runserver`` runs each request in a new thread and a persistent connection belongs
to its thread, so ``CONN_MAX_AGE`` carries nothing over there (Django's documentation: the
development server negates persistent connections). When every deployment command that serves
the project runs ``runserver`` (a Celery worker beside it serves no request), the finding is low
and says the development server serves it; a gunicorn command beside a ``runserver`` one keeps
the medium ``CONN_MAX_AGE`` advice. Each case under ``served/`` is its own project."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules
from tests.rules.annotations import collect

SERVED = Path(__file__).parent / "database" / "unconfigured_connection_pool" / "served"
RULE = next(r for r in all_rules() if r.meta.id == "SC-DB-001")


@pytest.mark.parametrize("case", ["django_runserver", "django_runserver_gunicorn"])
def test_runserver_cases_match_their_annotations(case: str) -> None:
    folder = SERVED / case
    exp = collect(folder, "SC-DB-001")
    report = scan(folder, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    got = {(f.file, f.line): f for f in report.findings if f.rule == "SC-DB-001"}
    assert set(got) == exp.expected
    for place, finding in got.items():
        dev = place in exp.low
        assert finding.confidence == ("low" if dev else "medium"), finding.message
        assert ("the development server serves it" in finding.message) == dev, finding.message
    assert not (exp.ok & set(got))
