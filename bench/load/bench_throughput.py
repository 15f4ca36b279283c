"""Throughput and low-load latency of ``scalescope load`` next to wrk, hey, ab and Locust.

Target: Debian's nginx, one worker process, pinned to CPU 0 with taskset, answering a tiny 200.
Every generator is pinned to CPU 1, 64 keep-alive connections, 10 s, median of 3 runs.
Then low load: 1 connection, 5 s, median latency of scalescope vs wrk (median of 3).

Needs: ``apt-get install -y nginx wrk apache2-utils hey`` and Locust in its own venv
(``python -m venv /tmp/locust-venv && /tmp/locust-venv/bin/pip install locust``).

    python bench/load/bench_throughput.py [--runs 3] [--duration 10] [--skip locust,ab]

Prints a markdown table (paste it into bench/load/RESULTS.md), with the 1-minute load average
before and after every round: the other tools share the machine, so say how busy it was.
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

PORT = 18088
URL = f"http://127.0.0.1:{PORT}/"
SERVER_CPU = "0"
CLIENT_CPU = "1"
LOCUST = os.environ.get("LOCUST", "/tmp/locust-venv/bin/locust")

NGINX_CONF = f"""
worker_processes 1;
daemon off;
pid {{tmp}}/nginx.pid;
error_log {{tmp}}/error.log crit;
events {{{{ worker_connections 4096; }}}}
http {{{{
    access_log off;
    keepalive_requests 100000000;
    keepalive_timeout 120s;
    client_body_temp_path {{tmp}};
    proxy_temp_path {{tmp}};
    fastcgi_temp_path {{tmp}};
    uwsgi_temp_path {{tmp}};
    scgi_temp_path {{tmp}};
    server {{{{
        listen 127.0.0.1:{PORT};
        location / {{{{ return 200 "ok"; }}}}
    }}}}
}}}}
"""

LOCUSTFILE = """
from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

class Hit(FastHttpUser):
    wait_time = constant(0)

    @task
    def root(self):
        self.client.get("/")
"""


def pinned(cmd: list[str]) -> list[str]:
    return ["taskset", "-c", CLIENT_CPU, *cmd]


def run(cmd: list[str], timeout: float) -> str:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return proc.stdout + proc.stderr


def wrk_rps(d: int, c: int) -> float:
    out = run(pinned(["wrk", "-t1", f"-c{c}", f"-d{d}s", URL]), d + 30)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


def scalescope_rps(d: int, c: int) -> float:
    out = run(pinned([sys.executable, "-m", "scalescope.cli", "load", URL, "-c", str(c), "-d", f"{d}s",
                      "--format", "json"]), d + 30)  # fmt: skip
    return float(json.loads(out[out.index("{") :])["summary"]["rps"])


def hey_rps(d: int, c: int) -> float:
    out = run(pinned(["hey", "-z", f"{d}s", "-c", str(c), URL]), d + 30)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


def ab_rps(d: int, c: int) -> float:
    out = run(pinned(["ab", "-k", "-q", "-c", str(c), "-t", str(d), "-n", "100000000", URL]), d + 30)
    return float(re.search(r"Requests per second:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


def locust_rps(d: int, c: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        locustfile = Path(tmp) / "locustfile.py"
        locustfile.write_text(LOCUSTFILE)
        prefix = str(Path(tmp) / "out")
        run(pinned([LOCUST, "-f", str(locustfile), "--headless", "-u", str(c), "-r", str(c), "-t", f"{d}s",
                    "--host", URL.rstrip("/"), "--csv", prefix, "--only-summary"]), d + 60)  # fmt: skip
        rows = Path(prefix + "_stats.csv").read_text().splitlines()
        header = rows[0].split(",")
        for row in rows[1:]:
            cells = row.split(",")
            if "Aggregated" in cells:
                return float(cells[header.index("Requests/s")])
    raise RuntimeError("no Locust summary")


def wrk_p50_us(d: int) -> float:
    out = run(pinned(["wrk", "-t1", "-c1", f"-d{d}s", "--latency", URL]), d + 30)
    value, unit = re.search(r"50%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 1, "ms": 1000, "s": 1e6}[unit]


def scalescope_p50_us(d: int) -> float:
    out = run(pinned([sys.executable, "-m", "scalescope.cli", "load", URL, "-c", "1", "-d", f"{d}s",
                      "--workers", "1", "--format", "json"]), d + 30)  # fmt: skip
    return float(json.loads(out[out.index("{") :])["summary"]["latency_ms"]["p50"]) * 1000.0


def child_cpu_s() -> float:
    """User + system CPU seconds of every finished child process (and their reaped children)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


