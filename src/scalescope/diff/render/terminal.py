"""Terminal view of a diff: plain text, every line within ``width`` columns (80 by default)."""

from __future__ import annotations

from collections.abc import Sequence

from scalescope.diff.compare import BY_LOCATION, Change, Match, ReportDiff
from scalescope.diff.inputs import Item
from scalescope.diff.render._numbers import delta, side, value

_SEV = 8  # "critical"
_RULE = 13  # "SC-CACHE-008"
_ARROW = 15  # "critical→medium"
_NAME = 28
_NUM = 12
_DELTA = 16


def _fit(text: str, n: int) -> str:
    return text if len(text) <= n else text[: max(n - 1, 0)] + "…"


def _fit_left(text: str, n: int) -> str:
    return text if len(text) <= n else "…" + text[-(n - 1) :]


def _head(label: str, items: Sequence[object]) -> str:
    return f"{label} ({len(items)})"


def _finding(item: Item, width: int, sev: str | None = None) -> list[str]:
    indent = 2 + _SEV + 1 + _RULE + 1
    lead = f"  {(sev or item.severity):<{_SEV}} {item.rule:<{_RULE}} "
    where = _fit_left(item.location, width - indent)
    detail = " ".join(item.message.split())
    if detail and width - indent - len(where) > 12:
        where += "  " + _fit(detail, width - indent - len(where) - 2)
    return [lead + _fit(item.title or item.rule_name, width - len(lead)), " " * indent + where]


def _severity_change(m: Match, width: int) -> list[str]:
    arrow = f"{m.old.severity}→{m.new.severity}"
    lead = f"  {arrow:<{_ARROW}} {m.new.rule:<{_RULE}} "
    indent = len(lead)
    moved = f" (was {m.old.location})" if m.old.location != m.new.location else ""
    return [
        lead + _fit(m.new.title, width - indent),
        " " * indent + _fit_left(m.new.location + moved, width - indent),
    ]


def _change_row(change: Change, width: int, name: str | None = None) -> list[str]:
    label = name if name is not None else change.name
    numbers = (
        f"{value(change.old, change.unit):>{_NUM}} {value(change.new, change.unit):>{_NUM}} "
        f"{delta(change):>{_DELTA}} {change.direction}"
    )
    if len(label) <= _NAME:
        return [_fit(f"  {label:<{_NAME}} {numbers}", width)]
    return [_fit(f"  {label}", width), _fit(f"  {'':<{_NAME}} {numbers}", width)]


def render(diff: ReportDiff, width: int = 80) -> str:
    out: list[str] = [
        "scalescope diff",
        _fit(f"  old: {side(diff.old)}", width),
        _fit(f"  new: {side(diff.new)}", width),
        "",
    ]
    changed = diff.severity_changed
    out.append(
        _fit(
            f"Findings: {len(diff.new_findings)} new · {len(diff.fixed)} fixed · "
            f"{len(changed)} severity changed · {len(diff.unchanged)} unchanged",
            width,
        )
    )
    moved = diff.moved
    if moved:
        out.append(
            _fit(f"  ({len(moved)} matched by {BY_LOCATION}: same problem, edited line; see below)", width)
        )
    out.append("")
    out.append(_head("New", diff.new_findings))
    for item in diff.new_findings:
        out += _finding(item, width)
    out += ["", _head("Fixed", diff.fixed)]
    for item in diff.fixed:
        out += _finding(item, width)
    if changed:
        out += ["", _head("Severity changed", changed)]
        for m in changed:
            out += _severity_change(m, width)
    if moved:
        out += ["", _head(f"Matched by {BY_LOCATION}", moved)]
        for m in moved:
            lead = f"  {m.new.rule:<{_RULE}} "
            out.append(_fit_left(f"{lead}{m.old.location} → {m.new.location}", width))

    if diff.audits:
        header = f"  {'':<{_NAME}} {'old':>{_NUM}} {'new':>{_NUM}} {'change':>{_DELTA}}"
        out += ["", "Capacity" + header[len("Capacity") :]]
        for change in diff.capacity:
            out += _change_row(change, width)
        if diff.limiting is not None:
            old_lim, new_lim = diff.limiting
            out.append(_fit(f"  {'limiting':<{_NAME}} {old_lim or 'n/a'} → {new_lim or 'n/a'}", width))
        out += ["", "Latency"]
        for change in diff.latency:
            out += _change_row(change, width)
        if diff.endpoints or diff.endpoints_only_old or diff.endpoints_only_new:
            out.append("  warm p95 per endpoint:")
            for ep in diff.endpoints:
                out += _change_row(ep.warm_p95, width, name=f"  {ep.endpoint}")
            for label, names in (
                ("only in old", diff.endpoints_only_old),
                ("only in new", diff.endpoints_only_new),
            ):
                if names:
                    out.append(_fit(f"    {label}: {', '.join(names)}", width))
    if diff.notes:
        out += ["", "Notes"]
        for note in diff.notes:
            out += _wrap(f"- {note}", width, indent="    ", first="  ")
    return "\n".join(out) + "\n"


def _wrap(text: str, width: int, indent: str, first: str) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=indent) or [first]
