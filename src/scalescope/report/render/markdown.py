"""Markdown renderer: a scan report a team reads top to bottom and acts on.

Sections: title, executive summary, scorecard (grade per category), key findings at a glance,
one section per category (current state, then every finding with evidence, impact at scale,
fix, effort and related evidence), roadmap, key files, skipped files, notices, methodology.

Every sentence is assembled from the report's own fields; nothing is projected or estimated.
Findings are numbered F1, F2... in report order so the tables, sections and roadmap agree.
"""

from __future__ import annotations

from collections import Counter

from scalescope.report.model import SEVERITIES, SEVERITY_RANK, Evidence, Finding, ScanReport
from scalescope.report.render import RenderOptions
from scalescope.report.render._text import (
    GRADE_FORMULA,
    ROADMAP_BUCKETS,
    category_label,
    counts_phrase,
    duration_text,
    fence_language,
    file_counts,
    grade,
    join_words,
    location,
    md_cell,
    md_code,
    md_fence,
    md_inline,
    plural,
    roadmap_bucket,
    severity_counts,
    stack_names,
)

MAX_GLANCE = 25
MAX_SKIPPED = 50
_EFFORT_RANK = {"hours": 0, "days": 1, "weeks": 2}
_IMPROVEMENT = "the failure mode under *Impact at scale* no longer applies here (not quantified by a scan)."


def render(report: ScanReport, options: RenderOptions) -> str:
    """Render ``report`` as GitHub-flavoured Markdown."""
    ordered = sorted(report.findings, key=lambda f: f.sort_key)
    ids = {id(f): f"F{i}" for i, f in enumerate(ordered, 1)}
    blocks: list[str] = [_title(report, options), _executive_summary(report, ordered)]
    blocks.append(_scorecard(report))
    if ordered:
        blocks.append(_glance(ordered, ids))
        for category, findings in report.by_category().items():
            blocks.append(_category_section(report, category, findings, ids))
        blocks.append(_roadmap(ordered, ids))
        blocks.append(_key_files(report))
    if report.skipped:
        blocks.append(_skipped(report))
    if report.notices:
        blocks.append(_notices(report))
    blocks.append(_methodology(report, options))
    return "\n\n".join(b.rstrip() for b in blocks if b) + "\n"


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


def _executive_summary(report: ScanReport, ordered: list[Finding]) -> str:
    lines = ["## Executive summary", ""]
    sentences = _scanned_sentences(report)
    if not ordered:
        sentences.append(
            "**No findings:** no rule found evidence of a scalability problem in the files read. "
            "This covers only what these rules check, and it is not a capacity figure."
        )
        lines.append(" ".join(sentences))
        return "\n".join(lines)
    counts = severity_counts(ordered)
    sentences.append(f"It found **{plural(len(ordered), 'finding')}**: {counts_phrase(counts)}.")
    first = ordered[0]
    sentences.append(
        f"The most severe problem is in the **{category_label(first.category).lower()}** layer: "
        f"{md_inline(first.title)} ({md_code(location(first))})."
        + (f" {md_inline(_sentence(first.impact))}" if first.impact else "")
    )
    serious = [f for f in ordered[1:] if f.severity in ("critical", "high")]
    others: dict[str, Finding] = {}
    for f in serious:
        if f.category != first.category:
            others.setdefault(f.category, f)
    if others:
        parts = [f"{category_label(c).lower()}: {md_inline(f.title)}" for c, f in list(others.items())[:3]]
        sentences.append(f"Other critical or high risks — {'; '.join(parts)}.")
    quick = [f for f in ordered if f.effort == "hours" and f.severity in ("critical", "high")]
    if quick:
        sentences.append(
            f"{plural(len(quick), 'critical or high finding')} "
            f"{'has a fix' if len(quick) == 1 else 'have fixes'} measured in hours: "
            "start with the roadmap's *This week* list."
        )
    lines.append(" ".join(sentences))
    return "\n".join(lines)


def _graded_categories(report: ScanReport) -> list[str]:
    """Categories with a rule that ran or a finding, in the fixed category order."""
    from scalescope.report.model import CATEGORIES

    present = {r.category for r in report.rules} | {f.category for f in report.findings}
    return [c for c in CATEGORIES if c in present]


def _scorecard(report: ScanReport) -> str:
    categories = _graded_categories(report)
    if not categories:
        return ""
    by_cat = report.by_category()
    rules_per_cat = Counter(r.category for r in report.rules)
    head = "| Category | Rules run | " + " | ".join(s.capitalize() for s in SEVERITIES) + " | Grade |"
    sep = "| --- | ---: | " + " | ".join("---:" for _ in SEVERITIES) + " | :---: |"
    rows = [head, sep]
    for c in categories:
        findings = by_cat.get(c, [])
        counts = severity_counts(findings)
        letter, _ = grade(findings)
        cells = " | ".join(str(counts[s]) if counts[s] else "·" for s in SEVERITIES)
        rules = str(rules_per_cat[c]) if rules_per_cat[c] else "—"
        rows.append(f"| {category_label(c)} | {rules} | {cells} | **{letter}** |")
    intro = (
        "## Scorecard\n\nOne row per category a rule checked. The grade follows a fixed formula "
        "over the severities of the findings (see *Methodology*)."
    )
    return intro + "\n\n" + "\n".join(rows)


