#!/usr/bin/env python3
"""Scan speed: scalescope (full rule set) vs semgrep (a handful of pattern rules), same tree.

Usage:
    python bench/scan/bench_scan.py TREE [TREE ...] [--semgrep /path/to/semgrep] [--runs 3]

Prints, per tree: lines of code read, the median wall time of each tool over --runs runs, and
the ratio. Both tools exclude the same test paths (scalescope's default), and each is also run
with tests included. semgrep runs with --metrics=off -j = CPUs, no network. Nothing is asserted:
this is a measurement, recorded in bench/scan/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEMGREP_TEST_EXCLUDES = ["tests", "test", "__tests__", "__mocks__", "e2e", "cypress", "playwright",
                         "spec", "specs", "testing", "test_*.py", "*_test.py", "*_tests.py",
                         "conftest.py", "*.test.ts", "*.spec.ts", "*.test.tsx", "*.spec.tsx",
                         "*.test.js", "*.spec.js"]


def count_lines(tree: Path, include_tests: bool) -> tuple[int, int]:
    from scalescope.scan.discover import discover

    found, _ = discover(tree, include_tests=include_tests)
    lines = 0
    for c in found:
        try:
            with open(c.abspath, "rb") as fh:
                lines += fh.read().count(b"\n")
        except OSError:
            pass
    return len(found), lines


def timed(cmd: list[str], runs: int) -> tuple[float, str]:
    times = []
    tail = ""
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        tail = (proc.stderr or proc.stdout)[-300:] if proc.returncode not in (0, 1) else ""
    return statistics.median(times), tail


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("trees", nargs="+", type=Path)
    ap.add_argument("--semgrep", default=shutil.which("semgrep") or "/tmp/semgrep-venv/bin/semgrep")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    jobs = str(len(os.sched_getaffinity(0)))
    print(f"cpus={jobs} runs={args.runs} (median wall seconds)")
    print(f"{'tree':<28} {'tests':<6} {'files':>6} {'lines':>9} {'scalescope':>11} {'semgrep':>9} {'ratio':>7}")
    for tree in args.trees:
        for include_tests in (False, True):
            files, lines = count_lines(tree, include_tests)
            ss_cmd = [sys.executable, "-m", "scalescope.cli", "scan", str(tree), "--format", "json",
                      "--output", "/dev/null", "--no-progress"]
            if include_tests:
                ss_cmd.append("--include-tests")
            ss, ss_err = timed(ss_cmd, args.runs)
            sg_cmd = [args.semgrep, "scan", "--metrics=off", "--disable-version-check", "--quiet",
                      "-j", jobs, "--config", str(HERE / "semgrep-rules.yml"), "--json",
                      "--output", "/dev/null", "--max-target-bytes", "2000000"]
            if not include_tests:
                for pat in SEMGREP_TEST_EXCLUDES:
                    sg_cmd += ["--exclude", pat]
            sg_cmd.append(str(tree))
            if Path(args.semgrep).exists():
                sg, sg_err = timed(sg_cmd, args.runs)
                ratio = f"{sg / ss:6.1f}x"
            else:
                sg, sg_err, ratio = float("nan"), "semgrep not installed", "n/a"
            print(f"{tree.name:<28} {'yes' if include_tests else 'no':<6} {files:>6} {lines:>9} "
                  f"{ss:>10.2f}s {sg:>8.2f}s {ratio:>7}")
            for err in (ss_err, sg_err):
                if err:
                    print(f"    note: {err.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
