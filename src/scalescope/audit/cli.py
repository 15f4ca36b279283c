"""``scalescope audit``: start the app, measure its capacity under an SLO, project it, report.

Exit status: 0 when the audit measured a capacity and the app behaved (started, survived,
stopped on SIGTERM); 1 when the app failed to start, never became healthy, exited under load
or ignored SIGTERM (the report says which, with the log tail); 2 on usage or configuration
errors; 130 when interrupted (the partial report is still written).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from scalescope.audit.render import EXTENSIONS, FORMATS


def _env(values: tuple[str, ...]) -> dict[str, str] | None:
    if not values:
        return None
    out: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise click.UsageError(f"--env expects NAME=VALUE, got {item!r}")
        out[key] = value
    return out


@click.command("audit")
@click.argument("path", required=False, type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--start", help="Command that starts the app; {port} is replaced by a free port.")
@click.option(
    "--env", "env", multiple=True, metavar="NAME=VALUE", help="Environment for the app (repeatable)."
)
@click.option("--url", help="Base URL of the app (may contain {port}); alone, audits an app already running.")
@click.option("--health", help="Path that answers when the app is ready (default /).")
@click.option(
    "--scenario",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Traffic mix (load scenario YAML).",
)
@click.option("--slo-p95", help="Latency objective for p95 (default 500ms).")
@click.option("--slo-errors", help="Error budget (default 1%).")
@click.option("--think-time", help="Think time between a user's requests, for the users figure (e.g. 5s).")
@click.option("--users", type=int, help="Target concurrent users for the capacity plan.")
@click.option("--price-per-hour", type=float, help="Price of one instance per hour, for the plan's cost.")
@click.option(
    "--instances-cmd", help="Command that starts {n} instances behind one URL ({port}), to measure scaling."
)
@click.option("--max-instances", type=int, help="Most instances to measure with --instances-cmd (default 3).")
@click.option("--budget", help="Time budget for the whole audit (default 3m).")
@click.option(
    "--workers", type=int, help="Load generator processes (default 1: the app needs the other cores)."
)
@click.option(
    "--db",
    metavar="URL",
    help="PostgreSQL to probe after the load (read-only), cross-checked with the scan; "
    "$NAME reads a variable (e.g. $DATABASE_URL) from --env or the environment.",
)
@click.option("--redis", metavar="URL", help="Redis to probe after the load (read-only); $NAME as for --db.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="terminal", show_default=True)
@click.option(
    "--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write the report to FILE."
)
@click.option(
    "--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), help="Write every format into DIR."
)
def audit_command(
    path: Path | None,
    start: str | None,
    env: tuple[str, ...],
    url: str | None,
    health: str | None,
    scenario: Path | None,
    slo_p95: str | None,
    slo_errors: str | None,
    think_time: str | None,
    users: int | None,
    price_per_hour: float | None,
    instances_cmd: str | None,
    max_instances: int | None,
    budget: str | None,
    workers: int | None,
    db: str | None,
    redis: str | None,
    fmt: str,
    output: Path | None,
    out_dir: Path | None,
) -> None:
    """Start the app, find its capacity under a latency SLO, project it, and write the evaluation."""
    from scalescope.audit.pipeline import run_audit
    from scalescope.audit.render import render
    from scalescope.audit.settings import SettingsError, load_settings

    flags = {
        "start": start,
        "env": _env(env),
        "url": url,
        "health": health,
        "scenario": str(scenario) if scenario else None,
        "slo-p95": slo_p95,
        "slo-errors": slo_errors,
        "think-time": think_time,
        "users": users,
        "price-per-hour": price_per_hour,
        "instances-cmd": instances_cmd,
        "max-instances": max_instances,
        "budget": budget,
        "workers": workers,
        "db": db,
        "redis": redis,
    }
    try:
        settings = load_settings(path, flags)
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc
    if settings.scenario is not None:
        from scalescope.load.config import ConfigError as LoadConfigError
        from scalescope.load.scenario import load_scenario

        try:
            load_scenario(settings.scenario)
        except (LoadConfigError, OSError) as exc:
            raise click.UsageError(f"--scenario {settings.scenario}: {exc}") from exc
    if settings.start is None and settings.url is None:
        raise click.UsageError(
            "nothing to audit: give --start (or `start` in [tool.scalescope.audit]) or --url"
        )

    def progress(message: str) -> None:
        click.echo(f"· {message}", err=True)

    report = run_audit(settings, progress=progress)
    width = shutil.get_terminal_size((100, 24)).columns
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            for each in FORMATS:
                target = out_dir / f"audit.{EXTENSIONS[each]}"
                target.write_text(render(report, each, width=100), encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write to {out_dir}: {exc.strerror or exc}") from exc
        click.echo(f"wrote audit.{{{','.join(EXTENSIONS[f] for f in FORMATS)}}} to {out_dir}", err=True)
    if output is not None:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(render(report, fmt, width=100), encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from exc
        click.echo(f"wrote {output}", err=True)
        click.echo(report.verdict.headline)
    elif out_dir is None or fmt != "terminal":
        click.echo(render(report, fmt, width=width, color=sys.stdout.isatty()), nl=False)
    else:
        click.echo(report.verdict.headline)
    interrupted = any(w.startswith("interrupted") for w in report.warnings)
    if interrupted:
        sys.exit(130)
    app_failed = not report.verdict.ok or any(
        f.rule in {"SC-AVAIL-101", "SC-AVAIL-104"} for f in report.findings
    )
    if app_failed:
        sys.exit(1)
