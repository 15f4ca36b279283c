"""``scalescope diff``: what changed between two scans, two audits, or a scan and an audit.

``inputs`` reads and checks a report, ``compare`` is the pure comparison (findings matched by
fingerprint, then by rule + file + title; capacity and latency figures of two audits) and the
CI gates, ``render/`` formats the result (terminal, md, json), ``cli`` is the command.
"""

from __future__ import annotations

from scalescope.diff.compare import Change, Match, ReportDiff, compare, gate_failures
from scalescope.diff.inputs import DiffInputError, ReportSide, load_side, parse_side
from scalescope.diff.render import FORMATS, render

__all__ = [
    "FORMATS",
    "Change",
    "DiffInputError",
    "Match",
    "ReportDiff",
    "ReportSide",
    "compare",
    "gate_failures",
    "load_side",
    "parse_side",
    "render",
]
