"""SC-DB-002 on a Next.js project whose only routes are App Router pages.

A page (``app/**/page.tsx``) registers its route by its path, so a pool a page imports serves
requests, and one that no page (nor any other route file) imports, directly or through other
modules, is a script's or nobody's: low confidence. The ``nextsite`` fixture is also part of
the node fixture tree; scanned alone it is a project with no Express/Nest/tRPC route at all,
where the pages are the only routes."""

from __future__ import annotations

from pathlib import Path

from scalescope.scan.config import ScanConfig
from scalescope.scan.engine import scan
from scalescope.scan.rules.base import all_rules
from tests.rules.annotations import collect

SITE = Path(__file__).parent / "database" / "missing_query_timeout" / "node" / "nextsite"
RULE = next(r for r in all_rules() if r.meta.id == "SC-DB-002")


def test_pages_are_the_routes_of_a_next_project() -> None:
    exp = collect(SITE, RULE.meta.id)
    report = scan(SITE, ScanConfig(min_confidence="low", calibrated=False), rules=[RULE], jobs=1)
    got = {(f.file, f.line): f for f in report.findings if f.rule == RULE.meta.id}
    assert set(got) == exp.expected
    for place, finding in got.items():
        assert (finding.confidence == "low") == (place in exp.low), finding.message
    unused = got[next(iter(exp.low))]
    assert "no file that registers the project's routes imports it" in unused.message
