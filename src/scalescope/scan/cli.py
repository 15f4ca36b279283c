"""``scalescope scan``, ``scalescope rules`` and ``scalescope explain``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scalescope import __version__
from scalescope.report.model import CATEGORIES, SEVERITIES, SEVERITY_RANK

_FORMATS = ("terminal", "md", "html", "json", "sarif")


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {output}", err=True)


@click.command("scan")
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--format", "-f", "fmt", type=click.Choice(_FORMATS), default="terminal", show_default=True)
@click.option(
    "--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write the report to FILE."
)
@click.option(
    "--fail-on", type=click.Choice(SEVERITIES), help="Exit 1 when a finding has this severity or worse."
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Configuration file (default: scalescope.toml or [tool.scalescope] in pyproject.toml).",
)
@click.option(
    "--select", multiple=True, help="Run only these rules: ids or names, repeatable or comma-separated."
)
@click.option(
    "--ignore",
    "ignore_rules",
    multiple=True,
    help="Do not run these rules: ids or names, repeatable or comma-separated.",
)
@click.option("--jobs", "-j", type=click.IntRange(1, 64), help="Processes to parse with (default: CPUs).")
@click.option("--include-tests", is_flag=True, help="Also scan test files (skipped by default).")
@click.option(
    "--min-confidence",
    type=click.Choice(("high", "medium", "low")),
    help="Hide findings below this confidence (default: medium, or the config file's).",
)
@click.option(
    "--uncalibrated",
    is_flag=True,
    help="Report each rule's own confidence, without the ceilings set from measured precision "
    "(for rule authors; see docs/rules.md, Confidence).",
)
@click.option(
    "--sarif-root",
    type=click.Path(path_type=Path, file_okay=False),
    help="SARIF paths are relative to this folder (default: the git repository holding PATH, "
    "else PATH), so code scanning finds files when a monorepo subfolder is scanned.",
)
@click.option(
    "--link-base",
    metavar="URL",
    help="Markdown/HTML reports link code as URL/path#L12, e.g. "
    "https://github.com/org/repo/blob/COMMIT (default: links relative to the report's folder).",
)
@click.option("--no-progress", is_flag=True, help="Do not show a progress bar.")
def scan_command(
    path: Path,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    config_path: Path | None,
    select: tuple[str, ...],
    ignore_rules: tuple[str, ...],
    jobs: int | None,
    include_tests: bool,
    min_confidence: str | None,
    uncalibrated: bool,
    sarif_root: Path | None,
    link_base: str | None,
    no_progress: bool,
) -> None:
    """Scan a repository for scalability problems it can prove from code, schema and config."""
    from dataclasses import replace

    from scalescope.report.render import RenderOptions, render
    from scalescope.scan.config import ConfigError, load_config, resolve_rules
    from scalescope.scan.engine import scan

    if not path.exists():
        raise click.UsageError(f"path does not exist: {path}")
    if not path.is_dir():
        raise click.UsageError(f"not a directory: {path}")
    sarif_prefix = _sarif_prefix(path, sarif_root) if fmt == "sarif" else ""
    try:
        config = load_config(path, config_path)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    try:
        selected = resolve_rules(select, "--select")
        ignored = resolve_rules(ignore_rules, "--ignore")
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    if select and not selected:
        raise click.UsageError("--select names no rule, which would run none")
    if selected:
        config = replace(config, enable_only=selected)
    if ignored:
        config = replace(config, disable=config.disable | ignored)
    if include_tests:
        config = replace(config, include_tests=True)
    if min_confidence:
        config = replace(config, min_confidence=min_confidence)
    if uncalibrated:
        config = replace(config, calibrated=False)

    show_progress = fmt == "terminal" and not no_progress and sys.stderr.isatty()
    try:
        if show_progress:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            with Progress(TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), transient=True) as bar:
                task = bar.add_task("scan", total=None)

                def progress(done: int, total: int) -> None:
                    if total >= 300:
                        bar.update(task, completed=done, total=total)

                report = scan(path, config, progress=progress, jobs=jobs)
        else:
            report = scan(path, config, jobs=jobs)
    except KeyboardInterrupt:
        click.echo("interrupted: scan stopped before rules ran; nothing to report", err=True)
        sys.exit(130)

    if report.files_scanned == 0:
        skipped = (
            f" ({_plural(len(report.skipped), 'file')} skipped: see --format json)" if report.skipped else ""
        )
        click.echo(
            f"scalescope: no source files recognised under {path}{skipped}; nothing was scanned. "
            "Check the path (and exclude/--include-tests settings).",
            err=True,
        )
        sys.exit(2)

    import shutil

    width = shutil.get_terminal_size((100, 24)).columns if output is None else 100
    import os

    # https://no-color.org: any non-empty NO_COLOR turns colour off even on a terminal
    color = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    options = RenderOptions(
        version=__version__,
        width=width,
        color=color,
        path_prefix=sarif_prefix,
        command_path=str(path),
        link_base=_link_base(link_base) if link_base else "",
        link_prefix=_link_prefix(path, output),
    )
    _write(render(report, fmt, options), output)
    if fail_on is not None:
        threshold = SEVERITY_RANK[fail_on]
        failing = [f for f in report.findings if SEVERITY_RANK[f.severity] <= threshold]
        if failing:
            worst = min(failing, key=lambda f: SEVERITY_RANK[f.severity])
            click.echo(
                f"scalescope: failing (--fail-on {fail_on}): {_plural(len(failing), 'finding')} "
                f"at {fail_on} or worse, first {worst.rule} at {worst.file}:{worst.line}",
                err=True,
            )
            sys.exit(1)


def _sarif_prefix(path: Path, sarif_root: Path | None) -> str:
    """The scanned folder's POSIX path under the SARIF root: ``--sarif-root``, else the git
    repository that holds it (a ``.git`` folder or file), else the folder itself."""
    target = path.resolve()
    if sarif_root is not None:
        base = sarif_root.resolve()
        if not target.is_relative_to(base):
            raise click.UsageError(f"--sarif-root {sarif_root} does not contain {path}")
    else:
        base = next((p for p in (target, *target.parents) if (p / ".git").exists()), target)
    rel = target.relative_to(base).as_posix()
    return "" if rel == "." else rel


def _link_base(url: str) -> str:
    """``--link-base`` checked: an http(s) URL, without its trailing slash."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise click.UsageError(f"--link-base must be an http(s) URL, got {url!r}")
    return url.strip().rstrip("/")


