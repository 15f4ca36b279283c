"""Recommendations that fit (issue 8, item 10): on each bundled example, every finding's fix
text names only libraries and frameworks that example uses. A snippet for another stack (an
``@nestjs/cache-manager`` module for an Express app, ``django_redis`` for FastAPI, ``prisma
migrate`` for a Drizzle project) is a wrong fix however right the finding is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

#: a name in fix text -> the stack entries (any of them) that make it fit
LIBRARY_WORDS: dict[str, frozenset[str]] = {
    r"@nestjs/|\bCacheModule\b|\bNestJS\b": frozenset({"nestjs"}),
    r"\bcache-manager\b": frozenset({"nestjs", "cache-manager", "@nestjs/cache-manager"}),
    r"\b[Pp]risma\b": frozenset({"prisma"}),
    r"\b[Dd]rizzle\b|\binArray\(": frozenset({"drizzle"}),
    r"\bTypeORM\b|\bRepository\b|\bleftJoinAndSelect\b": frozenset({"typeorm"}),
    r"\bSequelize\b|\bOp\.in\b": frozenset({"sequelize"}),
    r"\b[Kk]nex\b|\bwhereIn\(": frozenset({"knex"}),
    r"\b[Mm]ongoose\b|\bpopulate\(": frozenset({"mongoose"}),
    r"\b[Dd]jango|django_redis|\bselect_related\b|\bprefetch_related\b|\bmakemigrations\b": frozenset(
        {"django"}
    ),
    r"\bSQLAlchemy\b|\bselectinload\b|\bcreate_engine\b|\bAlembic\b": frozenset({"sqlalchemy"}),
    r"Flask-Caching|\bFlask\b": frozenset({"flask"}),
    r"\bnode-redis\b|\bscanIterator\b": frozenset({"node-redis", "ioredis"}),
    r"\b[Uu]pstash\b": frozenset({"@upstash/redis"}),
    r"\bconnect-redis\b": frozenset({"connect-redis"}),
    r"\bBullMQ\b|\bCelery\b|\bRQ\b|\bSidekiq\b": frozenset({"bullmq", "bull", "celery", "rq"}),
}


def _examples() -> list[Path]:
    return sorted(p for p in EXAMPLES.iterdir() if p.is_dir())


@pytest.mark.parametrize("example", _examples(), ids=lambda p: p.name)
def test_fix_text_names_only_libraries_the_example_uses(example: Path) -> None:
    report = scan(example, ScanConfig(min_confidence="low"), jobs=1)
    stack = {name for names in report.stack.values() for name in names}
    wrong = []
    for finding in report.findings:
        text = f"{finding.recommendation}\n{finding.fix_snippet}"
        for pattern, fits in LIBRARY_WORDS.items():
            m = re.search(pattern, text)
            if m and not (fits & stack):
                wrong.append(f"{finding.rule} {finding.file}:{finding.line} names {m.group(0)!r}")
    assert not wrong, "\n".join(wrong)
