"""Output: the live terminal view, the final terminal summary and the JSON text.

Renderers format; they do not compute. The summary and JSON take the result dict only.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from scalescope.load.aggregate import LiveSnapshot

__all__ = ["LiveView", "render_json", "render_terminal"]

_PCTS = ("p50", "p90", "p95", "p99", "p999", "max")


def render_json(result: Mapping[str, object]) -> str:
    """The JSON result, indented, with a trailing newline."""
    return json.dumps(result, indent=2) + "\n"


def _errors_text(errors: Mapping[str, Any]) -> str:
    return ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in errors.items()) or "none"


def render_terminal(result: Mapping[str, Any], width: int = 100, color: bool = False) -> str:
    """The final summary: overall and per request name, errors, thresholds and warnings."""
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=color, color_system="auto" if color else None)
    summary = result["summary"]
    cfg = result["config"]
    head = Text()
    head.append(f"{result['target']['url']}  ", style="bold")
    model = f"open, {cfg['rate']}/s" if cfg["model"] == "open" and cfg["rate"] else cfg["model"]
    head.append(
        f"{model}, {cfg['connections']} connections, {cfg['workers']} workers, {summary['duration_s']}s"
    )
    if result.get("interrupted"):
        head.append("  (interrupted: partial results)", style="yellow")
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("name")
    for col in ("requests", "rps", "errors", *_PCTS):
        table.add_column(col if col in ("requests", "rps", "errors") else f"{col} ms", justify="right")

    def row(name: str, s: Mapping[str, Any], style: str | None = None) -> None:
        lat = s["latency_ms"]
        table.add_row(
            name,
            f"{s['requests']:,}",
            f"{s['rps']:,.1f}",
            f"{s['error_count']:,}",
            *(f"{lat[p]:.2f}" for p in _PCTS),
            style=style,
        )

    by_name = result["by_name"]
    if len(by_name) > 1:
        for name, section in by_name.items():
            row(name, section)
    row("all", summary, style="bold")
    parts: list[Any] = [head, table]
    parts.append(Text(f"errors: {_errors_text(summary['errors'])}"))
    if cfg["model"] == "open":
        parts.append(Text(f"dropped: {summary['dropped']}, late starts: {summary['late_starts']}"))
    for th in result.get("thresholds", []):
        mark, style = ("✓", "green") if th["ok"] else ("✗", "red")
        actual = "n/a" if th["actual"] is None else f"{th['actual']:g}"
        parts.append(Text(f"{mark} {th['expr']}  (actual {actual})", style=style))
    for warning in result.get("warnings", []):
        parts.append(Text(f"warning: {warning}", style="yellow"))
    console.print(Group(*parts))
    return out.getvalue()


class LiveView:
    """A rich live panel on stderr, refreshed with :meth:`update` (a no-op when not a terminal)."""

    def __init__(self, duration_s: float, console: Console | None = None) -> None:
        self._duration = duration_s
        self._console = console or Console(stderr=True)
        self._live: Live | None = None

    def __enter__(self) -> LiveView:
        if self._console.is_terminal:
            self._live = Live(Text("starting…"), console=self._console, refresh_per_second=4, transient=True)
            self._live.__enter__()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._live is not None:
            self._live.__exit__(exc_type, exc, tb)
            self._live = None

    def update(self, snap: LiveSnapshot, elapsed: float) -> None:
        """Show the latest second and the running totals."""
        if self._live is None:
            return
        elapsed = max(0.0, elapsed)
        remaining = max(0.0, self._duration - elapsed)
        text = Text()
        text.append(f"elapsed {elapsed:6.1f}s  remaining {remaining:6.1f}s\n", style="bold")
        text.append(
            f"rps {snap.rps:10,.0f}  in-flight {snap.in_flight:6d}  requests {snap.requests:,}\n"
            f"p50 {snap.p50_ms:8.2f} ms  p95 {snap.p95_ms:8.2f} ms  p99 {snap.p99_ms:8.2f} ms\n"
            f"errors: {_errors_text(snap.errors)}"
        )
        if snap.dropped or snap.late:
            text.append(f"\ndropped {snap.dropped}  late starts {snap.late}", style="yellow")
        self._live.update(text)
