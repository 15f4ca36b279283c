"""``scalescope diff OLD.json NEW.json``.

Exit status: 0 when no gate fails; 1 when ``--fail-on`` finds a new finding at that severity or
worse, or ``--fail-on-capacity-drop`` sees the sustainable rate fall by more than the given
percentage (one line on stderr says why); 2 when an input cannot be read or compared, or for a
usage error (a plain message, never a traceback).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scalescope.diff.render import FORMATS
from scalescope.report.model import SEVERITIES


def _fail(message: str) -> None:
    click.echo(f"scalescope diff: {message}", err=True)
    sys.exit(2)


@click.command("diff")
@click.argument("old", metavar="OLD.json")
@click.argument("new", metavar="NEW.json")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="terminal", show_default=True)
@click.option(
    "--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write the diff to FILE."
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    help="Exit 1 when a NEW finding (not in OLD) has this severity or worse.",
)
@click.option(
    "--fail-on-capacity-drop",
    "capacity_drop",
    type=click.FloatRange(min=0),
    metavar="PCT",
    help="Exit 1 when the sustainable rate fell by more than PCT percent (two audits).",
)
def diff_command(
    old: str, new: str, fmt: str, output: Path | None, fail_on: str | None, capacity_drop: float | None
) -> None:
    """Compare two scalescope JSON reports (scans, audits, or a scan and an audit): new, fixed
    and re-rated findings; for two audits, capacity and latency changes. Either file may be '-'
    (standard input)."""
    from scalescope.diff.compare import compare, gate_failures
    from scalescope.diff.inputs import DiffInputError, load_side
    from scalescope.diff.render import render

    if old == "-" and new == "-":
        _fail("only one of OLD and NEW can be read from standard input")
    try:
        sides = [
            load_side("-", _stdin(name)) if name == "-" else load_side(Path(name)) for name in (old, new)
        ]
    except DiffInputError as exc:
        _fail(str(exc))
        return
    if capacity_drop is not None and not all(s.kind == "audit" for s in sides):
        kinds = " and ".join(("an " if s.kind == "audit" else "a ") + s.kind for s in sides)
        _fail(f"--fail-on-capacity-drop compares two audits; got {kinds}")
    result = compare(sides[0], sides[1])
    text = render(result, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            _fail(f"cannot write {output}: {exc.strerror or exc}")
        click.echo(f"wrote {output}", err=True)
    reasons, warnings = gate_failures(result, fail_on, capacity_drop)
    for line in warnings:
        click.echo(f"scalescope diff: warning: {line}", err=True)
    for line in reasons:
        click.echo(f"scalescope diff: failing ({line})", err=True)
    if reasons:
        sys.exit(1)


def _stdin(name: str) -> str:
    try:
        data = sys.stdin.buffer.read()
    except OSError as exc:  # pragma: no cover - a closed stdin
        raise _input_error(f"{name}: cannot read standard input ({exc})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _input_error("-: standard input is not UTF-8 text") from None


def _input_error(message: str) -> Exception:
    from scalescope.diff.inputs import DiffInputError

    return DiffInputError(message)
