"""Markdown renderer: a scan report a team reads top to bottom and acts on.

Sections: title, verdict (with the findings to start with), contents, scorecard (a status per
category and why), what to fix first (every finding once, by priority), the findings in that
order (evidence linked to the code, impact specific to the finding, fix, effort from the fix's
real scope), skipped files, notices, methodology.

The order, statuses and verdict come from :mod:`scalescope.report.priority`; this module only
formats them. Findings are numbered F1, F2... in priority order so the tables and sections agree.
Links to the code use ``options.link_base`` (a repository URL with a commit) or are relative
to the report's folder (``options.link_prefix``).
"""

from __future__ import annotations

from collections import Counter

from scalescope.report import priority as prio
from scalescope.report.model import SCOPE_EFFORT, Evidence, Finding, ScanReport
from scalescope.report.render import RenderOptions
from scalescope.report.render._text import (
    category_label,
    code_url,
    counts_phrase,
    duration_text,
    fence_language,
    join_words,
    md_cell,
    md_code,
    md_fence,
    md_inline,
    md_link,
    plural,
    severity_counts,
    slug,
    stack_names,
)

MAX_SKIPPED = 50
MAX_START = 3
SECTIONS = ("Verdict", "Scorecard", "What to fix first", "Findings")


def render(report: ScanReport, options: RenderOptions) -> str:
    """Render ``report`` as GitHub-flavoured Markdown."""
    ordered = prio.by_priority(report.findings)
    ids = {id(f): f"F{i}" for i, f in enumerate(ordered, 1)}
    links = _Links(ordered, ids, options)
    blocks: list[str] = [_title(report, options), _verdict(report, ordered, links)]
    blocks.append(_contents(report, ordered))
    blocks.append(_scorecard(report, ordered, links))
    if ordered:
        blocks.append(_first(ordered, links))
        blocks.append("## Findings")
        blocks.extend(_finding_block(report, f, links) for f in ordered)
    if report.skipped:
        blocks.append(_skipped(report))
    if report.notices:
        blocks.append(_notices(report))
    blocks.append(_methodology(report, options))
    return "\n\n".join(b.rstrip() for b in blocks if b) + "\n"


class _Links:
    """Finding numbers, their anchors, and links to the code."""

    def __init__(self, ordered: list[Finding], ids: dict[int, str], options: RenderOptions) -> None:
        self.ids = ids
        self.options = options

    def fid(self, f: Finding) -> str:
        return self.ids[id(f)]

    def heading(self, f: Finding) -> str:
        return f"{self.fid(f)} \N{MIDDLE DOT} {f.title.replace('`', '')}"

    def ref(self, f: Finding) -> str:
        """``[F1](#f1--title)``."""
        return f"[{self.fid(f)}](#{slug(self.heading(f))})"

    def code(self, file: str, line: int, end_line: int = 0, table: bool = False) -> str:
        where = file if line < 1 else f"{file}:{line}" + (f"-{end_line}" if end_line > line else "")
        url = code_url(file, line, self.options.link_base, self.options.link_prefix)
        return md_link(md_code(where, table=table), url)

    def at(self, f: Finding, table: bool = False) -> str:
        return self.code(f.file, f.line, f.end_line, table)


# ---------------------------------------------------------------------------------- top


def _title(report: ScanReport, options: RenderOptions) -> str:
    meta = f"scalescope {options.version}"
    if options.generated_at:
        meta += f" · generated {options.generated_at}"
    return f"# Scalability scan: {md_inline(report.root)}\n\n_{meta}_"


def _scanned_sentences(report: ScanReport) -> list[str]:
    ran = f" against {plural(len(report.rules), 'rule')}" if report.rules else ""
    out = [
        f"scalescope checked **{plural(report.files_scanned, 'file')}** "
        f"({plural(report.lines_scanned, 'line')}) of {md_code(report.root)}{ran}."
    ]
    names = stack_names(report.stack)
    stack = f"The stack found is {md_inline(join_words(names))}" if names else "No framework was detected"
    if report.instances:
        stack += (
            f"; the deployment files or configuration declare **{plural(report.instances, 'instance')}** "
            "of the app"
        )
    out.append(stack + ".")
    return out


