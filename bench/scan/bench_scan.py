#!/usr/bin/env python3
"""Scan speed: scalescope (full rule set) vs semgrep (a handful of pattern rules), same tree.

Usage:
    python bench/scan/bench_scan.py TREE [TREE ...] [--semgrep /path/to/semgrep] [--runs 3]

Prints, per tree and with tests excluded / included: the files and lines scalescope reads, the
files semgrep scanned, each tool's median wall time and median CPU time (user+sys, all
processes) over --runs runs, and the ratio of the medians; then the load average. Runs of the
two tools alternate, so both see the same background load.

Same file set: semgrep skips test/ and tests/ (and build/, vendor/...) by default when a tree
has no .semgrepignore. For the duration of the run the bench writes a .semgrepignore into each
tree that has none, listing scalescope's skipped directories plus, when tests are excluded,
scalescope's test paths; it removes it afterwards. semgrep runs with --metrics=off, -j = CPUs,
no network. Nothing is asserted: this is a measurement, recorded in bench/scan/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
JS_EXTS = ("ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs")
TEST_PATTERNS = ["test_*.py", "*_test.py", "*_tests.py", "conftest.py"] + [
    f"*.{kind}.{ext}" for kind in ("test", "spec", "e2e-spec", "e2e") for ext in JS_EXTS
]
# semgrep would otherwise check for a newer version over the network. Both tools are Python
# programs: with PYTHONDONTWRITEBYTECODE set (some CI images set it) each run would recompile
# every module it imports, which an installed tool never does (pip compiles at install), so the
# bench gives both a bytecode cache of its own and warms it with one uncounted run each.
_PYCACHE = tempfile.mkdtemp(prefix="bench-scan-pyc-")
SEMGREP_ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "PYTHONPYCACHEPREFIX": _PYCACHE,
    "SEMGREP_ENABLE_VERSION_CHECK": "0",
    "SEMGREP_SEND_METRICS": "off",
}


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


def semgrepignore(include_tests: bool) -> str:
    from scalescope.scan.discover import SKIP_DIRS, TEST_DIRS

    lines = [f"{d}/" for d in sorted(SKIP_DIRS)] + ["*.min.js", "*.d.ts"]
    if not include_tests:
        lines += [f"{d}/" for d in sorted(TEST_DIRS)] + TEST_PATTERNS
    head = "# written by scalescope bench/scan/bench_scan.py for one run; safe to delete\n"
    return head + "\n".join(lines) + "\n"


def run_once(cmd: list[str]) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (user+sys of the process tree), exit code, error tail."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=SEMGREP_ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    tail = (proc.stderr or proc.stdout)[-300:] if proc.returncode not in (0, 1) else ""
    return wall, cpu, proc.returncode, tail


def semgrep_version(semgrep: str) -> str:
    try:
        out = subprocess.run(
            [semgrep, "--version"], capture_output=True, text=True, check=False, timeout=120, env=SEMGREP_ENV
        )
        return out.stdout.strip() or "?"
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("trees", nargs="+", type=Path)
    ap.add_argument("--semgrep", default=shutil.which("semgrep") or "/tmp/semgrep-venv/bin/semgrep")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from scalescope import __version__

    jobs = str(len(os.sched_getaffinity(0)))
    have_semgrep = Path(args.semgrep).exists()
    versions = f"scalescope {__version__} | semgrep {semgrep_version(args.semgrep)}"
    print(f"python {platform.python_version()} | {versions}")
    start_load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"cpus={jobs} runs={args.runs} | load average at start: {start_load}")
    print("median seconds; cpu = user+sys of all processes; ratio = semgrep / scalescope (wall)")
    print("each tool warmed once per tree (bytecode cache of the bench's own), then timed")
    header = (
        f"{'tree':<10} {'tests':<5} {'files':>6} {'lines':>8} {'sg files':>8} "
        f"{'ss wall':>8} {'ss cpu':>7} {'sg wall':>8} {'sg cpu':>7} {'ratio':>6}"
    )
    print(header)
    loads = []
    out_dir = Path(tempfile.mkdtemp(prefix="bench-scan-"))
    try:
        for tree in args.trees:
            ignore_file = tree / ".semgrepignore"
            owned = not ignore_file.exists()
            try:
                for include_tests in (False, True):
                    if owned:
                        ignore_file.write_text(semgrepignore(include_tests), encoding="utf-8")
                    files, lines = count_lines(tree, include_tests)
                    ss_cmd = [
                        sys.executable,
                        "-m",
                        "scalescope.cli",
                        "scan",
                        str(tree),
                        "--format",
                        "json",
                        "--output",
                        "/dev/null",
                        "--no-progress",
                    ]
                    if include_tests:
                        ss_cmd.append("--include-tests")
                    sg_json = out_dir / "semgrep.json"
                    sg_cmd = [
                        args.semgrep,
                        "scan",
                        "--metrics=off",
                        "--disable-version-check",
                        "--quiet",
                        "-j",
                        jobs,
                        "--config",
                        str(HERE / "semgrep-rules.yml"),
                        "--json",
                        "--output",
                        str(sg_json),
                        "--max-target-bytes",
                        "2000000",
                        str(tree),
                    ]
                    ss_runs, sg_runs, notes = [], [], []
                    run_once(ss_cmd)  # warm the bytecode cache (not counted)
                    if have_semgrep:
                        run_once(sg_cmd)
                    for _ in range(args.runs):
                        wall, cpu, _rc, err = run_once(ss_cmd)
                        ss_runs.append((wall, cpu))
                        notes.append(err)
                        if have_semgrep:
                            wall, cpu, _rc, err = run_once(sg_cmd)
                            sg_runs.append((wall, cpu))
                            notes.append(err)
                        loads.append(os.getloadavg()[0])
                    ss_wall = statistics.median(w for w, _ in ss_runs)
                    ss_cpu = statistics.median(c for _, c in ss_runs)
                    if sg_runs:
                        sg_wall = statistics.median(w for w, _ in sg_runs)
                        sg_cpu = statistics.median(c for _, c in sg_runs)
                        try:
                            sg_files = str(len(json.loads(sg_json.read_text())["paths"]["scanned"]))
                        except (OSError, ValueError, KeyError):
                            sg_files = "?"
                        ratio = f"{sg_wall / ss_wall:5.1f}x"
                    else:
                        sg_wall = sg_cpu = float("nan")
                        sg_files, ratio = "-", "n/a"
                    print(
                        f"{tree.name:<10} {'yes' if include_tests else 'no':<5} {files:>6} {lines:>8} "
                        f"{sg_files:>8} {ss_wall:>7.2f}s {ss_cpu:>6.2f}s {sg_wall:>7.2f}s {sg_cpu:>6.2f}s "
                        f"{ratio:>6}",
                        flush=True,
                    )
                    for err in dict.fromkeys(n for n in notes if n):
                        print(f"    note: {err.strip()}")
            finally:
                if owned:
                    ignore_file.unlink(missing_ok=True)
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
        shutil.rmtree(_PYCACHE, ignore_errors=True)
    print(f"load average (1 min) after each pair of runs: min {min(loads):.2f} max {max(loads):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
