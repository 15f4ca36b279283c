"""Rule metadata, the Rule base class, hits, documentation parsing and the registry.

A rule's class docstring is its documentation, in Markdown, with the sections *What it finds*,
*Why it matters at scale*, *Example* and *Use instead* (optional: *Known problems*,
*References*). ``scalescope explain`` and the SARIF rule help are generated from it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import ClassVar

from scalescope.model.facts import Loc
from scalescope.model.project import ProjectModel
from scalescope.report.model import SCOPE_EFFORT, SCOPES, Evidence, RuleInfo, check_metadata

CATEGORY_CODES = {
    "database": "DB",
    "caching": "CACHE",
    "rate-limiting": "RATE",
    "async-processing": "ASYNC",
    "horizontal-scaling": "SCALE",
    "availability": "AVAIL",
    "resource-management": "RES",
    "observability": "OBS",
    "security": "SEC",
    "infrastructure": "INFRA",
    "frontend": "FE",
}
REQUIRED_SECTIONS = ("What it finds", "Why it matters at scale", "Example", "Use instead")
_ID = re.compile(r"^SC-([A-Z]+)-(\d{3})$")


@dataclass(frozen=True, slots=True)
class RuleMeta:
    """Validated rule metadata. ``impact`` is the one-line consequence at scale shown in
    reports; ``ecosystems`` are those with fixtures (node, python, infra).

    ``scope`` is the usual real scope of the fix (one of :data:`SCOPES`: one ``setting``, one
    ``line``, ``local`` to one function or file, ``files``, a schema ``migration``, a
    ``redesign``); a hit refines it from what the rule saw (:attr:`Hit.scope`). ``effort`` must
    be the one the scope implies (:data:`SCOPE_EFFORT`); left empty, the scope is derived from
    the effort (``local``, ``files`` or ``redesign``)."""

    id: str
    name: str
    category: str
    severity: str
    title: str
    effort: str
    confidence: str
    impact: str
    ecosystems: tuple[str, ...]
    references: tuple[str, ...] = ()
    scope: str = ""

    def __post_init__(self) -> None:
        if not self.scope:
            default = {"hours": "local", "days": "files", "weeks": "redesign"}.get(self.effort, "")
            object.__setattr__(self, "scope", default)
        m = _ID.match(self.id)
        if not m:
            raise ValueError(f"rule id {self.id!r} is not SC-<CAT>-NNN")
        check_metadata(self.id, self.name, self.category, self.severity, self.effort, self.confidence)
        if CATEGORY_CODES[self.category] != m.group(1):
            raise ValueError(f"{self.id}: id prefix does not match category {self.category}")
        if self.scope not in SCOPES:
            raise ValueError(f"{self.id}: unknown scope {self.scope!r}")
        if SCOPE_EFFORT[self.scope] != self.effort:
            raise ValueError(
                f"{self.id}: effort {self.effort!r} does not match scope {self.scope!r} "
                f"({SCOPE_EFFORT[self.scope]})"
            )
        bad = set(self.ecosystems) - {"node", "python", "infra"}
        if bad or not self.ecosystems:
            raise ValueError(f"{self.id}: bad ecosystems {self.ecosystems!r}")


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule reports; the engine turns it into a :class:`Finding` (excerpt,
    fingerprint, config overrides, suppression, grouping by cause).

    ``cause`` says what one fix repairs: hits of one rule with the same cause become one
    finding whose other places are listed as related. A string names the cause itself (a
    table and column lacking an index, a datasource); a :class:`Loc` names the place of the
    defect when it is not where the hit is (the loop around an N+1 query, the ``KEYS`` call
    in a shared helper); ``None`` (the default) is the hit's own location. The fingerprint
    of the finding is derived from the cause, so it does not change with the choice of the
    primary place. ``place`` is the short note shown for this hit when it is listed as
    another place of its cause (default: the start of the message); ``heat`` ranks places
    of one cause (e.g. how many routes reach it): the hottest becomes the primary place.
    ``scope`` overrides the rule's usual fix scope when this hit's fix is smaller or larger
    (a pool created per request needs code moved, not a setting). ``offside`` is set by the
    engine for a place outside production code (or in code nothing calls).
    """

    loc: Loc
    message: str
    recommendation: str
    severity: str | None = None
    confidence: str | None = None
    fix_snippet: str = ""
    fix_language: str = ""
    related: tuple[Evidence, ...] = ()
    title: str | None = None
    cause: str | Loc | None = None
    place: str = ""
    heat: int = 0
    scope: str | None = None
    # set by the engine (``_liveness.apply_role``): the place is not production code, or code
    # nothing calls; of several places of one cause, a production one is the primary
    offside: bool = False


@dataclass(frozen=True, slots=True)
class RuleContext:
    """Settings a rule may read (from configuration)."""

    options: dict[str, object] = field(default_factory=dict)


class Rule:
    """Base class of every rule. Subclasses set ``meta`` and implement :meth:`check`."""

    meta: ClassVar[RuleMeta]

    def check(self, model: ProjectModel, ctx: RuleContext) -> Iterable[Hit]:
        raise NotImplementedError

    def hit(self, loc: Loc, message: str, recommendation: str, **extra: object) -> Hit:
        return Hit(loc, message, recommendation, **extra)  # type: ignore[arg-type]

    @classmethod
    def docs(cls) -> dict[str, str]:
        return parse_docs(inspect.getdoc(cls) or "")

    @classmethod
    def info(cls) -> RuleInfo:
        doc = inspect.getdoc(cls) or ""
        sections = parse_docs(doc)
        return RuleInfo(
            id=cls.meta.id,
            name=cls.meta.name,
            category=cls.meta.category,
            severity=cls.meta.severity,
            title=cls.meta.title,
            summary=sections.get("What it finds", "").split("\n\n")[0].strip(),
            help_markdown=doc,
            effort=cls.meta.effort,
            confidence=cls.meta.confidence,
            references=cls.meta.references,
        )


def parse_docs(doc: str) -> dict[str, str]:
    """Split a Markdown docstring into ``{section title: body}`` by ``## `` headings."""
    sections: dict[str, str] = {}
    current: str | None = None
    buf: list[str] = []
    for line in doc.splitlines():
        if line.startswith("## "):
            if current is not None:
                sections[current] = "\n".join(buf).strip()
            current = line[3:].strip()
            buf = []
        elif current is not None:
            buf.append(line)
    if current is not None:
        sections[current] = "\n".join(buf).strip()
    return sections


@cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class under ``scalescope.scan.rules``, sorted by id (ids must be unique)."""
    import scalescope.scan.rules as pkg

    found: dict[str, type[Rule]] = {}
    for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
        leaf = info.name.rsplit(".", 1)[-1]
        if leaf.startswith("_") or leaf == "base":
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value is not Rule
                and value.__module__ == module.__name__
                and hasattr(value, "meta")
            ):
                rule_id = value.meta.id
                if rule_id in found and found[rule_id] is not value:
                    raise ValueError(f"duplicate rule id {rule_id}")
                found[rule_id] = value
    return tuple(found[k] for k in sorted(found))


def rule_by_id(rule_id: str) -> type[Rule] | None:
    rule_id = rule_id.upper()
    for rule in all_rules():
        if rule.meta.id == rule_id or rule.meta.name == rule_id.lower():
            return rule
    return None
