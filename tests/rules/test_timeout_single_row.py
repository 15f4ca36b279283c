"""SC-DB-002 on a client whose every query reads or writes one row (issue 8, item 8: what the
code already does).

A store whose code only gets rows by key, creates and deletes single objects has no query that
can run long but a lock wait: the missing statement timeout is low, saying so. One list query,
count, sort, search or hand-written SQL beside them keeps the finding at its confidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules

RULE = next(r for r in all_rules() if r.meta.id == "SC-DB-002")

_DB = """import os

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

engine = create_engine(os.environ["DATABASE_URL"], pool_size=5, max_overflow=5, pool_timeout=10)
Session = sessionmaker(bind=engine)
"""

_STORE = """from app.db import Session
from app.models import Payment, Request


def find_request(record_hash):
    with Session() as session:
        return session.query(Request).filter_by(record_hash=record_hash).first()


def get_payment(payment_id):
    with Session() as session:
        return session.get(Payment, payment_id)


def get_request(request_id):
    with Session() as session:
        return session.get(Request, request_id)


def save_payment(payment):
    with Session() as session:
        session.add(payment)
        session.commit()
{extra}
"""

_LIST = """

def open_requests(status):
    with Session() as session:
        return session.query(Request).filter_by(status=status).all()
"""

_ROUTES = """from flask import Flask

from app.store import find_request, get_payment{more}

app = Flask(__name__)


@app.get("/requests/<h>")
def show(h):
    return str(find_request(h))


@app.get("/payments/<int:pid>")
def payment(pid):
    return str(get_payment(pid))
"""


@pytest.mark.parametrize(("extra", "single_row"), [("", True), (_LIST, False)])
def test_a_store_of_single_row_queries_is_low(tmp_path: Path, extra: str, single_row: bool) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "requirements.txt").write_text("flask\nsqlalchemy\npsycopg2-binary\ngunicorn\n")
    (tmp_path / "Procfile").write_text("web: gunicorn app.main:app --workers 3\n")
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "db.py").write_text(_DB)
    (tmp_path / "app" / "models.py").write_text("class Request: ...\n\n\nclass Payment: ...\n")
    (tmp_path / "app" / "store.py").write_text(_STORE.format(extra=extra))
    (tmp_path / "app" / "main.py").write_text(_ROUTES.format(more=", open_requests" if extra else ""))
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    (finding,) = report.findings
    assert (finding.confidence == "low") is single_row, finding.message
    assert ("reads or writes a single row by equality" in finding.message) is single_row


_DJANGO_SETTINGS = (
    "import os\n\nINSTALLED_APPS = [\n    'django.contrib.auth',\n    'django.contrib.sessions',\n"
    "    {apps}\n]\n\nDATABASES = {{\n    'default': {{\n"
    "        'ENGINE': 'django.db.backends.postgresql',\n        'HOST': os.environ['DB_HOST'],\n"
    "    }},\n}}\n"
)
_WSGI = "from django.core.wsgi import get_wsgi_application\n\napplication = get_wsgi_application()\n"
_DECLARATION = (
    "from django.db import models\n\n\nclass Declaration(models.Model):\n"
    "    number = models.CharField(max_length=20)\n"
)


@pytest.mark.parametrize(
    ("variant", "low"),
    [
        ("front end", True),
        # the front end's own app declares a model
        ("own model", False),
        # the front end lists the API's app (with models) in INSTALLED_APPS
        ("installs the api app", False),
        # ... or a reusable app of the repository, in a src layout (``src/tickets/models.py``)
        ("installs a src-layout app", False),
        # ... or a library's app, whose tables are unknown (an auth library's are keyed)
        ("installs a library app", False),
        ("installs an auth library", True),
        # the front end runs SQL by hand
        ("raw sql", False),
    ],
)
def test_a_django_project_without_models_of_its_own(tmp_path: Path, variant: str, low: bool) -> None:
    """Two Django projects in one repository: ``api/`` keeps the data (its ``declarations``
    app has models); ``ui/`` shows it through the API's HTTP client and declares no model, so its
    database holds Django's sessions and users, read and written by key: its missing statement
    timeout is low, saying why, while the API's stays. A model of its own, an app with models
    in its ``INSTALLED_APPS`` or SQL it writes by hand keeps its finding at its confidence."""
    files = {
        "api/requirements.txt": "Django>=5.0\npsycopg2-binary\n",
        "api/manage.py": "import os\n",
        "api/project/wsgi.py": _WSGI,
        "api/project/settings.py": _DJANGO_SETTINGS.format(apps="'declarations',"),
        "api/declarations/models.py": _DECLARATION,
        "ui/requirements.txt": "Django>=5.0\npsycopg2-binary\nrequests\n",
        "ui/manage.py": "import os\n",
        "ui/project/wsgi.py": _WSGI,
        "ui/ui/models.py": "from django.db import models  # noqa: F401\n",
        "ui/ui/views.py": "import requests\n\n\ndef declarations(request):\n"
        "    return requests.get('http://api/declarations').json()\n",
    }
    apps = {
        "installs the api app": "'ui', 'declarations',",
        "installs a src-layout app": "'ui', 'tickets',",
        "installs a library app": "'ui', 'corpus_database',",
        "installs an auth library": "'ui', 'django_mitid_auth', 'corsheaders',",
    }
    files["pyproject.toml"] = "[project]\nname = 'tickets'\n"
    files["src/tickets/models.py"] = _DECLARATION
    files["ui/project/settings.py"] = _DJANGO_SETTINGS.format(apps=apps.get(variant, "'ui',"))
    if variant == "own model":
        files["ui/ui/models.py"] = _DECLARATION
    if variant == "raw sql":
        files["ui/ui/views.py"] += (
            "\n\ndef report(request):\n    from django.db import connection\n\n"
            "    with connection.cursor() as cursor:\n"
            "        cursor.execute('SELECT * FROM django_session')\n        return cursor.fetchall()\n"
        )
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    report = scan(tmp_path, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    found = {f.file: f for f in report.findings}
    ui = found["ui/project/settings.py"]
    assert (ui.confidence == "low") is low, ui.message
    assert ("declares no model of its own" in ui.message) is low, ui.message
    api = found["api/project/settings.py"]
    assert api.confidence != "low" and "declares no model" not in api.message, api.message
