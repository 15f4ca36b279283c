"""Constructions that are alternatives of one client are one finding (one cause)."""

from __future__ import annotations

from pathlib import Path

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.database.missing_query_timeout import MissingQueryTimeout

HERE = Path(__file__).parent


def test_fallback_engine_of_one_function_is_a_place_of_one_finding() -> None:
    root = HERE / "database" / "missing_query_timeout" / "python"
    report = scan(root, ScanConfig(min_confidence="low"), rules=[MissingQueryTimeout], jobs=1)
    found = [f for f in report.findings if f.file == "app/splat_pools.py" and "SQLAlchemy" in f.message]
    assert len(found) == 1, [(f.line, f.message) for f in found]
    assert found[0].places == 2
    assert {(p.file, p.line) for p in found[0].other_places} == {("app/splat_pools.py", 54)}


def test_django_alias_in_both_branches_of_settings_is_one_client(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("django\npsycopg[binary]\n", encoding="utf-8")
    (tmp_path / "settings.py").write_text(
        "import os\n\n"
        "if os.environ.get('DATABASE_URL'):\n"
        "    DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'a'}}\n"
        "else:\n"
        "    DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'b'}}\n",
        encoding="utf-8",
    )
    report = scan(tmp_path, ScanConfig(min_confidence="low"), rules=[MissingQueryTimeout], jobs=1)
    assert [(f.line, f.places) for f in report.findings] == [(4, 2)]