def _link_prefix(path: Path, output: Path | None) -> str:
    """The scanned folder as seen from the report's folder (the working directory when the
    report goes to stdout), POSIX-style, for relative links to the code."""
    import os

    start = (output.parent if output is not None else Path(".")).resolve()
    rel = os.path.relpath(path.resolve(), start)
    return "" if rel == "." else Path(rel).as_posix()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _categories_with_rules() -> list[str]:
    from scalescope.scan.rules.base import all_rules

    present = {r.meta.category for r in all_rules()}
    return [c for c in CATEGORIES if c in present]


@click.command("rules")
@click.option(
    "--category",
    "-c",
    type=click.Choice(CATEGORIES),
    metavar="CATEGORY",
    help="Only rules of this category (see the list printed without it).",
)
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
def rules_command(category: str | None, fmt: str) -> None:
    """List the rules scalescope runs."""
    import json

    from rich.table import Table

    from scalescope.scan.rules.base import all_rules

    rules = [r for r in all_rules() if category is None or r.meta.category == category]
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "id": r.meta.id,
                        "name": r.meta.name,
                        "category": r.meta.category,
                        "severity": r.meta.severity,
                        "title": r.meta.title,
                        "ecosystems": list(r.meta.ecosystems),
                    }
                    for r in rules
                ],
                indent=2,
            )
        )
        return
    width = _width()
    # narrow terminals: name and title wrap inside their cells, ids never wrap or shrink
    from rich import box

    longest = max((len(r.meta.name) for r in rules), default=4)
    table = Table(title=f"{_plural(len(rules), 'rule')}", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("name", no_wrap=width >= 72, min_width=min(longest, 28))
    table.add_column("severity", no_wrap=True)
    table.add_column("title", overflow="fold", min_width=16)
    for r in rules:
        table.add_row(r.meta.id, r.meta.name, r.meta.severity, r.meta.title)
    footer = (
        f"categories with rules: {', '.join(_categories_with_rules())}"
        " (scalescope rules -c CATEGORY lists one)"
        if category is None
        else ""
    )
    _print(table, footer)


@click.command("explain")
@click.argument("rule_id")
def explain_command(rule_id: str) -> None:
    """Show a rule's documentation: what it finds, why it matters at scale, the fix."""
    import inspect

    from rich.markdown import Markdown

    from scalescope.scan.rules.base import rule_by_id

    rule = rule_by_id(rule_id)
    if rule is None:
        doc = _measured_doc(rule_id.strip())
        if doc is None:
            raise click.UsageError(f"unknown rule: {rule_id} (see 'scalescope rules')")
        _print(Markdown(doc, code_theme="ansi_dark"))
        return
    m = rule.meta
    header = (
        f"# {m.id} {m.name}\n\n**{m.title}**  \ncategory: {m.category} · default severity: "
        f"{m.severity} · effort: {m.effort} · ecosystems: {', '.join(m.ecosystems)}\n\n"
    )
    text = header + (inspect.getdoc(rule) or "")
    from scalescope.scan.calibration import ceiling_of

    ceiling = ceiling_of(m.id)
    if ceiling is not None:
        text += (
            f"\n\n## Calibrated confidence: {ceiling.confidence}\n"
            f"Findings of this rule are reported at {ceiling.confidence} confidence at most (hidden by "
            f"default; `--min-confidence {ceiling.confidence}` shows them). Measured: {ceiling.basis}."
        )
    # rendered (re-wrapped) at the terminal's width, or COLUMNS, or 80: the docstring's own line
    # breaks are source formatting, not the reader's
    _print(Markdown(text, code_theme="ansi_dark"))


def _measured_doc(wanted: str) -> str | None:
    """Documentation of a check that is measured rather than scanned: the audit's checks of the
    running app and the live PostgreSQL/Redis probe checks, by id or name."""
    import inspect

    from scalescope.audit.checks import CHECKS
    from scalescope.probe.meta import check_by_id

    check = next((c for c in CHECKS.values() if wanted.upper() == c.id or wanted.lower() == c.name), None)
    if check is not None:
        return (
            f"# {check.id} {check.name}\n\n**{check.title}**  \ncategory: {check.category} · default "
            f"severity: {check.severity} · measured by `scalescope audit`\n\n{check.doc}"
        )
    probe = check_by_id(wanted)
    if probe is not None:
        m = probe.meta
        return (
            f"# {m.id} {m.name}\n\n**{m.title}**  \ncategory: {m.category} · default severity: "
            f"{m.severity} · read from the live server by `scalescope probe`\n\n{inspect.getdoc(probe) or ''}"
        )
    return None


def _print(*renderables: object) -> None:
    """Print rich renderables at the terminal's width; piped output carries no colour and no
    trailing padding."""
    import io

    from rich.console import Console

    if sys.stdout.isatty():
        Console(width=_width(), highlight=False).print(*renderables)
        return
    buf = io.StringIO()
    Console(file=buf, width=_width(), highlight=False, color_system=None).print(*renderables)
    click.echo("\n".join(line.rstrip() for line in buf.getvalue().splitlines()))


def _width() -> int:
    import shutil

    return max(40, shutil.get_terminal_size((80, 24)).columns)