def _glance(ordered: list[Finding], ids: dict[int, str]) -> str:
    rows = ["| # | Severity | Rule | Title | Location |", "| --- | --- | --- | --- | --- |"]
    for f in ordered[:MAX_GLANCE]:
        rows.append(
            f"| {ids[id(f)]} | {f.severity} | {f.rule} | {md_cell(f.title)} | "
            f"{md_code(location(f), table=True)}{_more_places(f)} |"
        )
    more = len(ordered) - MAX_GLANCE
    tail = f"\n\n…and {plural(more, 'more finding')} in the sections below." if more > 0 else ""
    return "## Key findings at a glance\n\n" + "\n".join(rows) + tail


# ---------------------------------------------------------------------------- categories


def _category_section(report: ScanReport, category: str, findings: list[Finding], ids: dict[int, str]) -> str:
    counts = severity_counts(findings)
    files = sorted({f.file for f in findings})
    shown = join_words(
        [md_code(f) for f in files[:5]] + ([f"{len(files) - 5} more"] if len(files) > 5 else [])
    )
    state = (
        f"**Current state.** The evidence shows {plural(len(findings), 'problem')} in this layer "
        f"({counts_phrase(counts)}) in {shown}."
    )
    rules = [r for r in report.rules if r.category == category]
    fired = {f.rule for f in findings}
    clean = [r for r in rules if r.id not in fired]
    if clean:
        state += (
            " No evidence was found for: "
            + ", ".join(f"{md_inline(r.title.lower() if r.title else r.name)} ({r.id})" for r in clean)
            + "."
        )
    parts = [f"## {category_label(category)}", state]
    parts.extend(_finding_block(f, ids[id(f)]) for f in findings)
    return "\n\n".join(parts)


def _finding_block(f: Finding, fid: str) -> str:
    lines = [
        f"### {fid} · {md_inline(f.title)}",
        "",
        f"**{f.severity.capitalize()}** · {f.rule} (`{f.rule_name}`) · confidence {f.confidence}",
        "",
        md_inline(f.message),
        "",
        f"**Evidence:** {md_code(location(f))}",
    ]
    if f.excerpt:
        lines += ["", md_fence(f.excerpt, fence_language(f.file))]
    places = f.other_places
    if places:
        lines += ["", f"**Other places with the same cause ({len(places)}):**", ""]
        lines += [_evidence_item(r) for r in places]
    if f.impact:
        lines += ["", f"**Impact at scale:** {md_inline(f.impact)}"]
    if f.recommendation:
        lines += ["", f"**Fix:** {md_inline(f.recommendation)}"]
    if f.fix_snippet:
        lines += ["", md_fence(f.fix_snippet, f.fix_language or fence_language(f.file))]
    lines += ["", f"**Effort:** {f.effort} · **Expected improvement:** {_IMPROVEMENT}"]
    evidence = [r for r in f.related if r.kind != "place"]
    if evidence:
        lines += ["", "**Related evidence:**", ""]
        lines += [_evidence_item(r) for r in evidence]
    return "\n".join(lines)


def _more_places(f: Finding) -> str:
    """`` (+2 places)`` after a location when the finding's cause shows in other places too."""
    n = f.places - 1
    return f" (+{plural(n, 'place')})" if n > 0 else ""


def _evidence_item(r: Evidence) -> str:
    where = f"{r.file}:{r.line}" if r.line > 0 else r.file
    note = f" — {md_inline(r.note)}" if r.note else ""
    return f"- {md_code(where)}{note}"


# -------------------------------------------------------------------------------- tail


def _roadmap(ordered: list[Finding], ids: dict[int, str]) -> str:
    actionable = [f for f in ordered if f.severity != "info"]
    actionable.sort(
        key=lambda f: (SEVERITY_RANK.get(f.severity, 9), _EFFORT_RANK.get(f.effort, 9), f.sort_key)
    )
    out = [
        "## Roadmap",
        "",
        "Ordered by severity, then effort. Each fix is scheduled by its effort: hours → this week, "
        "days → this month, weeks → later. Info findings are listed above but not scheduled.",
    ]
    for _, bucket in ROADMAP_BUCKETS:
        items = [f for f in actionable if roadmap_bucket(f) == bucket]
        if not items:
            continue
        out += ["", f"### {bucket}", ""]
        for i, f in enumerate(items, 1):
            out.append(
                f"{i}. **{ids[id(f)]}** · {f.severity} · {md_inline(f.title)} — "
                f"{md_code(location(f))}{_more_places(f)} ({category_label(f.category).lower()}, {f.effort})"
            )
    if not actionable:
        out += ["", "Nothing to schedule."]
    return "\n".join(out)


def _key_files(report: ScanReport) -> str:
    rows = [row for row in file_counts(report) if row[1]]
    if not rows:
        return ""
    table = ["| File | Findings | Most severe |", "| --- | ---: | --- |"]
    table += [f"| {md_code(file, table=True)} | {n} | {worst_sev} |" for file, n, worst_sev in rows]
    return "## Key files\n\nThe files with the most findings, most first.\n\n" + "\n".join(table)


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
        f"Grades: {GRADE_FORMULA}.",
    ]
    facts = [f"{plural(report.files_scanned, 'file')} scanned", f"{plural(report.lines_scanned, 'line')}"]
    if report.suppressed:
        facts.append(f"{plural(report.suppressed, 'finding')} suppressed inline")
    if options.show_duration and report.duration_s is not None:
        facts.append(f"scan time {duration_text(report.duration_s)}")
    lines += ["", f"_{' · '.join(facts)} · scalescope {options.version}_"]
    return "\n".join(lines)


def _sentence(text: str) -> str:
    """``text`` ending with exactly one full stop."""
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."
