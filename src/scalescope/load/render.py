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
from scalescope.load.thresholds import describe, format_value

__all__ = ["WIDTH", "LiveView", "render_json", "render_line", "render_terminal"]

_PCTS = ("p50", "p95", "p99", "max")
WIDTH = 80
"""The terminal summary fits this many columns (a standard terminal)."""


def render_json(result: Mapping[str, object]) -> str:
    """The JSON result, indented, with a trailing newline."""
    return json.dumps(result, indent=2) + "\n"


def _errors_text(errors: Mapping[str, Any]) -> str:
    return ", ".join(f"{k.replace('_', ' ')}: {v:,}" for k, v in errors.items()) or "none"


def _ms(value: float) -> str:
    """A latency in a column 6 characters wide: 0.123, 12.35, 123.5, 1234."""
    if value >= 100:
        return f"{value:,.0f}" if value < 100_000 else f"{value / 1000:,.0f}s"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def _bytes(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:,.1f} GB"  # pragma: no cover - loop always returns


def _pct(x: float) -> str:
    return format_value("error_rate", x)


def render_terminal(result: Mapping[str, Any], width: int = WIDTH, color: bool = False) -> str:
    """The final summary: overall and per request name, status codes, data, schedule, generator,
    thresholds (with units) and warnings. Fits ``width`` columns (80 by default)."""
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=color, color_system="auto" if color else None)
    summary = result["summary"]
    cfg = result["config"]
    head = Text()
    head.append(f"{result['target']['url']}  ", style="bold")
    model = f"open, {cfg['rate']:g}/s" if cfg["model"] == "open" and cfg["rate"] else cfg["model"]
    head.append(
        f"{model}, {cfg['connections']} connections, {cfg['workers']} workers, {summary['duration_s']}s"
    )
    if result.get("interrupted") or result.get("lost_workers"):
        head.append("  (partial results)", style="yellow")
    table = Table(box=None, pad_edge=False, collapse_padding=True, header_style="bold")
    table.add_column("name", no_wrap=True, overflow="ellipsis", max_width=20)
    for col in ("requests", "rps", "errors", *(f"{p} ms" for p in _PCTS)):
        table.add_column(col, justify="right", no_wrap=True)

    def row(name: str, s: Mapping[str, Any], style: str | None = None) -> None:
        lat = s["latency_ms"]
        errors = f"{_pct(s['error_rate'])}" if s["error_count"] else "0"
        table.add_row(
            name,
            f"{s['requests']:,}",
            f"{s['rps']:,.1f}" if s["rps"] < 1000 else f"{s['rps']:,.0f}",
            errors,
            *(_ms(lat[p]) for p in _PCTS),
            style=style,
        )

    by_name = result["by_name"]
    if len(by_name) > 1:
        for name, section in by_name.items():
            row(name, section)
    row("all", summary, style="bold")
    parts: list[Any] = [head, table]
    codes = summary.get("status_codes") or {}
    parts.append(Text(f"status codes: {', '.join(f'{k}: {v:,}' for k, v in codes.items()) or 'none'}"))
    if len(by_name) > 1:
        for name, section in by_name.items():
            named = section.get("status_codes") or {}
            if named and len(codes) > 1:
                parts.append(Text(f"  {name}: " + ", ".join(f"{k}: {v:,}" for k, v in named.items())))
    parts.append(Text(f"errors: {_errors_text(summary['errors'])}"))
    data = summary.get("data")
    if data:
        parts.append(
            Text(
                f"data: sent {_bytes(data['sent_bytes'])} ({_bytes(data['sent_per_s'])}/s), "
                f"received {_bytes(data['received_bytes'])} ({_bytes(data['received_per_s'])}/s)"
            )
        )
    if cfg["model"] == "open":
        late = summary.get("late_start_ms") or {}
        parts.append(
            Text(
                f"schedule: {summary.get('scheduled') or 0:,} due, {summary.get('sent', 0):,} sent, "
                f"{summary['dropped']:,} dropped, {summary['late_starts']:,} late "
                f"(p99 {_ms(late.get('p99', 0.0))} ms, max {_ms(late.get('max', 0.0))} ms)"
            )
        )
    generator = result.get("generator")
    if generator and generator.get("workers"):
        cpu = max(w["cpu"] for w in generator["workers"])
        verdict = "the limit (see warnings)" if generator["limited"] else "ok"
        parts.append(Text(f"generator: {verdict}, busiest worker used {cpu:.0%} of a CPU core"))
    for th in result.get("thresholds", []):
        mark, style = ("✓", "green") if th["ok"] else ("✗", "red")
        shown = describe(th) if "metric" in th else th["expr"]
        actual = format_value(str(th.get("metric", "")), th["actual"])
        parts.append(Text(f"{mark} {shown}  actual {actual}", style=style))
    for warning in result.get("warnings", []):
        parts.append(Text(f"warning: {warning}", style="yellow"))
    console.print(Group(*parts))
    return out.getvalue()


def render_line(result: Mapping[str, Any], saved_to: str) -> str:
    """One line for ``--format json -o FILE``: where the JSON went and the headline numbers."""
    s = result["summary"]
    lat = s["latency_ms"]
    verdict = "passed" if result.get("passed") else "FAILED"
    warnings = len(result.get("warnings", []))
    extra = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
    return (
        f"{verdict}: {s['requests']:,} requests, {s['rps']:,.1f} req/s, errors {_pct(s['error_rate'])}, "
        f"p95 {lat['p95']:g} ms, p99 {lat['p99']:g} ms{extra}; result saved to {saved_to}\n"
    )


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
