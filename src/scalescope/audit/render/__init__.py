"""Audit renderers: one per format, each ``render(report) -> str``; they format, never compute."""

from __future__ import annotations

import importlib

from scalescope.audit.report import AuditReport

FORMATS = ("terminal", "md", "html", "json")
_MODULES = {"terminal": "terminal", "md": "markdown", "html": "html", "json": "json"}
EXTENSIONS = {"terminal": "txt", "md": "md", "html": "html", "json": "json"}


def render(report: AuditReport, fmt: str, width: int = 100, color: bool = False) -> str:
    module = importlib.import_module(f"scalescope.audit.render.{_MODULES[fmt]}")
    out = module.render(report, width=width, color=color)
    assert isinstance(out, str)
    return out
