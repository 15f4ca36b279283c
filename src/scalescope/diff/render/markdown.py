"""Markdown view of a diff (a pull-request comment or a CI summary)."""

from __future__ import annotations

from collections.abc import Sequence

from scalescope.diff.compare import BY_LOCATION, Change, ReportDiff
from scalescope.diff.inputs import Item
from scalescope.diff.render._numbers import delta, side, value


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    return f"`{text}`" if text and "`" not in text else _cell(text)


def _findings(title: str, items: Sequence[Item]) -> list[str]:
    out = [f"### {title} ({len(items)})", ""]
    if not items:
        return [*out, "None.", ""]
    out += ["| severity | rule | finding | where |", "| --- | --- | --- | --- |"]
    for f in items:
        out.append(f"| {f.severity} | {f.rule} | {_cell(f.title)} | {_code(f.location)} |")
    return [*out, ""]


def _changes(changes: Sequence[Change], first: str = "figure") -> list[str]:
    out = [f"| {first} | old | new | change | |", "| --- | ---: | ---: | ---: | --- |"]
    for c in changes:
        out.append(
            f"| {_cell(c.name)} | {value(c.old, c.unit)} | {value(c.new, c.unit)} | "
            f"{delta(c)} | {c.direction} |"
        )
    return out


def render(diff: ReportDiff, width: int = 80) -> str:
    changed = diff.severity_changed
    moved = diff.moved
    out = [
        "# scalescope diff",
        "",
        f"- old: {_cell(side(diff.old))}",
        f"- new: {_cell(side(diff.new))}",
        "",
        f"**{len(diff.new_findings)} new · {len(diff.fixed)} fixed · {len(changed)} severity changed · "
        f"{len(diff.unchanged)} unchanged** findings"
        + (f" ({len(moved)} matched by {BY_LOCATION})" if moved else "")
        + ".",
        "",
        "## Findings",
        "",
    ]
    out += _findings("New", diff.new_findings)
    out += _findings("Fixed", diff.fixed)
    if changed:
        out += [f"### Severity changed ({len(changed)})", ""]
        out += ["| old | new | rule | finding | where |", "| --- | --- | --- | --- | --- |"]
        for m in changed:
            out.append(
                f"| {m.old.severity} | {m.new.severity} | {m.new.rule} | {_cell(m.new.title)} | "
                f"{_code(m.new.location)} |"
            )
        out.append("")
    if moved:
        out += [f"### Matched by {BY_LOCATION} ({len(moved)})", ""]
        out += ["| rule | was | now |", "| --- | --- | --- |"]
        for m in moved:
            out.append(f"| {m.new.rule} | {_code(m.old.location)} | {_code(m.new.location)} |")
        out.append("")
    if diff.audits:
        out += ["## Capacity", "", *_changes(diff.capacity)]
        if diff.limiting is not None:
            old_lim, new_lim = diff.limiting
            out.append(f"| limiting | {old_lim or 'n/a'} | {new_lim or 'n/a'} | | |")
        out += ["", "## Latency", "", *_changes(diff.latency)]
        if diff.endpoints:
            out += [
                "",
                "Warm p95 per endpoint:",
                "",
                *_changes([e.warm_p95 for e in diff.endpoints], "endpoint"),
            ]
        for label, names in (
            ("Only in old", diff.endpoints_only_old),
            ("Only in new", diff.endpoints_only_new),
        ):
            if names:
                out += ["", f"{label}: " + ", ".join(_code(n) for n in names)]
        out.append("")
    if diff.notes:
        out += ["## Notes", "", *(f"- {_cell(n)}" for n in diff.notes), ""]
    return "\n".join(out).rstrip("\n") + "\n"