def _verdict(report: ScanReport, ordered: list[Finding], links: _Links) -> str:
    v = prio.verdict(ordered)
    lines = ["## Verdict", "", f"**{v.status.upper()}** \N{EM DASH} {md_inline(v.headline)}", ""]
    sentences = _scanned_sentences(report)
    if ordered:
        sentences.append(
            f"It found **{plural(len(ordered), 'finding')}**: {counts_phrase(severity_counts(ordered))}."
        )
    else:
        sentences.append("This covers only what these rules check, and it is not a capacity figure.")
    lines.append(" ".join(sentences))
    if v.first:
        lines += ["", "Start with:", ""]
        for i, f in enumerate(v.first, 1):
            lines.append(
                f"{i}. {links.ref(f)} {md_inline(f.title)} \N{EM DASH} {links.at(f)}; "
                f"fix: {md_inline(prio.effort_text(f))}"
            )
    return "\n".join(lines)


def _contents(report: ScanReport, ordered: list[Finding]) -> str:
    names = ["Verdict", "Scorecard"]
    if ordered:
        names += ["What to fix first", "Findings"]
    if report.skipped:
        names.append("Skipped files")
    if report.notices:
        names.append("Notices")
    names.append("Methodology")
    return "**Contents:** " + " \N{MIDDLE DOT} ".join(f"[{n}](#{slug(n)})" for n in names)


def _scorecard(report: ScanReport, ordered: list[Finding], links: _Links) -> str:
    rows = prio.scorecard(report, ordered)
    if not rows:
        return ""
    table = ["| Category | Status | Findings | Why |", "| --- | --- | ---: | --- |"]
    for row in rows:
        table.append(
            f"| {category_label(row.category)} | **{row.status}** | {row.findings} | {_why(row, links)} |"
        )
    intro = f"## Scorecard\n\nOne row per category a rule checked. Status: {prio.STATUS_RULE}."
    return intro + "\n\n" + "\n".join(table)


def _why(row: prio.ScoreRow, links: _Links) -> str:
    if row.first is None:
        return f"no evidence found by {plural(row.rules, 'rule')}"
    counts = counts_phrase(row.counts)
    lead = "worst" if row.status != "green" else "only low or info findings; first"
    return f"{counts}; {lead}: {links.ref(row.first)} {md_cell(row.first.title)}"


def _first(ordered: list[Finding], links: _Links) -> str:
    rows = [
        "| # | Priority | Severity | Finding | Where | Reach | Fix |",
        "| --- | ---: | --- | --- | --- | --- | --- |",
    ]
    for f in ordered:
        rows.append(
            f"| {links.ref(f)} | {prio.priority_points(f)} | **{f.severity}** | {md_cell(f.title)} | "
            f"{links.at(f, table=True)}{_more_places(f)} | {prio.REACH_LABELS.get(f.reach, '')}"
            f"{_route_count(f)} | {md_cell(prio.effort_text(f))} |"
        )
    intro = (
        "## What to fix first\n\nEvery finding once, highest priority first: severity "
        "\N{MULTIPLICATION SIGN} confidence \N{MULTIPLICATION SIGN} reach (who runs the code; see "
        "*Methodology*). Fix is the change's real scope and the effort it implies."
    )
    return intro + "\n\n" + "\n".join(rows)


def _route_count(f: Finding) -> str:
    return f" ({plural(len(f.routes), 'route')})" if f.reach == "public" and len(f.routes) > 1 else ""


# ------------------------------------------------------------------------------ findings


def _finding_block(report: ScanReport, f: Finding, links: _Links) -> str:
    lines = [
        f"### {links.fid(f)} \N{MIDDLE DOT} {md_inline(f.title)}",
        "",
        f"**{f.severity.capitalize()}** \N{MIDDLE DOT} priority {prio.priority_points(f)} \N{MIDDLE DOT} "
        f"confidence {f.confidence} \N{MIDDLE DOT} {category_label(f.category).lower()} "
        f"\N{MIDDLE DOT} {f.rule} (`{f.rule_name}`)",
        "",
        md_inline(f.message),
        "",
        f"**Evidence:** {links.at(f)}",
    ]
    if f.excerpt:
        lines += ["", md_fence(f.excerpt, fence_language(f.file))]
    places = f.other_places
    if places:
        lines += ["", f"**Other places with the same cause ({len(places)}):**", ""]
        lines += [_evidence_item(r, links) for r in places]
    impact = prio.impact_text(f, report.instances)
    if impact:
        lines += ["", f"**Impact at scale:** {md_inline(impact)}"]
    if f.recommendation:
        lines += ["", f"**Fix:** {md_inline(f.recommendation)}"]
    if f.fix_snippet:
        lines += ["", md_fence(f.fix_snippet, f.fix_language or fence_language(f.file))]
    lines += ["", f"**Effort:** {md_inline(prio.effort_text(f))}"]
    evidence = [r for r in f.related if r.kind != "place"]
    if evidence:
        lines += ["", "**Related evidence:**", ""]
        lines += [_evidence_item(r, links) for r in evidence]
    return "\n".join(lines)


