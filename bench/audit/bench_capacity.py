"""Capacity accuracy of ``scalescope audit`` (issue 10's bar).

Target: ``tests/audit/target_app.py``, a server of known capacity: ``WORKERS`` requests are served
at a time, each taking ``SERVICE_S`` seconds (saturation throughput ≈ WORKERS / SERVICE_S). For
each (c, S) and each round, with the target already running:

1. ``wrk -t1 -c64 -d10s URL/items``: the saturation throughput on the closed model;
2. ``scalescope audit --url URL --scenario tests/audit/target_scenario.yaml -f json -o FILE``
   with a loose SLO (p95 < 10 s, so saturation, not latency, is what stops the search) and a
   budget giving 5 to 10 s capacity steps: the reported ``capacity.sustainable_rps``.

The bar: sustainable_rps within 10 % of wrk's figure. Prints one line per run on stderr and a
markdown table of medians on stdout, with the 1-minute load average before each run.

    python bench/audit/bench_capacity.py [--rounds 3] [--budget 150s] [--pairs 4:0.02,8:0.01,2:0.05]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = ROOT / "tests" / "audit" / "target_app.py"
SCENARIO = ROOT / "tests" / "audit" / "target_scenario.yaml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_target(workers: int, service_s: float) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "WORKERS": str(workers), "SERVICE_S": str(service_s)}
    proc = subprocess.Popen(
        [sys.executable, str(TARGET), str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/health", timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the target never answered /health")


def wrk(url: str, duration: int, connections: int) -> float:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", url + "/items"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 30).stdout
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if m is None:
        raise SystemExit(f"wrk printed no throughput:\n{out}")
    return float(m.group(1))


def audit(url: str, budget: str, slo: str, out: Path) -> dict[str, object]:
    cmd = [sys.executable, "-m", "scalescope", "audit", "--url", url, "--health", "/health",
           "--scenario", str(SCENARIO), "--slo-p95", slo, "--budget", budget,
           "-f", "json", "-o", str(out)]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if not out.is_file():
        raise SystemExit(f"the audit wrote no report (exit {proc.returncode}):\n{proc.stderr[-2000:]}")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--budget", default="150s")
    parser.add_argument("--slo-p95", default="10s")
    parser.add_argument("--wrk-duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--pairs", default="4:0.02,8:0.01,2:0.05", help="c:S pairs, comma-separated")
    args = parser.parse_args()
    pairs = [(int(c), float(s)) for c, s in (p.split(":") for p in args.pairs.split(","))]
    tmp = Path(tempfile.mkdtemp(prefix="scalescope-bench-audit-"))
    rows: dict[tuple[int, float], list[tuple[float, float, str, float]]] = {p: [] for p in pairs}
    for rnd in range(args.rounds):
        for c, s in pairs:
            load = os.getloadavg()[0]
            proc, url = start_target(c, s)
            try:
                measured = wrk(url, args.wrk_duration, args.connections)
                report = audit(url, args.budget, args.slo_p95, tmp / f"audit-{c}-{s}-{rnd}.json")
            finally:
                proc.terminate()
                proc.wait(timeout=10)
            cap = report["capacity"]
            assert isinstance(cap, dict)
            sustainable = float(cap.get("sustainable_rps") or 0.0)
            steps = cap.get("steps") or []
            step_s = float(steps[0]["duration_s"]) if steps else 0.0
            rows[(c, s)].append((measured, sustainable, str(cap.get("limiting")), load))
            print(
                f"round {rnd + 1} c={c} S={s * 1000:g}ms: wrk {measured:,.1f} req/s, audit sustainable "
                f"{sustainable:,.1f} req/s (ratio {sustainable / measured:.3f}; "
                f"limiting {cap.get('limiting')}; {len(steps)} steps of {step_s:.1f} s; load {load:.2f})",
                file=sys.stderr,
                flush=True,
            )
    print(
        "| c | S | c/S | wrk req/s (runs) | audit sustainable req/s (runs) | median ratio "
        "| within 10 % | limiting | load avg |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for (c, s), runs in rows.items():
        ratios = [a / w for w, a, _, _ in runs]
        med = statistics.median(ratios)
        print(
            f"| {c} | {s * 1000:g} ms | {c / s:,.0f} | {', '.join(f'{w:,.0f}' for w, *_ in runs)} "
            f"| {', '.join(f'{a:,.0f}' for _, a, *_ in runs)} | {med:.3f} "
            f"| {'yes' if abs(med - 1) <= 0.10 else '**no**'} "
            f"| {', '.join(sorted({lim for *_, lim, _ in runs}))} "
            f"| {', '.join(f'{ld:.1f}' for *_, ld in runs)} |"
        )


if __name__ == "__main__":
    main()
