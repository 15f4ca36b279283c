"""``scalescope probe postgres URL`` and ``scalescope probe redis URL``.

Exit status: 0 probe ran (whatever it found), 1 ``--fail-on`` threshold reached, 2 usage error
(bad URL, bad path), 3 server unreachable (refused, timeout, unknown host, lost connection),
4 login refused (wrong password, unknown role or database), 5 the ``live`` extra (psycopg,
redis-py) is not installed. Errors are one plain line on stderr, never a traceback, and never
contain the URL's password.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import click

from scalescope import __version__
from scalescope.report.model import CONFIDENCES, SEVERITIES, SEVERITY_RANK

from .result import ProbeResult
from .settings import ProbeSettings
from .target import EXIT_FAIL_ON, ProbeError

_FORMATS = ("terminal", "md", "html", "json", "sarif")


def _common(func: Callable[..., None]) -> Callable[..., None]:
    options = [
        click.option(
            "--scan",
            "scan_path",
            type=click.Path(path_type=Path, file_okay=False),
            help="Also scan this repository and cross-check its findings against the server.",
        ),
        click.option(
            "--format", "-f", "fmt", type=click.Choice(_FORMATS), default="terminal", show_default=True
        ),
        click.option(
            "--output",
            "-o",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Write the report to FILE.",
        ),
        click.option(
            "--fail-on",
            type=click.Choice(SEVERITIES),
            help="Exit 1 when a finding has this severity or worse.",
        ),
        click.option(
            "--min-confidence",
            type=click.Choice(CONFIDENCES),
            help="Hide findings below this confidence once the server's evidence is applied "
            "(default: the scanned repository's min-confidence, else medium).",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(0.5, 60),
            default=5.0,
            show_default=True,
            help="Connect timeout and per-query timeout, in seconds.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _url(url: str | None, env: str) -> str:
    if url:
        return url
    value = os.environ.get(env, "").strip()
    if not value:
        raise click.UsageError(f"give a URL, or set {env} (keeps the password out of the process list)")
    return value


@click.group("probe")
def probe_command() -> None:
    """Read a live PostgreSQL or Redis (read-only, bounded) and report what it shows."""


@probe_command.command("postgres")
@click.argument("url", required=False)
@_common
def postgres_command(
    url: str | None,
    scan_path: Path | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    min_confidence: str | None,
    timeout: float,
) -> None:
    """Probe a PostgreSQL database: postgresql://user:pass@host:5432/db (or $DATABASE_URL)."""
    from .postgres.probe import probe_postgres

    settings = _settings(timeout)
    _run(
        lambda: probe_postgres(_url(url, "DATABASE_URL"), settings),
        scan_path,
        fmt,
        output,
        fail_on,
        min_confidence,
        settings,
    )


@probe_command.command("redis")
@click.argument("url", required=False)
@_common
def redis_command(
    url: str | None,
    scan_path: Path | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    min_confidence: str | None,
    timeout: float,
) -> None:
    """Probe a Redis server: redis://:pass@host:6379/0 (or $REDIS_URL)."""
    from .redis.probe import probe_redis

    settings = _settings(timeout)
    _run(
        lambda: probe_redis(_url(url, "REDIS_URL"), settings),
        scan_path,
        fmt,
        output,
        fail_on,
        min_confidence,
        settings,
    )


@probe_command.command("checks")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
def checks_command(fmt: str) -> None:
    """List the probe checks (SC-PG-*, SC-REDIS-*)."""
    import json

    from .meta import all_checks

    rows = [
        {
            "id": c.meta.id,
            "name": c.meta.name,
            "server": c.meta.server,
            "category": c.meta.category,
            "severity": c.meta.severity,
            "title": c.meta.title,
        }
        for c in all_checks()
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(rows)} probe checks")
    for col in ("id", "name", "category", "severity", "title"):
        table.add_column(col)
    for row in rows:
        table.add_row(*(str(row[c]) for c in ("id", "name", "category", "severity", "title")))
    Console().print(table)


@probe_command.command("explain")
@click.argument("check_id")
def explain_command(check_id: str) -> None:
    """Show a probe check's documentation: what it finds, why it matters at scale, the fix."""
    import inspect

    from .meta import check_by_id

    check = check_by_id(check_id)
    if check is None:
        raise click.UsageError(f"unknown probe check: {check_id} (see 'scalescope probe checks')")
    m = check.meta
    text = (
        f"# {m.id} {m.name}\n\n**{m.title}**  \ncategory: {m.category} · default severity: {m.severity} · "
        f"effort: {m.effort} · server: {m.server}\n\n" + (inspect.getdoc(check) or "")
    )
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        click.echo(text)


def _settings(timeout: float) -> ProbeSettings:
    return ProbeSettings(connect_timeout_s=timeout, statement_timeout_ms=int(timeout * 1000))


def _run(
    probe: Callable[[], ProbeResult],
    scan_path: Path | None,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    min_confidence: str | None,
    settings: ProbeSettings,
) -> None:
    from scalescope.report.render import RenderOptions, render
    from scalescope.scan.cli import _write
    from scalescope.scan.config import ConfigError, ScanConfig, load_config

    from .crosscheck import cross_check, hide_below_confidence, scan_with_model
    from .result import to_report

    config = ScanConfig()
    if scan_path is not None:
        if not scan_path.is_dir():
            raise click.UsageError(f"not a directory: {scan_path}")
        try:
            config = load_config(scan_path)
        except ConfigError as exc:
            raise click.UsageError(str(exc)) from None
    floor = min_confidence or config.min_confidence
    try:
        result = probe()
    except ProbeError as exc:
        click.echo(f"scalescope probe: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    if scan_path is not None:
        # scanned at low confidence: the server may confirm what the code alone could not
        scan_report, model = scan_with_model(scan_path, config)
        report = cross_check(scan_report, [result], model, settings, min_confidence=floor)
    else:
        report = hide_below_confidence(to_report([result]), floor)
    width = 100
    if output is None:
        import shutil

        width = shutil.get_terminal_size((100, 24)).columns
    color = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    _write(render(report, fmt, RenderOptions(version=__version__, width=width, color=color)), output)
    if fail_on is not None:
        threshold = SEVERITY_RANK[fail_on]
        if any(SEVERITY_RANK[f.severity] <= threshold for f in report.findings):
            sys.exit(EXIT_FAIL_ON)
