"""Probe check metadata, the check base class, hits, and the registry.

A probe check is a rule over a server's numbers instead of over code. It has the same shape as
a scan rule (``scan/rules/base.py``): validated frozen metadata, a class docstring that is its
documentation (*What it finds*, *Why it matters at scale*, *Use instead*; optional *Example*,
*Known problems*, *References*), and a ``check`` that reads facts (a server snapshot) and yields
hits. The probe turns hits into :class:`~scalescope.report.model.Finding` objects so every
renderer, and ``--format json``, shows them like scan findings.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import ClassVar, Generic, TypeVar

from scalescope.redact import redact
from scalescope.report.model import Finding, RuleInfo, check_metadata
from scalescope.scan.rules.base import parse_docs

from .settings import ProbeSettings

REQUIRED_SECTIONS = ("What it finds", "Why it matters at scale", "Use instead")
SERVERS = {"PG": "postgres", "REDIS": "redis"}
_ID = re.compile(r"^SC-(PG|REDIS)-(\d{3})$")
EXCERPT_CHARS = 600

S = TypeVar("S")


@dataclass(frozen=True, slots=True)
class ProbeMeta:
    """Validated metadata of a probe check (``SC-PG-NNN`` / ``SC-REDIS-NNN``)."""

    id: str
    name: str
    category: str
    severity: str
    title: str
    effort: str
    confidence: str
    impact: str
    references: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise ValueError(f"probe check id {self.id!r} is not SC-PG-NNN or SC-REDIS-NNN")
        check_metadata(self.id, self.name, self.category, self.severity, self.effort, self.confidence)

    @property
    def server(self) -> str:
        m = _ID.match(self.id)
        assert m is not None
        return SERVERS[m.group(1)]


@dataclass(frozen=True, slots=True)
class ProbeHit:
    """What a check reports. ``subject`` names the object (a table, a setting, a key pattern)
    and keys the fingerprint; ``evidence`` is the server's own numbers, shown as the excerpt."""

    subject: str
    message: str
    recommendation: str
    evidence: str = ""
    severity: str | None = None
    confidence: str | None = None
    fix_snippet: str = ""
    fix_language: str = ""


class ProbeCheck(Generic[S]):
    """Base class of probe checks over a snapshot of type ``S``."""

    meta: ClassVar[ProbeMeta]
    # a finding only ``crosscheck.py`` makes (it needs the scan's facts): not run over a snapshot
    cross_check_only: ClassVar[bool] = False

    def check(self, snap: S, settings: ProbeSettings) -> Iterable[ProbeHit]:
        raise NotImplementedError

    @classmethod
    def docs(cls) -> dict[str, str]:
        return parse_docs(inspect.getdoc(cls) or "")

    @classmethod
    def info(cls) -> RuleInfo:
        doc = inspect.getdoc(cls) or ""
        return RuleInfo(
            id=cls.meta.id,
            name=cls.meta.name,
            category=cls.meta.category,
            severity=cls.meta.severity,
            title=cls.meta.title,
            summary=parse_docs(doc).get("What it finds", "").split("\n\n")[0].strip(),
            help_markdown=doc,
            effort=cls.meta.effort,
            confidence=cls.meta.confidence,
            references=cls.meta.references,
        )


def fingerprint(rule: str, label: str, subject: str) -> str:
    return hashlib.sha256(f"{rule}|{label}|{subject}".encode()).hexdigest()[:16]


def to_finding(meta: ProbeMeta, hit: ProbeHit, label: str) -> Finding:
    """A hit as a report finding located at the server (``label``), secrets redacted."""
    excerpt = redact(hit.evidence.strip())
    if len(excerpt) > EXCERPT_CHARS:
        excerpt = excerpt[:EXCERPT_CHARS].rstrip() + " …"
    return Finding(
        rule=meta.id,
        rule_name=meta.name,
        category=meta.category,
        severity=hit.severity or meta.severity,
        title=meta.title,
        message=redact(hit.message),
        file=label,
        line=0,
        end_line=0,
        excerpt=excerpt,
        recommendation=redact(hit.recommendation),
        effort=meta.effort,
        confidence=hit.confidence or meta.confidence,
        fingerprint=fingerprint(meta.id, label, hit.subject),
        impact=meta.impact,
        fix_snippet=hit.fix_snippet,
        fix_language=hit.fix_language,
    )


@cache
def all_checks() -> tuple[type[ProbeCheck[object]], ...]:
    """Every probe check class (modules named ``checks*`` under ``scalescope.probe``), by id."""
    import scalescope.probe as pkg

    found: dict[str, type[ProbeCheck[object]]] = {}
    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
        if not info.name.rsplit(".", 1)[-1].startswith("checks"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, ProbeCheck)
                and value.__module__ == module.__name__
                and "meta" in vars(value)
            ):
                check_id = value.meta.id
                if check_id in found and found[check_id] is not value:
                    raise ValueError(f"duplicate probe check id {check_id}")
                found[check_id] = value
    return tuple(found[k] for k in sorted(found))


def checks_for(server: str) -> tuple[type[ProbeCheck[object]], ...]:
    """The checks a probe of ``server`` runs over its snapshot (cross-check-only ones excluded)."""
    return tuple(c for c in all_checks() if c.meta.server == server and not c.cross_check_only)


def check_by_id(check_id: str) -> type[ProbeCheck[object]] | None:
    wanted = check_id.upper()
    for c in all_checks():
        if c.meta.id == wanted or c.meta.name == check_id.lower():
            return c
    return None
