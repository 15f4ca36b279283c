"""Stack detection from package.json, requirements, pyproject.toml and Pipfile."""

from __future__ import annotations

from scalescope.model.facts import StackItem
from scalescope.scan.extract.base import extract_file


def _items(path: str, language: str, text: str) -> list[tuple[int, str, str, str]]:
    facts = extract_file(path, language, text).facts
    return [(f.loc.line, f.kind, f.name, f.version) for f in facts if isinstance(f, StackItem)]


def test_package_json() -> None:
    text = """{
  "name": "api",
  "dependencies": {
    "@nestjs/core": "^10.0.0",
    "@prisma/client": "5.0.0",
    "ioredis": "^5",
    "redis": "^4",
    "left-pad": "1.0.0"
  },
  "devDependencies": { "prisma": "5.0.0" }
}"""
    assert _items("package.json", "package-json", text) == [
        (4, "framework", "nestjs", "^10.0.0"),
        (5, "orm", "prisma", "5.0.0"),
        (6, "cache", "ioredis", "^5"),
        (7, "cache", "node-redis", "^4"),
        (10, "orm", "prisma", "5.0.0"),
    ]


def test_invalid_package_json_is_ignored() -> None:
    assert _items("package.json", "package-json", "{ not json") == []


def test_requirements() -> None:
    text = (
        "# deps\nDjango==4.2  # web\npsycopg2-binary>=2.9\ndjango-redis\n"
        "celery[redis]==5.3 ; python_version > '3.8'\n-r base.txt\n"
    )
    assert _items("requirements/prod.txt", "requirements", text) == [
        (2, "framework", "django", "==4.2"),
        (3, "db-driver", "psycopg2", ">=2.9"),
        (4, "cache", "django-redis", ""),
        (5, "queue", "celery", "==5.3"),
    ]


def test_pyproject_and_pipfile() -> None:
    pyproject = """[project]
name = "x"
dependencies = [
  "fastapi>=0.100",
  "SQLAlchemy[asyncio]~=2.0",
]
[tool.poetry.dependencies]
python = "^3.11"
redis = {version = "^5", extras = ["hiredis"]}
"""
    assert _items("pyproject.toml", "toml", pyproject) == [
        (4, "framework", "fastapi", ">=0.100"),
        (5, "orm", "sqlalchemy", "~=2.0"),
        (9, "cache", "redis-py", "^5"),
    ]
    pipfile = '[packages]\nflask = "*"\ngunicorn = "==21"\n[dev-packages]\npytest = "*"\n'
    assert _items("Pipfile", "toml", pipfile) == [
        (2, "framework", "flask", "*"),
        (3, "server", "gunicorn", "==21"),
    ]
    assert _items("config/settings.toml", "toml", "[x]\nflask = 1\n") == []
