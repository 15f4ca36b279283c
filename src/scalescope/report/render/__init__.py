"""Renderers: one module per format, each ``render(report, options) -> str``.

Renderers format; they never compute. Clock, version, root and width are injected through
:class:`RenderOptions` so output is deterministic (golden-file tests rely on it).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from scalescope.report.model import ScanReport

FORMATS = ("terminal", "md", "html", "json", "sarif")
_MODULES = {
    "terminal": "terminal",
    "md": "markdown",
    "markdown": "markdown",
    "html": "html",
    "json": "json",
    "sarif": "sarif",
}


@dataclass(frozen=True, slots=True)
class RenderOptions:
    version: str = "0.0.0"
    generated_at: str = ""  # ISO timestamp, empty = omit
    width: int = 100
    color: bool = False
    show_duration: bool = True
    # SARIF: the scanned root's path under the SARIF root (e.g. "services/api" when a monorepo
    # subfolder is scanned), so code scanning resolves files from the repository root
    path_prefix: str = ""
    # how the user named the scanned path, for hints that paste as commands
    command_path: str = ""
    # Markdown/HTML links to the code: ``link_base`` (a URL such as
    # ``https://github.com/org/repo/blob/<commit>``) gives ``URL/path#L12``; without it links are
    # relative, ``link_prefix`` being the scanned root as seen from the report's folder ("" when
    # the report sits in the scanned root)
    link_base: str = ""
    link_prefix: str = ""


def render(report: ScanReport, fmt: str, options: RenderOptions) -> str:
    """Render ``report`` in ``fmt`` (one of :data:`FORMATS`)."""
    module = importlib.import_module(f"scalescope.report.render.{_MODULES[fmt]}")
    out = module.render(report, options)
    assert isinstance(out, str)
    return out
