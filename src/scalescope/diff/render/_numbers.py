"""Number formatting shared by the text renderers (the JSON renderer writes raw values)."""

from __future__ import annotations

from scalescope.diff.compare import Change
from scalescope.diff.inputs import ReportSide


def value(amount: float | None, unit: str) -> str:
    if amount is None:
        return "n/a"
    if unit == "users":
        return f"{amount:,.0f}"
    if unit == "ms":
        return f"{amount:,.1f} ms"
    return f"{amount:,.1f} {unit}"  # rates are given to 0.1 req/s in the reports


def delta(change: Change) -> str:
    """``+61 (+41%)``; ``n/a`` when a side is missing."""
    d = change.delta
    if d is None:
        return "n/a"
    text = f"{d:+,.0f}" if change.unit == "users" else f"{d:+,.1f}"
    rel = change.relative
    if rel is not None:
        pct = rel * 100
        text += f" ({pct:+.1f}%)" if abs(pct) < 10 else f" ({pct:+.0f}%)"
    return text


def side(report: ReportSide) -> str:
    target = f" of {report.target}" if report.target else ""
    return f"{report.kind}{target} ({report.source})"
