"""Accuracy under a stall: open model vs closed loop against a server that freezes.

The server (tests/load/servers.py) blocks its event loop for F = 200 ms once every P = 1 s.
Open model at a constant rate: latency counts from the intended send time, so the expected p99 is
F - 0.01 P = 190 ms (a fraction F/P of requests land in a freeze, each waits for the rest of it).
A closed loop with a few connections only has those few requests in flight during a freeze, so
its p99 hides the stall (coordinated omission).

    python bench/load/bench_stall.py [--duration 10] [--rate 500]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

SERVER = Path(__file__).resolve().parents[2] / "tests" / "load" / "servers.py"


def load(url: str, *args: str) -> dict[str, object]:
    cmd = [sys.executable, "-m", "scalescope.cli", "load", url, "--workers", "1", "--format", "json", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    result: dict[str, object] = json.loads(out)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rate", type=float, default=500.0)
    args = parser.parse_args()
    freeze, period = 0.2, 1.0
    server = subprocess.Popen(
        [sys.executable, str(SERVER), "--freeze", str(freeze), "--every", str(period)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    url = f"http://127.0.0.1:{int(server.stdout.readline())}/"
    try:
        d = f"{args.duration}s"
        open_name = f"open, {args.rate:g} req/s, 100 connections"
        runs = {
            open_name: load(url, "--rate", str(args.rate), "-c", "100", "-d", d),
            "closed, 2 connections": load(url, "-c", "2", "-d", d),
            "closed, 64 connections": load(url, "-c", "64", "-d", d),
        }
    finally:
        server.terminate()
        server.wait()
        server.stdout.close()
    print(f"expected open-model p99 from the schedule: {(freeze - 0.01 * period) * 1000:.0f} ms\n")
    print("| run | requests | rps | p50 ms | p90 ms | p99 ms | max ms | dropped |")
    print("|---|---|---|---|---|---|---|---|")
    for name, result in runs.items():
        s = result["summary"]
        assert isinstance(s, dict)
        lat = s["latency_ms"]
        print(
            f"| {name} | {s['requests']:,} | {s['rps']:,.0f} | {lat['p50']:.2f} | {lat['p90']:.2f} | "
            f"{lat['p99']:.2f} | {lat['max']:.2f} | {s['dropped']} |"
        )


if __name__ == "__main__":
    main()
