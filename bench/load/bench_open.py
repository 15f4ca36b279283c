"""The open model next to the closed model and wrk, in one run (issue 9's bars).

Target: Debian's nginx, one worker, pinned to CPU 0 (as ``bench_throughput.py``); every generator
pinned to CPU 1, scalescope with one worker. Each round runs, back to back:

* closed model, 64 connections: throughput and CPU per request;
* wrk, 64 connections: throughput (closed ÷ wrk must be >= 0.8);
* open model at 20,000 req/s: achieved rate (>= 97 % of offered) and CPU per request (<= 2x closed);
* open model at 2,000 and 500 req/s: CPU per request and the worker's CPU use (no busy wait), next
  to the closed model paced to about the same rate by think time (20 and 5 virtual users, 10 ms
  think time): at a low rate every request costs event-loop wake-ups, whichever the model;
* open model at 1,000 req/s against ``tests/load/servers.py --capacity 200`` (a target that answers
  200 req/s in all): sent + dropped must equal the scheduled count (rate x duration) within 2 %.

CPU per request is the worker process's own CPU time (``generator.workers[].cpu_s`` in the JSON
result, from ``time.process_time`` in the worker) divided by the requests it sent, so interpreter
start-up is left out; ``child CPU`` also gives the whole command's CPU (parent included) for
comparison with wrk, whose CPU is all request work.

    python bench/load/bench_open.py [--runs 3] [--duration 10]

Prints per-run lines on stderr and markdown tables (medians over the runs) on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_throughput import CLIENT_CPU, NGINX_CONF, SERVER_CPU, URL

SERVER = Path(__file__).resolve().parents[2] / "tests" / "load" / "servers.py"


def child_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def scalescope(url: str, *args: str, timeout: float = 120) -> tuple[dict[str, Any], float]:
    """Run ``scalescope load`` pinned to the client CPU; return its JSON result and child CPU s."""
    cmd = ["taskset", "-c", CLIENT_CPU, sys.executable, "-m", "scalescope.cli", "load", url,
           "--workers", "1", "--format", "json", "--max-error-rate", "100%", *args]  # fmt: skip
    cpu0 = child_cpu_s()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout).stdout
    return json.loads(out), child_cpu_s() - cpu0


def wrk(d: int, c: int) -> tuple[float, float]:
    cpu0 = child_cpu_s()
    cmd = ["taskset", "-c", CLIENT_CPU, "wrk", "-t1", f"-c{c}", f"-d{d}s", URL]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=d + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return rps, child_cpu_s() - cpu0


def worker_cpu_us(result: dict[str, Any]) -> float:
    gen = result["generator"]["workers"][0]
    return float(gen["cpu_s"]) / max(1, int(gen["sent"])) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    d = args.duration
    tmp = tempfile.mkdtemp(prefix="scalescope-bench-open-")
    conf = Path(tmp) / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp))
    nginx = subprocess.Popen(["taskset", "-c", SERVER_CPU, "nginx", "-c", str(conf)])
    cap = subprocess.Popen(
        ["taskset", "-c", SERVER_CPU, sys.executable, str(SERVER), "--capacity", "200"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert cap.stdout is not None
    cap_url = f"http://127.0.0.1:{int(cap.stdout.readline())}/"
    rows: dict[str, list[dict[str, float]]] = {}

    def note(name: str, **values: float) -> None:
        rows.setdefault(name, []).append(values)
        shown = ", ".join(f"{k} {v:,.2f}" for k, v in values.items())
        print(f"{name}: {shown}", file=sys.stderr, flush=True)

    loads = [os.getloadavg()[0]]
    try:
        time.sleep(1.0)
        for _ in range(args.runs):
            r, cpu = scalescope(URL, "-c", "64", "-d", f"{d}s")
            s = r["summary"]
            note("closed, 64 connections", rps=s["rps"], cpu_us=worker_cpu_us(r),
                 child_cpu_us=cpu / max(1, s["sent"]) * 1e6,
                 worker_cpu=r["generator"]["workers"][0]["cpu"])  # fmt: skip
            wrps, wcpu = wrk(d, 64)
            note("wrk, 64 connections", rps=wrps, cpu_us=wcpu / max(1.0, wrps * d) * 1e6)
            for rate in (20_000, 2_000, 500):
                r, cpu = scalescope(URL, "--rate", str(rate), "-c", "64", "-d", f"{d}s")
                s = r["summary"]
                note(f"open, {rate:,}/s", rps=s["rps"], achieved=s["sent"] / (rate * d),
                     cpu_us=worker_cpu_us(r), child_cpu_us=cpu / max(1, s["sent"]) * 1e6,
                     worker_cpu=r["generator"]["workers"][0]["cpu"], dropped=s["dropped"],
                     late=s["late_starts"], behind=r["generator"]["workers"][0]["behind"],
                     gen_limited=float(s["generator_limited"]), p99_ms=s["latency_ms"]["p99"])  # fmt: skip
            for vus in (20, 5):
                r, cpu = scalescope(URL, "-c", str(vus), "--think-time", "10ms", "-d", f"{d}s")
                s = r["summary"]
                note(f"closed, {vus} VUs, 10 ms think", rps=s["rps"], cpu_us=worker_cpu_us(r),
                     child_cpu_us=cpu / max(1, s["sent"]) * 1e6,
                     worker_cpu=r["generator"]["workers"][0]["cpu"])  # fmt: skip
            r, cpu = scalescope(cap_url, "--rate", "1000", "-c", "64", "-d", f"{d}s")
            s = r["summary"]
            expected = 1000 * d
            note("open, 1,000/s vs capacity 200/s", sent=s["sent"], dropped=s["dropped"],
                 scheduled=s["scheduled"], expected=expected,
                 accounted=(s["sent"] + s["dropped"]) / expected, rps=s["rps"])  # fmt: skip
            loads.append(os.getloadavg()[0])
    finally:
        cap.terminate()
        cap.wait(timeout=10)
        cap.stdout.close()
        nginx.terminate()
        nginx.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    keys = ("rps", "achieved", "cpu_us", "child_cpu_us", "worker_cpu", "dropped", "late", "behind",
            "gen_limited", "p99_ms", "sent", "scheduled", "expected", "accounted")  # fmt: skip
    print("| run | " + " | ".join(keys) + " |")
    print("|---|" + "---|" * len(keys))
    med: dict[str, dict[str, float]] = {}
    for name, runs in rows.items():
        med[name] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        cells = [f"{med[name][k]:,.3g}" if k in med[name] else "" for k in keys]
        print(f"| {name} | " + " | ".join(cells) + " |")
    closed = med["closed, 64 connections"]
    print()
    print(f"closed ÷ wrk throughput: {closed['rps'] / med['wrk, 64 connections']['rps']:.2f}x (bar >= 0.8)")
    o20 = med["open, 20,000/s"]
    print(f"open 20,000/s achieved: {o20['achieved']:.1%} of offered (bar >= 97%)")
    print(f"open 20,000/s CPU per request ÷ closed: {o20['cpu_us'] / closed['cpu_us']:.2f}x (bar <= 2x)")
    o2 = med["open, 2,000/s"]
    c20 = med["closed, 20 VUs, 10 ms think"]
    print(f"open 2,000/s: worker CPU {o2['worker_cpu']:.1%} of a core, {o2['cpu_us']:.1f} µs per request "
          f"({o2['cpu_us'] / closed['cpu_us']:.2f}x closed at full speed, "
          f"{o2['cpu_us'] / c20['cpu_us']:.2f}x closed at {c20['rps']:,.0f}/s)")  # fmt: skip
    o5, c5 = med["open, 500/s"], med["closed, 5 VUs, 10 ms think"]
    print(f"open 500/s: {o5['cpu_us']:.1f} µs per request ({o5['cpu_us'] / c5['cpu_us']:.2f}x closed at "
          f"{c5['rps']:,.0f}/s)")  # fmt: skip
    capped = med["open, 1,000/s vs capacity 200/s"]
    print(f"capacity target: (sent + dropped) ÷ scheduled = {capped['accounted']:.2%} (bar within 2%)")
    print(f"1-minute load average at start and after each round: {', '.join(f'{x:.2f}' for x in loads)}")


if __name__ == "__main__":
    main()
