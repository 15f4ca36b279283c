"""The audit as one self-contained HTML file: inline CSS and inline SVG charts, no scripts and
no network requests, so it opens offline and renders the same everywhere."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from scalescope.audit import charts
from scalescope.audit.report import AuditReport
from scalescope.audit.summary import key_files, performance_rows, roadmap, scorecard


def render(report: AuditReport, width: int = 100, color: bool = False) -> str:
    env = Environment(
        loader=PackageLoader("scalescope.audit", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = env.get_template("report.html.j2")
    svg = {
        "latency": charts.latency_chart(report.capacity),
        "usl": charts.usl_chart(report.sweep, report.usl),
        "endpoints": charts.endpoints_chart(report.endpoints),
        "data_size": charts.data_size_chart(report.data_sizes),
        "resources": charts.resources_chart(report.resources),
    }
    return template.render(
        r=report,
        scorecard=scorecard(report),
        perf=performance_rows(report),
        roadmap=roadmap(report),
        files=key_files(report),
        top=list(report.prioritised)[:8],
        charts={k: Markup(v) for k, v in svg.items()},
    )