def _more_places(f: Finding) -> str:
    """`` (+2 places)`` after a location when the finding's cause shows in other places too."""
    n = f.places - 1
    return f" (+{plural(n, 'place')})" if n > 0 else ""


def _evidence_item(r: Evidence, links: _Links) -> str:
    note = f" \N{EM DASH} {md_inline(r.note)}" if r.note else ""
    return f"- {links.code(r.file, r.line)}{note}"


# -------------------------------------------------------------------------------- tail


def _skipped(report: ScanReport) -> str:
    reasons = Counter(s.reason for s in report.skipped)
    summary = ", ".join(
        f"{n} {md_inline(r)}" for r, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    out = [
        "## Skipped files",
        "",
        f"{plural(len(report.skipped), 'file was', 'files were')} not analysed ({summary}):",
        "",
    ]
    out += [f"- {md_code(s.file)} — {md_inline(s.reason)}" for s in report.skipped[:MAX_SKIPPED]]
    more = len(report.skipped) - MAX_SKIPPED
    if more > 0:
        out += ["", f"…and {more} more (`--format json` lists every skipped file)."]
    return "\n".join(out)


def _notices(report: ScanReport) -> str:
    out = [
        "## Notices",
        "",
        "About the scan itself: unused or bare suppressions, extractor errors, files left out.",
        "",
    ]
    for n in report.notices:
        where = (md_code(f"{n.file}:{n.line}" if n.line > 0 else n.file) + ": ") if n.file else ""
        out.append(f"- {where}{md_inline(n.message)}")
    return "\n".join(out)


def _methodology(report: ScanReport, options: RenderOptions) -> str:
    lines = [
        "## Methodology",
        "",
        "Every statement in this report is derived from static evidence: the code, schema and "
        "configuration files cited at file:line. A scan runs nothing and measures nothing, so no "
        "latency, throughput, user or cost numbers are projected here. Severity is the rule's "
        "default, raised or lowered by what the files show (for example the number of instances); "
        "confidence says how directly the evidence proves the problem. Excerpts are shortened "
        "and values that look like credentials are replaced by `***`. To see how much a fix "
        "changes latency or capacity, measure it with `scalescope load` or `scalescope audit`.",
        "",
        f"Order: {prio.PRIORITY_FORMULA}. Reach says who runs the code: a **public route** "
        "(reached from a route end users call), **app-wide** (production set-up or deployment "
        "configuration every request goes through, such as a pool or a cache server), "
        "**background** (production code no route reaches), **admin only** (reached from admin "
        "routes only) or **not production** (tooling, dev-only or unimported code).",
        "",
        f"Status: {prio.STATUS_RULE}.",
        "",
        "Fix scope and effort: "
        + "; ".join(f"{name} \N{RIGHTWARDS ARROW} {SCOPE_EFFORT[s]}" for s, name in prio.SCOPE_LABELS.items())
        + ". The scope is what the rule saw (a setting on one client, a loop in one function, an "
        "index that needs a migration); a local fix whose places are in several files counts as "
        "several files.",
    ]
    facts = [f"{plural(report.files_scanned, 'file')} scanned", f"{plural(report.lines_scanned, 'line')}"]
    if report.suppressed:
        facts.append(f"{plural(report.suppressed, 'finding')} suppressed inline")
    if options.show_duration and report.duration_s is not None:
        facts.append(f"scan time {duration_text(report.duration_s)}")
    lines += ["", f"_{' · '.join(facts)} · scalescope {options.version}_"]
    return "\n".join(lines)
