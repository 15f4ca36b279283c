"""Charts of an audit as inline SVG (matplotlib, no network needed to view them).

Each function returns an ``<svg>`` string, or ``""`` when there is nothing to draw. Output is
deterministic (fixed hash salt, no date metadata), so reports of the same data are identical.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scalescope.audit.capacity import CapacityResult
from scalescope.audit.datasize import SizeSeries
from scalescope.audit.measure import ConcurrencyPoint, EndpointLatency
from scalescope.audit.usl import USLFit

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["data_size_chart", "endpoints_chart", "latency_chart", "resources_chart", "usl_chart"]

_COLORS = {"p50": "#4c78a8", "p95": "#f58518", "p99": "#e45756", "slo": "#54a24b", "fit": "#72b7b2"}


def _figure(width: float = 7.0, height: float = 3.4) -> Figure:
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    fig.set_layout_engine("tight")
    return fig


def _svg(fig: Figure) -> str:
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "scalescope"
    matplotlib.rcParams["svg.fonttype"] = "path"
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    start = text.find("<svg")
    text = text[start:] if start >= 0 else text
    return re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.DOTALL)


def _style(ax: Any, xlabel: str, ylabel: str, title: str) -> None:
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=11, loc="left")
    ax.grid(True, alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def latency_chart(capacity: CapacityResult | None) -> str:
    """Latency percentiles against the offered rate, with the SLO line."""
    if capacity is None or not capacity.steps:
        return ""
    steps = sorted(capacity.steps, key=lambda s: s.offered_rps)
    fig = _figure()
    ax = fig.add_subplot()
    rates = [s.offered_rps for s in steps]
    for key, values in (
        ("p50", [s.p50_ms for s in steps]),
        ("p95", [s.p95_ms for s in steps]),
        ("p99", [s.p99_ms for s in steps]),
    ):
        ax.plot(rates, values, marker="o", label=key, color=_COLORS[key])
    ax.axhline(
        capacity.slo.p95_ms, linestyle="--", color=_COLORS["slo"], label=f"SLO p95 {capacity.slo.p95_ms:g} ms"
    )
    if capacity.sustainable_rps:
        ax.axvline(capacity.sustainable_rps, linestyle=":", color="#888", label="sustainable")
    ax.set_yscale("log")
    _style(ax, "offered rate (req/s)", "latency (ms, log scale)", "Latency against load (open model)")
    ax.legend(fontsize=8)
    return _svg(fig)


def usl_chart(points: Sequence[ConcurrencyPoint], fit: USLFit | None) -> str:
    """Measured throughput against concurrency, with the fitted USL curve."""
    if not points:
        return ""
    fig = _figure()
    ax = fig.add_subplot()
    ns = [p.concurrency for p in points]
    ax.plot(ns, [p.throughput_rps for p in points], "o", color=_COLORS["p50"], label="measured")
    if fit is not None:
        top = max(max(ns), int(fit.peak_concurrency or 0) + 1) * 1.3
        grid = [1 + i * (top - 1) / 100 for i in range(101)]
        ax.plot(
            grid,
            [fit.throughput(n) for n in grid],
            color=_COLORS["fit"],
            label=f"USL fit (σ={fit.sigma:.3f}, κ={fit.kappa:.5f}, R²={fit.r2:.2f})",
        )
    ax.set_xscale("log", base=2)
    _style(
        ax, "concurrent connections (closed model)", "throughput (req/s)", "Throughput against concurrency"
    )
    ax.legend(fontsize=8)
    return _svg(fig)


def endpoints_chart(endpoints: Sequence[EndpointLatency]) -> str:
    """Cold and warm p95 per endpoint (what warm-up and caching buy)."""
    if not endpoints:
        return ""
    fig = _figure(height=max(2.2, 0.45 * len(endpoints) + 1.2))
    ax = fig.add_subplot()
    names = [f"{e.method} {e.path}"[:48] for e in endpoints]
    ys = list(range(len(endpoints)))
    ax.barh(
        [y + 0.2 for y in ys],
        [e.cold_p95_ms for e in endpoints],
        height=0.4,
        label="cold p95",
        color="#9ecae9",
    )
    ax.barh(
        [y - 0.2 for y in ys],
        [e.warm_p95_ms for e in endpoints],
        height=0.4,
        label="warm p95",
        color="#4c78a8",
    )
    ax.set_yticks(ys, names, fontsize=8)
    ax.invert_yaxis()
    _style(ax, "p95 latency (ms)", "", "Per-endpoint latency, cold and warm")
    ax.legend(fontsize=8)
    return _svg(fig)


def data_size_chart(series: Sequence[SizeSeries]) -> str:
    """Median latency against response size per endpoint measured at several sizes, with the
    fitted line over the measured range."""
    drawn = [s for s in series if s.points]
    if not drawn:
        return ""
    fig = _figure()
    ax = fig.add_subplot()
    palette = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#b279a2"]
    for i, each in enumerate(drawn):
        color = palette[i % len(palette)]
        kb = [p.bytes / 1000 for p in each.points]
        ax.plot(kb, [p.p50_ms for p in each.points], "o", color=color, label=f"{each.endpoint} (p50)"[:60])
        if each.fit is not None:
            ends = [min(kb), max(kb)]
            ax.plot(
                ends,
                [each.fit.at(k * 1000) for k in ends],
                "-" if each.grows else ":",
                color=color,
                label=f"fit {each.fit.slope_ms_per_kb:.3f} ms/kB, R²={each.fit.r2:.2f}",
            )
    _style(ax, "response size (kB)", "median latency (ms)", "Latency against the data returned")
    ax.legend(fontsize=8)
    return _svg(fig)


def resources_chart(samples: Sequence[tuple[float, float, float]]) -> str:
    """The app's CPU and resident memory over the run."""
    if len(samples) < 2:
        return ""
    fig = _figure()
    ax = fig.add_subplot()
    ts = [t for t, _, _ in samples]
    ax.plot(ts, [c for _, c, _ in samples], color=_COLORS["p95"], label="CPU %")
    _style(
        ax,
        "seconds since the app started",
        "CPU (% of one core)",
        "The app's CPU and memory during the audit",
    )
    ax2 = ax.twinx()
    ax2.plot(ts, [r for _, _, r in samples], color=_COLORS["p50"], label="RSS MiB")
    ax2.set_ylabel("resident memory (MiB)")
    lines = ax.get_lines() + ax2.get_lines()
    ax.legend(lines, [str(line.get_label()) for line in lines], fontsize=8, loc="upper left")
    return _svg(fig)
