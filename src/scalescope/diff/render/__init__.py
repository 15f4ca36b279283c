"""Diff renderers: one per format, each ``render(diff, width) -> str``; they format, never compute."""

from __future__ import annotations

import importlib

from scalescope.diff.compare import ReportDiff

__all__ = ["FORMATS", "render"]

FORMATS = ("terminal", "md", "json")
_MODULES = {"terminal": "terminal", "md": "markdown", "json": "json"}


def render(diff: ReportDiff, fmt: str, width: int = 80) -> str:
    module = importlib.import_module(f"scalescope.diff.render.{_MODULES[fmt]}")
    out = module.render(diff, width=width)
    assert isinstance(out, str)
    return out
