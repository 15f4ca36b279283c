"""HTML report: severity colours, a table of contents whose links resolve, and nothing fetched
from the network (the page works offline)."""

from __future__ import annotations

import re

from scalescope.report.model import ScanReport
from scalescope.report.render import RenderOptions, html


def test_severity_and_status_colours(rich_report: ScanReport, options: RenderOptions) -> None:
    out = html.render(rich_report, options)
    for severity in ("critical", "high", "medium", "low", "info"):
        assert f'<strong class="sev sev-{severity}">' in out
        assert f".sev-{severity}" in out  # styled
    assert '<strong class="status status-red">RED</strong>' in out
    assert '<strong class="status status-green">green</strong>' in out


def test_contents_and_every_anchor_resolves(rich_report: ScanReport, options: RenderOptions) -> None:
    out = html.render(rich_report, options)
    assert re.search(r'<nav class="toc"><strong>Contents:</strong> <a href="#verdict">', out)
    ids = set(re.findall(r' id="([^"]+)"', out))
    hrefs = set(re.findall(r'href="#([^"]+)"', out))
    assert {"verdict", "scorecard", "what-to-fix-first", "findings", "methodology"} <= ids
    assert len([i for i in ids if re.match(r"f\d+--", i)]) == len(rich_report.findings)
    assert hrefs and hrefs <= ids


def test_offline_no_external_resources(rich_report: ScanReport) -> None:
    base = "https://github.com/org/repo/blob/0123abc"
    out = html.render(rich_report, RenderOptions(version="0.1.0", link_base=base))
    assert f'href="{base}/src/app.ts#L14"' in out  # links to the code are plain links
    for fetch in ("<script", "<link", "<img", "<iframe", " src=", "@import", "url("):
        assert fetch not in out
