"""Memory of ``scalescope load`` over a long run: resident set size of the whole process tree
(parent + workers), sampled every few seconds, against nginx (same setup as bench_throughput).

Histograms, not lists of samples, hold the latencies, so RSS after warm-up should not grow with
the number of requests. The script prints the samples and the growth from the first sample after
warm-up to the last, in MiB and per million requests.

    python bench/load/bench_memory.py [--duration 120] [--rate 0 (closed, 64 connections)]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_throughput import CLIENT_CPU, NGINX_CONF, SERVER_CPU, URL  # noqa: E402


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=120)
    ap.add_argument("--every", type=float, default=5.0)
    ap.add_argument("--warmup", type=float, default=10.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp))
        nginx = subprocess.Popen(["taskset", "-c", SERVER_CPU, "nginx", "-c", str(conf)])
        out = Path(tmp) / "result.json"
        try:
            time.sleep(0.5)
            gen = subprocess.Popen(
                ["taskset", "-c", CLIENT_CPU, sys.executable, "-m", "scalescope.cli", "load", URL,
                 "-c", "64", "-d", f"{args.duration}s", "--format", "json", "-o", str(out)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            proc = psutil.Process(gen.pid)
            start = time.monotonic()
            samples: list[tuple[float, float]] = []
            while gen.poll() is None:
                time.sleep(args.every)
                if gen.poll() is not None:
                    break
                samples.append((time.monotonic() - start, tree_rss(proc) / 2**20))
            gen.wait(timeout=60)
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)
        summary = json.loads(out.read_text())["summary"]
    print("| t (s) | RSS of parent + workers (MiB) |\n|---|---|")
    for t, rss in samples:
        print(f"| {t:.0f} | {rss:.1f} |")
    warm = [s for s in samples if s[0] >= args.warmup]
    if len(warm) >= 2:
        growth = warm[-1][1] - warm[0][1]
        per_million = growth / (summary["requests"] / 1e6)
        print(
            f"\nrequests: {summary['requests']:,} in {summary['duration_s']:.0f} s ({summary['rps']:,.0f} req/s); "
            f"RSS {warm[0][1]:.1f} MiB at {warm[0][0]:.0f} s -> {warm[-1][1]:.1f} MiB at {warm[-1][0]:.0f} s: "
            f"{growth:+.1f} MiB ({per_million:+.3f} MiB per million requests)"
        )


if __name__ == "__main__":
    main()
