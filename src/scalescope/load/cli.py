"""``scalescope load URL|SCENARIO.yaml``: the click command.

Exit status: 0 when the run completed, every threshold held and the error rate stayed within the
error budget; 1 when a threshold failed, the error budget was exceeded, a worker died, the target
could not be reached or setup failed; 2 on a usage error (bad flag or scenario file); 130 when the
run was interrupted (Ctrl-C or SIGTERM), after printing and saving the partial result.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from scalescope.load.config import ConfigError, LoadConfig
from scalescope.load.render import LiveView, render_json, render_line, render_terminal
from scalescope.load.result import attach_thresholds, build_result
from scalescope.load.runner import TargetUnreachable, run_load
from scalescope.load.scenario import config_from_mapping, load_scenario
from scalescope.load.setup import SetupError
from scalescope.load.thresholds import evaluate, parse_threshold

__all__ = ["load_command"]


def _headers(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        name, sep, value = item.partition(":")
        if not sep or not name.strip():
            raise ConfigError(f"header {item!r} must look like 'Name: value'")
        out[name.strip()] = value.strip()
    return out


def _build_config(target: str, opts: dict[str, Any]) -> LoadConfig:
    common = {
        "connections": opts["connections"],
        "duration": opts["duration"],
        "requests_limit": opts["requests"],
        "rate": opts["rate"],
        "workers": opts["workers"],
        "timeout": opts["timeout"],
        "think_time": opts["think_time"],
        "max_connections": opts["max_connections"],
        "max_error_rate": opts["max_error_rate"],
    }
    if opts["insecure"]:
        common["insecure"] = True
    if opts["threshold"]:
        common["thresholds"] = list(opts["threshold"])
    path = Path(target)
    if "://" not in target and path.suffix.lower() in (".yaml", ".yml"):
        if opts["method"] or opts["body"] or opts["json_body"] or opts["header"]:
            raise ConfigError("-m, -H, --body and --json apply to URL runs; put them in the scenario file")
        return load_scenario(path, overrides=common)
    request: dict[str, Any] = {"method": opts["method"] or "GET", "headers": _headers(opts["header"])}
    if opts["json_body"] is not None:
        try:
            request["json"] = json.loads(opts["json_body"])
        except ValueError as exc:
            raise ConfigError("--json must be valid JSON") from exc
    elif opts["body"] is not None:
        body = opts["body"]
        if body.startswith("@"):
            try:
                body = Path(body[1:]).read_text(encoding="utf-8")
            except OSError as exc:
                raise ConfigError(f"cannot read body file {body[1:]}: {exc.strerror or exc}") from exc
        request["body"] = body
    data: dict[str, Any] = {k: v for k, v in common.items() if v is not None}
    # The URL's path and query become the request; the base URL is just scheme://host:port.
    from scalescope.load.scenario import parse_target

    parsed, req_path = parse_target(target)
    data["base_url"] = f"{parsed.scheme}://{parsed.authority}"
    request["path"] = req_path
    request["name"] = f"{request['method']} {req_path}"
    data["requests"] = [request]
    return config_from_mapping(data, base_dir=Path.cwd(), source=target)


@click.command("load")
@click.argument("target")
@click.option("-c", "--connections", type=click.IntRange(min=1), help="Connections (virtual users).")
@click.option("-d", "--duration", help="Run length, e.g. 10s, 2m (default 10s).")
@click.option("-n", "--requests", type=click.IntRange(min=1), help="Stop after this many requests.")
@click.option("--rate", type=click.FloatRange(min=0, min_open=True), help="Open model: requests/s.")
@click.option("--workers", type=click.IntRange(min=1), help="Worker processes (default: one per CPU).")
@click.option("-H", "--header", multiple=True, help="Request header 'Name: value' (repeatable).")
@click.option("-m", "--method", help="HTTP method (default GET).")
@click.option("--body", help="Raw request body, or @file.")
@click.option("--json", "json_body", help="JSON request body (sets Content-Type).")
@click.option("--timeout", help="Per-request timeout (default 10s).")
@click.option("--think-time", help="Closed model: pause between a response and the next request.")
@click.option("--threshold", multiple=True, help="Pass/fail rule such as 'p95 < 200ms' (repeatable).")
@click.option(
    "--max-connections",
    type=click.IntRange(min=1),
    help="Open model: grow the pool up to this many connections when requests wait (k6 maxVUs).",
)
@click.option(
    "--max-error-rate",
    help="Error budget without an error_rate threshold: fail above it (default 1%; 100% turns it off).",
)
@click.option("--insecure", is_flag=True, help="Do not verify TLS certificates.")
@click.option(
    "--format", "fmt", type=click.Choice(["terminal", "json"]), default="terminal", show_default=True
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Save the JSON here.")
def load_command(target: str, fmt: str, output: Path | None, **opts: Any) -> None:
    """Load-test TARGET, a URL (quick run) or a SCENARIO.yaml file."""
    try:
        config = _build_config(target, opts)
        thresholds = tuple(parse_threshold(t) for t in config.thresholds)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    if output is not None:
        try:  # before the run: a run is not thrown away at the end for want of a folder
            output.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise click.UsageError(f"cannot create {output.parent}: {exc.strerror or exc}") from exc
    try:
        with LiveView(config.duration_s) as view:
            outcome = run_load(config, on_update=view.update if fmt == "terminal" else None)
    except TargetUnreachable as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except SetupError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    result = build_result(outcome)
    attach_thresholds(result, evaluate(thresholds, result))
    saved = True
    if output is not None:
        try:
            output.write_text(render_json(result), encoding="utf-8")
        except OSError as exc:
            click.echo(f"error: cannot write {output}: {exc.strerror or exc}", err=True)
            saved = False
    if fmt == "json" and output is not None and saved:
        click.echo(render_line(result, str(output)), nl=False)
    elif fmt == "json":
        click.echo(render_json(result), nl=False)
    else:
        click.echo(render_terminal(result, color=sys.stdout.isatty()), nl=False)
    if outcome.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(0 if result["passed"] and saved and not outcome.lost_workers else 1)


EXIT_INTERRUPTED = 130
"""Exit status of a run stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it)."""