TOOLS = {
    "scalescope": scalescope_rps,
    "wrk": wrk_rps,
    "hey": hey_rps,
    "ab -k": ab_rps,
    "locust FastHttpUser": locust_rps,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--skip", default="", help="comma-separated tool names to leave out")
    args = parser.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    tmp = tempfile.mkdtemp(prefix="scalescope-bench-")
    conf = Path(tmp) / "nginx.conf"
    conf.write_text(NGINX_CONF.format(tmp=tmp))
    nginx = subprocess.Popen(["taskset", "-c", SERVER_CPU, "nginx", "-c", str(conf)])
    try:
        time.sleep(1.0)
        results: dict[str, list[float]] = {}
        cpu_us: dict[str, list[float]] = {}
        loads: list[float] = [os.getloadavg()[0]]
        for rnd in range(args.runs):  # interleave tools so drift hits all of them alike
            for name, fn in TOOLS.items():
                if any(s in name for s in skip):
                    continue
                if name.startswith("locust") and not Path(LOCUST).exists():
                    continue
                if name in ("hey", "ab -k") and not shutil.which(name.split()[0]):
                    continue
                cpu0 = child_cpu_s()
                rps = fn(args.duration, args.connections)
                cpu = child_cpu_s() - cpu0
                results.setdefault(name, []).append(rps)
                cpu_us.setdefault(name, []).append(cpu / max(1.0, rps * args.duration) * 1e6)
                line = f"run {rnd + 1}: {name}: {rps:,.0f} req/s, {cpu:.2f} CPU s"
                print(line, file=sys.stderr, flush=True)
            loads.append(os.getloadavg()[0])
        lat: dict[str, list[float]] = {"wrk": [], "scalescope": []}
        for _ in range(args.runs):
            lat["wrk"].append(wrk_p50_us(5))
            lat["scalescope"].append(scalescope_p50_us(5))
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    ours = statistics.median(results["scalescope"])
    print("| generator | runs (req/s) | median req/s | scalescope ÷ this |")
    print("|---|---|---|---|")
    for name, values in results.items():
        med = statistics.median(values)
        runs = ", ".join(f"{v:,.0f}" for v in values)
        print(f"| {name} | {runs} | {med:,.0f} | {ours / med:.2f}x |")
    print()
    # Noise-robust view: what each request cost the generator (CPU time, startup included), and
    # scalescope's ratio within each round (the tools of one round ran back to back).
    print("| generator | CPU µs per request (median) | per-round scalescope ÷ this |")
    print("|---|---|---|")
    for name, values in results.items():
        rounds = ", ".join(f"{a / b:.2f}x" for a, b in zip(results["scalescope"], values, strict=False))
        print(f"| {name} | {statistics.median(cpu_us[name]):.1f} | {rounds} |")
    print()
    print("| low load (1 connection, 5 s) | p50 runs (µs) | median p50 (µs) |")
    print("|---|---|---|")
    for name, values in lat.items():
        runs = ", ".join(f"{v:.0f}" for v in values)
        print(f"| {name} | {runs} | {statistics.median(values):.0f} |")
    diff = statistics.median(lat["scalescope"]) - statistics.median(lat["wrk"])
    print(f"\nscalescope median latency minus wrk's: {diff:+.0f} µs")
    print(f"1-minute load average at start and after each round: {', '.join(f'{x:.2f}' for x in loads)}")


if __name__ == "__main__":
    main()
